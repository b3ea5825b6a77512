// An OAuth-protected upstream MCP server for the "verified user access" tests: mcpcp reaches it
// with each user's own access token. One process, one port of 127.0.0.1, three parts:
//
//   /as/...   an OAuth 2.1 authorization server: npm `oidc-provider`, issuer http://127.0.0.1:PORT/as
//   /mcp      an MCP server (TypeScript SDK 1.x `Server` + StreamableHTTPServerTransport) that
//             wants `Authorization: Bearer <access token of the AS above, for this resource>`
//   /_...     a side API for tests (counts, revoke a user's grants, add a client)
//
//   node oauth_upstream.mjs [--token-ttl SECONDS] [--cimd]
//        [--client-id ID --client-secret SECRET --redirect-uri URI [--redirect-uri URI]...
//         [--client-auth-method client_secret_basic|client_secret_post]]...
//
// Prints one line `ready RESOURCE_URL ISSUER`, i.e.
// `ready http://127.0.0.1:PORT/mcp http://127.0.0.1:PORT/as`, then logs to stderr only. Exits on
// SIGTERM and SIGINT. It binds 127.0.0.1 only and fetches nothing but loopback URLs.
//
// Authorization server (RFC 8414 metadata at /.well-known/oauth-authorization-server/as, OpenID
// discovery at /.well-known/openid-configuration/as and /as/.well-known/openid-configuration):
// - authorization code grant only, PKCE S256 required (`plain` refused), `iss` in the
//   authorization response (RFC 9207);
// - RFC 8707 resource indicators: the only resource is RESOURCE_URL (a request without `resource`
//   gets it; any other value is `invalid_target`); access tokens are opaque, audience-bound to it,
//   and live --token-ttl seconds (default 3600);
// - refresh tokens for every client allowed the refresh_token grant (no offline_access needed),
//   rotated on every use; presenting a rotated (already used) refresh token is `invalid_grant`
//   AND revokes the whole grant, the new tokens included (oidc-provider's reuse detection);
// - RFC 7009 revocation (/as/token/revocation): revoking a refresh token revokes its grant, so the
//   access tokens of that grant stop working too; RFC 7662 introspection (/as/token/introspection);
//   PAR (RFC 9126, /as/request) is on as oidc-provider has it by default; DPoP is off (the MCP side
//   only checks bearer tokens);
// - RFC 7591 open dynamic client registration (/as/reg, no initial access token);
// - the clients of the command line: confidential, grants authorization_code + refresh_token,
//   token endpoint auth client_secret_basic unless --client-auth-method says otherwise;
// - with --cimd only: client ID metadata documents, and the metadata says so
//   (`client_id_metadata_document_supported: true`; without --cimd it does not, and a URL
//   client_id is unknown). A client_id that is a URL on a loopback host names the client by the
//   JSON document there, fetched when the client is first used:
//   - https://127.0.0.1:PORT/path: oidc-provider's experimental draft-02 support, the document
//     fetched over plain HTTP from that host and port (tests have no TLS);
//   - http://127.0.0.1:PORT/path (what mcpcp names itself by when its public URL is on
//     loopback): this file's adapter (`clientDocument`), held to the draft's rules but for the
//     scheme: one GET, no redirects, 200 only, at most 5 KiB, within 2 s; a JSON object whose
//     client_id is the URL exactly; no client_secret; token_endpoint_auth_method `none` (the
//     default) — public clients only; the metadata is then the client's, reused for the
//     document's Cache-Control max-age (at most 300 s, else 60 s);
// - scopes: mcp (what the protected resource metadata advertises), openid, profile, email,
//   offline_access;
// - accounts alice, bob and carol; any non-empty password.
// Its sign-in pages are this file's own (no external resources), made like mcpcp's so that
// browser_signin.mjs / browser_signin.py drive them unchanged:
//   login:   input#username, input#password, button "Sign in" (an unknown user comes back to the
//            login page with a role=alert message)
//   consent: button "Allow" (and "Deny", which answers access_denied); shown once per user and
//            client (the grant is remembered for the session of that browser)
//
// MCP server (/mcp): stateful Streamable HTTP (Mcp-Session-Id; GET streams and DELETE work), each
// session bound to the subject whose token created it. Every request needs a valid token:
// - none, or not a Bearer one: 401 `WWW-Authenticate: Bearer resource_metadata="<PRM URL>",
//   scope="mcp"`;
// - unknown, expired, revoked, or for another resource: 401 with error="invalid_token" too;
// - a valid token of another subject than the session's: 403 (JSON-RPC error -32003).
// Protected resource metadata (RFC 9728) at /.well-known/oauth-protected-resource/mcp (and the
// same document at /.well-known/oauth-protected-resource): resource = RESOURCE_URL,
// authorization_servers = [ISSUER], scopes_supported = ["mcp"].
// Tools: `whoami` -> text = the token's subject, structuredContent {sub, scope, client_id};
// `echo` {text} -> that text.
//
// Side API (never echoes tokens or Authorization headers):
//   GET  /_stats                 -> JSON (counts since start; see `stats` below):
//        token.served / token.refused {authorization_code, refresh_token}: token requests answered
//          200 / with an error, by grant type; token.errors {invalid_grant: n, ...} by error code;
//          token.subjects {alice: n}: tokens issued per user;
//        authorizations {issued, errors {code: n}}; registrations (DCR); metadata_document_fetches
//          (client ID metadata documents fetched, either way, answered or not); revocations
//          (RFC 7009, 200s); grants_revoked (by revocation or refresh token reuse); revoke_all {sub: n};
//        mcp.requests {alice: n}: requests let through; mcp.unauthorized: 401s; mcp.forbidden:
//          403s; mcp.sessions_created {alice: n}; mcp.sessions_open.
//   POST /_revoke-all?sub=alice  -> deletes alice's grants, access, refresh tokens, codes and AS
//                                   sessions: her next refresh is invalid_grant, her tokens get
//                                   401 and her next authorization asks for login again.
//                                   Answers the counts deleted.
//   POST /_clients               -> JSON body {client_id, client_secret?, redirect_uris,
//                                   token_endpoint_auth_method?}: adds (or replaces) a client
//                                   once ports are known; 201 with the client's metadata.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Provider, { errors } from 'oidc-provider';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const log = (...args) => console.error('oauth-upstream:', ...args);

// ---- command line -----------------------------------------------------------------------------

function usage(message) {
  console.error(`oauth_upstream.mjs: ${message}`);
  console.error(
    'usage: node oauth_upstream.mjs [--token-ttl SECONDS] ' +
      '[--cimd] [--client-id ID --client-secret SECRET --redirect-uri URI [--redirect-uri URI]... [--client-auth-method M]]...',
  );
  process.exit(2);
}

let tokenTtl = 3600;
let cimd = false;
const staticClients = [];
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--cimd') {
      cimd = true;
      i -= 1; // a flag without a value
      continue;
    }
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${flag} needs a value`);
    const current = staticClients.at(-1);
    if (!['--token-ttl', '--client-id', '--client-secret', '--redirect-uri', '--client-auth-method'].includes(flag)) {
      usage(`unknown option ${flag}`);
    } else if (flag === '--token-ttl') {
      tokenTtl = Number(value);
      if (!Number.isInteger(tokenTtl) || tokenTtl < 1) usage(`--token-ttl ${value}: not a positive integer`);
    } else if (flag === '--client-id') {
      staticClients.push({
        client_id: value,
        redirect_uris: [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
    } else if (!current) {
      usage(`${flag} must follow a --client-id`);
    } else if (flag === '--client-secret') {
      current.client_secret = value;
    } else if (flag === '--redirect-uri') {
      current.redirect_uris.push(value);
    } else {
      current.token_endpoint_auth_method = value;
    }
  }
  for (const client of staticClients) {
    if (!client.client_secret) usage(`client ${client.client_id} has no --client-secret`);
    if (!client.redirect_uris.length) usage(`client ${client.client_id} has no --redirect-uri`);
  }
}

// ---- counters (GET /_stats) -------------------------------------------------------------------

const bump = (object, key, by = 1) => {
  object[key] = (object[key] ?? 0) + by;
};
const stats = {
  token: {
    // Token requests answered 200, by grant_type.
    served: { authorization_code: 0, refresh_token: 0 },
    // Token requests answered with an error, by grant_type, and by error code.
    refused: { authorization_code: 0, refresh_token: 0 },
    errors: {},
    // Tokens issued by subject (both grant types).
    subjects: {},
  },
  authorizations: { issued: 0, errors: {} },
  registrations: 0,
  metadata_document_fetches: 0,
  revocations: 0, // RFC 7009 requests answered 200
  grants_revoked: 0, // by revocation, refresh token reuse (not /_revoke-all)
  mcp: {
    // Requests let through, by subject.
    requests: {},
    unauthorized: 0, // 401: no, bad, expired, revoked or foreign token
    forbidden: 0, // 403: a session of another subject
    sessions_created: {},
    sessions_open: 0,
  },
  revoke_all: {},
};

// ---- storage: an in-memory oidc-provider adapter the side API can search --------------------

/** model name -> Map(id -> { payload, expiresAt (ms, or Infinity) }) */
const stores = new Map();
const storeOf = (model) => {
  if (!stores.has(model)) stores.set(model, new Map());
  return stores.get(model);
};
const GRANTABLE = ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'];

class Adapter {
  constructor(model) {
    this.model = model;
    this.store = storeOf(model);
  }
  get(id) {
    const entry = this.store.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.store.delete(id);
      return undefined;
    }
    return entry.payload;
  }
  async upsert(id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    this.store.set(id, { payload, expiresAt });
  }
  async find(id) {
    const found = this.get(id);
    if (found || this.model !== 'Client' || !cimd || !isLoopbackHttpUrl(id)) return found;
    return clientDocument(id);
  }
  async findByUid(uid) {
    for (const [id, { payload }] of this.store) if (payload.uid === uid) return this.get(id);
    return undefined;
  }
  async findByUserCode(userCode) {
    for (const [id, { payload }] of this.store) if (payload.userCode === userCode) return this.get(id);
    return undefined;
  }
  async consume(id) {
    const payload = this.get(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    this.store.delete(id);
  }
  async revokeByGrantId(grantId) {
    for (const model of GRANTABLE) {
      const store = storeOf(model);
      for (const [id, { payload }] of store) if (payload.grantId === grantId) store.delete(id);
    }
  }
}

// ---- client ID metadata documents on http://LOOPBACK (with --cimd) -----------------------------

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DOCUMENT_MAX_BYTES = 5 * 1024;
const DOCUMENT_TIMEOUT_MS = 2000;
/** URL -> { metadata, expiresAt (ms) } */
const documents = new Map();

/** Whether `id` is an http URL on a loopback host with a path, in normal form. */
function isLoopbackHttpUrl(id) {
  const url = URL.parse(id);
  return (
    url?.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    url.href === id &&
    url.pathname !== '/' &&
    !url.hash &&
    !url.username &&
    !url.password
  );
}

/** The client the document at `id` describes, or undefined (why is logged): see the header. */
async function clientDocument(id) {
  const cached = documents.get(id);
  if (cached && cached.expiresAt > Date.now()) return cached.metadata;
  documents.delete(id);
  stats.metadata_document_fetches++;
  const refuse = (why) => {
    log(`client ID metadata document ${id} refused: ${why}`);
    return undefined;
  };
  let response;
  let text = '';
  try {
    // The timeout covers the body too.
    response = await globalThis.fetch(id, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(DOCUMENT_TIMEOUT_MS),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return refuse(`HTTP ${response.status}`);
    }
    let size = 0;
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > DOCUMENT_MAX_BYTES) return refuse(`larger than ${DOCUMENT_MAX_BYTES} bytes`); // cancels the body
      text += decoder.decode(chunk, { stream: true });
    }
    text += decoder.decode();
  } catch (error) {
    return refuse(error?.name === 'TimeoutError' ? `no answer within ${DOCUMENT_TIMEOUT_MS} ms` : String(error));
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    return refuse('not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return refuse('not a JSON object');
  if (document.client_id !== id) return refuse(`its client_id ${JSON.stringify(document.client_id)} is not the URL`);
  if ('client_secret' in document || 'client_secret_expires_at' in document) return refuse('it has a client_secret');
  const method = document.token_endpoint_auth_method ?? 'none';
  if (method !== 'none') return refuse(`token_endpoint_auth_method ${method}: public clients only`);
  if (!Array.isArray(document.redirect_uris) || !document.redirect_uris.length) return refuse('no redirect_uris');
  const metadata = { ...document, token_endpoint_auth_method: 'none' };
  const maxAge = /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(response.headers.get('cache-control') ?? '');
  const seconds = maxAge ? Math.min(Number(maxAge[1]), 300) : 60;
  documents.set(id, { metadata, expiresAt: Date.now() + seconds * 1000 });
  log(`client ID metadata document ${id}: ${document.client_name ?? '(no name)'}`);
  return metadata;
}

// Drop what expired, now and then (tokens of a long test run).
setInterval(() => {
  const now = Date.now();
  for (const store of stores.values()) for (const [id, { expiresAt }] of store) if (expiresAt <= now) store.delete(id);
}, 30_000).unref();

/** Deletes everything of `sub` at the AS: grants, tokens, codes, sessions. Returns the counts. */
function revokeSubject(sub) {
  const counts = {};
  const grantIds = new Set();
  for (const [model, store] of stores) {
    if (model === 'Client' || model === 'Interaction') continue;
    for (const [id, { payload }] of store) {
      if (payload.accountId === sub) {
        if (payload.grantId) grantIds.add(payload.grantId);
        if (model === 'Grant') grantIds.add(id);
        store.delete(id);
        bump(counts, model);
      }
    }
  }
  // Anything else hanging off those grants (there should be nothing).
  for (const model of GRANTABLE) {
    const store = storeOf(model);
    for (const [id, { payload }] of store) {
      if (grantIds.has(payload.grantId)) {
        store.delete(id);
        bump(counts, model);
      }
    }
  }
  return counts;
}

// ---- accounts ---------------------------------------------------------------------------------

const ACCOUNTS = {
  alice: { name: 'Alice Upstream', email: 'alice@upstream.test' },
  bob: { name: 'Bob Upstream', email: 'bob@upstream.test' },
  carol: { name: 'Carol Upstream', email: 'carol@upstream.test' },
};

// ---- the listener: bind first, the URLs name the port ----------------------------------------

let route = (_req, res) => res.writeHead(503).end();
const server = http.createServer((req, res) => {
  Promise.resolve(route(req, res)).catch((error) => {
    log('request failed:', req.method, req.url, error);
    if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    else res.end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const ORIGIN = `http://127.0.0.1:${port}`;
const AS_PATH = '/as';
const ISSUER = `${ORIGIN}${AS_PATH}`;
const MCP_PATH = '/mcp';
const RESOURCE = `${ORIGIN}${MCP_PATH}`;
const PRM_URL = `${ORIGIN}/.well-known/oauth-protected-resource${MCP_PATH}`;
const SCOPES = ['mcp'];

// ---- the authorization server -----------------------------------------------------------------

const provider = new Provider(ISSUER, {
  adapter: Adapter,
  clients: staticClients,
  scopes: ['openid', 'offline_access', 'profile', 'email', ...SCOPES],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  responseTypes: ['code'],
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: ['mcpcp-interop-oauth-upstream-cookie-key'] },
  ttl: {
    AccessToken: tokenTtl,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 86400,
    Grant: 14 * 86400,
    RefreshToken: 14 * 86400,
    IdToken: 3600,
  },
  interactions: { url: (_ctx, interaction) => `${AS_PATH}/interaction/${interaction.uid}` },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: false },
    dPoP: { enabled: false }, // the MCP side checks bearer tokens only
    registration: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
    // https URLs (see the header); http ones are the adapter's, and only with --cimd either way.
    clientIdMetadataDocument: { enabled: cimd, ack: 'draft-02' },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, indicator) {
        if (indicator !== RESOURCE) throw new errors.InvalidTarget(`unknown resource ${indicator}; the only one is ${RESOURCE}`);
        return { scope: SCOPES.join(' '), audience: RESOURCE, accessTokenTTL: tokenTtl, accessTokenFormat: 'opaque' };
      },
    },
  },
  // Only loopback: client ID metadata documents (https://127.0.0.1:PORT/... fetched over http).
  async fetch(url, options) {
    const target = new URL(url);
    if (!LOOPBACK_HOSTS.has(target.hostname)) throw new Error(`oauth-upstream fetches only loopback URLs, not ${target.host}`);
    stats.metadata_document_fetches++; // the only thing the provider fetches
    if (target.protocol === 'https:') target.protocol = 'http:';
    const { dispatcher: _ssrfGuard, ...rest } = options; // its guard refuses loopback addresses
    return globalThis.fetch(target, rest);
  },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});
provider.on('server_error', (_ctx, error) => log('AS server_error', error));
provider.on('grant.success', (ctx) => {
  const grant = ctx.oidc.params?.grant_type;
  bump(stats.token.served, grant);
  const sub = ctx.oidc.entities.AccessToken?.accountId ?? ctx.oidc.entities.Account?.accountId;
  if (sub) bump(stats.token.subjects, sub);
});
provider.on('grant.error', (ctx, error) => {
  bump(stats.token.refused, ctx.oidc?.params?.grant_type ?? 'unknown');
  bump(stats.token.errors, error.error ?? 'unknown');
  log(`token request refused: ${ctx.oidc?.params?.grant_type}: ${error.error} (${error.error_detail ?? error.error_description})`);
});
provider.on('authorization.success', () => bump(stats.authorizations, 'issued'));
provider.on('authorization.error', (_ctx, error) => {
  bump(stats.authorizations.errors, error.error ?? 'unknown');
  log(`authorization refused: ${error.error} (${error.error_detail ?? error.error_description})`);
});
provider.on('registration_create.success', () => stats.registrations++);
provider.on('grant.revoked', () => stats.grants_revoked++);
const asCallback = provider.callback();

/** Hands a request to oidc-provider as if it were mounted at /as and asked for `path`. */
function toProvider(req, res, path) {
  req.originalUrl = `${AS_PATH}${path}`;
  req.url = path;
  return asCallback(req, res);
}

// ---- sign-in pages ----------------------------------------------------------------------------

const escapeHtml = (value) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(res, title, body) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`);
}

function loginPage(res, uid, client, alert) {
  page(
    res,
    'Sign in to the upstream',
    `${alert ? `<p role="alert">${escapeHtml(alert)}</p>` : ''}
<p>${escapeHtml(client?.clientName ?? client?.clientId ?? 'A client')} wants you to sign in (users: alice, bob, carol; any password).</p>
<form method="post" action="${AS_PATH}/interaction/${escapeHtml(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

function consentPage(res, uid, client, details, accountId) {
  const scopes = [
    ...new Set([...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()]),
  ];
  page(
    res,
    'Allow access to the upstream',
    `<p>Signed in as <b>${escapeHtml(accountId)}</b>.</p>
<p>${escapeHtml(client?.clientName ?? client?.clientId)} asks for: ${escapeHtml(scopes.join(' ') || '(no scope)')}
on ${escapeHtml(Object.keys(details.missingResourceScopes ?? {}).join(' ') || RESOURCE)}.</p>
<form method="post" action="${AS_PATH}/interaction/${escapeHtml(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="${AS_PATH}/interaction/${escapeHtml(uid)}/abort"><button type="submit">Deny</button></form>`,
  );
}

async function readBody(req, limit = 1 << 20) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GET /as/interaction/:uid and the POSTs of its forms. */
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 'Sign-in expired', '<p>Start again from the client.</p>');
  const client = await provider.Client.find(details.params.client_id);
  const { prompt } = details;
  if (req.method === 'GET' && action === undefined) {
    if (prompt.name === 'login') return loginPage(res, uid, client);
    if (prompt.name === 'consent') return consentPage(res, uid, client, prompt.details, details.session?.accountId);
    return page(res, 'Unexpected prompt', `<p>${escapeHtml(prompt.name)}</p>`);
  }
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
  const form = new URLSearchParams(await readBody(req));
  if (action === 'login' && prompt.name === 'login') {
    const accountId = form.get('username') ?? '';
    if (!ACCOUNTS[accountId] || !form.get('password')) {
      return loginPage(res, uid, client, `Unknown user "${accountId}" or empty password.`);
    }
    log(`signed in: ${accountId}`);
    return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm' && prompt.name === 'consent') {
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  if (action === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user denied access' },
      { mergeWithLastSubmission: false },
    );
  }
  return page(res, 'Unexpected form', `<p>${escapeHtml(action)} during ${escapeHtml(prompt.name)}</p>`);
}

// ---- the MCP server ---------------------------------------------------------------------------

const TOOLS = [
  {
    name: 'whoami',
    description: "The subject (user) of the access token of this request",
    inputSchema: { type: 'object', properties: {} },
    outputSchema: {
      type: 'object',
      properties: { sub: { type: 'string' }, scope: { type: 'string' }, client_id: { type: 'string' } },
      required: ['sub', 'scope', 'client_id'],
    },
  },
  {
    name: 'echo',
    description: 'Returns its text',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
];

function newMcpServer() {
  const mcp = new Server({ name: 'mcpcp-oauth-upstream', version: '1.0.0' }, { capabilities: { tools: {} } });
  mcp.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  mcp.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    if (name === 'whoami') {
      const { sub } = extra.authInfo.extra;
      const who = { sub, scope: extra.authInfo.scopes.join(' '), client_id: extra.authInfo.clientId };
      return { content: [{ type: 'text', text: sub }], structuredContent: who };
    }
    if (name === 'echo') {
      if (typeof args.text !== 'string') return { content: [{ type: 'text', text: 'echo: text must be a string' }], isError: true };
      return { content: [{ type: 'text', text: args.text }] };
    }
    return { content: [{ type: 'text', text: `unknown tool ${name}` }], isError: true };
  });
  return mcp;
}

/** Mcp-Session-Id -> { transport, sub } */
const sessions = new Map();

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const rpcError = (res, status, code, message, headers) =>
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);

/** The request's bearer token checked against the AS: { auth } or { status, error, description }. */
async function authenticate(req) {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(req.headers.authorization ?? '');
  if (!match) return { error: undefined, description: 'no bearer token' };
  const token = await provider.AccessToken.find(match[1]);
  if (!token) return { error: 'invalid_token', description: 'the access token is unknown, expired or revoked' };
  if (![token.aud].flat().includes(RESOURCE)) {
    return { error: 'invalid_token', description: `the access token is not for ${RESOURCE}` };
  }
  const scopes = token.scope ? token.scope.split(' ') : [];
  return {
    auth: {
      token: match[1],
      clientId: token.clientId,
      scopes,
      expiresAt: token.exp,
      resource: new URL(RESOURCE),
      extra: { sub: token.accountId },
    },
  };
}

async function mcpEndpoint(req, res) {
  const { auth, error, description } = await authenticate(req);
  if (!auth) {
    stats.mcp.unauthorized++;
    log(`mcp 401: ${description}`);
    let challenge = `Bearer resource_metadata="${PRM_URL}", scope="${SCOPES.join(' ')}"`;
    if (error) challenge += `, error="${error}", error_description="${description}"`;
    return sendJson(res, 401, { error: error ?? 'unauthorized', error_description: description }, { 'www-authenticate': challenge });
  }
  const sub = auth.extra.sub;
  req.auth = auth;

  let body;
  if (req.method === 'POST') {
    try {
      body = JSON.parse(await readBody(req, 4 << 20));
    } catch {
      return rpcError(res, 400, -32700, 'Parse error');
    }
  }
  const sessionId = req.headers['mcp-session-id'];
  let session = sessionId === undefined ? undefined : sessions.get(sessionId);
  if (sessionId !== undefined && !session) return rpcError(res, 404, -32001, 'Session not found');
  if (session && session.sub !== sub) {
    stats.mcp.forbidden++;
    log(`mcp 403: ${sub} on a session of ${session.sub}`);
    return rpcError(res, 403, -32003, 'this session belongs to another user');
  }
  if (!session) {
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        stats.mcp.sessions_open = sessions.size;
        bump(stats.mcp.sessions_created, sub);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        stats.mcp.sessions_open = sessions.size;
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      stats.mcp.sessions_open = sessions.size;
    };
    session = { transport, sub };
    await newMcpServer().connect(transport);
  }
  bump(stats.mcp.requests, sub);
  await session.transport.handleRequest(req, res, body);
}

// ---- routing ----------------------------------------------------------------------------------

const protectedResourceMetadata = {
  resource: RESOURCE,
  authorization_servers: [ISSUER],
  scopes_supported: SCOPES,
  bearer_methods_supported: ['header'],
  resource_name: 'mcpcp interop OAuth upstream',
};

/** POST /_clients: adds or replaces a client, as the command line's. */
async function addClient(req, res) {
  let metadata;
  try {
    metadata = JSON.parse(await readBody(req));
  } catch {
    return sendJson(res, 400, { error: 'invalid JSON' });
  }
  if (typeof metadata?.client_id !== 'string' || !Array.isArray(metadata.redirect_uris)) {
    return sendJson(res, 400, { error: 'client_id and redirect_uris are required' });
  }
  const client = {
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: metadata.client_secret ? 'client_secret_basic' : 'none',
    ...metadata,
  };
  try {
    // Validates the metadata the way registration does; the adapter keeps it.
    await provider.Client.validate(client);
  } catch (error) {
    return sendJson(res, 400, { error: error.error ?? 'invalid_client_metadata', error_description: error.error_description ?? String(error) });
  }
  await new Adapter('Client').upsert(client.client_id, client);
  log(`client added: ${client.client_id}`);
  return sendJson(res, 201, client);
}

route = async (req, res) => {
  const url = new URL(req.url, ORIGIN);
  const path = url.pathname;
  if (path === MCP_PATH) return mcpEndpoint(req, res);
  if (path === '/.well-known/oauth-protected-resource' || path === `/.well-known/oauth-protected-resource${MCP_PATH}`) {
    return sendJson(res, 200, protectedResourceMetadata);
  }
  // RFC 8414 / OpenID discovery with the issuer's path inserted after the well-known prefix.
  if (path === `/.well-known/oauth-authorization-server${AS_PATH}`) {
    return toProvider(req, res, '/.well-known/oauth-authorization-server');
  }
  if (path === `/.well-known/openid-configuration${AS_PATH}`) {
    return toProvider(req, res, '/.well-known/openid-configuration');
  }
  const step = new RegExp(`^${AS_PATH}/interaction/([A-Za-z0-9_-]+)(?:/(login|confirm|abort))?$`).exec(path);
  if (step) return interaction(req, res, step[1], step[2]);
  if (path === AS_PATH || path.startsWith(`${AS_PATH}/`)) {
    if (path === `${AS_PATH}/token/revocation`) res.once('finish', () => res.statusCode === 200 && stats.revocations++);
    return toProvider(req, res, req.url.slice(AS_PATH.length) || '/');
  }
  if (path === '/_stats' && req.method === 'GET') return sendJson(res, 200, stats);
  if (path === '/_revoke-all' && req.method === 'POST') {
    const sub = url.searchParams.get('sub');
    if (!sub) return sendJson(res, 400, { error: 'sub is required' });
    const revoked = revokeSubject(sub);
    bump(stats.revoke_all, sub);
    log(`revoked everything of ${sub}:`, JSON.stringify(revoked));
    return sendJson(res, 200, { sub, revoked });
  }
  if (path === '/_clients' && req.method === 'POST') return addClient(req, res);
  return sendJson(res, 404, { error: 'not found' });
};

const stop = (signal) => {
  log(`${signal}: exiting`);
  for (const { transport } of sessions.values()) transport.close().catch(() => {});
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

log(`token ttl ${tokenTtl}s; client ID metadata documents ${cimd ? 'on' : 'off'}; clients: ${staticClients.map((c) => c.client_id).join(', ') || '(none)'}`);
console.log(`ready ${RESOURCE} ${ISSUER}`);

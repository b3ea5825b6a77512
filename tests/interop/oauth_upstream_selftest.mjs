// Self-test of oauth_upstream.mjs, without mcpcp: the TypeScript SDK 1.x client (an
// `authProvider` on StreamableHTTPClientTransport) and plain fetch play the MCP client, headless
// Chromium (browser_signin.mjs: /usr/bin/chromium through playwright-core) the user.
//
//   node oauth_upstream_selftest.mjs
//
// Starts the fixture twice: once with the default token lifetime, --cimd and a command-line
// confidential client, once with --token-ttl 2 (and no --cimd). Checks discovery (401 ->
// protected resource metadata -> AS metadata), dynamic client registration, PKCE, RFC 9207 iss,
// whoami for alice and bob, sessions bound to their user, refresh rotation and reuse detection,
// expiry, RFC 7009 revocation, /_revoke-all, the command-line client, a client added through
// /_clients, client ID metadata documents (an https URL through the SDK, an http one by hand, and
// documents refused: another client_id, too large, too slow; none without --cimd), concurrent
// sessions, /_stats and SIGTERM.
// Prints one `PASS name` or `FAIL name: why` line per assertion; exits 1 if any failed.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Callback, launch, signIn } from './browser_signin.mjs';

const FIXTURE = fileURLToPath(new URL('./oauth_upstream.mjs', import.meta.url));
const READY_TIMEOUT = 20_000;
let failures = 0;

/** Records one assertion. */
function check(name, ok, detail) {
  if (ok) {
    console.log(`PASS oauth-upstream: ${name}`);
  } else {
    failures += 1;
    console.log(`FAIL oauth-upstream: ${name}: ${JSON.stringify(detail)}`);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const textOf = (result) =>
  (result?.content ?? []).filter((block) => block.type === 'text').map((block) => block.text).join('');

/** Starts the fixture: { proc, resource, issuer, origin, stop() }. */
async function startFixture(args, name) {
  const proc = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  createInterface({ input: proc.stderr }).on('line', (line) => {
    stderr.push(line);
    if (process.env.VERBOSE) console.error(`[${name}] ${line}`);
  });
  const lines = createInterface({ input: proc.stdout });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no ready line; stderr: ${stderr.join('\n')}`)), READY_TIMEOUT);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`${name} exited ${code}; stderr: ${stderr.join('\n')}`)));
  });
  const [word, resource, issuer] = ready.split(' ');
  if (word !== 'ready' || !resource || !issuer) throw new Error(`${name}: unexpected first line ${ready}`);
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    resource,
    issuer,
    origin: new URL(resource).origin,
    stderr,
    exited,
    stats: async () => (await fetch(`${new URL(resource).origin}/_stats`)).json(),
  };
}

/** Every request the SDK made, through the transport's `fetch`. */
function makeLog() {
  const log = [];
  async function loggingFetch(input, init = {}) {
    const request = new Request(input, init);
    const body = init.body === undefined || init.body === null ? '' : String(init.body);
    const entry = {
      method: request.method,
      path: new URL(request.url).pathname,
      form: request.headers.get('content-type')?.includes('x-www-form-urlencoded')
        ? Object.fromEntries(new URLSearchParams(body))
        : {},
    };
    log.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    entry.wwwAuthenticate = response.headers.get('www-authenticate') ?? '';
    return response;
  }
  return { log, fetch: loggingFetch };
}

/** An in-memory OAuthClientProvider whose redirect goes to headless Chromium as `user`. */
class AuthProvider {
  constructor(browser, callback, user, { clientMetadataUrl } = {}) {
    Object.assign(this, { browser, callback, user, clientMetadataUrl });
    this.client = undefined;
    this.stored = undefined;
    this.verifier = undefined;
    this.states = [];
    this.authorizationUrls = [];
    this.signIns = [];
  }
  get redirectUrl() {
    return this.callback.uri;
  }
  get clientMetadata() {
    return {
      client_name: `oauth-upstream selftest (${this.user})`,
      redirect_uris: [this.callback.uri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    const state = randomBytes(16).toString('base64url');
    this.states.push(state);
    return state;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens) {
    this.stored = tokens;
  }
  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'tokens') this.stored = undefined;
    if (scope === 'all' || scope === 'client') this.client = undefined;
  }
  async redirectToAuthorization(authorizationUrl) {
    this.authorizationUrls.push(authorizationUrl.href);
    this.signIns.push(await signIn(this.browser, authorizationUrl.href, this.callback.uri, this.user, 'any password'));
  }
  saveCodeVerifier(verifier) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/**
 * The whole SDK sign-in: connect (401 -> discovery -> registration -> browser), finishAuth with
 * the code, connect again. Returns { client, provider, log, back (callback params) }.
 */
async function sdkSignIn(fixture, browser, callback, user, options) {
  const provider = new AuthProvider(browser, callback, user, options);
  const { log, fetch: loggingFetch } = makeLog();
  const transport = () => new StreamableHTTPClientTransport(new URL(fixture.resource), { authProvider: provider, fetch: loggingFetch });
  let client = new Client({ name: 'oauth-upstream-selftest', version: '1.0.0' });
  let threw;
  try {
    await client.connect(transport());
  } catch (error) {
    threw = error;
  }
  if (!(threw instanceof UnauthorizedError)) throw new Error(`connect without a token: ${threw}`);
  const back = new URL(await callback.next()).searchParams;
  await transport().finishAuth(back.get('code'));
  client = new Client({ name: 'oauth-upstream-selftest', version: '1.0.0' });
  await client.connect(transport());
  return { client, provider, log, back };
}

const form = (fields) => new URLSearchParams(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));

/** POST to the token endpoint: { status, body }. */
async function tokenRequest(fixture, fields, basic) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const response = await fetch(`${fixture.issuer}/token`, { method: 'POST', headers, body: form(fields) });
  return { status: response.status, body: await response.json() };
}

const refresh = (fixture, clientId, refreshToken) =>
  tokenRequest(fixture, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, resource: fixture.resource });

/** One MCP request with a given bearer token (no session): the HTTP status and challenge. */
/** Polls until the fixture refuses `token` (401), for at most 10 s; returns that answer. */
async function untilRefused(fixture, token) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const raw = await rawMcp(fixture, token);
    if (raw.status === 401 || Date.now() > deadline) return raw;
    await sleep(50);
  }
}

async function rawMcp(fixture, token) {
  const response = await fetch(fixture.resource, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '', session: response.headers.get('mcp-session-id') };
}

/** An SDK client with a fixed access token (no authProvider). */
async function tokenClient(fixture, token) {
  const client = new Client({ name: 'oauth-upstream-selftest-static', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(fixture.resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

async function whoami(client) {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  return { text: textOf(result), structured: result.structuredContent, isError: result.isError };
}

// ---- the checks -------------------------------------------------------------------------------

async function mainFixture(browser, callback) {
  const confSecret = randomBytes(12).toString('hex');
  const fixture = await startFixture(
    ['--cimd', '--client-id', 'conf-client', '--client-secret', confSecret, '--redirect-uri', callback.uri],
    'fixture',
  );
  const { resource, issuer, origin } = fixture;
  try {
    check('ready line: RESOURCE_URL ISSUER on one loopback port', resource === `${origin}/mcp` && issuer === `${origin}/as`, { resource, issuer });

    // Discovery by hand.
    let raw = await rawMcp(fixture);
    const prmUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
    check(
      '401 without a token, WWW-Authenticate names the resource metadata (RFC 9728 §5.1)',
      raw.status === 401 && raw.challenge.startsWith(`Bearer resource_metadata="${prmUrl}"`) && !raw.challenge.includes('error='),
      raw,
    );
    raw = await rawMcp(fixture, 'not-a-token');
    check('401 error="invalid_token" with an unknown token', raw.status === 401 && raw.challenge.includes('error="invalid_token"'), raw);
    const prm = await (await fetch(prmUrl)).json();
    const prmRoot = await (await fetch(`${origin}/.well-known/oauth-protected-resource`)).json();
    check(
      'protected resource metadata: resource, authorization_servers, scopes (path-inserted and root)',
      prm.resource === resource && prm.authorization_servers?.[0] === issuer && prm.scopes_supported?.includes('mcp') && prmRoot.resource === resource,
      prm,
    );
    const asMeta = await (await fetch(`${origin}/.well-known/oauth-authorization-server/as`)).json();
    const oidcMeta = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    check(
      'RFC 8414 metadata (path-inserted): issuer, S256 only, iss parameter, registration, revocation, CIMD',
      asMeta.issuer === issuer &&
        asMeta.code_challenge_methods_supported?.join() === 'S256' &&
        asMeta.authorization_response_iss_parameter_supported === true &&
        asMeta.registration_endpoint === `${issuer}/reg` &&
        asMeta.revocation_endpoint === `${issuer}/token/revocation` &&
        asMeta.client_id_metadata_document_supported === true &&
        asMeta.response_types_supported?.join() === 'code' &&
        oidcMeta.issuer === issuer,
      asMeta,
    );

    // alice through the SDK.
    const alice = await sdkSignIn(fixture, browser, callback, 'alice');
    const steps = alice.log.map((e) => `${e.method} ${e.path} ${e.status}`);
    check(
      'SDK: 401 -> PRM -> AS metadata -> DCR (201) -> token',
      steps[0] === 'POST /mcp 401' &&
        steps.includes('GET /.well-known/oauth-protected-resource/mcp 200') &&
        steps.includes('GET /.well-known/oauth-authorization-server/as 200') &&
        steps.includes('POST /as/reg 201') &&
        steps.includes('POST /as/token 200'),
      steps,
    );
    const auth = new URL(alice.provider.authorizationUrls[0]).searchParams;
    check(
      'authorization request: code, S256, state, resource, scope mcp',
      auth.get('response_type') === 'code' &&
        auth.get('code_challenge_method') === 'S256' &&
        auth.get('resource') === resource &&
        auth.get('scope') === 'mcp' &&
        auth.get('state') === alice.provider.states[0],
      Object.fromEntries(auth),
    );
    check('Chromium: login page, then consent page', alice.provider.signIns[0]?.pages?.join() === 'login,consent', alice.provider.signIns[0]);
    check(
      'authorization response carries code, state and iss (RFC 9207)',
      !!alice.back.get('code') && alice.back.get('state') === alice.provider.states[0] && alice.back.get('iss') === issuer,
      Object.fromEntries(alice.back),
    );
    const exchange = alice.log.find((e) => e.path === '/as/token');
    check(
      'code exchange sent code_verifier and resource; got access and refresh token',
      exchange?.form.code_verifier?.length >= 43 &&
        exchange.form.resource === resource &&
        !!alice.provider.stored?.access_token &&
        !!alice.provider.stored?.refresh_token &&
        alice.provider.stored.expires_in > 3500,
      { form: exchange?.form && Object.keys(exchange.form), tokens: alice.provider.stored && Object.keys(alice.provider.stored) },
    );
    const tools = (await alice.client.listTools()).tools.map((t) => t.name).sort();
    check('tools/list: echo, whoami', tools.join() === 'echo,whoami', tools);
    let who = await whoami(alice.client);
    check(
      'whoami = alice, structuredContent {sub, scope, client_id}',
      who.text === 'alice' &&
        who.structured?.sub === 'alice' &&
        who.structured.scope === 'mcp' &&
        who.structured.client_id === alice.provider.client.client_id,
      who,
    );
    const echo = await alice.client.callTool({ name: 'echo', arguments: { text: 'hello upstream' } });
    check('echo', textOf(echo) === 'hello upstream', echo);

    // bob, another registration, another browser context.
    const bob = await sdkSignIn(fixture, browser, callback, 'bob');
    who = await whoami(bob.client);
    check('whoami = bob', who.text === 'bob' && who.structured?.sub === 'bob', who);
    check('bob registered his own client', bob.provider.client.client_id !== alice.provider.client.client_id, [bob.provider.client.client_id]);

    // A session belongs to the user who opened it.
    const aliceSession = alice.client.transport.sessionId;
    const foreign = await fetch(resource, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${bob.provider.stored.access_token}`,
        'mcp-session-id': aliceSession,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    check("bob's token on alice's session: 403", foreign.status === 403, foreign.status);

    // An access token is bound to the resource: one for another resource is refused at the AS.
    const wrong = await tokenRequest(fixture, {
      grant_type: 'refresh_token',
      client_id: bob.provider.client.client_id,
      refresh_token: bob.provider.stored.refresh_token,
      resource: `${origin}/other`,
    });
    check('refresh for another resource: invalid_target (RFC 8707)', wrong.status === 400 && wrong.body.error === 'invalid_target', wrong);

    // Refresh with rotation (alice's tokens, by hand).
    const aliceClientId = alice.provider.client.client_id;
    const rt1 = alice.provider.stored.refresh_token;
    const r1 = await refresh(fixture, aliceClientId, rt1);
    check(
      'refresh: 200, new access token, new refresh token (rotation)',
      r1.status === 200 && r1.body.refresh_token && r1.body.refresh_token !== rt1 && r1.body.access_token !== alice.provider.stored.access_token,
      { status: r1.status, keys: Object.keys(r1.body) },
    );
    let staticClient = await tokenClient(fixture, r1.body.access_token);
    who = await whoami(staticClient);
    check('the refreshed access token works: whoami = alice', who.text === 'alice', who);
    await staticClient.close();
    const reuse = await refresh(fixture, aliceClientId, rt1);
    check('the rotated (old) refresh token: invalid_grant', reuse.status === 400 && reuse.body.error === 'invalid_grant', reuse);
    const after = await refresh(fixture, aliceClientId, r1.body.refresh_token);
    check(
      'reuse detection revoked the grant: the newest refresh token is invalid_grant too',
      after.status === 400 && after.body.error === 'invalid_grant',
      after,
    );
    raw = await rawMcp(fixture, r1.body.access_token);
    check('... and its access token gets 401 invalid_token', raw.status === 401 && raw.challenge.includes('invalid_token'), raw);

    // RFC 7009 revocation of bob's refresh token.
    const revoke = await fetch(`${issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ token: bob.provider.stored.refresh_token, token_type_hint: 'refresh_token', client_id: bob.provider.client.client_id }),
    });
    check('RFC 7009 revocation answers 200', revoke.status === 200, revoke.status);
    const revoked = await refresh(fixture, bob.provider.client.client_id, bob.provider.stored.refresh_token);
    check('a revoked refresh token: invalid_grant', revoked.status === 400 && revoked.body.error === 'invalid_grant', revoked);
    raw = await rawMcp(fixture, bob.provider.stored.access_token);
    check("revoking the refresh token revoked the grant's access token too: 401", raw.status === 401, raw);

    // The command-line confidential client, by hand: PKCE, browser (carol), client_secret_basic.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const authorize = new URL(`${issuer}/auth`);
    authorize.search = form({
      response_type: 'code',
      client_id: 'conf-client',
      redirect_uri: callback.uri,
      scope: 'mcp',
      resource,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    // Without PKCE: refused (the error goes to the redirect URI).
    const noPkce = new URL(authorize);
    noPkce.searchParams.delete('code_challenge');
    noPkce.searchParams.delete('code_challenge_method');
    const noPkceAnswer = await fetch(noPkce, { redirect: 'manual' });
    const noPkceBack = new URL(noPkceAnswer.headers.get('location') ?? 'http://x/').searchParams;
    check('authorization without PKCE: invalid_request', noPkceBack.get('error') === 'invalid_request', Object.fromEntries(noPkceBack));
    // An unknown user: the login page comes back with an alert.
    let unknown;
    try {
      await signIn(browser, authorize.href, callback.uri, 'mallory', 'pw');
    } catch (error) {
      unknown = String(error);
    }
    check('an unknown user gets the login page again with an alert', unknown?.includes('Unknown user "mallory"'), unknown);
    // Deny on the consent page: access_denied at the redirect URI.
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(authorize.href);
      await tab.locator('#username').fill('alice');
      await tab.locator('#password').fill('pw');
      await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
      await tab.getByRole('button', { name: 'Deny', exact: true }).click();
      const denied = new URL(await callback.next()).searchParams;
      check(
        'Deny on the consent page: error=access_denied, state and iss at the redirect URI',
        denied.get('error') === 'access_denied' && denied.get('state') === state && denied.get('iss') === issuer,
        Object.fromEntries(denied),
      );
    } finally {
      await context.close();
    }
    const carolSignIn = await signIn(browser, authorize.href, callback.uri, 'carol', 'pw');
    const carolBack = new URL(await callback.next()).searchParams;
    check('command-line client: carol signs in', carolSignIn.pages.join() === 'login,consent' && carolBack.get('state') === state, carolSignIn);
    const badSecret = await tokenRequest(
      fixture,
      { grant_type: 'authorization_code', code: carolBack.get('code'), redirect_uri: callback.uri, code_verifier: verifier, resource },
      ['conf-client', 'wrong'],
    );
    check('command-line client: a wrong secret is invalid_client', badSecret.status === 401 && badSecret.body.error === 'invalid_client', badSecret);
    const carolTokens = await tokenRequest(
      fixture,
      { grant_type: 'authorization_code', code: carolBack.get('code'), redirect_uri: callback.uri, code_verifier: verifier, resource },
      ['conf-client', confSecret],
    );
    check(
      'command-line client: code exchange with client_secret_basic',
      carolTokens.status === 200 && !!carolTokens.body.access_token && !!carolTokens.body.refresh_token,
      { status: carolTokens.status, body: carolTokens.status === 200 ? Object.keys(carolTokens.body) : carolTokens.body },
    );
    staticClient = await tokenClient(fixture, carolTokens.body.access_token);
    who = await whoami(staticClient);
    check('command-line client: whoami = carol, client_id conf-client', who.text === 'carol' && who.structured?.client_id === 'conf-client', who);
    await staticClient.close();
    const carolRefresh = await tokenRequest(
      fixture,
      { grant_type: 'refresh_token', refresh_token: carolTokens.body.refresh_token, resource },
      ['conf-client', confSecret],
    );
    check('command-line client: refresh', carolRefresh.status === 200 && carolRefresh.body.refresh_token !== carolTokens.body.refresh_token, carolRefresh.status);

    // A client added at run time (POST /_clients), client_secret_post.
    const added = await fetch(`${origin}/_clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'late-client',
        client_secret: 'late-secret',
        redirect_uris: [callback.uri],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    });
    check('POST /_clients: 201', added.status === 201, await added.text());
    const late = new URL(authorize);
    late.searchParams.set('client_id', 'late-client');
    await signIn(browser, late.href, callback.uri, 'bob', 'pw');
    const lateBack = new URL(await callback.next()).searchParams;
    const lateTokens = await tokenRequest(fixture, {
      grant_type: 'authorization_code',
      code: lateBack.get('code'),
      redirect_uri: callback.uri,
      code_verifier: verifier,
      resource,
      client_id: 'late-client',
      client_secret: 'late-secret',
    });
    check('client added through /_clients: code exchange (client_secret_post)', lateTokens.status === 200, lateTokens.body);

    // Client ID metadata documents, served over http on loopback: /client.json named by an https
    // URL (oidc-provider's own support), /http-client.json by an http URL (the fixture's), and
    // documents to refuse.
    let slow;
    const cimd = createServer((request, response) => {
      const path = new URL(request.url, 'http://x').pathname;
      if (path === '/slow.json') {
        slow = response; // never answered
        return;
      }
      const id = path === '/client.json' ? cimdUrl : `${cimdHttp}${path}`;
      const document = {
        client_id: path === '/other.json' ? `${cimdHttp}/client.json` : id,
        client_name: 'selftest CIMD client',
        redirect_uris: [callback.uri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
      if (path === '/big.json') document.padding = 'x'.repeat(6000);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(document));
    });
    await new Promise((resolve) => cimd.listen(0, '127.0.0.1', resolve));
    const cimdUrl = `https://127.0.0.1:${cimd.address().port}/client.json`;
    const cimdHttp = `http://127.0.0.1:${cimd.address().port}`;
    try {
      const fetchesBefore = (await fixture.stats()).metadata_document_fetches;
      const viaCimd = await sdkSignIn(fixture, browser, callback, 'carol', { clientMetadataUrl: cimdUrl });
      const cimdSteps = viaCimd.log.map((e) => `${e.method} ${e.path} ${e.status}`);
      who = await whoami(viaCimd.client);
      check(
        'client ID metadata document (https URL): no registration, client_id = the URL, whoami = carol',
        !cimdSteps.some((s) => s.startsWith('POST /as/reg')) && who.text === 'carol' && who.structured?.client_id === cimdUrl,
        { cimdSteps, who },
      );
      await viaCimd.client.close();

      // An http URL, by hand: sign-in, code exchange and refresh as a public client.
      const httpId = `${cimdHttp}/http-client.json`;
      const viaHttp = new URL(authorize);
      viaHttp.searchParams.set('client_id', httpId);
      await signIn(browser, viaHttp.href, callback.uri, 'bob', 'pw');
      const httpBack = new URL(await callback.next()).searchParams;
      const httpTokens = await tokenRequest(fixture, {
        grant_type: 'authorization_code',
        code: httpBack.get('code'),
        redirect_uri: callback.uri,
        code_verifier: verifier,
        resource,
        client_id: httpId,
      });
      check('client ID metadata document (http URL): code exchange as a public client', httpTokens.status === 200, httpTokens.body);
      staticClient = await tokenClient(fixture, httpTokens.body.access_token);
      who = await whoami(staticClient);
      check('client ID metadata document (http URL): whoami = bob, client_id = the URL', who.text === 'bob' && who.structured?.client_id === httpId, who);
      await staticClient.close();
      const httpRefresh = await refresh(fixture, httpId, httpTokens.body.refresh_token);
      check('client ID metadata document (http URL): refresh', httpRefresh.status === 200 && !!httpRefresh.body.refresh_token, httpRefresh.status);
      const fetched = (await fixture.stats()).metadata_document_fetches - fetchesBefore;
      check('both documents were fetched, each once (then reused)', fetched === 2, { fetched });

      // Documents refused: the authorization request fails there (no redirect to the client).
      for (const [path, why] of [
        ['/other.json', 'whose client_id is another URL'],
        ['/big.json', 'larger than 5 KiB'],
        ['/slow.json', 'not answered within 2 s'],
      ]) {
        const refused = new URL(authorize);
        refused.searchParams.set('client_id', `${cimdHttp}${path}`);
        const answer = await fetch(refused, { redirect: 'manual' });
        const page = await answer.text();
        check(`a document ${why} is refused: invalid_client`, answer.status === 400 && page.includes('invalid_client'), { status: answer.status, page: page.slice(0, 300) });
      }
    } catch (error) {
      check('client ID metadata document sign-in', false, String(error?.stack ?? error));
    } finally {
      slow?.destroy();
      cimd.close();
    }

    // Many sessions at once, on carol's still valid access token.
    const carolToken = carolRefresh.body.access_token;
    const openBefore = (await fixture.stats()).mcp.sessions_open;
    const parallel = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const client = await tokenClient(fixture, carolToken);
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, j) => client.callTool({ name: 'echo', arguments: { text: `s${i}-c${j}` } })),
        );
        const me = await whoami(client);
        await client.transport.terminateSession(); // DELETE
        await client.close();
        return results.every((r, j) => textOf(r) === `s${i}-c${j}`) && me.text === 'carol';
      }),
    );
    check('12 concurrent sessions x 5 concurrent calls', parallel.every(Boolean), parallel);
    const openAfter = (await fixture.stats()).mcp.sessions_open;
    check('DELETE ended those 12 sessions', openAfter === openBefore, { openBefore, openAfter });

    // The counters, and no secrets in them.
    const stats = await fixture.stats();
    const statsText = JSON.stringify(stats);
    check(
      '/_stats: token requests by grant type, 401s, subjects',
      stats.token.served.authorization_code >= 5 &&
        stats.token.served.refresh_token >= 2 &&
        stats.token.refused.refresh_token >= 4 &&
        stats.token.errors.invalid_grant >= 3 &&
        stats.mcp.unauthorized >= 4 &&
        stats.mcp.forbidden === 1 &&
        stats.mcp.requests.alice > 0 &&
        stats.mcp.requests.bob > 0 &&
        stats.mcp.requests.carol > 0 &&
        stats.registrations === 2 &&
        stats.metadata_document_fetches === 5 &&
        stats.revocations === 1 &&
        stats.grants_revoked === 2,
      stats,
    );
    check(
      '/_stats shows no token',
      ![carolToken, rt1, r1.body.access_token, carolTokens.body.access_token].some((t) => statsText.includes(t)),
      'a token appears in /_stats',
    );
    await alice.client.close().catch(() => {});
    await bob.client.close().catch(() => {});

    fixture.proc.kill('SIGTERM');
    const exit = await Promise.race([fixture.exited, sleep(5000).then(() => 'timeout')]);
    check('SIGTERM: exits 0', exit !== 'timeout' && exit.code === 0, exit);
  } finally {
    fixture.proc.kill('SIGKILL');
  }
}

async function shortTtlFixture(browser, callback) {
  const fixture = await startFixture(['--token-ttl', '2'], 'fixture-ttl2');
  try {
    // Without --cimd: no client ID metadata documents, none advertised, a URL client_id unknown.
    const asMeta = await (await fetch(`${fixture.origin}/.well-known/oauth-authorization-server/as`)).json();
    check('without --cimd: client_id_metadata_document_supported is absent', !('client_id_metadata_document_supported' in asMeta), asMeta);
    const urlClient = new URL(`${fixture.issuer}/auth`);
    urlClient.search = form({ response_type: 'code', client_id: `${fixture.origin}/_stats`, redirect_uri: callback.uri, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const unknown = await fetch(urlClient, { redirect: 'manual' });
    const fetches = (await fixture.stats()).metadata_document_fetches;
    check('without --cimd: a URL client_id is invalid_client, nothing fetched', unknown.status === 400 && fetches === 0, { status: unknown.status, fetches });
    const alice = await sdkSignIn(fixture, browser, callback, 'alice');
    check('ttl 2: expires_in = 2', alice.provider.stored.expires_in === 2, alice.provider.stored.expires_in);
    let who = await whoami(alice.client);
    check('ttl 2: whoami = alice', who.text === 'alice', who);
    const firstAccess = alice.provider.stored.access_token;
    const firstRefresh = alice.provider.stored.refresh_token;
    // Once the token's 2 s have passed, the fixture refuses it.
    const raw = await untilRefused(fixture, firstAccess);
    check('ttl 2: an expired access token gets 401 invalid_token', raw.status === 401 && raw.challenge.includes('error="invalid_token"'), raw);
    const before = (await fixture.stats()).token.served.refresh_token;
    const mark = alice.log.length;
    who = await whoami(alice.client);
    const steps = alice.log.slice(mark).map((e) => `${e.method} ${e.path} ${e.status}`);
    check(
      'ttl 2: the SDK call got 401, refreshed, retried: whoami = alice',
      who.text === 'alice' && steps[0] === 'POST /mcp 401' && steps.includes('POST /as/token 200') && steps.at(-1) === 'POST /mcp 200',
      { who, steps },
    );
    check(
      'ttl 2: the refresh rotated both tokens and the AS counted it',
      alice.provider.stored.access_token !== firstAccess &&
        alice.provider.stored.refresh_token !== firstRefresh &&
        (await fixture.stats()).token.served.refresh_token === before + 1,
      (await fixture.stats()).token,
    );

    // /_revoke-all: the next refresh is invalid_grant.
    const bob = await sdkSignIn(fixture, browser, callback, 'bob');
    const answer = await fetch(`${fixture.origin}/_revoke-all?sub=alice`, { method: 'POST' });
    const body = await answer.json();
    check(
      '/_revoke-all?sub=alice: 200 with what it deleted',
      answer.status === 200 && body.revoked.Grant >= 1 && body.revoked.RefreshToken >= 1,
      body,
    );
    const dead = await refresh(fixture, alice.provider.client.client_id, alice.provider.stored.refresh_token);
    check("after /_revoke-all: alice's refresh is invalid_grant", dead.status === 400 && dead.body.error === 'invalid_grant', dead);
    const stillBob = await refresh(fixture, bob.provider.client.client_id, bob.provider.stored.refresh_token);
    check("after /_revoke-all: bob's refresh still works", stillBob.status === 200, stillBob.body);
    // The SDK, once its token expired: the refresh is refused, so it starts a new sign-in.
    await untilRefused(fixture, alice.provider.stored.access_token);
    const signInsBefore = alice.provider.signIns.length;
    let threw;
    try {
      await whoami(alice.client);
    } catch (error) {
      threw = error;
    }
    check(
      'after /_revoke-all: the SDK, refused, signs alice in again in the browser',
      threw instanceof UnauthorizedError && alice.provider.signIns.length === signInsBefore + 1,
      { threw: String(threw), signIns: alice.provider.signIns.map((s) => s.pages) },
    );
    const again = new URL(await callback.next()).searchParams;
    await new StreamableHTTPClientTransport(new URL(fixture.resource), { authProvider: alice.provider }).finishAuth(again.get('code'));
    const fresh = await tokenClient(fixture, alice.provider.stored.access_token);
    who = await whoami(fresh);
    check('after /_revoke-all: a new sign-in works, whoami = alice', who.text === 'alice', who);
    await fresh.close();
    const stats = await fixture.stats();
    check(
      'ttl 2: /_stats counted the refusals',
      stats.token.errors.invalid_grant >= 1 && stats.revoke_all.alice === 1 && stats.mcp.unauthorized >= 3,
      stats,
    );
    await alice.client.close().catch(() => {});
    await bob.client.close().catch(() => {});
  } finally {
    fixture.proc.kill('SIGTERM');
    await Promise.race([fixture.exited, sleep(5000)]);
    fixture.proc.kill('SIGKILL');
  }
}

async function main() {
  const browser = await launch();
  const callback = await new Callback().start();
  try {
    console.log(`chromium ${browser.version()}`);
    for (const [name, run] of [
      ['main', mainFixture],
      ['ttl', shortTtlFixture],
    ]) {
      try {
        await run(browser, callback);
      } catch (error) {
        check(`the ${name} checks ran to the end`, false, String(error?.stack ?? error));
      }
    }
  } finally {
    callback.close();
    await browser.close();
  }
}

await main();
console.log(`oauth-upstream selftest: ${failures ? `${failures} failed` : 'all passed'}`);
process.exit(failures ? 1 : 0);

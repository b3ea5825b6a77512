// Interop check 8: the official TypeScript SDK 1.x client (StreamableHTTPClientTransport with an
// `authProvider`) signs a user in to an mcpcp `--auth password` server, with the login and
// consent done in a real headless Chromium (browser_signin.mjs), then calls the rmcp stdio
// fixture behind it.
//
// Usage: node ts_oauth.mjs SERVER_URL USER PASSWORD
//
// The SDK does discovery, dynamic client registration and PKCE itself and calls the provider's
// redirectToAuthorization(url): that drives Chromium, and the loopback listener gets the code,
// which goes to transport.finishAuth(code); then a new transport connects with the tokens, as in
// the SDK's own OAuth client example. For the refresh, the stored access token is replaced by
// one mcpcp does not know (what an expired one looks like to the client: 401 invalid_token), so
// the transport's next request runs auth(), which refreshes with the refresh token and retries.
// Prints one `PASS name` or `FAIL name: why` line per assertion; exits 1 if any failed.
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Callback, launch, signIn } from './browser_signin.mjs';

const [url, user, password] = process.argv.slice(2);
if (!url || !user || !password) {
  console.error('usage: node ts_oauth.mjs SERVER_URL USER PASSWORD');
  process.exit(2);
}
const gateway = new URL(url).origin;
const mcpPath = new URL(url).pathname;
let failures = 0;

/** Records one assertion. */
function check(name, ok, detail) {
  if (ok) {
    console.log(`PASS ts-oauth: ${name}`);
  } else {
    failures += 1;
    console.log(`FAIL ts-oauth: ${name}: ${JSON.stringify(detail)}`);
  }
}

const textOf = (result) =>
  (result.content ?? []).filter((block) => block.type === 'text').map((block) => block.text).join('');

/** Every request the SDK made (MCP and OAuth alike, through the transport's `fetch`). */
const log = [];
async function loggingFetch(input, init = {}) {
  const request = new Request(input, init);
  const body = init.body === undefined || init.body === null ? '' : String(init.body);
  const entry = {
    method: request.method,
    path: new URL(request.url).pathname,
    auth: request.headers.get('authorization') ?? '',
    form: request.headers.get('content-type')?.includes('x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(body))
      : {},
    rpc: request.headers.get('content-type')?.includes('application/json') && body ? JSON.parse(body).method : undefined,
  };
  log.push(entry);
  const response = await fetch(input, init);
  entry.status = response.status;
  entry.wwwAuthenticate = response.headers.get('www-authenticate') ?? '';
  return response;
}

/** An in-memory OAuthClientProvider whose redirect goes to headless Chromium. */
class Provider {
  constructor(browser, callback) {
    this.browser = browser;
    this.callback = callback;
    this.client = undefined;
    this.stored = undefined;
    this.verifier = undefined;
    this.states = [];
    this.authorizationUrls = [];
    this.signIns = [];
    this.tokenHistory = [];
  }
  get redirectUrl() {
    return this.callback.uri;
  }
  get clientMetadata() {
    return {
      client_name: 'mcpcp interop (typescript sdk)',
      redirect_uris: [this.callback.uri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    const state = randomBytes(24).toString('base64url');
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
    this.tokenHistory.push(tokens);
  }
  async redirectToAuthorization(authorizationUrl) {
    this.authorizationUrls.push(authorizationUrl.href);
    this.signIns.push(await signIn(this.browser, authorizationUrl.href, this.callback.uri, user, password));
  }
  saveCodeVerifier(verifier) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

const newTransport = (provider) =>
  new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: loggingFetch });

async function main() {
  const browser = await launch();
  const callback = await new Callback().start();
  try {
    console.log(`chromium ${browser.version()}`);
    const provider = new Provider(browser, callback);

    // 1. Unauthenticated: 401 -> discovery -> DCR -> redirectToAuthorization (Chromium).
    let client = new Client({ name: 'mcpcp-interop-ts-oauth', version: '1.0.0' });
    let threw;
    try {
      await client.connect(newTransport(provider));
    } catch (error) {
      threw = error;
    }
    check('connect without a token ends in UnauthorizedError (the browser step is pending)', threw instanceof UnauthorizedError, String(threw));
    const first = log[0] ?? {};
    check(
      'first MCP request got 401 with the resource_metadata challenge',
      first.path === mcpPath &&
        first.status === 401 &&
        first.wwwAuthenticate.includes(`resource_metadata="${gateway}/.well-known/oauth-protected-resource${mcpPath}"`),
      first,
    );
    const steps = log.map((e) => `${e.method} ${e.path} ${e.status}`);
    check(
      'protected resource metadata, authorization server metadata, then DCR (201)',
      steps.includes(`GET /.well-known/oauth-protected-resource${mcpPath} 200`) &&
        steps.includes('GET /.well-known/oauth-authorization-server 200') &&
        steps.includes('POST /register 201'),
      steps,
    );
    check(
      'registered as a public client',
      provider.client?.client_id?.startsWith('mcpcl_') &&
        provider.client?.token_endpoint_auth_method === 'none' &&
        !provider.client?.client_secret,
      provider.client,
    );
    const auth = provider.authorizationUrls[0] ? new URL(provider.authorizationUrls[0]).searchParams : new URLSearchParams();
    check(
      'authorization request: code, PKCE S256, state, resource = server URL, scope with mcp',
      auth.get('response_type') === 'code' &&
        auth.get('code_challenge_method') === 'S256' &&
        auth.get('code_challenge')?.length === 43 &&
        auth.get('state') === provider.states[0] &&
        auth.get('resource') === url &&
        (auth.get('scope') ?? '').split(' ').includes('mcp') &&
        auth.get('redirect_uri') === callback.uri,
      Object.fromEntries(auth),
    );
    const signed = provider.signIns[0];
    check("Chromium showed mcpcp's login page, then its consent page", signed?.pages?.join() === 'login,consent', signed);
    check(
      "Chromium followed the consent form's redirect to the client's redirect URI",
      signed && signed.blocked === null,
      signed
        ? `Chromium refused it: ${signed.blocked} (the sign-in pages send CSP form-action 'self', which Chromium ` +
            'applies to the redirect after the form too; the browser got there only by opening the authorization URL again)'
        : 'no sign-in',
    );

    // 2. The loopback listener got the code: finishAuth exchanges it.
    const back = new URL(await callback.next()).searchParams;
    check(
      'redirect to the loopback callback carries code, the state and iss = issuer',
      !!back.get('code') && back.get('state') === provider.states[0] && back.get('iss') === gateway,
      Object.fromEntries(back),
    );
    const finishing = newTransport(provider);
    await finishing.finishAuth(back.get('code'));
    const exchange = log.filter((e) => e.path === '/token' && e.form.grant_type === 'authorization_code');
    check(
      'finishAuth: token request with code_verifier and resource answered 200 with access and refresh token',
      exchange.length === 1 &&
        exchange[0].status === 200 &&
        exchange[0].form.resource === url &&
        exchange[0].form.code_verifier?.length >= 43 &&
        provider.stored?.access_token?.startsWith('mcpat_') &&
        !!provider.stored?.refresh_token,
      { exchange, tokens: provider.stored && Object.keys(provider.stored) },
    );
    const firstTokens = provider.stored;

    // 3. Connected with the tokens.
    client = new Client({ name: 'mcpcp-interop-ts-oauth', version: '1.0.0' });
    const transport = newTransport(provider);
    await client.connect(transport);
    const { tools } = await client.listTools();
    check('tools/list through mcpcp with the signed-in token', tools.some((t) => t.name === 'echo'), tools.map((t) => t.name));
    let echo = await client.callTool({ name: 'echo', arguments: { text: 'signed in from ts' } });
    check('tools/call echo', !echo.isError && textOf(echo) === 'signed in from ts', echo);

    // 4. The server refuses the access token (as once it expired): the SDK refreshes and retries.
    provider.stored = { ...provider.stored, access_token: `mcpat_${randomBytes(32).toString('base64url')}` };
    const before = log.length;
    echo = await client.callTool({ name: 'echo', arguments: { text: 'after refresh' } });
    check('tools/call echo after the access token was refused', !echo.isError && textOf(echo) === 'after refresh', echo);
    const since = log.slice(before);
    const refreshes = since.filter((e) => e.path === '/token' && e.form.grant_type === 'refresh_token');
    check(
      'the refused call got 401, then the SDK refreshed (refresh_token grant with resource, 200)',
      since[0]?.path === mcpPath &&
        since[0]?.status === 401 &&
        since[0]?.wwwAuthenticate.includes('error="invalid_token"') &&
        refreshes.length === 1 &&
        refreshes[0].status === 200 &&
        refreshes[0].form.refresh_token === firstTokens.refresh_token &&
        refreshes[0].form.resource === url,
      since.map(({ method, path, status, form }) => ({ method, path, status, grant: form.grant_type })),
    );
    const newTokens = provider.stored;
    check(
      'refresh rotated both tokens',
      newTokens.access_token !== firstTokens.access_token && !!newTokens.refresh_token && newTokens.refresh_token !== firstTokens.refresh_token,
      { first: Object.keys(firstTokens), next: Object.keys(newTokens) },
    );
    const retried = since.filter((e) => e.path === mcpPath && e.rpc === 'tools/call');
    check(
      'the call was retried with the new access token on the same session, answered 200',
      retried.length === 2 && retried[1].auth === `Bearer ${newTokens.access_token}` && retried[1].status === 200,
      retried.map(({ status, auth: a }) => ({ status, auth: a.slice(-6) })),
    );
    echo = await client.callTool({ name: 'echo', arguments: { text: 'still signed in' } });
    check('the next call works with the rotated token', !echo.isError && textOf(echo) === 'still signed in', echo);
    check('sign-in ran once (no second browser round trip)', provider.signIns.length === 1, provider.signIns.length);
    await client.close();
  } finally {
    callback.close();
    await browser.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  check('the OAuth flow ran to the end', false, String(error?.stack ?? error));
}
process.exit(failures ? 1 : 0);

// A real OpenID Connect provider (npm `oidc-provider`) for the SSO check: one confidential client
// (mcpcp), accounts whose ID tokens carry a `groups` claim, and the provider's own development
// login and consent pages (any password is accepted for a known account).
//
//   node oidc_idp.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Listens on a free port of 127.0.0.1 and prints `ready ISSUER`.
import http from "node:http";
import Provider from "oidc-provider";

const [clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error("usage: oidc_idp.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI");
  process.exit(2);
}
// Bind first: the issuer URL names the port.
let handler = (_req, res) => res.writeHead(503).end();
const server = http.createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;

// accountId -> claims. `grace` is in an IdP group no mcpcp group maps and no admin role is bound
// to; `olga` is in `platform`, which the admin SSO check binds an admin role to.
const ACCOUNTS = {
  alice: { preferred_username: "alice", email: "alice@example.test", groups: ["engineering", "staff"] },
  grace: { preferred_username: "grace", email: "grace@example.test", groups: ["sales"] },
  olga: { preferred_username: "olga", email: "olga@example.test", groups: ["platform"] },
};

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  scopes: ["openid", "profile", "email", "groups"],
  claims: { openid: ["sub"], profile: ["preferred_username"], email: ["email"], groups: ["groups"] },
  // Put the scope-granted claims in the ID token itself (mcpcp reads the groups claim there).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ["mcpcp-interop-idp-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});
provider.on("server_error", (_ctx, err) => console.error("idp server_error", err));
handler = provider.callback();
console.log(`ready ${issuer}`);

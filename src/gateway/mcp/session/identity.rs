//! The caller's identity as a session's upstream is told it (`mcpcp server identity`): the
//! `X-MCPCP-*` headers, a signed JWT in a header, and `params._meta["io.mcpcp/identity"]`.
//!
//! Everything is made for each request from the live snapshot (the server's setting, the user's
//! name, email and groups, the signing key), so a change applies to live sessions with their
//! next request and nothing is read from the database or from what the client sent. The headers
//! are added by the upstream connection's `ExtraHeaders` hook, which every HTTP request to the
//! upstream calls (requests, notifications, the GET stream, DELETE); `_meta` goes into the
//! requests the session forwards (`Session::upstream_json`), stdio included.
//!
//! The JWT is signed for each request, so its `trace_id` is the request's and its `jti` is
//! unique (an upstream may keep the ids it saw to refuse a replay). Signing is the costliest
//! step here (an Ed25519 signature is about 13 µs of CPU): `cargo bench` section 7 measures it.

use std::borrow::Cow;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::clock::Clock;
use crate::identity::jwt::MAX_LIFETIME_SECS;
use crate::jsonrpc::push_json_string;
use crate::policy::{Principal, ServerConfig};
use crate::snapshot::{Live, Snapshot};
use crate::upstream::ExtraHeaders;

const USER: HeaderName = HeaderName::from_static("x-mcpcp-user");
const EMAIL: HeaderName = HeaderName::from_static("x-mcpcp-user-email");
const GROUPS: HeaderName = HeaderName::from_static("x-mcpcp-user-groups");
const AUTH_METHOD: HeaderName = HeaderName::from_static("x-mcpcp-auth-method");
const TRACE_ID: HeaderName = HeaderName::from_static("x-mcpcp-trace-id");

/// One session's caller, and what it needs to describe them.
pub(crate) struct Caller {
    live: Arc<Live>,
    clock: Clock,
    server_id: i64,
    server: String,
    principal: Principal,
    /// mcpcp's public URL: the JWT's `iss`.
    issuer: String,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller").field("server", &self.server).finish_non_exhaustive()
    }
}

/// Who calls, as every way tells it.
struct Facts<'a> {
    /// The user's name, or `token:NAME` for an API token.
    sub: Cow<'a, str>,
    name: &'a str,
    email: Option<&'a str>,
    /// (id, name) of each group the user is in.
    groups: &'a [(i64, String)],
    auth_method: &'static str,
}

impl Caller {
    pub(crate) fn new(shared: &crate::gateway::Shared, server: &ServerConfig, principal: &Principal) -> Arc<Caller> {
        Arc::new(Caller {
            live: shared.live.clone(),
            clock: shared.clock.clone(),
            server_id: server.id,
            server: server.name.clone(),
            principal: principal.clone(),
            issuer: shared.public_url.clone(),
        })
    }

    /// The hook the upstream connection calls for the headers of each HTTP request.
    pub(crate) fn headers_hook(self: &Arc<Self>) -> ExtraHeaders {
        let caller = self.clone();
        Arc::new(move |trace_id, headers| caller.add_headers(trace_id, headers))
    }

    fn facts<'a>(&'a self, snapshot: &'a Snapshot) -> Facts<'a> {
        let auth_method = self.principal.auth_method();
        match &self.principal {
            Principal::ApiToken { token_name, .. } => Facts {
                sub: Cow::Owned(format!("token:{token_name}")),
                name: token_name,
                email: None,
                groups: &[],
                auth_method,
            },
            Principal::User { user_id, name, .. } => match snapshot.user(*user_id) {
                Some(u) => Facts {
                    sub: Cow::Borrowed(&u.name),
                    name: &u.name,
                    email: u.email.as_deref(),
                    groups: &u.groups,
                    auth_method,
                },
                // Deleted meanwhile (the session is about to end): the name it signed in with.
                None => Facts { sub: Cow::Borrowed(name), name, email: None, groups: &[], auth_method },
            },
        }
    }

    /// This session's server in `snapshot` (the same one: not a later server of its name).
    fn server<'a>(&self, snapshot: &'a Snapshot) -> Option<&'a Arc<ServerConfig>> {
        snapshot.server(&self.server).filter(|s| s.id == self.server_id)
    }

    /// Adds the identity headers and the JWT the server forwards to one HTTP request.
    fn add_headers(&self, trace_id: Option<&str>, headers: &mut HeaderMap) {
        let snapshot = self.live.load();
        let Some(server) = self.server(&snapshot) else { return };
        let forward = server.identity_forward;
        if !forward.headers && !forward.jwt {
            return;
        }
        let facts = self.facts(&snapshot);
        if forward.headers {
            let mut values: Vec<(HeaderName, Cow<'_, str>)> = vec![(USER, header_text(&facts.sub))];
            if let Some(email) = facts.email {
                values.push((EMAIL, header_text(email)));
            }
            if !facts.groups.is_empty() {
                // Each item encoded on its own: the commas between them stay.
                let groups: Vec<String> =
                    facts.groups.iter().map(|(id, name)| format!("{id}:{}", header_text(name))).collect();
                values.push((GROUPS, Cow::Owned(groups.join(","))));
            }
            values.push((AUTH_METHOD, Cow::Borrowed(facts.auth_method)));
            if let Some(trace_id) = trace_id {
                values.push((TRACE_ID, header_text(trace_id)));
            }
            for (name, text) in values {
                if let Ok(value) = HeaderValue::from_str(&text) {
                    headers.insert(name, value);
                }
            }
        }
        if forward.jwt
            && let Some(jwt) = self.sign(&snapshot, server, &facts, trace_id)
            && let Ok(name) = HeaderName::from_bytes(server.identity_jwt_header.as_bytes())
        {
            headers.insert(name, jwt);
        }
    }

    /// A JWT for one request, valid `MAX_LIFETIME_SECS` from now; `None` without a signing key
    /// (none was made, or it did not open: the snapshot logged why).
    fn sign(
        &self,
        snapshot: &Snapshot,
        server: &ServerConfig,
        facts: &Facts<'_>,
        trace_id: Option<&str>,
    ) -> Option<HeaderValue> {
        let now = self.clock.now().timestamp();
        let key = snapshot.signing_key()?;
        let audience = server.url.as_deref()?;
        let jti = crate::secrets::random_id::<16>().ok()?;
        let mut claims = String::with_capacity(384);
        claims.push_str("{\"iss\":");
        push_json_string(&mut claims, &self.issuer);
        claims.push_str(",\"aud\":");
        push_json_string(&mut claims, audience);
        claims.push(',');
        self.push_facts(&mut claims, facts, trace_id);
        claims.push_str(&format!(
            ",\"iat\":{now},\"exp\":{},\"jti\":\"{}\"}}",
            now + MAX_LIFETIME_SECS,
            crate::secrets::hex(&jti)
        ));
        let mut value = HeaderValue::from_str(key.sign(&claims).expose()).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// The value of `params._meta["io.mcpcp/identity"]` for a request to `server`'s upstream
    /// (raw JSON), or `None` when the server does not forward it.
    pub(crate) fn meta(&self, server: &ServerConfig, trace_id: Option<&str>) -> Option<String> {
        if !server.identity_forward.meta {
            return None;
        }
        let snapshot = self.live.load();
        let facts = self.facts(&snapshot);
        let mut out = String::with_capacity(192);
        out.push('{');
        self.push_facts(&mut out, &facts, trace_id);
        out.push('}');
        Some(out)
    }

    /// The members every way shares, without braces.
    fn push_facts(&self, out: &mut String, facts: &Facts<'_>, trace_id: Option<&str>) {
        out.push_str("\"sub\":");
        push_json_string(out, &facts.sub);
        out.push_str(",\"name\":");
        push_json_string(out, facts.name);
        if let Some(email) = facts.email {
            out.push_str(",\"email\":");
            push_json_string(out, email);
        }
        out.push_str(",\"groups\":[");
        for (i, (id, name)) in facts.groups.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!("{{\"id\":{id},\"name\":"));
            push_json_string(out, name);
            out.push('}');
        }
        out.push_str("],\"auth_method\":");
        push_json_string(out, facts.auth_method);
        out.push_str(",\"server\":");
        push_json_string(out, &self.server);
        if let Some(trace_id) = trace_id {
            out.push_str(",\"trace_id\":");
            push_json_string(out, trace_id);
        }
    }
}

/// `text` as a header value that no text can break: every byte outside visible ASCII
/// (0x21-0x7E), and every `%` and `,`, percent-encoded (`%XX` of its UTF-8 bytes), so neither a
/// line break nor a list separator a user or an identity provider chose passes through.
fn header_text(text: &str) -> Cow<'_, str> {
    let plain = |b: u8| (0x21..=0x7e).contains(&b) && b != b'%' && b != b',';
    if text.bytes().all(plain) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if plain(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::header_text;

    #[test]
    fn header_text_encodes_what_could_break_a_header_or_a_list() {
        assert_eq!(header_text("ada@example.com"), "ada@example.com");
        assert_eq!(header_text("a\r\nX-MCPCP-User: root"), "a%0D%0AX-MCPCP-User:%20root");
        assert_eq!(header_text("50%,x"), "50%25%2Cx");
        assert_eq!(header_text("zoë"), "zo%C3%AB");
    }
}

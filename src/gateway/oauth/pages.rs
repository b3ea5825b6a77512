//! The sign-in pages: server-rendered HTML without JavaScript, every value escaped, and headers
//! that keep them out of frames and caches (RFC 9700 §4.16, ASVS V3.4).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}\
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}\
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a40000;background:#fdecec;padding:.6rem}\
.muted{color:#555;font-size:.9rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem}dt{font-weight:600}";

/// A whole page with mcpcp's security headers. `body` must already be escaped HTML.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    page_returning(status, title, body, None)
}

/// The CSP source for where a form's redirect may end: the origin of an http(s) redirect URI, or
/// the scheme of a custom one (`cursor:`). Browsers apply `form-action` to every hop of the
/// redirect chain after a form submission, so the login and consent pages must allow it.
pub fn return_source(redirect_uri: &str) -> Option<String> {
    crate::identity::oauth::check_redirect_uri(redirect_uri).ok()?;
    let url = url::Url::parse(redirect_uri).ok()?;
    match url.scheme() {
        "http" | "https" => Some(url.origin().ascii_serialization()),
        scheme => Some(format!("{scheme}:")),
    }
}

/// A page whose form may end at `return_to` (a source from `return_source`).
fn page_returning(status: StatusCode, title: &str, body: &str, return_to: Option<&str>) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{} · mcpcp</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        escape(title)
    );
    let mut r = (status, html).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    let extra = return_to.map(|s| format!(" {s}")).unwrap_or_default();
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'{extra}; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// An error shown instead of redirecting (an unknown client or redirect URI must never redirect).
pub fn error(status: StatusCode, message: &str) -> Response {
    page(
        status,
        "Sign-in failed",
        &format!("<h1>Sign-in failed</h1><p class=\"error\" role=\"alert\">{}</p>", escape(message)),
    )
}

/// The username and password form.
pub fn login(
    request: &str,
    csrf: &str,
    client: &str,
    server: &str,
    return_to: Option<&str>,
    error: Option<&str>,
) -> Response {
    let alert = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))).unwrap_or_default();
    let body = format!(
        "<h1>Sign in to {server}</h1>\
<p class=\"muted\">{client} wants to use the MCP server <strong>{server}</strong> through mcpcp.</p>{alert}\
<form method=\"post\" action=\"/authorize/login\">\
<input type=\"hidden\" name=\"request\" value=\"{request}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\">Sign in</button></form>",
        server = escape(server),
        client = escape(client),
        request = escape(request),
        csrf = escape(csrf),
    );
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    page_returning(status, "Sign in", &body, return_to)
}

/// The consent page: which client, where it sends the user back, which server.
pub fn consent(
    request: &str,
    csrf: &str,
    user: &str,
    client: &str,
    redirect_host: &str,
    server: &str,
    return_to: Option<&str>,
) -> Response {
    let body = format!(
        "<h1>Allow access?</h1>\
<p>Signed in as <strong>{user}</strong>.</p>\
<dl><dt>Application</dt><dd>{client}</dd><dt>Returns to</dt><dd>{host}</dd><dt>MCP server</dt><dd>{server}</dd></dl>\
<p class=\"muted\">The application will be able to use {server} as you. Allow only applications you started yourself.</p>\
<form method=\"post\" action=\"/authorize/consent\">\
<input type=\"hidden\" name=\"request\" value=\"{request}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> \
<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
        user = escape(user),
        client = escape(client),
        host = escape(redirect_host),
        server = escape(server),
        request = escape(request),
        csrf = escape(csrf),
    );
    page_returning(StatusCode::OK, "Allow access", &body, return_to)
}

/// The CSP source of a loopback redirect URI (`http://127.0.0.1:PORT`), which the admin
/// sign-in's confirmation form ends at.
pub fn loopback_source(redirect_uri: &str) -> Option<String> {
    let url = url::Url::parse(redirect_uri).ok()?;
    (url.scheme() == "http").then(|| url.origin().ascii_serialization())
}

/// The admin sign-in's confirmation: which admin, which loopback port of this computer gets the
/// token, and the code `mcpcp admin login` printed.
pub fn admin_confirm(request: &str, admin: &str, listening: &str, code: &str, return_to: Option<&str>) -> Response {
    let body = format!(
        "<h1>Sign in to the command line?</h1>\
<p>The identity provider signed you in as the mcpcp admin <strong>{admin}</strong>.</p>\
<dl><dt>Program</dt><dd>mcpcp admin login</dd><dt>Listening at</dt><dd>{listening} on this computer</dd>\
<dt>Code</dt><dd><strong id=\"code\">{code}</strong></dd></dl>\
<p class=\"muted\">Continue only if you just ran <code>mcpcp admin login</code> on this computer and it printed \
this code: that program gets an admin token with your rights for 12 hours.</p>\
<form method=\"post\" action=\"/sso/admin-login/confirm\">\
<input type=\"hidden\" name=\"request\" value=\"{request}\">\
<button type=\"submit\" name=\"decision\" value=\"allow\">Continue</button> \
<button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button></form>",
        admin = escape(admin),
        listening = escape(listening),
        code = escape(code),
        request = escape(request),
    );
    page_returning(StatusCode::OK, "Sign in to the command line", &body, return_to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }
}

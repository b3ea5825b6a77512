//! Origin and Host validation against DNS rebinding (spec 2025-11-25, basic/transports §Security
//! Warning: servers MUST validate `Origin`; an invalid one gets 403), and CORS for browser clients.

use axum::http::{HeaderMap, HeaderValue, header};

/// Which `Host` and `Origin` values the gateway answers.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// Allowed `Host` header values (`host:port`, lowercase); `None` allows any.
    hosts: Option<Vec<String>>,
    /// Allowed `Origin` values (`scheme://host[:port]`).
    origins: Vec<String>,
}

impl OriginPolicy {
    /// The policy for a gateway listening on `listen`, reachable at `public_url`, with extra
    /// browser origins. On a loopback address only loopback names are accepted as Host, which
    /// defeats DNS rebinding; elsewhere the public URL's host is required when one is set.
    pub fn new(
        listen: std::net::SocketAddr,
        public_url: Option<&url::Url>,
        extra_origins: &[String],
        tls: bool,
    ) -> OriginPolicy {
        let port = listen.port();
        let mut hosts = Vec::new();
        if listen.ip().is_loopback() || listen.ip().is_unspecified() {
            for name in ["localhost", "127.0.0.1", "[::1]"] {
                hosts.push(format!("{name}:{port}"));
            }
        }
        if !listen.ip().is_unspecified() {
            hosts.push(listen.to_string());
        }
        let mut origins = Vec::new();
        if let Some(u) = public_url {
            if let Some(h) = u.host_str() {
                let host = match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_string(),
                };
                hosts.push(host.to_ascii_lowercase());
                if let Some(p) = u.port_or_known_default() {
                    hosts.push(format!("{h}:{p}").to_ascii_lowercase());
                }
            }
            origins.push(u.origin().ascii_serialization());
        }
        let scheme = if tls { "https" } else { "http" };
        for h in &hosts {
            origins.push(format!("{scheme}://{h}"));
        }
        origins.extend(extra_origins.iter().cloned());
        // Bound to every interface without a public URL: any Host (TLS still protects it).
        let hosts = if !listen.ip().is_loopback() && public_url.is_none() { None } else { Some(hosts) };
        OriginPolicy { hosts, origins }
    }

    /// Checks `Host` and `Origin`; returns why a request is refused.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), String> {
        if let Some(hosts) = &self.hosts {
            // A request without a Host (nor an HTTP/2 `:authority`, which the connection turns
            // into one) names no host this gateway could check, so it is refused too.
            let Some(host) = headers.get(header::HOST) else {
                return Err("a Host header is required".into());
            };
            let host = host.to_str().unwrap_or("").to_ascii_lowercase();
            if !hosts.contains(&host) {
                return Err(format!("Host {host:?} is not served here"));
            }
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            if !self.origin_allowed(origin) {
                return Err(format!("Origin {origin:?} is not allowed"));
            }
        }
        Ok(())
    }

    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }

    /// CORS response headers for an allowed `Origin` (none for requests without one).
    pub fn cors_headers(&self, request: &HeaderMap, response: &mut HeaderMap) {
        let Some(origin) = request.get(header::ORIGIN) else { return };
        if !self.origin_allowed(origin.to_str().unwrap_or("")) {
            return;
        }
        response.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        response.insert(header::VARY, HeaderValue::from_static("Origin"));
        response.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version"),
        );
    }

    /// Headers of a preflight answer.
    pub fn preflight_headers(&self, request: &HeaderMap, response: &mut HeaderMap) {
        self.cors_headers(request, response);
        if response.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
            response
                .insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, DELETE, OPTIONS"));
            response.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(
                    "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name",
                ),
            );
            response.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn loopback_refuses_rebinding() {
        let p = OriginPolicy::new("127.0.0.1:7330".parse().unwrap(), None, &[], false);
        assert!(p.check(&headers(&[("host", "127.0.0.1:7330")])).is_ok());
        assert!(p.check(&headers(&[("host", "localhost:7330"), ("origin", "http://localhost:7330")])).is_ok());
        assert!(p.check(&headers(&[("host", "evil.example.com")])).is_err());
        assert!(p.check(&headers(&[("host", "127.0.0.1:7330"), ("origin", "http://evil.example.com")])).is_err());
        // No Host (and no HTTP/2 authority, which the connection turns into one): refused.
        assert!(p.check(&headers(&[])).is_err());
    }

    #[test]
    fn public_url_and_extra_origins() {
        let url = url::Url::parse("https://mcp.example.com").unwrap();
        let p =
            OriginPolicy::new("0.0.0.0:443".parse().unwrap(), Some(&url), &["https://app.example.com".into()], true);
        assert!(p.check(&headers(&[("host", "mcp.example.com"), ("origin", "https://app.example.com")])).is_ok());
        assert!(p.check(&headers(&[("host", "mcp.example.com:443")])).is_ok());
        assert!(p.check(&headers(&[("host", "other.example.com")])).is_err());
    }
}

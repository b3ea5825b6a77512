//! `limit`: what the server's traffic rules allow. Per HTTP request, the IP allow/deny lists;
//! per `tools/call`, the rate limits (per principal, then server-wide) and usage quotas, through
//! the gateway's [`crate::policy::limiter::Limiter`]: a call is charged to all of them only if
//! it fits all of them, and the charges ride on the draft, committed with the call's record.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};

use super::Shared;
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{Message, code};
use crate::observe::activity::Draft;
use crate::policy::Grant;
use crate::policy::ip::IpRules;
use crate::policy::limiter::{Caller, Refused, ServerLimits};
use crate::snapshot::Snapshot;

/// The server's address rules refuse the caller's address.
pub(super) fn address(snapshot: &Snapshot, server: &str, draft: &Draft) -> Result<(), Rejection> {
    let Some(s) = snapshot.server(server) else { return Ok(()) };
    if s.ip_rules == IpRules::default() || draft.client_ip.is_some_and(|ip| s.ip_rules.admits(ip)) {
        return Ok(());
    }
    Err(Rejection::forbidden(format!(
        "Forbidden: address {} may not reach server {server:?}",
        draft.source_ip.as_deref().unwrap_or("unknown")
    ))
    .recorded_as("ip_denied"))
}

/// A refusal by `authenticate` or `authorize` of a caller whose address is refused too: the
/// caller is told what it would be told by any server (so address rules do not reveal which
/// names exist), and the record keeps the true reason.
pub(super) fn unadmitted(refusal: Rejection, snapshot: &Snapshot, server: &str, draft: &Draft) -> Rejection {
    match address(snapshot, server, draft) {
        Ok(()) => refusal,
        Err(denied) => refusal.record_reason(denied.message).recorded_as("ip_denied"),
    }
}

/// The rates and quotas for one `tools/call`; other messages are not limited.
pub(super) fn calls(shared: &Shared, grant: &Grant, message: &Message, draft: &mut Draft) -> Result<(), Rejection> {
    if message.method() != "tools/call" || message.id.is_none() {
        return Ok(());
    }
    // The current snapshot's limits: a change applies to sessions already open.
    let snapshot = shared.live.load();
    let Some(server) = snapshot.server(&grant.server().name) else { return Ok(()) };
    let limits = ServerLimits {
        server_id: server.id,
        rate: server.rate.as_ref().map(|(g, _)| g),
        rate_per_user: server.rate_per_user.as_ref().map(|(g, _)| g),
        quota: server.quota,
        quota_per_user: server.quota_per_user,
    };
    let principal = grant.principal();
    let caller = Caller { method: principal.auth_method(), name: principal.display_name() };
    let now = shared.clock.now();
    let refused = match shared.limiter.check(&limits, caller, std::time::Instant::now(), now) {
        Ok(charges) => {
            draft.charges = charges;
            return Ok(());
        }
        Err(refused) => refused,
    };
    let (kind, text, data, retry) = match refused {
        Refused::Rate { which, retry_after } => {
            let rate = if which == "rate" { &server.rate } else { &server.rate_per_user };
            let rate = rate.as_ref().map_or("", |(_, text)| text.as_str());
            let reset = now + chrono::Duration::from_std(retry_after).unwrap_or_else(|_| chrono::Duration::zero());
            let data = serde_json::json!({
                "limit": which,
                "rate": rate,
                "remaining": 0,
                "retry_after_ms": retry_after.as_millis() as u64,
                "reset": crate::store::timestamp(reset),
            });
            let m = format!("Rate limit exceeded on server {:?} ({which}: {rate})", server.name);
            ("rate_limited", m, data, retry_after)
        }
        Refused::Quota { which, quota, exhausted } => {
            let quota = quota.describe();
            let retry = (exhausted.reset - now).to_std().unwrap_or_default();
            let data = serde_json::json!({
                "limit": which,
                "quota": quota,
                "used": exhausted.used,
                "remaining": 0,
                "retry_after_ms": retry.as_millis() as u64,
                "reset": crate::store::timestamp(exhausted.reset),
            });
            let m = format!(
                "Usage quota exhausted on server {:?} ({which}: {quota}); it resets at {}",
                server.name,
                crate::store::timestamp(exhausted.reset)
            );
            ("quota_exceeded", m, data, retry)
        }
    };
    Err(Rejection::new(StatusCode::TOO_MANY_REQUESTS, code::TRANSPORT, text)
        .id(message.id_text())
        .data(data)
        .header(header::RETRY_AFTER, retry_after(retry))
        .recorded_as(kind))
}

/// `Retry-After` in whole seconds, rounded up.
fn retry_after(retry: Duration) -> HeaderValue {
    let secs = retry.as_secs() + u64::from(retry.subsec_nanos() > 0);
    HeaderValue::from(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::{Fixture, TOKEN, headers};

    fn grant(gw: &crate::gateway::mcp::testing::Gateway) -> Grant {
        let snapshot = gw.shared.live.load();
        let principal = super::super::authenticate(&gw.shared, &snapshot, "fx", &headers(Some(TOKEN))).unwrap();
        super::super::authorize::server(&gw.shared, &snapshot, "fx", &principal).unwrap()
    }

    fn tool_call() -> Message {
        Message::parse(br#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo"}}"#).unwrap()
    }

    #[test]
    fn a_denied_address_is_refused_and_recorded_as_such() {
        let gw = Fixture { deny: Some("192.0.2.0/24"), ..Fixture::default() }.start();
        let call = gw.call();
        let refused = address(&gw.shared.live.load(), "fx", &call.draft).unwrap_err();
        assert_eq!((refused.status, refused.kind), (StatusCode::FORBIDDEN, Some("ip_denied")));
        // An unauthenticated caller is told what any server tells it; the record knows better.
        let unauthenticated = unadmitted(Rejection::unauthorized(None, ""), &gw.shared.live.load(), "fx", &call.draft);
        assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unauthenticated.kind, Some("ip_denied"));
        assert!(unauthenticated.recorded_message().contains("192.0.2.1"));
        let open = Fixture::default().start();
        assert!(address(&open.shared.live.load(), "fx", &open.call().draft).is_ok());
    }

    #[test]
    fn over_the_rate_a_call_is_refused_with_when_to_retry() {
        let gw = Fixture { rate: Some(1), ..Fixture::default() }.start();
        let (g, m) = (grant(&gw), tool_call());
        let mut call = gw.call();
        assert!(calls(&gw.shared, &g, &m, &mut call.draft).is_ok());
        let refused = calls(&gw.shared, &g, &m, &mut gw.call().draft).unwrap_err();
        assert_eq!(
            (refused.status, refused.kind, &*refused.id),
            (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"), "5")
        );
        assert!(refused.headers.iter().any(|(n, _)| n == header::RETRY_AFTER));
        assert!(refused.body().contains("\"limit\":\"rate\""), "{}", refused.body());
        // Other methods are not limited.
        let ping = Message::parse(br#"{"jsonrpc":"2.0","id":6,"method":"ping"}"#).unwrap();
        assert!(calls(&gw.shared, &g, &ping, &mut gw.call().draft).is_ok());
    }

    #[test]
    fn a_used_up_quota_refuses_and_an_admitted_call_carries_its_charge() {
        let gw = Fixture { quota: Some(1), ..Fixture::default() }.start();
        let (g, m) = (grant(&gw), tool_call());
        let mut call = gw.call();
        assert!(calls(&gw.shared, &g, &m, &mut call.draft).is_ok());
        assert_eq!(call.draft.charges.len(), 1, "the charge rides on the draft");
        let refused = calls(&gw.shared, &g, &m, &mut gw.call().draft).unwrap_err();
        assert_eq!(refused.kind, Some("quota_exceeded"));
    }
}

//! `X-Forwarded-For` and `Forwarded` parsing: any header values give a client address without
//! panicking, and it is the peer itself unless the peer is a trusted proxy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcpcp::policy::ip::{client_ip, forwarded_hops};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (xff, fwd) = text.split_once('\n').unwrap_or((text, ""));
    let xff: Vec<&str> = xff.split('\r').filter(|s| !s.is_empty()).collect();
    let fwd: Vec<&str> = fwd.split('\r').filter(|s| !s.is_empty()).collect();
    let hops = forwarded_hops(&xff, &fwd);
    let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().expect("net"), "2001:db8::/32".parse().expect("net")];
    let peer: std::net::IpAddr = "10.1.2.3".parse().expect("ip");
    let _ = client_ip(peer, hops.iter().copied(), &trusted);
    let outsider: std::net::IpAddr = "192.0.2.7".parse().expect("ip");
    assert_eq!(client_ip(outsider, hops.iter().copied(), &trusted), outsider);
});

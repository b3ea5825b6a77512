//! Client addresses: who is calling, through proxies the operator trusts.
//!
//! `X-Forwarded-For` and `Forwarded` are believed only when the socket peer is a trusted proxy
//! (`trusted_proxies`). The chain is then read from the right (nearest hop first), skipping
//! trusted proxies; the first address that is not one is the client. Anything unparsable ends
//! the walk at the last hop that was trusted, so a client cannot smuggle an address in front of
//! garbage.

use std::net::IpAddr;

use ipnet::IpNet;

/// The calling client's address: the socket peer, or, behind trusted proxies, the nearest
/// address in the forwarding chain that is not a trusted proxy.
pub fn client_ip<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a str>, trusted: &[IpNet]) -> IpAddr {
    let trusted_ip = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !trusted_ip(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !trusted_ip(&ip) {
            break;
        }
    }
    client
}

/// The hops of `X-Forwarded-For` (comma-separated addresses) and, when that is absent,
/// `Forwarded` (RFC 7239 `for=` parameters), left to right.
pub fn forwarded_hops<'a>(xff: &[&'a str], forwarded: &[&'a str]) -> Vec<&'a str> {
    if !xff.is_empty() {
        return xff.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|s| !s.is_empty()).collect();
    }
    forwarded
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').map(str::trim).find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim())
            })
        })
        .collect()
}

/// One hop: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `"[2001:db8::1]:443"`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let h = hop.trim().trim_matches('"');
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    let (host, port) = h.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

/// A server's address rules: deny wins; a non-empty allow list admits only its ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpRules {
    pub allow: Vec<IpNet>,
    pub deny: Vec<IpNet>,
}

impl IpRules {
    pub fn admits(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        if self.deny.iter().any(|n| n.contains(&ip)) {
            return false;
        }
        self.allow.is_empty() || self.allow.iter().any(|n| n.contains(&ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|s| s.parse().ok()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn rules_table() {
        let cases: &[(&[&str], &[&str], &str, bool)] = &[
            (&[], &[], "203.0.113.9", true),
            (&[], &["203.0.113.0/24"], "203.0.113.9", false),
            (&[], &["203.0.113.0/24"], "198.51.100.1", true),
            (&["10.0.0.0/8"], &[], "10.1.2.3", true),
            (&["10.0.0.0/8"], &[], "11.0.0.1", false),
            (&["10.0.0.0/8"], &["10.9.0.0/16"], "10.9.1.1", false),
            (&["10.0.0.0/8"], &["10.9.0.0/16"], "10.8.1.1", true),
            (&["2001:db8::/32"], &[], "2001:db8::5", true),
            (&["2001:db8::/32"], &[], "2001:db9::5", false),
            (&[], &["2001:db8:1::/48"], "2001:db8:1::9", false),
            (&["10.0.0.0/8"], &[], "::ffff:10.0.0.1", true),
            (&[], &["192.0.2.1/32"], "::ffff:192.0.2.1", false),
        ];
        for (allow, deny, addr, want) in cases {
            let rules = IpRules { allow: nets(allow), deny: nets(deny) };
            assert_eq!(rules.admits(ip(addr)), *want, "allow {allow:?} deny {deny:?} {addr}");
        }
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted = nets(&["10.0.0.0/8", "fd00::/8"]);
        let xff = |v: &'static str| forwarded_hops(&[v], &[]);
        // Untrusted peer: its headers are ignored.
        assert_eq!(client_ip(ip("198.51.100.7"), xff("1.2.3.4").into_iter(), &trusted), ip("198.51.100.7"));
        // Trusted peer: the nearest untrusted hop.
        assert_eq!(client_ip(ip("10.0.0.2"), xff("1.2.3.4").into_iter(), &trusted), ip("1.2.3.4"));
        assert_eq!(client_ip(ip("10.0.0.2"), xff("6.6.6.6, 1.2.3.4, 10.0.0.9").into_iter(), &trusted), ip("1.2.3.4"));
        // A spoofed left part never wins over the hop the trusted proxy saw.
        assert_eq!(client_ip(ip("10.0.0.2"), xff("127.0.0.1, 5.6.7.8").into_iter(), &trusted), ip("5.6.7.8"));
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(client_ip(ip("10.0.0.2"), xff("1.2.3.4, nonsense").into_iter(), &trusted), ip("10.0.0.2"));
        // No header: the peer.
        assert_eq!(client_ip(ip("10.0.0.2"), std::iter::empty(), &trusted), ip("10.0.0.2"));
        // Forwarded (RFC 7239), with ports and IPv6.
        let fwd = forwarded_hops(&[], &["for=192.0.2.60;proto=http, for=\"[2001:db8::7]:4711\""]);
        assert_eq!(fwd, ["192.0.2.60", "\"[2001:db8::7]:4711\""]);
        assert_eq!(client_ip(ip("fd00::1"), fwd.into_iter(), &trusted), ip("2001:db8::7"));
        assert_eq!(client_ip(ip("10.0.0.2"), xff("1.2.3.4:5555").into_iter(), &trusted), ip("1.2.3.4"));
    }
}

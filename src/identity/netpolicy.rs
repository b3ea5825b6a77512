//! The address policy for URLs the gateway learned from the network (client ID metadata
//! documents, endpoints named by an OpenID provider's discovery document): an address is fetched
//! from only if it is global unicast, and the request goes to exactly the address that was
//! checked.
//!
//! The rule is an allow-list, not a block-list: IPv6 must be in 2000::/3 (RFC 4291 §2.4, global
//! unicast), and neither family may fall in a range of the IANA IPv4 and IPv6 Special-Purpose
//! Address Registries (RFC 6890) that is not globally reachable, nor in multicast or reserved
//! space. Ranges a translator or tunnel maps onto IPv4 (NAT64, 6to4, Teredo) are refused whole:
//! the IPv4 address they lead to could be anything. An IPv4-mapped IPv6 address is judged by
//! the IPv4 address it carries.
//!
//! Callers are told only "not a public address", never what a name resolved to: the answer
//! would let anyone read the gateway's DNS (the detail goes to the gateway's log at debug level).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use ipnet::{Ipv4Net, Ipv6Net};

/// What callers are told when an address is refused, or a name cannot be resolved to addresses
/// the policy allows.
pub const NOT_PUBLIC: &str = "not a public address";

/// IPv4 ranges that are not global unicast, with the RFC that reserves each.
pub const V4_SPECIAL: &[(Ipv4Net, &str)] = &[
    (Ipv4Net::new_assert(Ipv4Addr::new(0, 0, 0, 0), 8), "RFC 791: this network"),
    (Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8), "RFC 1918: private use"),
    (Ipv4Net::new_assert(Ipv4Addr::new(100, 64, 0, 0), 10), "RFC 6598: shared address space (CGNAT)"),
    (Ipv4Net::new_assert(Ipv4Addr::new(127, 0, 0, 0), 8), "RFC 1122: loopback"),
    (Ipv4Net::new_assert(Ipv4Addr::new(169, 254, 0, 0), 16), "RFC 3927: link local"),
    (Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12), "RFC 1918: private use"),
    (Ipv4Net::new_assert(Ipv4Addr::new(192, 0, 0, 0), 24), "RFC 6890: IETF protocol assignments"),
    (Ipv4Net::new_assert(Ipv4Addr::new(192, 0, 2, 0), 24), "RFC 5737: documentation (TEST-NET-1)"),
    (Ipv4Net::new_assert(Ipv4Addr::new(192, 88, 99, 0), 24), "RFC 7526: deprecated 6to4 relay anycast"),
    (Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16), "RFC 1918: private use"),
    (Ipv4Net::new_assert(Ipv4Addr::new(198, 18, 0, 0), 15), "RFC 2544: benchmarking"),
    (Ipv4Net::new_assert(Ipv4Addr::new(198, 51, 100, 0), 24), "RFC 5737: documentation (TEST-NET-2)"),
    (Ipv4Net::new_assert(Ipv4Addr::new(203, 0, 113, 0), 24), "RFC 5737: documentation (TEST-NET-3)"),
    (Ipv4Net::new_assert(Ipv4Addr::new(224, 0, 0, 0), 4), "RFC 5771: multicast"),
    (Ipv4Net::new_assert(Ipv4Addr::new(240, 0, 0, 0), 4), "RFC 1112: reserved"),
    (Ipv4Net::new_assert(Ipv4Addr::new(255, 255, 255, 255), 32), "RFC 919: limited broadcast"),
];

const fn v6(a: u16, b: u16, c: u16, prefix: u8) -> Ipv6Net {
    Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0), prefix)
}

/// IPv6 ranges that are not global unicast, with the RFC that reserves each. Only 2000::/3 is
/// global unicast at all (`GLOBAL_UNICAST`); the ranges outside it are listed for the record.
pub const V6_SPECIAL: &[(Ipv6Net, &str)] = &[
    (v6(0, 0, 0, 128), "RFC 4291: unspecified"),
    (Ipv6Net::new_assert(Ipv6Addr::LOCALHOST, 128), "RFC 4291: loopback"),
    (v6(0, 0, 0, 96), "RFC 4291: IPv4-compatible (deprecated)"),
    (v6(0x64, 0xff9b, 0, 96), "RFC 6052: IPv4/IPv6 translation (NAT64)"),
    (v6(0x64, 0xff9b, 1, 48), "RFC 8215: local-use IPv4/IPv6 translation"),
    (v6(0x100, 0, 0, 64), "RFC 6666: discard only"),
    (v6(0x2001, 0, 0, 23), "RFC 2928: IETF protocol assignments"),
    (v6(0x2001, 0, 0, 32), "RFC 4380: Teredo"),
    (v6(0x2001, 2, 0, 48), "RFC 5180: benchmarking"),
    (v6(0x2001, 0x10, 0, 28), "RFC 4843: ORCHID (deprecated)"),
    (v6(0x2001, 0x20, 0, 28), "RFC 7343: ORCHIDv2"),
    (v6(0x2001, 0xdb8, 0, 32), "RFC 3849: documentation"),
    (v6(0x2002, 0, 0, 16), "RFC 3056: 6to4"),
    (v6(0x3fff, 0, 0, 20), "RFC 9637: documentation"),
    (v6(0x5f00, 0, 0, 16), "RFC 9602: segment routing SIDs"),
    (v6(0xfc00, 0, 0, 7), "RFC 4193: unique local"),
    (v6(0xfe80, 0, 0, 10), "RFC 4291: link local"),
    (v6(0xfec0, 0, 0, 10), "RFC 3879: site local (deprecated)"),
    (v6(0xff00, 0, 0, 8), "RFC 4291: multicast"),
];

/// RFC 4291 §2.4: the global unicast space of IPv6.
const GLOBAL_UNICAST: Ipv6Net = v6(0x2000, 0, 0, 3);
/// RFC 4291 §2.5.5.2: IPv4-mapped IPv6 addresses.
const V4_MAPPED: Ipv6Net = Ipv6Net::new_assert(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96);

/// Why `ip` is not public (the registry entry it falls in), or `None` when it is global unicast.
pub fn special(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => V4_SPECIAL.iter().find(|(net, _)| net.contains(&v4)).map(|(_, why)| *why),
        IpAddr::V6(v6) => {
            if V4_MAPPED.contains(&v6) {
                let [.., a, b, c, d] = v6.octets();
                return special(IpAddr::V4(Ipv4Addr::new(a, b, c, d)));
            }
            if let Some((_, why)) = V6_SPECIAL.iter().find(|(net, _)| net.contains(&v6)) {
                return Some(*why);
            }
            (!GLOBAL_UNICAST.contains(&v6)).then_some("RFC 4291: not global unicast")
        }
    }
}

/// Whether `ip` is a global unicast address the gateway may fetch from.
pub fn is_public(ip: IpAddr) -> bool {
    special(ip).is_none()
}

/// The address to send a request for `host:port` to: resolved once, checked (every address
/// the name has must be public unless `private_ok`), and then pinned by the caller with
/// `pinned_client`. Errors say only what the caller may know.
pub async fn resolve_checked(host: &str, port: u16, private_ok: bool, timeout: Duration) -> Result<SocketAddr, String> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match tokio::time::timeout(timeout, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(addrs)) => addrs.collect(),
        Ok(Err(e)) => {
            tracing::debug!(host, error = %e, "cannot resolve a host named by the network");
            Vec::new()
        }
        Err(_) => {
            tracing::debug!(host, "resolving a host named by the network timed out");
            Vec::new()
        }
    };
    // A name that does not resolve is answered like one that resolves to a private address, so
    // the answer does not reveal which internal names exist.
    let first = addrs.first().copied().ok_or_else(|| NOT_PUBLIC.to_string())?;
    if !private_ok && let Some((addr, why)) = addrs.iter().find_map(|a| special(a.ip()).map(|why| (a, why))) {
        tracing::debug!(host, address = %addr.ip(), reason = why, "refused a host named by the network");
        return Err(NOT_PUBLIC.to_string());
    }
    Ok(first)
}

/// A client that sends requests for `host` to `addr` only: no proxy (a proxy would resolve the
/// name itself, past the check), no redirects, `timeout` per request.
pub fn pinned_client(host: &str, addr: SocketAddr, timeout: Duration) -> Result<reqwest::Client, String> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .resolve(host, addr)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn refuses_every_special_purpose_range() {
        for s in [
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.1",
            "192.0.0.170",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::808:808",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:2::1",
            "2001:10::1",
            "2001:20::1",
            "2001:1ff::1",
            "2001:db8::1",
            "2002:a9fe:a9fe::1",
            "2002:808:808::1",
            "3fff::1",
            "3fff:fff::1",
            "5f00::1",
            "fc00::1",
            "fd00::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "feff::1",
            "ff02::1",
            "4000::1",
            "1::1",
        ] {
            assert!(!is_public(ip(s)), "{s} must not be public");
        }
    }

    #[test]
    fn allows_global_unicast() {
        for s in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.1",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "::ffff:1.1.1.1",
            "2001:200::1",
            "2001:4860:4860::8888",
            "2606:4700::1111",
            "2a00:1450:4001::1",
            "3ffe::1",
            "3fff:1000::1",
        ] {
            assert!(is_public(ip(s)), "{s} must be public");
        }
    }

    #[test]
    fn every_range_names_its_rfc() {
        assert!(V4_SPECIAL.iter().all(|(_, why)| why.starts_with("RFC ")));
        assert!(V6_SPECIAL.iter().all(|(_, why)| why.starts_with("RFC ")));
        assert_eq!(special(ip("::ffff:10.0.0.1")), Some("RFC 1918: private use"));
        assert_eq!(special(ip("4000::1")), Some("RFC 4291: not global unicast"));
    }

    #[tokio::test]
    async fn answers_say_only_not_public() {
        let refused = resolve_checked("localhost", 443, false, Duration::from_secs(5)).await;
        assert_eq!(refused, Err(NOT_PUBLIC.to_string()));
        let unknown = resolve_checked("no-such-host.invalid", 443, false, Duration::from_secs(5)).await;
        assert_eq!(unknown, Err(NOT_PUBLIC.to_string()));
        let allowed = resolve_checked("127.0.0.1", 443, true, Duration::from_secs(5)).await;
        assert_eq!(allowed, Ok(SocketAddr::from(([127, 0, 0, 1], 443))));
    }
}

//! How sinks reach their receivers: syslog connections (`syslog`: TCP, TLS, UDP) and HTTP
//! requests (`http`: HEC, NDJSON, OTLP/HTTP), with the TLS configuration, connect and write
//! bounds they share. A failed certificate verification is an error, never a downgrade.

pub mod http;
pub mod syslog;

use std::sync::Arc;
use std::time::Duration;

pub use syslog::{Conn, connect};

use crate::model::parse_ca_pem;

/// How long connecting (resolution, TCP, TLS handshake) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a batch's write (or an HTTP request, its answer included) may take: a receiver that
/// accepts and never reads or answers is a failure.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The TLS client configuration for a receiver: its private CA (`ca_pem`), else the system's
/// trust store through the platform verifier.
pub fn tls_config(ca_pem: Option<&str>) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?;
    match ca_pem {
        Some(pem) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in parse_ca_pem(pem.as_bytes()).map_err(|e| e.0)? {
                roots.add(cert).map_err(|e| format!("--ca: {e}"))?;
            }
            Ok(builder.with_root_certificates(roots).with_no_client_auth())
        }
        None => {
            use rustls_platform_verifier::BuilderVerifierExt;
            Ok(builder.with_platform_verifier().map_err(|e| format!("TLS setup: {e}"))?.with_no_client_auth())
        }
    }
}

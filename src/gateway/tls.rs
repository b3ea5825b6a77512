//! TLS for the listener: a certificate and key from files, or a self-signed certificate made with
//! rcgen and kept in the data directory so clients can pin it across restarts.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// Builds an acceptor from PEM files.
pub fn from_files(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    let certs = CertificateDer::pem_file_iter(cert)
        .map_err(|e| anyhow::anyhow!("cannot read TLS certificate {}: {e}", cert.display()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("bad TLS certificate {}: {e}", cert.display()))?;
    if certs.is_empty() {
        anyhow::bail!("TLS certificate file {} holds no certificate", cert.display());
    }
    let key =
        PrivateKeyDer::from_pem_file(key).map_err(|e| anyhow::anyhow!("cannot read TLS key {}: {e}", key.display()))?;
    acceptor(certs, key)
}

/// A self-signed certificate for `names`, created once in `dir` (`tls-cert.pem`, `tls-key.pem`).
pub fn self_signed(dir: &Path, names: Vec<String>) -> anyhow::Result<TlsAcceptor> {
    let cert_path = dir.join("tls-cert.pem");
    let key_path = dir.join("tls-key.pem");
    if !cert_path.exists() || !key_path.exists() {
        let generated =
            rcgen::generate_simple_self_signed(names).map_err(|e| anyhow::anyhow!("cannot make a certificate: {e}"))?;
        write_private(&key_path, generated.signing_key.serialize_pem().as_bytes())?;
        std::fs::write(&cert_path, generated.cert.pem())?;
        tracing::info!(cert = %cert_path.display(), "created a self-signed TLS certificate");
    }
    from_files(&cert_path, &key_path)
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    Ok(())
}

fn acceptor(certs: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> anyhow::Result<TlsAcceptor> {
    let mut config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| anyhow::anyhow!("TLS certificate and key do not fit: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

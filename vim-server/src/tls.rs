//! The server's certificate: a PEM pair given on the command line, or a self-signed one
//! made at start (as vcsim and a fresh vCenter do), with its SHA-256 fingerprint so that a
//! client can pin it.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A TLS server configuration and the certificate's SHA-256 fingerprint (hex, `:`-separated).
pub struct Tls {
    pub config: Arc<rustls::ServerConfig>,
    pub fingerprint: String,
    /// The certificate in PEM (for `vimsim --cert-out`: a client's CA bundle).
    pub cert_pem: String,
}

/// A fresh self-signed certificate for `localhost` and `127.0.0.1`.
pub fn self_signed() -> Result<Tls, String> {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()]).map_err(|e| e.to_string())?;
    let cert = CertificateDer::from(ck.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.key_pair.serialize_der()));
    let pem = pem("CERTIFICATE", ck.cert.der());
    build(cert, key, pem)
}

/// DER in a PEM section (base64 in lines of 64).
fn pem(label: &str, der: &[u8]) -> String {
    let mut b64 = Vec::new();
    vim_runtime::xml::base64_encode(der, &mut b64);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn build(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>, cert_pem: String) -> Result<Tls, String> {
    let digest = ring::digest::digest(&ring::digest::SHA256, cert.as_ref());
    let fingerprint = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":");
    // ring, not aws-lc-rs (which needs cmake and clang to build). Newer rustls releases
    // deprecate ring's provider for lacking post-quantum key exchange; vCenter and ESXi do not
    // offer it either, and a user's fresh resolution must still build with warnings denied.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| e.to_string())?;
    Ok(Tls { config: Arc::new(config), fingerprint, cert_pem })
}

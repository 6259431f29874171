//! The rustls configuration for each [`TlsMode`]. `Verify` and `PinSha256` check the
//! handshake signatures and differ in which certificate they accept; `AcceptInvalid` checks
//! nothing (see [`signature_failed`]). A refused certificate's error carries its
//! SHA-256 fingerprint, so the message can say what to pin.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, OtherError, RootCertStore, SignatureScheme};

use crate::{ClientCert, ConnectError, TlsMode};

/// The certificates of a PEM bundle (other sections ignored), or why there are none.
fn pem_certs(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, ConnectError> {
    use rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConnectError::InvalidOptions(format!("{what}: not valid PEM ({e})")))?;
    if certs.is_empty() {
        return Err(ConnectError::InvalidOptions(format!("{what}: no `BEGIN CERTIFICATE` section")));
    }
    Ok(certs)
}

pub(crate) fn client_config(mode: &TlsMode, ca_pem: Option<&[u8]>, client_cert: Option<&ClientCert>) -> Result<ClientConfig, ConnectError> {
    // ring, not aws-lc-rs (which needs cmake and clang to build). Newer rustls releases
    // deprecate ring's provider for lacking post-quantum key exchange; vCenter and ESXi do not
    // offer it either, and a user's fresh resolution must still build with warnings denied.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let policy = match mode {
        TlsMode::Verify => {
            let mut roots = RootCertStore::empty();
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            if let Some(pem) = ca_pem {
                for cert in pem_certs(pem, "the CA bundle")? {
                    roots.add(cert).map_err(|e| {
                        ConnectError::InvalidOptions(format!("the CA bundle: a certificate cannot be a trust anchor ({e})"))
                    })?;
                }
            }
            if roots.is_empty() {
                Policy::NoRoots
            } else {
                let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| ConnectError::TlsSetup(e.to_string()))?;
                Policy::WebPki(webpki)
            }
        }
        TlsMode::AcceptInvalid => Policy::Any,
        TlsMode::PinSha256(pin) => Policy::Pin(*pin),
    };
    if ca_pem.is_some() && *mode != TlsMode::Verify {
        return Err(ConnectError::InvalidOptions("a CA bundle is used with TlsMode::Verify only".into()));
    }
    let verifier = Verifier { policy, provider: provider.clone() };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnectError::TlsSetup(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let config = match client_cert {
        None => builder.with_no_client_auth(),
        Some(c) => {
            use rustls::pki_types::pem::PemObject;
            let chain = pem_certs(&c.cert_pem, "the client certificate")?;
            let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(&c.key_pem)
                .map_err(|e| ConnectError::InvalidOptions(format!("the client key: no PEM private key ({e})")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| ConnectError::InvalidOptions(format!("the client certificate and key do not go together: {e}")))?
        }
    };
    Ok(config)
}

/// Why a certificate was refused, and which one it was.
#[derive(Debug)]
pub(crate) struct CertRejected {
    pub reason: String,
    pub sha256: [u8; 32],
    /// Pinning it would help (false when the key itself cannot be used).
    pub pinnable: bool,
}

impl fmt::Display for CertRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (SHA-256 {})", self.reason, fingerprint_hex(&self.sha256))
    }
}

impl std::error::Error for CertRejected {}

/// `AB:CD:...`, as `openssl x509 -fingerprint -sha256` writes it.
pub fn fingerprint_hex(fp: &[u8; 32]) -> String {
    fp.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

pub(crate) fn sha256(der: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest.as_ref().try_into().expect("32 bytes")
}

#[derive(Debug)]
enum Policy {
    WebPki(Arc<WebPkiServerVerifier>),
    /// Verify mode on a system without trusted roots: refuse, saying why.
    NoRoots,
    Any,
    Pin([u8; 32]),
}

#[derive(Debug)]
struct Verifier {
    policy: Policy,
    provider: Arc<CryptoProvider>,
}

fn rejected(reason: String, end_entity: &CertificateDer<'_>) -> rustls::Error {
    rejected_as(reason, end_entity, true)
}

fn rejected_as(reason: String, end_entity: &CertificateDer<'_>, pinnable: bool) -> rustls::Error {
    let sha256 = sha256(end_entity.as_ref());
    let why = CertRejected { reason, sha256, pinnable };
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(why))))
}

/// The server's handshake signature did not verify. With `AcceptInvalid` it is not checked:
/// that mode does not authenticate the peer, whose certificate (and so key) could be anyone's,
/// and servers with keys ring refuses (vcsim's 1024-bit RSA test certificate) stay reachable.
fn signature_failed(e: rustls::Error, cert: &CertificateDer<'_>) -> rustls::Error {
    rejected_as(format!("its handshake signature does not verify ({e}; RSA keys under 2048 bits are refused)"), cert, false)
}

fn describe(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => "it is not signed by a trusted authority (self-signed?)".into(),
            CertificateError::NotValidForName => "it is not issued for this host name".into(),
            CertificateError::Expired => "it has expired".into(),
            CertificateError::NotValidYet => "it is not valid yet".into(),
            CertificateError::Revoked => "it is revoked".into(),
            CertificateError::Other(o) if o.0.to_string() == "CaUsedAsEndEntity" => {
                "it is a CA certificate used as the server's own (typical of a self-signed one)".into()
            }
            // webpki's reasons for a chain it cannot build; the variant name says enough.
            other => {
                let debug = format!("{other:?}");
                let name = debug.split([' ', '(', '{']).next().unwrap_or(&debug).to_string();
                format!("it could not be verified against this system's trusted roots ({name})")
            }
        },
        other => other.to_string(),
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.policy {
            Policy::WebPki(webpki) => webpki
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                .map_err(|e| rejected(describe(&e), end_entity)),
            Policy::NoRoots => Err(rejected("this system has no trusted root certificates to check it against".into(), end_entity)),
            Policy::Any => Ok(ServerCertVerified::assertion()),
            Policy::Pin(pin) => {
                if sha256(end_entity.as_ref()) == *pin {
                    Ok(ServerCertVerified::assertion())
                } else {
                    Err(rejected(format!("it is not the pinned certificate {}", fingerprint_hex(pin)), end_entity))
                }
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        if matches!(self.policy, Policy::Any) {
            return Ok(HandshakeSignatureValid::assertion());
        }
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms).map_err(|e| signature_failed(e, cert))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        if matches!(self.policy, Policy::Any) {
            return Ok(HandshakeSignatureValid::assertion());
        }
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms).map_err(|e| signature_failed(e, cert))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

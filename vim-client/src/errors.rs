//! What goes wrong below the API: reaching the server, TLS, HTTP.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::tls::{fingerprint_hex, CertRejected};
use crate::Endpoint;

/// Why [`Client::connect`](crate::Client::connect) failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConnectError {
    /// The URL cannot be an API endpoint.
    InvalidUrl { url: String, reason: String },
    /// Neither `https://` nor `http://`.
    UnsupportedScheme { url: String, scheme: String },
    /// No TCP connection: the name does not resolve, nothing listens, a firewall drops it.
    Unreachable { host: String, reason: String },
    /// The server's certificate was refused under the chosen [`TlsMode`](crate::TlsMode).
    Certificate {
        host: String,
        reason: String,
        /// SHA-256 of the certificate the server presented (to pin it, once checked).
        sha256: Option<[u8; 32]>,
        /// Whether pinning the certificate would be accepted (not when its key is unusable).
        pinnable: bool,
    },
    /// The TLS handshake failed for another reason (often: the port does not speak TLS).
    Tls { host: String, reason: String },
    /// The server wants a client certificate and none was given
    /// ([`ClientOptions::with_client_cert`](crate::ClientOptions::with_client_cert)).
    ClientCertificateRequired { host: String },
    /// The connection broke or the answer was not HTTP.
    Protocol { host: String, reason: String, https: bool },
    /// No answer within [`ClientOptions::timeout`](crate::ClientOptions::timeout).
    Timeout { host: String, after: Duration },
    /// The server answers HTTP but `vimServiceVersions.xml` is not what a vSphere endpoint serves.
    NotVsphere { url: String, detail: String },
    /// The server offers no API version these bindings know.
    NoCommonVersion { host: String, offered: Vec<String>, known: (String, String) },
    /// The TLS configuration could not be built.
    TlsSetup(String),
    /// A [`ClientOptions`](crate::ClientOptions) value cannot be used.
    InvalidOptions(String),
    /// Connected, but the login with the options' (or the URL's) credentials failed.
    Login { host: String, reason: crate::SessionError },
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::InvalidUrl { url, reason } => write!(f, "invalid URL `{url}`: {reason}"),
            ConnectError::UnsupportedScheme { url, scheme } => {
                write!(f, "unsupported URL scheme `{scheme}` in `{url}`: use https://HOST/sdk (or http:// for an endpoint without TLS)")
            }
            ConnectError::Unreachable { host, reason } => {
                write!(f, "cannot reach {host}: {reason} (is the address right and the server up?)")
            }
            ConnectError::Certificate { host, reason, sha256, pinnable } => {
                write!(f, "the TLS certificate of {host} was refused: {reason}.")?;
                if let Some(fp) = sha256 {
                    write!(f, " Its SHA-256 fingerprint is {}.", fingerprint_hex(fp))?;
                }
                if *pinnable {
                    write!(
                        f,
                        " If you trust this server, pin that fingerprint (TlsMode::PinSha256) or accept any certificate (TlsMode::AcceptInvalid, --insecure)"
                    )
                } else {
                    write!(f, " If you trust this server, accept any certificate (TlsMode::AcceptInvalid, --insecure)")
                }
            }
            ConnectError::Tls { host, reason } => {
                write!(f, "TLS handshake with {host} failed: {reason} (if this port serves plain HTTP, use an http:// URL)")
            }
            ConnectError::Protocol { host, reason, https } => {
                write!(f, "{host} did not answer like an HTTP server: {reason}")?;
                if !https {
                    write!(f, " (if it expects TLS, use an https:// URL)")?;
                }
                Ok(())
            }
            ConnectError::ClientCertificateRequired { host } => write!(
                f,
                "{host} requires a TLS client certificate: give one with ClientOptions::with_client_cert (PEM certificate and key)"
            ),
            ConnectError::Timeout { host, after } => write!(f, "{host} did not answer within {after:?}"),
            ConnectError::NotVsphere { url, detail } => {
                write!(f, "no vSphere API at this address: GET {url}: {detail}")
            }
            ConnectError::NoCommonVersion { host, offered, known: (oldest, newest) } => {
                write!(f, "{host} offers API versions {} but these bindings know {oldest} to {newest}", offered.join(", "),)
            }
            ConnectError::TlsSetup(reason) => write!(f, "cannot set up TLS: {reason}"),
            ConnectError::InvalidOptions(reason) => write!(f, "invalid client options: {reason}"),
            ConnectError::Login { host, reason } => write!(f, "connected to {host} but could not log in: {reason}"),
        }
    }
}

impl StdError for ConnectError {}

/// Why a call did not get an answer (inside [`vim_runtime::Error::Transport`]; downcast the box
/// to this type to tell the cases apart).
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// No complete answer within [`ClientOptions::timeout`](crate::ClientOptions::timeout).
    Timeout { host: String, after: Duration },
    /// An HTTP status other than 200 and 500 (SOAP answers with one of those two).
    Status { host: String, status: u16, excerpt: String },
    /// The connection could not be made or broke.
    Connection { host: String, reason: String },
    /// The answer was well-formed but lacks something the call needs.
    Protocol(String),
    /// The call did not complete within its per-call timeout
    /// ([`SessionOptions::call_timeout`](crate::SessionOptions::call_timeout)), re-login and
    /// retries included.
    CallTimeout { method: &'static str, after: Duration },
    /// The server had ended the session and logging in again failed.
    Relogin(Box<crate::SessionError>),
}

impl TransportError {
    /// Whether this is a timeout: of one exchange, or of the whole call.
    pub fn is_timeout(&self) -> bool {
        matches!(self, TransportError::Timeout { .. } | TransportError::CallTimeout { .. })
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Timeout { host, after } => write!(f, "{host} did not answer within {after:?}"),
            TransportError::Status { host, status, excerpt } => {
                write!(f, "{host} answered HTTP {status}")?;
                if !excerpt.is_empty() {
                    write!(f, ": {excerpt}")?;
                }
                Ok(())
            }
            TransportError::Connection { host, reason } => write!(f, "connection to {host} failed: {reason}"),
            TransportError::Protocol(reason) => f.write_str(reason),
            TransportError::CallTimeout { method, after } => write!(f, "{method} did not complete within its call timeout of {after:?}"),
            TransportError::Relogin(e) => write!(f, "the server ended the session and logging in again failed: {e}"),
        }
    }
}

impl StdError for TransportError {}

/// The first 200 characters of a body, on one line.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(800)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(200).collect();
    if one_line.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// Every error in the chain, with the `rustls::Error` hidden inside `io::Error`s.
fn chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut cur = Some(err);
    while let Some(e) = cur {
        out.push(e);
        // `io::Error::source` skips the error it wraps: look inside it explicitly.
        // (hyper-rustls wraps tokio-rustls's io::Error in another one.)
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            cur = Some(inner);
        } else {
            cur = e.source();
        }
    }
    out
}

fn find_rustls<'a>(links: &[&'a (dyn StdError + 'static)]) -> Option<&'a rustls::Error> {
    links.iter().find_map(|e| e.downcast_ref::<rustls::Error>())
}

/// The most specific messages of the chain (hyper's outer "client error (Connect)" dropped).
fn reason(links: &[&(dyn StdError + 'static)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in links.iter().skip(1) {
        let s = e.to_string();
        // An io::Error displays like the error it wraps: keep one of them.
        if parts.last().is_some_and(|p| *p == s) {
            continue;
        }
        parts.push(s);
    }
    if parts.is_empty() {
        links.first().map(|e| e.to_string()).unwrap_or_default()
    } else {
        parts.join(": ")
    }
}

/// A failed HTTP exchange: sending the request, or reading the body.
#[derive(Debug)]
pub(crate) enum HttpFailure {
    Request(hyper_util::client::legacy::Error),
    Body(hyper::Error),
}

impl HttpFailure {
    fn links(&self) -> Vec<&(dyn StdError + 'static)> {
        match self {
            HttpFailure::Request(e) => chain(e),
            // Put a placeholder head on the chain so `reason` keeps hyper's own message.
            HttpFailure::Body(e) => {
                let mut v: Vec<&(dyn StdError + 'static)> = vec![e];
                v.extend(chain(e));
                v
            }
        }
    }
}

pub(crate) fn classify_connect(err: &HttpFailure, endpoint: &Endpoint) -> ConnectError {
    let host = endpoint.authority.clone();
    let links = err.links();
    if let Some(tls) = find_rustls(&links) {
        return match tls {
            rustls::Error::InvalidCertificate(cert) => {
                let (reason, sha256, pinnable) = match cert {
                    rustls::CertificateError::Other(other) => match other.0.downcast_ref::<CertRejected>() {
                        Some(r) => (r.reason.clone(), Some(r.sha256), r.pinnable),
                        None => (other.0.to_string(), None, true),
                    },
                    other => (format!("{other:?}"), None, true),
                };
                ConnectError::Certificate { host, reason, sha256, pinnable }
            }
            rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired) => ConnectError::ClientCertificateRequired { host },
            other => ConnectError::Tls { host, reason: other.to_string() },
        };
    }
    if matches!(err, HttpFailure::Request(e) if e.is_connect()) {
        return ConnectError::Unreachable { host, reason: reason(&links) };
    }
    ConnectError::Protocol { host, reason: reason(&links), https: endpoint.https }
}

pub(crate) fn classify_transport(err: &HttpFailure, host: &str) -> TransportError {
    let links = err.links();
    TransportError::Connection { host: host.to_string(), reason: reason(&links) }
}

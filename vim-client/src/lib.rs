//! The async SOAP transport for the vSphere API: a [`Client`] that implements
//! [`vim_runtime::Invoke`], so every generated client trait (`SessionManagerClient`,
//! `PropertyCollectorClient`, ...) of any generated crate works on it. It depends on the
//! runtime only: the workspace's `vim-types`, or a crate you generate from another spec or
//! API version with `cargo xtask gen --out`, plugs in through its `API` table.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use vim_client::{Client, ClientOptions, TlsMode};
//! use vim_types::{MoRef, ServiceInstance, ServiceInstanceClient, SessionManagerClient};
//! let options = ClientOptions { tls: TlsMode::AcceptInvalid, ..ClientOptions::default() };
//! let client = Client::connect(&vim_types::API, "https://vcenter.example.com/sdk", options).await?;
//! let root: MoRef<ServiceInstance> = MoRef::new("ServiceInstance");
//! let content = client.retrieve_service_content(&root).await?;
//! let sessions = content.session_manager.ok_or("no session manager")?;
//! let session = client.login(&sessions, "administrator@vsphere.local", "secret", None).await?;
//! println!("logged in as {} (API {})", session.user_name, client.api_version().version());
//! client.logout(&sessions).await?;
//! # Ok(()) }
//! ```
//!
//! What [`Client::connect`] does: it reads `/sdk/vimServiceVersions.xml`, picks the newest API
//! version both the server and the bindings' [`ApiInfo`] know, and sends every call with
//! `SOAPAction: urn:vim25/<that version>`. A method newer than that version is refused before
//! anything is sent ([`vim_runtime::Error::VersionTooOld`]). The `vmware_soap_session` cookie the server sets is
//! kept and sent back, so the client is one session; clones share it.
//!
//! For programs that run for long, [`ClientOptions`] also logs in at connect (or with the
//! `user:password@` of the URL), logs in again when the server ends the session
//! ([`SessionOptions::relogin`], one login for all the calls that failed together), keeps an
//! idle session alive, bounds each call ([`TransportError::CallTimeout`]), retries reads
//! ([`is_idempotent`]), goes through HTTP proxies ([`Proxy`], `HTTPS_PROXY`), trusts a CA
//! bundle, presents a client certificate, and logs the wire with passwords and cookies taken
//! out ([`WireLog`]); [`Client::shutdown`] logs out. The repository's `docs/sessions.md` has
//! an example per feature.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE, COOKIE, SET_COOKIE, USER_AGENT};
use hyper::{Request, Uri};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use vim_runtime::{ApiInfo, ApiVersion, Invoke, ManagedObjectReference, Method};

mod error;
mod errors;
mod finder;
mod props;
mod proxy;
mod session;
mod stream;
mod tasks;
mod tls;
mod versions;
mod wire;
mod wirelog;

pub use error::{Error, FaultValue, Result};
pub use errors::{ConnectError, TransportError};
pub use finder::Entry;
pub use props::{AnyPath, Object, Pages, Retrieve, View};
pub use proxy::{Proxy, ProxyError};
pub use session::{is_idempotent, Credentials, CredentialsFuture, SessionError, SessionOptions, SessionStats};
pub use stream::{Change, ChangeStream, Changes};
pub use tasks::{TaskProgress, TaskResult, TaskState, TaskWait};
pub use wire::{Core, RawFault};
pub use wirelog::{Direction, WireLog, WireRecord};

use vim_runtime::soap;

/// The name of the cookie that carries the vSphere session.
pub const SESSION_COOKIE: &str = "vmware_soap_session";

/// How to reach a server.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// How long one HTTP exchange (connect, send, read the whole answer) may take.
    pub timeout: Duration,
    /// How to judge the server's certificate.
    pub tls: TlsMode,
    /// Fail a response that lacks a field the schema requires, instead of giving the field its
    /// default value and reporting it (see `vim_runtime::xml`). Off by default: real servers
    /// (vcsim, for one) leave out required fields.
    pub strict_decode: bool,
    /// The `User-Agent` header (vCenter shows it in the session list).
    pub user_agent: String,
    /// Login at connect, re-login, keepalive, per-call timeout, retries of reads (all off by
    /// default); see docs/sessions.md and the `with_*` methods.
    pub session: SessionOptions,
    /// The HTTP proxy (default: from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`).
    pub proxy: Proxy,
    /// PEM certificates trusted besides the system's roots, with [`TlsMode::Verify`].
    pub ca_pem: Option<Vec<u8>>,
    /// A client certificate for servers that ask for one.
    pub client_cert: Option<ClientCert>,
    /// Every request and response, redacted, handed to a callback.
    pub wire_log: Option<WireLog>,
}

/// A TLS client certificate: its PEM chain and PEM private key.
#[derive(Clone)]
pub struct ClientCert {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

impl fmt::Debug for ClientCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCert").field("cert_pem", &format_args!("{} bytes", self.cert_pem.len())).finish_non_exhaustive()
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(60),
            tls: TlsMode::Verify,
            strict_decode: false,
            user_agent: concat!("vim-client/", env!("CARGO_PKG_VERSION")).to_string(),
            session: SessionOptions::default(),
            proxy: Proxy::default(),
            ca_pem: None,
            client_cert: None,
            wire_log: None,
        }
    }
}

/// How the server's TLS certificate is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Against the system's trusted roots, for the host name in the URL.
    Verify,
    /// Accept any certificate (a lab's self-signed vCenter). The connection is encrypted but
    /// the peer is not authenticated.
    AcceptInvalid,
    /// Accept exactly the certificate whose DER encoding has this SHA-256 digest (what
    /// `openssl x509 -noout -fingerprint -sha256` prints, and what a certificate error reports).
    PinSha256([u8; 32]),
}

impl TlsMode {
    /// Parses a fingerprint written as 64 hex digits, with or without `:` separators.
    pub fn pin_from_hex(s: &str) -> Option<TlsMode> {
        let hex: Vec<u8> = s.bytes().filter(|b| *b != b':').collect();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in hex.chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).ok()?;
            out[i] = u8::from_str_radix(text, 16).ok()?;
        }
        Some(TlsMode::PinSha256(out))
    }
}

type HttpClient = hyper_util::client::legacy::Client<HttpsConnector<proxy::Connector>, Full<Bytes>>;

/// A connection to one vSphere endpoint (vCenter or ESXi): one session, one negotiated API
/// version. Cheap to clone; clones share the connection pool and the session.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// [`Client::with_call_timeout`]'s limit, over the options' one.
    call_timeout: Option<Duration>,
}

/// An HTTP answer, and the session generation its request was sent in.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Bytes,
    pub generation: u64,
}

struct Inner {
    http: HttpClient,
    /// `https://host:port/sdk`.
    endpoint: Uri,
    /// `host:port`, for messages.
    authority: String,
    version: ApiVersion,
    /// The newest version the server announced (may be newer than the bindings know).
    server_version: String,
    soap_action: HeaderValue,
    user_agent: HeaderValue,
    options: ClientOptions,
    /// The session cookie (`vmware_soap_session=<value>` as the server set it), credentials,
    /// keepalive.
    session: session::Shared,
    /// The bindings' API (versions, managed objects).
    api: &'static ApiInfo,
    /// ServiceContent's references, read once by the session calls or the helpers (`Client::core`).
    core: std::sync::OnceLock<wire::Core>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("version", &self.inner.version)
            .field("server_version", &self.inner.server_version)
            .finish_non_exhaustive()
    }
}

/// The parts of a parsed endpoint URL.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `user:password@` of the URL, percent-decoded.
    pub credentials: Option<(String, String)>,
    pub https: bool,
    /// `host:port` (port always present).
    pub authority: String,
    /// `/sdk`, or a prefix ending in `/sdk`.
    pub path: String,
}

/// `https://host[:port][/sdk]`, `http://...`, or a bare `host[:port]` (HTTPS).
pub(crate) fn parse_url(url: &str) -> Result<Endpoint, ConnectError> {
    let url = url.trim();
    // Messages never repeat a password given in the URL.
    let shown = proxy::redact_userinfo(url);
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("https".to_string(), url),
    };
    let https = match scheme.as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(ConnectError::UnsupportedScheme { url: shown, scheme }),
    };
    let invalid = |reason: &str| ConnectError::InvalidUrl { url: shown.clone(), reason: reason.to_string() };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if path.contains(['?', '#']) {
        return Err(invalid("a query or fragment has no place in an API endpoint"));
    }
    if authority.is_empty() {
        return Err(invalid("no host name"));
    }
    // `user:password@host` (vcsim prints such a URL): logged in with at connect.
    let (credentials, authority) = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let Some((user, password)) = userinfo.split_once(':') else {
                return Err(invalid(
                    "a user name without a password: write user:password@host, or give the credentials in ClientOptions::with_login",
                ));
            };
            (Some((proxy::percent_decode(user), proxy::percent_decode(password))), host)
        }
        None => (None, authority),
    };
    if authority.is_empty() {
        return Err(invalid("no host name"));
    }
    // `host`, `host:port`, `[v6]`, `[v6]:port`.
    let has_port = match authority.rfind(':') {
        Some(i) => !authority[i..].contains(']'),
        None => false,
    };
    let authority = if has_port {
        let port = &authority[authority.rfind(':').unwrap() + 1..];
        if port.parse::<u16>().is_err() {
            return Err(invalid("the port is not a number from 0 to 65535"));
        }
        authority.to_string()
    } else {
        format!("{authority}:{}", if https { 443 } else { 80 })
    };
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.ends_with("/sdk") { trimmed.to_string() } else { format!("{trimmed}/sdk") };
    let endpoint = Endpoint { credentials, https, authority, path };
    // Let the URI parser have the last word on characters.
    endpoint.uri("").map_err(|_| invalid("not a valid URL"))?;
    Ok(endpoint)
}

impl Endpoint {
    pub(crate) fn uri(&self, suffix: &str) -> Result<Uri, hyper::http::uri::InvalidUri> {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}{}{suffix}", self.authority, self.path).parse()
    }
}

impl Client {
    /// Connects to `url` (`https://host[:port]/sdk`; `/sdk` is added when missing, a bare
    /// `host` means HTTPS) and negotiates the API version through `vimServiceVersions.xml`.
    /// Does not log in.
    /// `api` is the generated crate's `API` (`&vim_types::API`): the versions the bindings know.
    pub async fn connect(api: &'static ApiInfo, url: &str, options: ClientOptions) -> Result<Client, ConnectError> {
        let mut endpoint = parse_url(url)?;
        session::check(&options.session)?;
        let host = endpoint.authority.clone();
        let credentials = match (endpoint.credentials.take(), &options.session.login) {
            (Some(_), Some(_)) => {
                return Err(ConnectError::InvalidOptions("credentials both in the URL and in the options: give them once".into()))
            }
            (Some((user, password)), None) => Some(Credentials::password(user, password)),
            (None, login) => login.clone(),
        };
        let tls = tls::client_config(&options.tls, options.ca_pem.as_deref(), options.client_cert.as_ref())?;
        let route = proxy::resolve(&options.proxy, endpoint.https, &|name| std::env::var(name).ok())?;
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(options.timeout));
        let connector = proxy::Connector { http: tcp, route: route.map(Arc::new) };
        let https =
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls).https_or_http().enable_http1().wrap_connector(connector);
        let http: HttpClient = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(https);
        let user_agent = HeaderValue::from_str(&options.user_agent)
            .map_err(|_| ConnectError::InvalidOptions("the user agent is not a valid HTTP header value".into()))?;

        let versions_uri = endpoint.uri("/vimServiceVersions.xml").expect("checked by parse_url");
        let request = Request::get(versions_uri.clone())
            .header(USER_AGENT, user_agent.clone())
            .body(Full::new(Bytes::new()))
            .expect("a valid request");
        let exchange = async {
            let response = http.request(request).await.map_err(errors::HttpFailure::Request)?;
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.map_err(errors::HttpFailure::Body)?.to_bytes();
            Ok::<_, errors::HttpFailure>((status, body))
        };
        let (status, body) = match tokio::time::timeout(options.timeout, exchange).await {
            Err(_) => return Err(ConnectError::Timeout { host, after: options.timeout }),
            Ok(Err(e)) => return Err(errors::classify_connect(&e, &endpoint)),
            Ok(Ok(x)) => x,
        };
        if status != 200 {
            return Err(ConnectError::NotVsphere {
                url: versions_uri.to_string(),
                detail: format!("it answered HTTP {status}: {}", errors::excerpt(&body)),
            });
        }
        let text = String::from_utf8_lossy(&body);
        let namespaces = versions::parse(&text);
        let Some(vim25) = namespaces.iter().find(|n| n.name == "urn:vim25") else {
            return Err(ConnectError::NotVsphere {
                url: versions_uri.to_string(),
                detail: format!("it names no urn:vim25 namespace: {}", errors::excerpt(&body)),
            });
        };
        let Some(version) = versions::negotiate(api, vim25) else {
            let mut offered = vec![vim25.version.clone()];
            offered.extend(vim25.prior.iter().cloned());
            let known = (api.versions[0].version().to_string(), api.latest().version().to_string());
            return Err(ConnectError::NoCommonVersion { host, offered, known });
        };
        let soap_action = HeaderValue::from_str(&format!("urn:{}", version.namespace())).expect("ASCII");
        let client = Client {
            call_timeout: None,
            inner: Arc::new(Inner {
                http,
                endpoint: endpoint.uri("").expect("checked by parse_url"),
                authority: host.clone(),
                version,
                server_version: vim25.version.clone(),
                soap_action,
                user_agent,
                options,
                session: session::Shared::new(credentials),
                api,
                core: std::sync::OnceLock::new(),
            }),
        };
        session::start(&client).await.map_err(|reason| ConnectError::Login { host, reason })?;
        Ok(client)
    }

    /// The bindings' API the client was connected with.
    pub fn api(&self) -> &'static ApiInfo {
        self.inner.api
    }

    /// The API version negotiated with the server: calls are sent in its namespace, and
    /// methods newer than it are refused.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.version
    }

    /// The newest API version the server announced (`6.5`), which may be one the bindings do
    /// not know.
    pub fn server_api_version(&self) -> &str {
        &self.inner.server_version
    }

    /// The SOAP endpoint (`https://host:443/sdk`).
    pub fn endpoint(&self) -> &Uri {
        &self.inner.endpoint
    }

    /// The options the client was made with.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The session cookie's value (`"52a3..."`, quotes included as the server sent them), once
    /// the server has set one.
    pub fn session_cookie(&self) -> Option<String> {
        let state = self.inner.session.state.lock().unwrap();
        state.cookie.as_ref().map(|c| c[SESSION_COOKIE.len() + 1..].to_string())
    }

    /// Uses an existing session (a cookie value from [`Client::session_cookie`]), or none.
    pub fn set_session_cookie(&self, value: Option<&str>) {
        self.inner.session.state.lock().unwrap().cookie = value.map(|v| format!("{SESSION_COOKIE}={v}"));
    }

    /// POSTs a complete SOAP envelope to the endpoint with this client's headers and session
    /// cookie, and returns the HTTP status and the whole body. The typed path
    /// ([`Invoke::invoke`]) is built on it (adding the per-call timeout, retries and
    /// re-login); use it to send hand-written XML.
    pub async fn send_raw(&self, envelope: Vec<u8>) -> Result<(u16, Bytes), TransportError> {
        let reply = self.exchange("(raw)", Bytes::from(envelope), session::Kind::Call).await?;
        Ok((reply.status, reply.body))
    }

    /// One HTTP exchange, wire-logged; the cookie the answer sets is kept when the session's
    /// rule allows (see `session::State`).
    pub(crate) async fn exchange(&self, method: &str, envelope: Bytes, kind: session::Kind) -> Result<Reply, TransportError> {
        let inner = &*self.inner;
        let (cookie, generation) = {
            let state = inner.session.state.lock().unwrap();
            (state.cookie.clone(), state.generation)
        };
        inner.session.touch();
        let log = inner.options.wire_log.as_ref();
        if let Some(log) = log {
            let body = wirelog::redact_all(method, &envelope, &[cookie.as_deref()]);
            (log.0)(&WireRecord { direction: Direction::Request, method, status: None, cookie: cookie.is_some(), elapsed: None, body });
        }
        let sent_cookie = if log.is_some() { cookie.clone() } else { None };
        let mut request = Request::post(inner.endpoint.clone())
            .header(CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", inner.soap_action.clone())
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        let request = request.body(Full::new(envelope)).expect("a valid request");
        let started = Instant::now();
        let exchange = async {
            let response = inner.http.request(request).await.map_err(errors::HttpFailure::Request)?;
            let set = self.remember_cookie(response.headers(), generation, kind);
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.map_err(errors::HttpFailure::Body)?.to_bytes();
            Ok::<_, errors::HttpFailure>((status, body, set))
        };
        // A handle's longer call timeout lifts the exchange's (a long poll).
        let limit = self.call_timeout.map_or(inner.options.timeout, |c| c.max(inner.options.timeout));
        let (status, body, set) = match tokio::time::timeout(limit, exchange).await {
            Err(_) => return Err(TransportError::Timeout { host: inner.authority.clone(), after: limit }),
            Ok(Err(e)) => return Err(errors::classify_transport(&e, &inner.authority)),
            Ok(Ok(x)) => x,
        };
        if let Some(log) = log {
            let now = inner.session.state.lock().unwrap().cookie.clone();
            let record = WireRecord {
                direction: Direction::Response,
                method,
                status: Some(status),
                cookie: set,
                elapsed: Some(started.elapsed()),
                body: wirelog::redact_all(method, &body, &[sent_cookie.as_deref(), now.as_deref()]),
            };
            (log.0)(&record);
        }
        Ok(Reply { status, body, generation })
    }

    /// Keeps the session cookie a response sets; returns whether it set one.
    fn remember_cookie(&self, headers: &HeaderMap, generation: u64, kind: session::Kind) -> bool {
        let mut set = false;
        for value in headers.get_all(SET_COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            let pair = value.split(';').next().unwrap_or("").trim();
            if let Some((name, v)) = pair.split_once('=') {
                if name.trim() == SESSION_COOKIE {
                    set = true;
                    let v = v.trim();
                    let mut state = self.inner.session.state.lock().unwrap();
                    let current = state.generation == generation && !state.relogging;
                    if kind == session::Kind::Login || current {
                        // An empty value is the server dropping the session.
                        state.cookie = (!v.is_empty() && v != "\"\"").then(|| format!("{SESSION_COOKIE}={v}"));
                    }
                }
            }
        }
        set
    }

    fn decode_options(&self) -> soap::DecodeOptions {
        soap::DecodeOptions { strict: self.inner.options.strict_decode }
    }
}

impl Invoke for Client {
    async fn invoke<M: Method>(
        &self,
        this: ManagedObjectReference,
        request: M::Request<'_>,
    ) -> std::result::Result<M::Response, vim_runtime::Error<M::Fault>> {
        let negotiated = self.inner.version;
        if M::INFO.since > negotiated {
            return Err(vim_runtime::Error::VersionTooOld { method: M::INFO.name, since: M::INFO.since, negotiated });
        }
        if let Some((parameter, since)) = M::newest_param_set(&request).filter(|&(_, since)| since > negotiated) {
            return Err(vim_runtime::Error::ParameterTooNew { method: M::INFO.name, parameter, since, negotiated });
        }
        let envelope = soap::request_body::<M>(&this, &request);
        drop(request);
        let Reply { status, body, .. } =
            self.send_call(M::INFO.wsdl_name, Bytes::from(envelope)).await.map_err(|e| vim_runtime::Error::Transport(Box::new(e)))?;
        match status {
            200 | 500 => soap::decode_response::<M>(&body, &self.decode_options()),
            _ => Err(vim_runtime::Error::Transport(Box::new(TransportError::Status {
                host: self.inner.authority.clone(),
                status,
                excerpt: errors::excerpt(&body),
            }))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let e = parse_url("https://vc.example.com/sdk").unwrap();
        assert_eq!(e, Endpoint { credentials: None, https: true, authority: "vc.example.com:443".into(), path: "/sdk".into() });
        let e = parse_url("http://127.0.0.1:8989").unwrap();
        assert_eq!(e, Endpoint { credentials: None, https: false, authority: "127.0.0.1:8989".into(), path: "/sdk".into() });
        let e = parse_url("vc.example.com/").unwrap();
        assert_eq!(e, Endpoint { credentials: None, https: true, authority: "vc.example.com:443".into(), path: "/sdk".into() });
        let e = parse_url("HTTPS://[::1]:8443/sdk/").unwrap();
        assert_eq!(e, Endpoint { credentials: None, https: true, authority: "[::1]:8443".into(), path: "/sdk".into() });
        let e = parse_url("https://[::1]/proxy").unwrap();
        assert_eq!(e, Endpoint { credentials: None, https: true, authority: "[::1]:443".into(), path: "/proxy/sdk".into() });
        assert!(matches!(parse_url("ftp://x/sdk"), Err(ConnectError::UnsupportedScheme { .. })));
        assert!(matches!(parse_url("https:///sdk"), Err(ConnectError::InvalidUrl { .. })));
        assert!(matches!(parse_url("https://x:99999/sdk"), Err(ConnectError::InvalidUrl { .. })));
        let e = parse_url("https://us%40r:p%3Ass@127.0.0.1:8989/sdk").unwrap();
        assert_eq!(e.credentials, Some(("us@r".to_string(), "p:ss".to_string())));
        assert_eq!(e.authority, "127.0.0.1:8989");
        let err = parse_url("https://user@x/sdk").unwrap_err().to_string();
        assert!(err.contains("without a password"), "{err}");
        assert!(matches!(parse_url("https://u:p@/sdk"), Err(ConnectError::InvalidUrl { .. })));
        let err = parse_url("https://u:hunter2@x:99999/sdk").unwrap_err().to_string();
        assert!(err.contains("***@x:99999") && !err.contains("hunter2"), "{err}");
        let err = parse_url("ftp://u:hunter2@x/sdk").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn pins() {
        let hex = "AB:".repeat(31) + "CD";
        assert_eq!(
            TlsMode::pin_from_hex(&hex),
            Some(TlsMode::PinSha256({
                let mut p = [0xab; 32];
                p[31] = 0xcd;
                p
            }))
        );
        assert_eq!(TlsMode::pin_from_hex("abc"), None);
        assert_eq!(TlsMode::pin_from_hex(&"zz".repeat(32)), None);
    }
}

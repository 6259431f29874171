//! The dispatcher: HTTP in, SOAP out. `POST /sdk` is decoded up to its operation and
//! `_this`; the method is looked up in the endpoint's API metadata ([`Endpoint::api`], the
//! generated crate's `API`) by the reference's type ([`ManagedObjectInfo::method`]); the
//! session cookie and the method's privilege are checked; only then does the [`Endpoint`]
//! see the call. Every failure is a SOAP fault written as vCenter writes it, and the server
//! keeps serving.
//!
//! Nothing here depends on a generated crate: the faults the dispatcher raises itself are
//! the runtime's [`StandardFault`]s, and an endpoint brings its own value and fault types,
//! so the same dispatcher serves an endpoint built on any generated API.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use vim_runtime::server::{envelope, fault_envelope, fault_message, Call, Reply, StandardFault};
use vim_runtime::xml::{Encode, Writer};
use vim_runtime::{ApiInfo, ApiVersion, CallContext, ManagedObjectInfo, ManagedObjectReference, Privilege};

use crate::auth::Role;
use crate::connections::{Phase, Registry, Slot};

/// The name of vSphere's session cookie.
pub const SESSION_COOKIE: &str = "vmware_soap_session";

/// Who is calling: the user of a live session.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_name: String,
    pub locale: String,
    pub role: Role,
}

/// What a vSphere endpoint implements for the dispatcher: the API it speaks, its sessions,
/// its objects, and the generated `serve` functions of their types (see `crate::sim::Vimsim`
/// for one on the workspace's generated crate, and `tests/generic_endpoint.rs` for one on
/// the runtime alone).
pub trait Endpoint: Send + Sync + 'static {
    /// A property's value (for `Fetch`): typically the generated crate's `AnyValue`.
    type Value: Encode + Send;
    /// What reading a property may raise: typically the generated crate's `AnyMethodFault`.
    type Fault: Encode + Send;

    /// The API the endpoint serves: the generated crate's `API` (versions for
    /// `/sdk/vimServiceVersions.xml` and `SOAPAction`, methods and their privileges).
    fn api(&self) -> &'static ApiInfo;

    /// The WSDL served at `/sdk/vim.wsdl` and `/sdk/vimService.wsdl`.
    fn wsdl(&self) -> &str;

    /// The caller of a live session (and the call is counted on it), or `None`.
    fn caller(&self, session_key: &str) -> Option<Caller>;

    /// Whether the endpoint has the object `this` names.
    fn has_object(&self, this: &ManagedObjectReference) -> bool;

    /// Serves a call the dispatcher has let through (the session and privilege are checked),
    /// typically `match this.type_name { "SessionManager" => SessionManager::serve(..), .. }`.
    fn serve(&self, ctx: &CallContext, this: ManagedObjectReference, call: Call<'_>) -> impl Future<Output = Reply> + Send;

    /// One property of an object (for `Fetch`); `Ok(None)` when it is unset. The dispatcher
    /// has checked the property's privilege.
    fn property(
        &self,
        ctx: &CallContext,
        this: &ManagedObjectReference,
        name: &str,
    ) -> impl Future<Output = Result<Option<Self::Value>, Self::Fault>> + Send;

    /// Writes `Fetch`'s result for a set property: a single value as one `<returnval>`, an
    /// array as one `<returnval>` per item (as vCenter answers).
    fn write_fetch_result(&self, value: &Self::Value, w: &mut Writer);
}

/// Bounds on what one request may cost.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest request body, bytes.
    pub max_body: usize,
    /// Deepest element nesting in a request.
    pub max_depth: usize,
    /// Longest text in one element, bytes.
    pub max_text: usize,
    /// Time to answer once the body is in.
    pub request_timeout: Duration,
    /// Connections held at once. When all are taken, a new one closes the oldest that is
    /// only waiting (idle keep-alive first, then unfinished headers, then unfinished bodies;
    /// never one whose call runs). Default: from the open-file limit
    /// ([`crate::connections::fd_budget`]).
    pub max_connections: usize,
    /// Time a connection has to send a request's headers, from its first byte or from the
    /// end of its previous answer (so also how long an idle keep-alive connection is kept).
    /// Seconds, not minutes: every waiting connection holds a descriptor.
    pub header_timeout: Duration,
    /// Time to receive a request's body once its headers are in (a deadline, so a client
    /// trickling a byte at a time is cut off after it).
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 16 << 20,
            max_depth: 64,
            max_text: 4 << 20,
            request_timeout: Duration::from_secs(60),
            max_connections: crate::connections::fd_budget(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// An HTTP request as the dispatcher needs it (transport-free, so tests can call
/// [`handle`] directly).
#[derive(Clone, Debug, Default)]
pub struct HttpRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub content_type: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub soap_action: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub client_ip: Option<String>,
    pub body: &'a [u8],
    /// Served over TLS (the cookie gets `Secure`).
    pub tls: bool,
}

/// The answer.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: &'static str,
    /// A `Set-Cookie` value, when the call created a session.
    pub set_cookie: Option<String>,
    pub body: Vec<u8>,
}

const XML: &str = "text/xml; charset=utf-8";

impl HttpResponse {
    fn xml(status: u16, body: Vec<u8>) -> HttpResponse {
        HttpResponse { status, content_type: XML, set_cookie: None, body }
    }

    fn fault<F: Encode + ?Sized>(fault: &F, message: &str) -> HttpResponse {
        HttpResponse::xml(500, fault_envelope(fault, message))
    }
}

/// `/sdk/vimServiceVersions.xml`: the namespace and the versions an API has, newest first,
/// as clients read it to negotiate.
pub fn service_versions(api: &ApiInfo) -> String {
    let mut prior: Vec<&str> = Vec::new();
    for v in api.versions.iter().rev().skip(1) {
        if let Some(n) = v.namespace().strip_prefix("vim25/") {
            if !prior.contains(&n) {
                prior.push(n);
            }
        }
    }
    let latest = api.latest().version();
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<namespaces version=\"1.0\">\n <namespace>\n  <name>urn:vim25</name>\n");
    s.push_str(&format!("  <version>{latest}</version>\n  <priorVersions>\n"));
    for p in prior {
        s.push_str(&format!("   <version>{p}</version>\n"));
    }
    s.push_str("  </priorVersions>\n </namespace>\n</namespaces>\n");
    s
}

/// The session key of a `Cookie` header (`vmware_soap_session="52a…"`, quotes optional).
pub fn session_cookie(header: &str) -> Option<&str> {
    header.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k.trim() == SESSION_COOKIE).then(|| v.trim().trim_matches('"'))
    })
}

/// The version a `SOAPAction` asks for (`"urn:vim25/5.5"`): unknown or absent is the newest.
fn requested_version(api: &ApiInfo, soap_action: Option<&str>) -> ApiVersion {
    soap_action
        .map(|a| a.trim().trim_matches('"'))
        .and_then(|a| a.strip_prefix("urn:"))
        .and_then(|ns| api.version_of_namespace(ns))
        .unwrap_or(api.latest())
}

const INVALID_REQUEST: StandardFault = StandardFault::InvalidRequest;

fn method_not_found(this: &ManagedObjectReference, op: &str) -> StandardFault {
    StandardFault::MethodNotFound { receiver: this.clone(), method: op.to_string() }
}

fn object_not_found(this: &ManagedObjectReference) -> StandardFault {
    StandardFault::ManagedObjectNotFound { obj: this.clone() }
}

/// The fault (if any) for calling something that needs `privilege` on `this`, as `caller`.
/// `System.Anonymous` needs no session; anything else (no fixed privilege included) needs
/// one, and the caller's role must hold the privilege.
pub fn check_access(caller: Option<&Caller>, this: &ManagedObjectReference, privilege: Option<Privilege>) -> Option<StandardFault> {
    if privilege.is_some_and(|p| p.id() == "System.Anonymous") {
        return None;
    }
    let id = privilege.map_or("System.View", |p| p.id());
    match (caller, privilege) {
        (None, _) => Some(StandardFault::NotAuthenticated { object: this.clone(), privilege_id: id.to_string() }),
        (Some(c), Some(p)) if !c.role.has(p) => Some(StandardFault::NoPermission { object: this.clone(), privilege_id: id.to_string() }),
        (Some(_), _) => None,
    }
}

/// Answers one HTTP request.
pub async fn handle<E: Endpoint>(endpoint: &E, limits: &Limits, req: HttpRequest<'_>) -> HttpResponse {
    let path = req.path.split('?').next().unwrap_or("");
    match (req.method, path) {
        ("GET", "/sdk/vimServiceVersions.xml") => HttpResponse::xml(200, service_versions(endpoint.api()).into_bytes()),
        ("GET", "/sdk/vim.wsdl" | "/sdk/vimService.wsdl") => HttpResponse::xml(200, endpoint.wsdl().as_bytes().to_vec()),
        ("POST", "/sdk") => soap(endpoint, limits, req).await,
        (_, "/sdk") => HttpResponse::fault(&INVALID_REQUEST, &format!("{} is not supported on /sdk: POST a SOAP request", req.method)),
        _ => HttpResponse { status: 404, content_type: "text/plain; charset=utf-8", set_cookie: None, body: b"not found\n".to_vec() },
    }
}

async fn soap<E: Endpoint>(endpoint: &E, limits: &Limits, req: HttpRequest<'_>) -> HttpResponse {
    let started = Instant::now();
    let ct = req.content_type.unwrap_or("").to_ascii_lowercase();
    if !(ct.starts_with("text/xml") || ct.starts_with("application/soap+xml")) {
        let msg = format!("unsupported content type {:?}: a SOAP request is text/xml", req.content_type.unwrap_or(""));
        tracing::info!(outcome = "InvalidRequest", "{msg}");
        return HttpResponse::fault(&INVALID_REQUEST, &msg);
    }
    let xml_limits = vim_runtime::xml::Limits { max_depth: limits.max_depth, max_text: limits.max_text };
    let (this, call) = match Call::parse(req.body, xml_limits) {
        Ok(x) => x,
        Err(e) => {
            tracing::info!(outcome = "InvalidRequest", error = %e, "undecodable request");
            return HttpResponse::fault(&INVALID_REQUEST, &format!("the request could not be read: {e}"));
        }
    };
    let op = call.operation();
    let key = req.cookie.and_then(session_cookie).map(str::to_string);
    let caller = key.as_deref().and_then(|k| endpoint.caller(k));
    let user = caller.as_ref().map(|c| c.user_name.clone());
    let version = requested_version(endpoint.api(), req.soap_action);
    // A caller without a live session gets a fresh key: a method that logs in creates the
    // session under it, and the response then carries it as the cookie.
    let session_key = match (&caller, key) {
        (Some(_), Some(k)) => k,
        _ => crate::sessions::fresh_key(),
    };
    let ctx = CallContext {
        session_key: Some(session_key.clone()),
        user_name: user.clone(),
        locale: caller.as_ref().map_or_else(|| "en".to_string(), |c| c.locale.clone()),
        version,
        client_ip: req.client_ip.clone(),
        user_agent: req.user_agent.map(str::to_string),
    };

    let (mut resp, outcome) = route(endpoint, &ctx, caller.as_ref(), this.clone(), op, call).await;
    if caller.is_none() && endpoint.caller(&session_key).is_some() {
        let secure = if req.tls { "; Secure" } else { "" };
        resp.set_cookie = Some(format!("{SESSION_COOKIE}=\"{session_key}\"; Path=/; HttpOnly{secure}"));
    }
    // Never the body: it may hold a password or a ticket.
    tracing::info!(
        op,
        this = %format_args!("{}:{}", this.type_name, this.value),
        user = user.as_deref().unwrap_or("-"),
        outcome = %outcome,
        micros = started.elapsed().as_micros() as u64,
        "call"
    );
    resp
}

/// The answer and the outcome to log (`ok` or the fault's class).
type Routed = (HttpResponse, String);

/// A fault answer with the usual message for its class.
fn fault_answer<F: Encode + ?Sized>(fault: &F) -> Routed {
    let class = fault.xsi_type().unwrap_or("MethodFault").to_string();
    (HttpResponse::fault(fault, &fault_message(&class)), class)
}

/// A fault answer with a message of its own.
fn fault_answer_with<F: Encode + ?Sized>(fault: &F, message: &str) -> Routed {
    let class = fault.xsi_type().unwrap_or("MethodFault").to_string();
    (HttpResponse::fault(fault, message), class)
}

/// Finds the method, checks access and the object, and runs the call.
async fn route<E: Endpoint>(
    endpoint: &E,
    ctx: &CallContext,
    caller: Option<&Caller>,
    this: ManagedObjectReference,
    op: &str,
    call: Call<'_>,
) -> Routed {
    let fail = |f: StandardFault| fault_answer(&f);
    let Some(mo) = endpoint.api().managed_object(&this.type_name) else {
        return fail(object_not_found(&this));
    };
    if op == "Fetch" {
        return fetch(endpoint, ctx, caller, mo, this, call).await;
    }
    let Some(method) = mo.method(op) else {
        return fail(method_not_found(&this, op));
    };
    if method.since > ctx.version {
        // Not part of the API version the caller speaks.
        return fail(method_not_found(&this, op));
    }
    if let Some(f) = check_access(caller, &this, method.privilege) {
        return fail(f);
    }
    if !endpoint.has_object(&this) {
        return fail(object_not_found(&this));
    }
    let reply = endpoint.serve(ctx, this.clone(), call).await;
    match reply {
        Reply::Response(b) => (HttpResponse::xml(200, b), "ok".into()),
        Reply::Fault { envelope, fault_type } => (HttpResponse::xml(500, envelope), fault_type),
        Reply::Invalid(e) => fault_answer_with(&INVALID_REQUEST, &format!("the request could not be read: {e}")),
        Reply::UnknownMethod(op) => fail(method_not_found(&this, &op)),
    }
}

/// `Fetch`: the undocumented one-property read pyVmomi uses for `obj.property`. Its result
/// is the value, or one `returnval` per item for an array.
async fn fetch<E: Endpoint>(
    endpoint: &E,
    ctx: &CallContext,
    caller: Option<&Caller>,
    mo: &'static ManagedObjectInfo,
    this: ManagedObjectReference,
    call: Call<'_>,
) -> Routed {
    let prop = match call.single_text_arg("prop") {
        Ok(p) => p,
        Err(e) => return fault_answer_with(&INVALID_REQUEST, &format!("the request could not be read: {e}")),
    };
    let Some(info) = mo.property(&prop) else {
        return fault_answer(&StandardFault::InvalidArgument { invalid_property: Some(prop) });
    };
    if let Some(f) = check_access(caller, &this, info.privilege) {
        return fault_answer(&f);
    }
    if !endpoint.has_object(&this) {
        return fault_answer(&object_not_found(&this));
    }
    match endpoint.property(ctx, &this, &prop).await {
        Ok(v) => {
            let body = envelope(|w: &mut Writer| {
                w.buf.extend_from_slice(b"<FetchResponse xmlns=\"urn:vim25\">");
                if let Some(v) = &v {
                    endpoint.write_fetch_result(v, w);
                }
                w.buf.extend_from_slice(b"</FetchResponse>");
            });
            (HttpResponse::xml(200, body), "ok".into())
        }
        Err(f) => fault_answer(&f),
    }
}

/// How to serve: TLS or not, and the limits.
#[derive(Clone, Default)]
pub struct ServerConfig {
    pub limits: Limits,
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// Serves HTTP(S) on `listener` until the task is dropped.
pub async fn run<E: Endpoint>(listener: TcpListener, endpoint: Arc<E>, config: ServerConfig) -> std::io::Result<()> {
    run_until(listener, endpoint, config, std::future::pending(), Duration::ZERO).await
}

/// Serves HTTP(S) on `listener` until `shutdown` completes, then shuts down gracefully:
/// the listener is closed (no new connection), idle connections close, a request that has
/// started is read, answered and its connection closed; returns once every connection is
/// gone or `drain` has passed, whichever comes first.
pub async fn run_until<E, S>(
    listener: TcpListener,
    endpoint: Arc<E>,
    config: ServerConfig,
    shutdown: S,
    drain: Duration,
) -> std::io::Result<()>
where
    E: Endpoint,
    S: Future<Output = ()>,
{
    let registry = Registry::new(config.limits.max_connections);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let acceptor = config.tls.clone().map(tokio_rustls::TlsAcceptor::from);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let (stream, peer) = match accepted {
            Ok(x) => x,
            // A failed accept (a reset, too many open files) must not stop the server.
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            () = registry.make_room() => {}
        }
        let slot = Arc::new(registry.admit());
        let _ = stream.set_nodelay(true);
        let endpoint = Arc::clone(&endpoint);
        let acceptor = acceptor.clone();
        let limits = config.limits;
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            match acceptor {
                Some(a) => {
                    let handshake = tokio::select! {
                        r = tokio::time::timeout(limits.header_timeout, a.accept(stream)) => r,
                        () = slot.close.notified() => return,
                    };
                    match handshake {
                        Ok(Ok(tls)) => serve_connection(TokioIo::new(tls), endpoint, limits, peer, true, slot, stop).await,
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
                None => serve_connection(TokioIo::new(stream), endpoint, limits, peer, false, slot, stop).await,
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + drain;
    while registry.len() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn serve_connection<I, E>(
    io: I,
    endpoint: Arc<E>,
    limits: Limits,
    peer: SocketAddr,
    tls: bool,
    slot: Arc<Slot>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    E: Endpoint,
{
    let conn_slot = Arc::clone(&slot);
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let endpoint = Arc::clone(&endpoint);
        let slot = Arc::clone(&conn_slot);
        async move {
            slot.set(Phase::Body);
            let answer = respond(&*endpoint, &limits, req, peer, tls, &slot).await;
            slot.set(Phase::Idle);
            Ok::<_, Infallible>(answer)
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(crate::connections::MAX_BUF)
        .serve_connection(io, service);
    tokio::pin!(conn);
    // Closing at shutdown is graceful: a request that has begun is answered, an idle
    // connection closes at once. Closing to make room is at once for a connection still
    // sending its request, and graceful (briefly) for an idle one, whose last answer may
    // still be on its way out.
    let result = tokio::select! {
        r = conn.as_mut() => r,
        () = slot.close.notified() => {
            if slot.phase() != Phase::Idle {
                return;
            }
            conn.as_mut().graceful_shutdown();
            tokio::time::timeout(crate::connections::IDLE_CLOSE, conn.as_mut()).await.unwrap_or(Ok(()))
        }
        () = async {
            // (The guard wait_for returns is not Send: drop it here.)
            let _ = stop.wait_for(|s| *s).await;
        } => {
            conn.as_mut().graceful_shutdown();
            // Bounded by the header, body and request timeouts.
            conn.as_mut().await
        }
    };
    if let Err(e) = result {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}

async fn respond<E: Endpoint>(
    endpoint: &E,
    limits: &Limits,
    req: Request<Incoming>,
    peer: SocketAddr,
    tls: bool,
    slot: &Slot,
) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let body = match tokio::time::timeout(limits.body_timeout, Limited::new(body, limits.max_body).collect()).await {
        Ok(Ok(b)) => {
            slot.set(Phase::Busy);
            b.to_bytes()
        }
        Ok(Err(e)) => {
            let too_big = e.downcast_ref::<http_body_util::LengthLimitError>().is_some();
            let msg = if too_big {
                format!("the request is larger than {} bytes", limits.max_body)
            } else {
                format!("the request body could not be read: {e}")
            };
            tracing::info!(%peer, outcome = "InvalidRequest", "{msg}");
            return http(HttpResponse::fault(&INVALID_REQUEST, &msg), true);
        }
        Err(_) => {
            tracing::info!(%peer, outcome = "InvalidRequest", "request body timed out");
            return http(HttpResponse::fault(&INVALID_REQUEST, "the request body was not received in time"), true);
        }
    };
    let request = HttpRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        content_type: header("content-type"),
        cookie: header("cookie"),
        soap_action: header("soapaction"),
        user_agent: header("user-agent"),
        client_ip: Some(peer.ip().to_string()),
        body: &body,
        tls,
    };
    let answer = match tokio::time::timeout(limits.request_timeout, handle(endpoint, limits, request)).await {
        Ok(a) => a,
        Err(_) => HttpResponse::fault(&StandardFault::RuntimeFault, "the request timed out"),
    };
    http(answer, false)
}

fn http(r: HttpResponse, close: bool) -> Response<Full<Bytes>> {
    let mut b = Response::builder().status(r.status).header("content-type", r.content_type);
    if let Some(c) = r.set_cookie {
        b = b.header("set-cookie", c);
    }
    if close {
        b = b.header("connection", "close");
    }
    b.body(Full::new(Bytes::from(r.body))).unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies() {
        assert_eq!(session_cookie("vmware_soap_session=\"52ab\""), Some("52ab"));
        assert_eq!(session_cookie("a=b; vmware_soap_session=52ab; c=d"), Some("52ab"));
        assert_eq!(session_cookie("vmware_soap_sessionx=1"), None);
    }

    static VERSIONS: [ApiVersion; 3] = [
        ApiVersion::new(0, &["v1", "API 5.0", "vim25/5.0"]),
        ApiVersion::new(1, &["v2", "API 5.1", "vim25/5.1"]),
        ApiVersion::new(2, &["v3", "API 5.5", "vim25/5.5"]),
    ];
    static API: ApiInfo = ApiInfo { versions: &VERSIONS, privileges: &[], managed_objects: &[] };

    #[test]
    fn versions_document_lists_the_latest_first() {
        let v = service_versions(&API);
        assert!(
            v.contains(
                "<version>5.5</version>\n  <priorVersions>\n   <version>5.1</version>\n   <version>5.0</version>\n  </priorVersions>"
            ),
            "{v}"
        );
        assert_eq!(requested_version(&API, Some("\"urn:vim25/5.1\"")), VERSIONS[1]);
        assert_eq!(requested_version(&API, Some("urn:vim25/99.0")), VERSIONS[2]);
        assert_eq!(requested_version(&API, None), VERSIONS[2]);
    }
}

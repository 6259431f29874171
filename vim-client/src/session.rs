//! Sessions that survive: login kept in the client, one shared re-login when the server says
//! `NotAuthenticated`, a keepalive for idle sessions, logout at [`Client::shutdown`], a
//! per-call timeout, and retries of idempotent reads on transport errors.
//!
//! The few calls this needs (`RetrieveServiceContent` for the `sessionManager` reference,
//! `Login`, `Logout`, `CurrentTime`) are written here on the vim25 wire format with the
//! runtime's XML writer and reader, not with generated types: vim-client depends on the
//! runtime only, and these four calls are the same in every vim25 version (see
//! docs/design.md).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use vim_runtime::xml::{DecodeError, Elem, Reader, Writer};
use vim_runtime::ManagedObjectReference;

use crate::{Client, ClientOptions, TransportError};

/// A future returned by a [`Credentials::Callback`].
pub type CredentialsFuture = Pin<Box<dyn Future<Output = Result<(String, String), String>> + Send>>;

/// What the client logs in with, at connect and again when the session is lost.
#[derive(Clone)]
pub enum Credentials {
    /// A user name and password kept in the client.
    Password { user: String, password: String },
    /// Asked for at every login (a vault, a prompt, a rotating password): returns the user
    /// name and password, or why there are none.
    Callback(Arc<dyn Fn() -> CredentialsFuture + Send + Sync>),
}

impl Credentials {
    pub fn password(user: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials::Password { user: user.into(), password: password.into() }
    }

    pub fn callback<F, Fut>(f: F) -> Credentials
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(String, String), String>> + Send + 'static,
    {
        Credentials::Callback(Arc::new(move || Box::pin(f())))
    }

    async fn get(&self) -> Result<(String, String), String> {
        match self {
            Credentials::Password { user, password } => Ok((user.clone(), password.clone())),
            Credentials::Callback(f) => f().await,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password { user, .. } => write!(f, "Password {{ user: {user:?}, password: *** }}"),
            Credentials::Callback(_) => f.write_str("Callback(..)"),
        }
    }
}

/// How the client keeps its session (all off by default, as a plain SOAP client).
#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    /// Log in at connect with these (a URL's `user:password@` fills it in when unset).
    pub login: Option<Credentials>,
    /// When a call fails with `NotAuthenticated` (the server ended the session: idle timeout,
    /// restart, an administrator), log in again with [`SessionOptions::login`] and retry the
    /// call once. Concurrent failing calls share one login.
    pub relogin: bool,
    /// Send `CurrentTime` when no call has gone out for this long, so that an idle session
    /// does not expire (vCenter ends sessions idle for 30 minutes by default). Checked four
    /// times per interval; stops at [`Client::shutdown`] or when the last clone is dropped.
    pub keepalive: Option<Duration>,
    /// The most a call may take, re-login, retries and waits included; past it the call
    /// fails with [`TransportError::CallTimeout`]. (`ClientOptions::timeout` bounds each HTTP
    /// exchange.) [`Client::with_call_timeout`] sets it for one handle.
    pub call_timeout: Option<Duration>,
    /// Re-send an idempotent read ([`is_idempotent`]) this many more times when the exchange
    /// fails below HTTP (connection refused or reset, exchange timeout), 100 ms apart and
    /// doubling.
    pub read_retries: u32,
}

/// The client's session state, shared by its clones.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    relogin: tokio::sync::Mutex<()>,
    credentials: Mutex<Option<Credentials>>,
    last_activity: Mutex<Instant>,
    keepalive_stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    logins: AtomicU64,
    relogins: AtomicU64,
    keepalives: AtomicU64,
    retries: AtomicU64,
}

/// The session cookie and its generation: a response may set the cookie only if it answers a
/// request of the current generation and no re-login is under way, so the late answer of a
/// call that failed before the re-login cannot overwrite the new session.
pub(crate) struct State {
    /// `vmware_soap_session=<value>`.
    pub cookie: Option<String>,
    pub generation: u64,
    pub relogging: bool,
}

impl Shared {
    pub(crate) fn new(credentials: Option<Credentials>) -> Shared {
        Shared {
            state: Mutex::new(State { cookie: None, generation: 0, relogging: false }),
            relogin: tokio::sync::Mutex::new(()),
            credentials: Mutex::new(credentials),
            last_activity: Mutex::new(Instant::now()),
            keepalive_stop: Mutex::new(None),
            logins: AtomicU64::new(0),
            relogins: AtomicU64::new(0),
            keepalives: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        }
    }

    pub(crate) fn touch(&self) {
        *self.last_activity.lock().unwrap() = Instant::now();
    }
}

/// What a request is, for the cookie rule of [`State`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Call,
    /// The client's own Login: it sets the cookie even during a re-login.
    Login,
}

/// Counters of what the session machinery did (since connect).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Logins the client made itself (at connect, [`Client::start_session`], re-logins).
    pub logins: u64,
    /// Of which re-logins after `NotAuthenticated`.
    pub relogins: u64,
    /// Keepalive calls sent.
    pub keepalives: u64,
    /// Idempotent reads re-sent after a transport error.
    pub retries: u64,
}

/// Why a login or logout failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError {
    /// No credentials: none in the options, the URL, or [`Client::start_session`].
    NoCredentials,
    /// The credentials callback failed.
    Credentials(String),
    /// The server refused (`InvalidLogin`, `NoPermission`, ...): the fault's class and message.
    Refused {
        method: &'static str,
        fault: String,
        message: String,
    },
    Transport(TransportError),
    /// The answer could not be read.
    Decode {
        method: &'static str,
        reason: String,
    },
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::NoCredentials => {
                f.write_str("no credentials to log in with (ClientOptions::with_login, or user:password@ in the URL)")
            }
            SessionError::Credentials(e) => write!(f, "the credentials callback failed: {e}"),
            SessionError::Refused { method, fault, message } => {
                write!(f, "{method} refused: {fault}")?;
                if !message.is_empty() {
                    write!(f, " ({message})")?;
                }
                Ok(())
            }
            SessionError::Transport(e) => e.fmt(f),
            SessionError::Decode { method, reason } => write!(f, "unreadable answer to {method}: {reason}"),
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl From<TransportError> for SessionError {
    fn from(e: TransportError) -> Self {
        SessionError::Transport(e)
    }
}

/// Whether a method may be sent again after a transport error: by its wire name, the reads
/// `Retrieve*` (`RetrievePropertiesEx`, `RetrieveServiceContent`, ...), `Find*`
/// (`FindByInventoryPath`, ...), `Query*`, `Fetch*` and `CurrentTime`. Not `Continue*` (a
/// result page is consumed when read) nor `WaitForUpdates*` (a long poll with its own
/// version tokens), nor anything that changes state.
pub fn is_idempotent(method: &str) -> bool {
    ["Retrieve", "Find", "Query", "Fetch"].iter().any(|p| method.starts_with(p)) || method == "CurrentTime"
}

/// Methods after whose `NotAuthenticated` no re-login is tried: logging in and out themselves.
fn relogin_applies(method: &str) -> bool {
    !(method.starts_with("Login") || method == "Logout" || method == "CloneSession")
}

impl ClientOptions {
    /// Log in at connect with this user name and password (kept in the client for
    /// [`SessionOptions::relogin`]).
    pub fn with_login(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.session.login = Some(Credentials::password(user, password));
        self
    }

    /// Log in at connect with what `f` returns, asked again at every re-login.
    pub fn with_login_callback<F, Fut>(mut self, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(String, String), String>> + Send + 'static,
    {
        self.session.login = Some(Credentials::callback(f));
        self
    }

    /// [`SessionOptions::relogin`] on.
    pub fn with_relogin(mut self) -> Self {
        self.session.relogin = true;
        self
    }

    /// [`SessionOptions::keepalive`].
    pub fn with_keepalive(mut self, every: Duration) -> Self {
        self.session.keepalive = Some(every);
        self
    }

    /// [`SessionOptions::call_timeout`].
    pub fn with_call_timeout(mut self, limit: Duration) -> Self {
        self.session.call_timeout = Some(limit);
        self
    }

    /// [`SessionOptions::read_retries`].
    pub fn with_read_retries(mut self, retries: u32) -> Self {
        self.session.read_retries = retries;
        self
    }

    /// Through this HTTP proxy (`http://[user:password@]host:port`).
    pub fn with_proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = crate::Proxy::url(url);
        self
    }

    /// Trust the certificates of this PEM bundle besides the system's roots
    /// ([`TlsMode::Verify`](crate::TlsMode::Verify)).
    pub fn with_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Present this client certificate (PEM chain) and its private key (PEM: PKCS#8, PKCS#1
    /// or SEC1) when the server asks for one.
    pub fn with_client_cert(mut self, cert_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> Self {
        self.client_cert = Some(crate::ClientCert { cert_pem: cert_pem.into(), key_pem: key_pem.into() });
        self
    }

    /// Hand each request and response, redacted, to `f` (see [`crate::WireRecord`]).
    pub fn with_wire_log(mut self, f: impl Fn(&crate::WireRecord<'_>) + Send + Sync + 'static) -> Self {
        self.wire_log = Some(crate::WireLog::new(f));
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The calls, on the wire

const ENVELOPE_OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" "#,
    r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "<soapenv:Body>"
);

fn envelope(op: &str, this: &ManagedObjectReference, args: impl FnOnce(&mut Writer)) -> Bytes {
    let mut w = Writer::new();
    w.buf.extend_from_slice(ENVELOPE_OPEN.as_bytes());
    w.buf.extend_from_slice(format!("<{op} xmlns=\"urn:vim25\">").as_bytes());
    w.field("_this", this);
    args(&mut w);
    w.close(op);
    w.buf.extend_from_slice(b"</soapenv:Body></soapenv:Envelope>");
    Bytes::from(w.buf)
}

fn service_instance() -> ManagedObjectReference {
    ManagedObjectReference { type_name: "ServiceInstance".into(), value: "ServiceInstance".into() }
}

/// A SOAP fault: the class of its `<detail>` (`InvalidLogin`), or the `faultcode`, and the
/// `faultstring`.
#[derive(Debug)]
pub(crate) struct Fault {
    pub class: String,
    pub message: String,
}

/// Reads a response body: `Ok(Ok(x))` with what `read` takes from the response element,
/// `Ok(Err(fault))` for a SOAP fault.
fn read_reply<T>(
    body: &[u8],
    read: impl for<'a> FnOnce(&mut Reader<'a>, &Elem<'a>) -> Result<T, DecodeError>,
) -> Result<Result<T, Fault>, DecodeError> {
    let mut r = Reader::new(body)?;
    let env = r.root()?;
    if env.name != "Envelope" {
        return Err(r.error(format!("expected a SOAP Envelope, found <{}>", env.name)));
    }
    while let Some(c) = if env.empty { None } else { r.child()? } {
        if c.name != "Body" {
            r.skip(&c)?;
            continue;
        }
        let first = match if c.empty { None } else { r.child()? } {
            Some(f) => f,
            None => return Err(r.error("empty SOAP Body")),
        };
        if first.name != "Fault" {
            return Ok(Ok(read(&mut r, &first)?));
        }
        let mut fault = Fault { class: String::new(), message: String::new() };
        let mut code = String::new();
        while let Some(f) = if first.empty { None } else { r.child()? } {
            match f.name {
                "faultcode" => code = r.text(&f)?.into_owned(),
                "faultstring" => fault.message = r.text(&f)?.into_owned(),
                "detail" if !f.empty => {
                    while let Some(d) = r.child()? {
                        if fault.class.is_empty() {
                            fault.class = match &d.xsi_type {
                                Some(t) => t.to_string(),
                                None => d.name.strip_suffix("Fault").unwrap_or(d.name).to_string(),
                            };
                        }
                        r.skip(&d)?;
                    }
                }
                _ => r.skip(&f)?,
            }
        }
        if fault.class.is_empty() {
            fault.class = code;
        }
        return Ok(Err(fault));
    }
    Err(r.error("no SOAP Body"))
}

/// The class of the fault in a response body, if it is one.
pub(crate) fn fault_class(body: &[u8]) -> Option<String> {
    match read_reply(body, |_, _| Ok(())) {
        Ok(Err(f)) => Some(f.class),
        _ => None,
    }
}

/// The service content of a RetrieveServiceContent answer (its `returnval`).
fn read_service_content<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Option<crate::wire::Core>, DecodeError> {
    let mut found = None;
    while let Some(rv) = if e.empty { None } else { r.child()? } {
        if rv.name == "returnval" {
            found = Some(crate::wire::read_core(r, &rv)?);
        } else {
            r.skip(&rv)?;
        }
    }
    Ok(found)
}

fn skip_all<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
    r.skip(e)
}

impl Client {
    /// Sends one wire-level call and reads its reply.
    async fn wire<T>(
        &self,
        method: &'static str,
        kind: Kind,
        body: Bytes,
        read: impl for<'a> FnOnce(&mut Reader<'a>, &Elem<'a>) -> Result<T, DecodeError>,
    ) -> Result<Result<T, Fault>, SessionError> {
        let reply = self.exchange(method, body, kind).await?;
        if reply.status != 200 && reply.status != 500 {
            return Err(SessionError::Transport(TransportError::Status {
                host: self.inner.authority.clone(),
                status: reply.status,
                excerpt: crate::errors::excerpt(&reply.body),
            }));
        }
        read_reply(&reply.body, read).map_err(|e| SessionError::Decode { method, reason: e.to_string() })
    }

    /// The `sessionManager` reference of the service content (read once, into the cache the
    /// helpers share: `Client::core`).
    async fn session_manager(&self) -> Result<ManagedObjectReference, SessionError> {
        const M: &str = "RetrieveServiceContent";
        let core = match self.inner.core.get() {
            Some(core) => core,
            None => {
                let body = envelope(M, &service_instance(), |_| {});
                match self.wire(M, Kind::Call, body, read_service_content).await? {
                    Ok(Some(core)) => self.inner.core.get_or_init(|| core),
                    Ok(None) => return Err(SessionError::Decode { method: M, reason: "the answer holds no service content".into() }),
                    Err(f) => return Err(SessionError::Refused { method: M, fault: f.class, message: f.message }),
                }
            }
        };
        let no_manager = || SessionError::Decode { method: M, reason: "the service content names no sessionManager".into() };
        core.session_manager.clone().ok_or_else(no_manager)
    }

    /// `Login` with the kept credentials.
    async fn login_now(&self, credentials: &Credentials) -> Result<(), SessionError> {
        let (user, password) = credentials.get().await.map_err(SessionError::Credentials)?;
        let sm = self.session_manager().await?;
        let body = envelope("Login", &sm, |w| {
            w.field("userName", user.as_str());
            w.field("password", password.as_str());
        });
        drop(password);
        self.inner.session.logins.fetch_add(1, Ordering::Relaxed);
        match self.wire("Login", Kind::Login, body, skip_all).await? {
            Ok(()) => Ok(()),
            Err(f) => Err(SessionError::Refused { method: "Login", fault: f.class, message: f.message }),
        }
    }

    /// Logs in now with `credentials` and keeps them for [`SessionOptions::relogin`]
    /// (for a client connected without credentials).
    pub async fn start_session(&self, credentials: Credentials) -> Result<(), SessionError> {
        self.login_now(&credentials).await?;
        *self.inner.session.credentials.lock().unwrap() = Some(credentials);
        Ok(())
    }

    /// Logs out (when the client holds a session) and stops the keepalive: no session is
    /// left on the server. A session the server had already ended is no error. Clones of
    /// the client are left without a session; calls through them fail with `NotAuthenticated`
    /// and no re-login is tried.
    pub async fn shutdown(&self) -> Result<(), SessionError> {
        let shared = &self.inner.session;
        if let Some(stop) = shared.keepalive_stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
        shared.credentials.lock().unwrap().take();
        if shared.state.lock().unwrap().cookie.is_none() {
            return Ok(());
        }
        let sm = self.session_manager().await?;
        let result = self.wire("Logout", Kind::Call, envelope("Logout", &sm, |_| {}), skip_all).await?;
        self.set_session_cookie(None);
        match result {
            Ok(()) => Ok(()),
            Err(f) if f.class == "NotAuthenticated" => Ok(()),
            Err(f) => Err(SessionError::Refused { method: "Logout", fault: f.class, message: f.message }),
        }
    }

    /// What the session machinery has done so far.
    pub fn session_stats(&self) -> SessionStats {
        let s = &self.inner.session;
        SessionStats {
            logins: s.logins.load(Ordering::Relaxed),
            relogins: s.relogins.load(Ordering::Relaxed),
            keepalives: s.keepalives.load(Ordering::Relaxed),
            retries: s.retries.load(Ordering::Relaxed),
        }
    }

    /// A handle on the same session whose calls each have at most `limit`, in place of
    /// [`SessionOptions::call_timeout`]: shorter for a call that must be quick, longer for a
    /// long poll (a limit over `ClientOptions::timeout` lifts that one too, so a
    /// `WaitForUpdatesEx` may wait longer than one ordinary exchange).
    pub fn with_call_timeout(&self, limit: Duration) -> Client {
        Client { inner: self.inner.clone(), call_timeout: Some(limit) }
    }

    /// One call of the typed path: the per-call timeout around retries and re-login.
    pub(crate) async fn send_call(&self, method: &'static str, body: Bytes) -> Result<crate::Reply, TransportError> {
        match self.call_timeout.or(self.inner.options.session.call_timeout) {
            None => self.call_inner(method, body).await,
            Some(limit) => match tokio::time::timeout(limit, self.call_inner(method, body)).await {
                Ok(r) => r,
                Err(_) => Err(TransportError::CallTimeout { method, after: limit }),
            },
        }
    }

    async fn call_inner(&self, method: &'static str, body: Bytes) -> Result<crate::Reply, TransportError> {
        let options = &self.inner.options.session;
        let retries = if is_idempotent(method) { options.read_retries } else { 0 };
        let mut attempt = 0;
        let mut relogged = false;
        loop {
            match self.exchange(method, body.clone(), Kind::Call).await {
                Err(e) if attempt < retries && matches!(e, TransportError::Timeout { .. } | TransportError::Connection { .. }) => {
                    tokio::time::sleep(Duration::from_millis(100 << attempt.min(6))).await;
                    attempt += 1;
                    self.inner.session.retries.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => return Err(e),
                Ok(reply)
                    if reply.status == 500
                        && options.relogin
                        && !relogged
                        && relogin_applies(method)
                        && fault_class(&reply.body).as_deref() == Some("NotAuthenticated") =>
                {
                    self.relogin(reply.generation).await?;
                    relogged = true;
                }
                Ok(reply) => return Ok(reply),
            }
        }
    }

    /// Logs in again unless another call already did since generation `seen`.
    async fn relogin(&self, seen: u64) -> Result<(), TransportError> {
        let shared = &self.inner.session;
        let _one = shared.relogin.lock().await;
        if shared.state.lock().unwrap().generation != seen {
            return Ok(());
        }
        let credentials = shared.credentials.lock().unwrap().clone();
        let Some(credentials) = credentials else {
            // Nothing to log in with (shut down, or never logged in): the fault stands.
            shared.state.lock().unwrap().generation += 1;
            return Ok(());
        };
        {
            let mut state = shared.state.lock().unwrap();
            state.relogging = true;
            state.cookie = None;
        }
        // Ends the re-login even when this future is dropped half-way (a call timeout).
        struct Done<'a>(&'a Shared);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                let mut state = self.0.state.lock().unwrap();
                state.relogging = false;
                state.generation += 1;
            }
        }
        let done = Done(shared);
        shared.relogins.fetch_add(1, Ordering::Relaxed);
        let result = self.login_now(&credentials).await;
        drop(done);
        result.map_err(|e| TransportError::Relogin(Box::new(e)))
    }
}

/// The session options' values that cannot work.
pub(crate) fn check(options: &SessionOptions) -> Result<(), crate::ConnectError> {
    let bad = |what: &str| Err(crate::ConnectError::InvalidOptions(what.to_string()));
    if options.keepalive.is_some_and(|d| d < Duration::from_millis(10)) {
        return bad("the keepalive interval must be at least 10 ms (vCenter's idle timeout is 30 minutes: 10 minutes is plenty)");
    }
    if options.call_timeout.is_some_and(|d| d.is_zero()) {
        return bad("a call timeout of zero lets no call through");
    }
    Ok(())
}

/// At connect: log in when there are credentials, start the keepalive when asked.
pub(crate) async fn start(client: &Client) -> Result<(), SessionError> {
    let credentials = client.inner.session.credentials.lock().unwrap().clone();
    if let Some(c) = credentials {
        client.login_now(&c).await?;
    }
    if let Some(every) = client.inner.options.session.keepalive {
        let (stop, stopped) = tokio::sync::oneshot::channel();
        *client.inner.session.keepalive_stop.lock().unwrap() = Some(stop);
        tokio::spawn(keepalive(Arc::downgrade(&client.inner), every, stopped));
    }
    Ok(())
}

/// Sends `CurrentTime` whenever nothing went out for `every`; ends when `stopped` resolves
/// (shutdown, or the sender dropped with the client).
async fn keepalive(inner: std::sync::Weak<crate::Inner>, every: Duration, mut stopped: tokio::sync::oneshot::Receiver<()>) {
    let check = (every / 4).max(Duration::from_millis(10));
    let mut tick = tokio::time::interval(check);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            _ = &mut stopped => return,
            _ = tick.tick() => {}
        }
        let Some(inner) = inner.upgrade() else { return };
        let idle = inner.session.last_activity.lock().unwrap().elapsed();
        if idle < every {
            continue;
        }
        let client = Client { inner, call_timeout: None };
        client.inner.session.keepalives.fetch_add(1, Ordering::Relaxed);
        // CurrentTime is a read: it is retried and, on NotAuthenticated, re-logs in like any call.
        let _ = client.send_call("CurrentTime", envelope("CurrentTime", &service_instance(), |_| {})).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_checked() {
        assert!(check(&SessionOptions::default()).is_ok());
        let zero = SessionOptions { keepalive: Some(Duration::ZERO), ..SessionOptions::default() };
        assert!(check(&zero).unwrap_err().to_string().contains("keepalive interval"));
        let zero = SessionOptions { call_timeout: Some(Duration::ZERO), ..SessionOptions::default() };
        assert!(check(&zero).is_err());
    }

    #[test]
    fn idempotent_names() {
        for m in ["RetrievePropertiesEx", "RetrieveServiceContent", "FindByInventoryPath", "QueryPerf", "FetchDVPorts", "CurrentTime"] {
            assert!(is_idempotent(m), "{m}");
        }
        for m in ["ContinueRetrievePropertiesEx", "WaitForUpdatesEx", "Login", "PowerOnVM_Task", "CreateFilter", "Destroy"] {
            assert!(!is_idempotent(m), "{m}");
        }
        assert!(!relogin_applies("Login") && !relogin_applies("LoginByToken") && !relogin_applies("Logout"));
        assert!(relogin_applies("RetrievePropertiesEx"));
    }

    #[test]
    fn faults_and_service_content() {
        let fault = br#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The session is not authenticated.</faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="Folder">group-d1</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
        assert_eq!(fault_class(fault).as_deref(), Some("NotAuthenticated"));
        let untyped = br#"<Envelope><Body><Fault><faultcode>Client</faultcode><faultstring>x</faultstring><detail><InvalidLoginFault/></detail></Fault></Body></Envelope>"#;
        assert_eq!(fault_class(untyped).as_deref(), Some("InvalidLogin"));
        let sc = br#"<Envelope><Body><RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder><about><name>x</name></about><sessionManager type="SessionManager">SessionManager</sessionManager></returnval></RetrieveServiceContentResponse></Body></Envelope>"#;
        let sm = read_reply(sc, read_service_content).unwrap().unwrap().unwrap().session_manager.unwrap();
        assert_eq!((sm.type_name.as_str(), sm.value.as_str()), ("SessionManager", "SessionManager"));
        assert_eq!(fault_class(sc), None);
        assert!(read_reply(b"<nope/>", skip_all).is_err());
        let login = envelope("Login", &sm, |w| {
            w.field("userName", "a<b");
            w.field("password", "p&q");
        });
        let text = String::from_utf8_lossy(&login);
        assert!(text.contains(r#"<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>a&lt;b</userName><password>p&amp;q</password></Login>"#), "{text}");
    }
}

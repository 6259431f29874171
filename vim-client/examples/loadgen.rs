//! A loopback load generator for vSphere SOAP endpoints (vcsim, vimsim): N concurrent clients
//! for D seconds, each on its own keep-alive HTTP/1.1 connection, sending raw SOAP envelopes.
//!
//! ```sh
//! cargo run --release -p vim-client --example loadgen -- --url http://127.0.0.1:PORT/sdk \
//!     --mode content|read|churn [--user U --password P] [--clients 16] [--duration 5] [--threads 1]
//! ```
//!
//! Modes:
//! - `content`: `RetrieveServiceContent`, anonymous.
//! - `read`: every client logs in once (before the clock starts), then reads the SessionManager's
//!   `currentSession` with `RetrievePropertiesEx`, again and again.
//! - `churn`: every client loops Login / the same read / Logout. Before and after, a separate
//!   monitor session counts `sessionList`: the counts must match (no leaked session), and every
//!   read inside a cycle must see its own session (no lost session).
//!
//! Output: human-readable lines, then one machine-readable line
//! `RESULT mode=read clients=16 requests=... seconds=... rps=... p50_us=... p99_us=... errors=...`
//! (plus `cycles=`, `sessions_before=`, `sessions_after=` in churn mode) and one
//! `ERROR kind=... count=...` line per kind of error. `cargo xtask bench-server` reads these.
//! The password is never printed.
//!
//! Raw envelopes and a bare hyper connection, not `vim_client::Client`: the point is to load the
//! server, so the client side does as little as it can (no decoding, no connection pool). Plain
//! HTTP only: TLS would measure the handshake and cipher more than the SOAP server.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, COOKIE, HOST, SET_COOKIE};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const USAGE: &str = "usage: loadgen --url http://HOST:PORT/sdk --mode content|read|churn [--user U --password P] \
                     [--clients N] [--duration SECS] [--threads T] [--timeout SECS]";

/// How long one request may take before it counts as a `timeout` error.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Content,
    Read,
    Churn,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Content => "content",
            Mode::Read => "read",
            Mode::Churn => "churn",
        }
    }
}

struct Args {
    addr: SocketAddr,
    /// `host:port`, the Host header.
    authority: String,
    path: String,
    mode: Mode,
    user: Option<String>,
    password: Option<String>,
    clients: usize,
    duration: Duration,
    threads: usize,
    timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut url, mut mode, mut user, mut password) = (None, None, None, None);
    let (mut clients, mut duration, mut threads, mut timeout) = (16usize, Duration::from_secs(5), 1usize, DEFAULT_TIMEOUT);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--url" => url = Some(value("--url")?),
            "--mode" => {
                mode = Some(match value("--mode")?.as_str() {
                    "content" => Mode::Content,
                    "read" => Mode::Read,
                    "churn" => Mode::Churn,
                    other => return Err(format!("unknown mode `{other}` (content, read or churn)")),
                })
            }
            "--user" => user = Some(value("--user")?),
            "--password" => password = Some(value("--password")?),
            "--clients" => clients = number(&value("--clients")?, "--clients")?,
            "--threads" => threads = number(&value("--threads")?, "--threads")?,
            "--duration" => duration = seconds(&value("--duration")?, "--duration")?,
            "--timeout" => timeout = seconds(&value("--timeout")?, "--timeout")?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let url = url.ok_or("--url is required")?;
    let mode = mode.ok_or("--mode is required")?;
    // Credentials inside the URL (vcsim prints `http://user:pass@host:port/sdk`) are defaults.
    let rest = match url.split_once("://") {
        Some(("http", rest)) => rest,
        Some(("https", _)) => return Err("https:// is not supported: load the server over plain HTTP".into()),
        _ => return Err(format!("--url wants http://HOST:PORT/sdk, got `{url}`")),
    };
    let (userinfo, rest) = match rest.rsplit_once('@') {
        Some((info, rest)) => (Some(info), rest),
        None => (None, rest),
    };
    if let Some(info) = userinfo {
        let (u, p) = info.split_once(':').unwrap_or((info, ""));
        user = user.or(Some(u.to_string()));
        password = password.or(Some(p.to_string()));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/sdk"),
    };
    let addr: SocketAddr = authority.parse().map_err(|_| format!("--url wants an IP:PORT authority, got `{authority}`"))?;
    if mode != Mode::Content && (user.is_none() || password.is_none()) {
        return Err(format!("--mode {} needs --user and --password (or credentials inside --url)", mode.name()));
    }
    if clients == 0 || threads == 0 {
        return Err("--clients and --threads must be at least 1".into());
    }
    Ok(Args {
        addr,
        authority: authority.to_string(),
        path: path.to_string(),
        mode,
        user,
        password,
        clients,
        duration,
        threads: threads.min(clients),
        timeout,
    })
}

fn number(v: &str, name: &str) -> Result<usize, String> {
    v.parse().map_err(|_| format!("{name} wants a whole number, got `{v}`"))
}

fn seconds(v: &str, name: &str) -> Result<Duration, String> {
    let s: f64 = v.parse().map_err(|_| format!("{name} wants seconds, got `{v}`"))?;
    if !(s > 0.0 && s.is_finite()) {
        return Err(format!("{name} wants a positive number of seconds, got `{v}`"));
    }
    Ok(Duration::from_secs_f64(s))
}

/// Escapes text for an XML element's content.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn envelope(body: &str) -> Bytes {
    Bytes::from(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ))
}

/// The requests of a run, built once and shared (a `Bytes` clone is a reference count).
struct Envelopes {
    soap_action: String,
    content: Bytes,
    login: Bytes,
    read: Bytes,
    session_list: Bytes,
    logout: Bytes,
}

impl Envelopes {
    fn new(soap_action: String, refs: &Refs, user: &str, password: &str) -> Envelopes {
        let sm = xml_escape(&refs.session_manager);
        let pc = xml_escape(&refs.property_collector);
        let read = |prop: &str| {
            envelope(&format!(
                "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">{pc}</_this><specSet>\
                 <propSet><type>SessionManager</type><pathSet>{prop}</pathSet></propSet>\
                 <objectSet><obj type=\"SessionManager\">{sm}</obj></objectSet></specSet><options></options></RetrievePropertiesEx>"
            ))
        };
        Envelopes {
            soap_action,
            content: content_envelope(),
            login: envelope(&format!(
                "<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">{sm}</_this><userName>{}</userName><password>{}</password></Login>",
                xml_escape(user),
                xml_escape(password)
            )),
            read: read("currentSession"),
            session_list: read("sessionList"),
            logout: envelope(&format!("<Logout xmlns=\"urn:vim25\"><_this type=\"SessionManager\">{sm}</_this></Logout>")),
        }
    }
}

fn content_envelope() -> Bytes {
    envelope("<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent>")
}

/// The managed object references the requests name, from the server's ServiceContent.
struct Refs {
    session_manager: String,
    property_collector: String,
}

/// The text of the first element named `name` (any prefix) in `xml`.
fn element_text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let mut at = 0;
    while let Some(i) = xml[at..].find('<') {
        let start = at + i + 1;
        let end = start + xml[start..].find('>')?;
        let tag = &xml[start..end];
        let tag_name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or(tag_name);
        if local == name && !tag.ends_with('/') {
            let close = xml[end + 1..].find("</")?;
            return Some(&xml[end + 1..end + 1 + close]);
        }
        at = end + 1;
    }
    None
}

/// How many start tags named `name` (any prefix) `xml` has.
fn count_elements(xml: &str, name: &str) -> usize {
    xml.split('<')
        .skip(1)
        .filter(|t| {
            let tag_name = t.split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or("");
            !t.starts_with('/') && tag_name.rsplit(':').next() == Some(name)
        })
        .count()
}

/// The fault's type in a SOAP fault body: the `xsi:type` (any prefix) inside `<detail>`, else
/// the detail's first element without its `Fault` suffix, else the faultstring.
fn fault_name(body: &str) -> String {
    if let Some(i) = body.find("detail>") {
        let detail = &body[i..];
        if let Some(t) = detail.find("type=\"") {
            let rest = &detail[t + 6..];
            let value = &rest[..rest.find('"').unwrap_or(rest.len())];
            return value.rsplit(':').next().unwrap_or(value).to_string();
        }
        if let Some(lt) = detail.find('<') {
            let tag = detail[lt + 1..].split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or("");
            let local = tag.rsplit(':').next().unwrap_or(tag);
            return local.strip_suffix("Fault").unwrap_or(local).to_string();
        }
    }
    match element_text(body, "faultstring") {
        Some(s) => format!("faultstring `{}`", s.chars().take(60).collect::<String>()),
        None => "unrecognised".into(),
    }
}

/// One client's keep-alive connection; reconnects when the server closed it.
struct Conn {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
    /// `vmware_soap_session=...`, as the server set it.
    cookie: Option<String>,
}

/// One answer: status, the session cookie it set (if any) and the whole body.
struct Answer {
    status: u16,
    cookie: Option<String>,
    body: Bytes,
}

impl Conn {
    fn new(addr: SocketAddr) -> Conn {
        Conn { addr, sender: None, cookie: None }
    }

    async fn sender(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, String> {
        if let Some(s) = &self.sender {
            if s.is_closed() {
                self.sender = None;
            }
        }
        if self.sender.is_none() {
            let stream = TcpStream::connect(self.addr).await.map_err(|e| format!("connect: {}", e.kind()))?;
            // Small request/response pairs: Nagle would add delay to every one.
            let _ = stream.set_nodelay(true);
            let (sender, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        let sender = self.sender.as_mut().expect("just set");
        sender.ready().await.map_err(|e| format!("connection: {e}"))?;
        Ok(sender)
    }

    /// POSTs `body` with the session cookie; keeps a new cookie the server sets.
    async fn call(&mut self, g: &Global, body: &Bytes) -> Result<Answer, String> {
        let cookie = self.cookie.clone();
        let exchange = async {
            let mut req = Request::post(g.path.as_str())
                .header(HOST, g.authority.as_str())
                .header(CONTENT_TYPE, "text/xml; charset=utf-8")
                .header("SOAPAction", g.envelopes.soap_action.as_str());
            if let Some(c) = &cookie {
                req = req.header(COOKIE, c.as_str());
            }
            let req = req.body(Full::new(body.clone())).map_err(|e| format!("request: {e}"))?;
            let sender = self.sender().await?;
            let res = sender.send_request(req).await.map_err(|e| {
                if e.is_incomplete_message() {
                    "connection closed".to_string()
                } else {
                    format!("http: {e}")
                }
            })?;
            let status = res.status().as_u16();
            let cookie = res
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("vmware_soap_session="))
                .map(|v| v.split(';').next().unwrap_or(v).to_string());
            let body = res.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
            Ok::<_, String>(Answer { status, cookie, body })
        };
        match tokio::time::timeout(g.timeout, exchange).await {
            Ok(Ok(answer)) => {
                if let Some(c) = &answer.cookie {
                    self.cookie = Some(c.clone());
                }
                Ok(answer)
            }
            Ok(Err(e)) => {
                // Whatever failed, the connection is in an unknown state: start a new one.
                self.sender = None;
                Err(e)
            }
            Err(_) => {
                self.sender = None;
                Err("timeout".into())
            }
        }
    }
}

/// What every client of a run shares.
struct Global {
    authority: String,
    path: String,
    timeout: Duration,
    envelopes: Envelopes,
    mode: Mode,
}

/// One thread's counts and latencies (microseconds, one per request).
#[derive(Default)]
struct Stats {
    latencies: Vec<u32>,
    cycles: u64,
    errors: BTreeMap<String, u64>,
}

impl Stats {
    fn error(&mut self, kind: String) {
        *self.errors.entry(kind).or_default() += 1;
    }

    fn merge(&mut self, other: Stats) {
        self.latencies.extend(other.latencies);
        self.cycles += other.cycles;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
    }
}

/// Which operation of a cycle a request was, for error kinds.
#[derive(Clone, Copy)]
enum Op {
    Content,
    Login,
    Read,
    Logout,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Content => "content",
            Op::Login => "login",
            Op::Read => "read",
            Op::Logout => "logout",
        }
    }
}

/// Sends one request, times it and judges the answer. Returns whether it succeeded.
async fn request(conn: &mut Conn, g: &Global, op: Op, stats: &mut Stats) -> bool {
    let body = match op {
        Op::Content => &g.envelopes.content,
        Op::Login => &g.envelopes.login,
        Op::Read => &g.envelopes.read,
        Op::Logout => &g.envelopes.logout,
    };
    let started = Instant::now();
    let result = conn.call(g, body).await;
    stats.latencies.push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
    let answer = match result {
        Ok(a) => a,
        Err(e) => {
            stats.error(format!("{}: {e}", op.name()));
            return false;
        }
    };
    let text = String::from_utf8_lossy(&answer.body);
    if answer.status != 200 {
        let kind = if text.contains("Fault>") || text.contains(":Fault") {
            format!("fault {}", fault_name(&text))
        } else {
            format!("HTTP {}", answer.status)
        };
        stats.error(format!("{}: {kind}", op.name()));
        return false;
    }
    match op {
        Op::Login if answer.cookie.is_none() && conn.cookie.is_none() => {
            stats.error("login: no session cookie".into());
            false
        }
        // A read without the session answers 200 with a missingSet (vcsim) : a lost session.
        Op::Read if text.contains("missingSet>") => {
            stats.error(format!("read: missingSet {}", fault_name_in_missing_set(&text)));
            false
        }
        Op::Read if !text.contains("currentSession") => {
            stats.error("read: no currentSession in the answer".into());
            false
        }
        Op::Content if !text.contains("returnval") => {
            stats.error("content: no returnval in the answer".into());
            false
        }
        _ => true,
    }
}

fn fault_name_in_missing_set(text: &str) -> String {
    let at = text.find("missingSet>").unwrap_or(0);
    let rest = &text[at..];
    match rest.find("type=\"") {
        Some(t) => {
            let v = &rest[t + 6..];
            let v = &v[..v.find('"').unwrap_or(v.len())];
            v.rsplit(':').next().unwrap_or(v).to_string()
        }
        None => "?".into(),
    }
}

/// A client's state between the set-up and the measured run.
struct Client {
    conn: Conn,
    /// `read` mode: whether the login of the set-up worked (else the client idles).
    ready: bool,
}

async fn setup_client(g: &Global, addr: SocketAddr, stats: &mut Stats) -> Client {
    let mut conn = Conn::new(addr);
    let ready = match g.mode {
        Mode::Read => request(&mut conn, g, Op::Login, stats).await,
        Mode::Content | Mode::Churn => true,
    };
    Client { conn, ready }
}

async fn run_client(g: Arc<Global>, mut client: Client, deadline: Instant) -> (Stats, Client) {
    let mut stats = Stats::default();
    if !client.ready {
        return (stats, client);
    }
    while Instant::now() < deadline {
        match g.mode {
            Mode::Content => {
                request(&mut client.conn, &g, Op::Content, &mut stats).await;
            }
            Mode::Read => {
                request(&mut client.conn, &g, Op::Read, &mut stats).await;
            }
            Mode::Churn => {
                // A fresh session each cycle: forget the last one's cookie.
                client.conn.cookie = None;
                if request(&mut client.conn, &g, Op::Login, &mut stats).await {
                    let read = request(&mut client.conn, &g, Op::Read, &mut stats).await;
                    let logout = request(&mut client.conn, &g, Op::Logout, &mut stats).await;
                    if read && logout {
                        stats.cycles += 1;
                    }
                }
            }
        }
    }
    (stats, client)
}

/// One thread of the run: its own single-threaded runtime and share of the clients. Set-up
/// (connections; logins in `read` mode) happens before the barrier, off the clock.
fn thread_main(g: Arc<Global>, addr: SocketAddr, clients: usize, duration: Duration, barrier: Arc<Barrier>) -> (Stats, Stats, Duration) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let mut setup_stats = Stats::default();
    let ready: Vec<Client> = rt.block_on(async {
        let mut v = Vec::with_capacity(clients);
        for _ in 0..clients {
            v.push(setup_client(&g, addr, &mut setup_stats).await);
        }
        v
    });
    barrier.wait();
    let started = Instant::now();
    let deadline = started + duration;
    let stats = rt.block_on(async {
        let handles: Vec<_> = ready.into_iter().map(|c| tokio::spawn(run_client(g.clone(), c, deadline))).collect();
        let mut all = Stats::default();
        let mut done = Vec::with_capacity(handles.len());
        for h in handles {
            let (stats, client) = h.await.expect("a client task panicked");
            all.merge(stats);
            done.push(client);
        }
        (all, done)
    });
    let elapsed = started.elapsed();
    let (stats, clients) = stats;
    // Read mode: the clients log out (off the clock) so that the server keeps no session of
    // the run; a failed logout is a set-up error.
    if g.mode == Mode::Read {
        rt.block_on(async {
            for mut c in clients.into_iter().filter(|c| c.ready) {
                request(&mut c.conn, &g, Op::Logout, &mut setup_stats).await;
            }
        });
        setup_stats.latencies.clear();
    }
    (stats, setup_stats, elapsed)
}

/// The newest API version the server announces in `/sdk/vimServiceVersions.xml`, for the
/// SOAPAction header (`urn:vim25/6.5`); `urn:vim25` when it announces none.
async fn soap_action(conn: &mut Conn, authority: &str, path: &str) -> String {
    let fetch = async {
        let sender = conn.sender().await?;
        let req = Request::get(format!("{}/vimServiceVersions.xml", path.trim_end_matches('/')))
            .header(HOST, authority)
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
        let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok::<_, String>(String::from_utf8_lossy(&body).into_owned())
    };
    match tokio::time::timeout(DEFAULT_TIMEOUT, fetch).await {
        Ok(Ok(xml)) => match element_text(&xml, "version") {
            Some(v) if !v.trim().is_empty() => format!("urn:vim25/{}", v.trim()),
            _ => "urn:vim25".into(),
        },
        _ => {
            conn.sender = None;
            "urn:vim25".into()
        }
    }
}

/// Reads what every run needs from the server, then (churn) counts the sessions.
async fn prepare(args: &Args) -> Result<(Global, Conn), String> {
    let mut conn = Conn::new(args.addr);
    let action = soap_action(&mut conn, &args.authority, &args.path).await;
    let mut g = Global {
        authority: args.authority.clone(),
        path: args.path.clone(),
        timeout: args.timeout,
        envelopes: Envelopes {
            soap_action: action.clone(),
            content: content_envelope(),
            login: Bytes::new(),
            read: Bytes::new(),
            session_list: Bytes::new(),
            logout: Bytes::new(),
        },
        mode: args.mode,
    };
    let answer = conn.call(&g, &content_envelope()).await.map_err(|e| format!("RetrieveServiceContent: {e}"))?;
    let text = String::from_utf8_lossy(&answer.body);
    if answer.status != 200 {
        return Err(format!("RetrieveServiceContent: HTTP {}: fault {}", answer.status, fault_name(&text)));
    }
    let refs = Refs {
        session_manager: element_text(&text, "sessionManager").unwrap_or("SessionManager").to_string(),
        property_collector: element_text(&text, "propertyCollector").unwrap_or("propertyCollector").to_string(),
    };
    g.envelopes = Envelopes::new(action, &refs, args.user.as_deref().unwrap_or(""), args.password.as_deref().unwrap_or(""));
    Ok((g, conn))
}

/// `sessionList` as seen by a session of its own (logged in once, kept for the second count).
async fn count_sessions(conn: &mut Conn, g: &Global) -> Result<usize, String> {
    if conn.cookie.is_none() {
        let a = conn.call(g, &g.envelopes.login).await?;
        if a.status != 200 {
            return Err(format!("monitor login: fault {}", fault_name(&String::from_utf8_lossy(&a.body))));
        }
    }
    let a = conn.call(g, &g.envelopes.session_list).await?;
    let text = String::from_utf8_lossy(&a.body);
    if a.status != 200 || text.contains("missingSet>") {
        return Err(format!("sessionList: HTTP {} {}", a.status, fault_name(&text)));
    }
    Ok(count_elements(&text, "UserSession"))
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("loadgen: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let (g, mut monitor) = match rt.block_on(prepare(&args)) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("loadgen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let g = Arc::new(g);
    let before = if args.mode == Mode::Churn { Some(rt.block_on(count_sessions(&mut monitor, &g))) } else { None };

    println!(
        "loadgen: {} mode, {} clients on {} thread(s) for {:.1} s against http://{}{} ({})",
        args.mode.name(),
        args.clients,
        args.threads,
        args.duration.as_secs_f64(),
        args.authority,
        args.path,
        g.envelopes.soap_action
    );
    let barrier = Arc::new(Barrier::new(args.threads));
    let threads: Vec<_> = (0..args.threads)
        .map(|i| {
            // Clients spread evenly; the first threads take the remainder.
            let n = args.clients / args.threads + usize::from(i < args.clients % args.threads);
            let (g, barrier, addr, duration) = (g.clone(), barrier.clone(), args.addr, args.duration);
            std::thread::spawn(move || thread_main(g, addr, n, duration, barrier))
        })
        .collect();
    let mut stats = Stats::default();
    let mut setup = Stats::default();
    let mut elapsed = Duration::ZERO;
    for t in threads {
        let (s, su, e) = t.join().expect("a load thread panicked");
        stats.merge(s);
        setup.merge(su);
        elapsed = elapsed.max(e);
    }
    let after = if args.mode == Mode::Churn { Some(rt.block_on(count_sessions(&mut monitor, &g))) } else { None };
    if monitor.cookie.is_some() {
        let _ = rt.block_on(monitor.call(&g, &g.envelopes.logout));
    }

    let mut lat = std::mem::take(&mut stats.latencies);
    lat.sort_unstable();
    let requests = lat.len();
    let seconds = elapsed.as_secs_f64();
    let rps = requests as f64 / seconds;
    let (p50, p99) = (percentile(&lat, 50.0), percentile(&lat, 99.0));
    let errors: u64 = stats.errors.values().sum::<u64>() + setup.errors.values().sum::<u64>();
    println!(
        "requests {requests} in {seconds:.2} s: {rps:.0} req/s, latency p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        p50 as f64 / 1e3,
        p99 as f64 / 1e3,
        lat.last().copied().unwrap_or(0) as f64 / 1e3
    );
    let mut result = format!(
        "RESULT mode={} clients={} threads={} requests={requests} seconds={seconds:.3} rps={rps:.1} p50_us={p50} p99_us={p99} errors={errors}",
        args.mode.name(),
        args.clients,
        args.threads
    );
    if args.mode == Mode::Churn {
        println!("cycles (login, read, logout all fine): {} ({:.0}/s)", stats.cycles, stats.cycles as f64 / seconds);
        result.push_str(&format!(" cycles={}", stats.cycles));
        for (label, count) in [("before", &before), ("after", &after)] {
            match count {
                Some(Ok(n)) => {
                    println!("sessions {label}: {n}");
                    result.push_str(&format!(" sessions_{label}={n}"));
                }
                Some(Err(e)) => println!("sessions {label}: unknown ({e})"),
                None => {}
            }
        }
        if let (Some(Ok(b)), Some(Ok(a))) = (&before, &after) {
            println!(
                "{}",
                if a == b {
                    "no session leaked".to_string()
                } else {
                    format!("SESSIONS LEAKED: {} more after the run", *a as i64 - *b as i64)
                }
            );
        }
    }
    println!("{result}");
    for (label, s) in [("set-up", &setup), ("run", &stats)] {
        for (kind, count) in &s.errors {
            println!("ERROR phase={label} count={count} kind={kind}");
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_faults_and_elements() {
        let vcsim = r#"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>"#;
        assert_eq!(fault_name(vcsim), "InvalidLogin");
        assert_eq!(fault_name("<detail><vim:NotAuthenticatedFault/></detail>"), "NotAuthenticated");
        assert_eq!(
            element_text("<a><vim:sessionManager type=\"SessionManager\">SM</vim:sessionManager></a>", "sessionManager"),
            Some("SM")
        );
        assert_eq!(
            count_elements("<val><UserSession x=\"1\"><key>a</key></UserSession><v:UserSession></v:UserSession></val>", "UserSession"),
            2
        );
        assert_eq!(percentile(&[1, 2, 3, 4], 50.0), 2);
        assert_eq!(percentile(&[1, 2, 3, 4], 99.0), 4);
    }
}

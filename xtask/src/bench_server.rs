//! `cargo xtask bench-server`: vcsim and vimsim side by side in one run, on loopback. Builds
//! the `loadgen` example and vimsim in release (or takes `--vimsim PATH`), starts vcsim (built
//! by [`crate::peers::vcsim`]) and vimsim (with `--quiet`: warnings only); then for each mode
//! (`content`: RetrieveServiceContent; `read`: an authenticated `currentSession` read; `churn`:
//! login / read / logout) runs loadgen against each server in turn (a short warm-up first,
//! not counted) and prints a table with the ratio vimsim/vcsim. With `--hostile`, every run
//! is made twice: as is, and while a slow-client [`Flood`] holds connections to the same
//! server. Prints figures; asserts nothing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{cargo, peers, root, target_dir};

/// The modes loadgen knows, in the table's order.
pub const MODES: [&str; 3] = ["content", "read", "churn"];

/// vimsim's command line (the contract its author follows): an admin and a read-only user.
/// `--quiet`: per-call logging off, as vcsim logs nothing per call either.
const VIMSIM_ARGS: [&str; 7] = ["--listen", "127.0.0.1:0", "--quiet", "--user", "admin:secret:Admin", "--user", "viewer:pw:ReadOnly"];
const VIMSIM_USER: (&str, &str) = ("admin", "secret");

pub struct Options {
    pub vimsim: Option<PathBuf>,
    pub clients: usize,
    pub duration: f64,
    pub warmup: f64,
    pub threads: usize,
    pub modes: Vec<String>,
    /// `--hostile`: each run again under this flood.
    pub flood: Option<Flood>,
}

/// A slow-client flood: `headers` connections that send half a request's headers and then
/// nothing, `bodies` that send whole headers announcing 1,000 bytes and then one byte a
/// second. Each reconnects when the server closes it, as an attacker would.
#[derive(Clone, Copy)]
pub struct Flood {
    pub headers: usize,
    pub bodies: usize,
}

/// A running flood; stopped (every connection closed) when dropped.
struct Flooding {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// Connections held now, and how many times the server closed one.
    held: Arc<AtomicUsize>,
    closed: Arc<AtomicUsize>,
}

const HALF_HEADERS: &[u8] = b"POST /sdk HTTP/1.1\r\nHost: 127.0.0.1\r\n";
const BODY_HEADERS: &[u8] = b"POST /sdk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<";

impl Flooding {
    /// Opens the flood's connections to `authority` (host:port) and keeps them open from one
    /// thread of non-blocking sockets: every 100 ms each is checked for a close (and
    /// reopened), and once a second each body connection sends a byte.
    fn start(authority: &str, flood: Flood) -> Flooding {
        let stop = Arc::new(AtomicBool::new(false));
        let (held, closed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let authority = authority.to_string();
        let thread = {
            let (stop, held, closed) = (Arc::clone(&stop), Arc::clone(&held), Arc::clone(&closed));
            std::thread::spawn(move || {
                let open = |body: bool| -> Option<TcpStream> {
                    let mut s = TcpStream::connect_timeout(&authority.parse().ok()?, Duration::from_secs(2)).ok()?;
                    s.write_all(if body { BODY_HEADERS } else { HALF_HEADERS }).ok()?;
                    s.set_nonblocking(true).ok()?;
                    Some(s)
                };
                let mut conns: Vec<(bool, Option<TcpStream>)> =
                    (0..flood.bodies).map(|_| (true, None)).chain((0..flood.headers).map(|_| (false, None))).collect();
                let mut last_byte = Instant::now();
                let mut buf = [0u8; 4096];
                while !stop.load(Ordering::Relaxed) {
                    let trickle = last_byte.elapsed() >= Duration::from_secs(1);
                    if trickle {
                        last_byte = Instant::now();
                    }
                    for (body, conn) in conns.iter_mut() {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let gone = match conn {
                            None => true,
                            Some(s) => {
                                let read_gone = match s.read(&mut buf) {
                                    Ok(0) => true,
                                    Ok(_) => false,
                                    Err(e) => e.kind() != ErrorKind::WouldBlock,
                                };
                                read_gone || (*body && trickle && s.write_all(b" ").is_err())
                            }
                        };
                        if gone {
                            if conn.take().is_some() {
                                closed.fetch_add(1, Ordering::Relaxed);
                            }
                            *conn = open(*body);
                        }
                    }
                    held.store(conns.iter().filter(|c| c.1.is_some()).count(), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        Flooding { stop, thread: Some(thread), held, closed }
    }
}

impl Drop for Flooding {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A server under test, stopped (stdin closed, then killed) when dropped.
pub(crate) struct Server {
    name: &'static str,
    child: Child,
    /// `http://127.0.0.1:PORT/sdk`, without credentials.
    pub(crate) url: String,
    pub(crate) user: String,
    pub(crate) password: String,
}

impl Server {
    /// Starts `bin ARGS`, waits (up to a minute) for its `PREFIX<url>` stdout line. Its stderr
    /// goes to `log`.
    pub(crate) fn start(
        name: &'static str,
        bin: &Path,
        args: &[&str],
        prefix: &str,
        log: &Path,
        default_user: (&str, &str),
    ) -> Result<Server> {
        let stderr = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let mut child = Command::new(bin)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        let prefix_owned = prefix.to_string();
        // A reader thread, so that a server that never prints its URL times out instead of
        // hanging. It reads on to the end, so that a server writing more to stdout never meets
        // a closed pipe.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let (false, Some(url)) = (sent, line.strip_prefix(&prefix_owned)) {
                    let _ = tx.send(url.trim().to_string());
                    sent = true;
                }
            }
        });
        let mut server = Server { name, child, url: String::new(), user: default_user.0.into(), password: default_user.1.into() };
        let url = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => bail!("{name} printed no `{prefix}` line within a minute (its stderr: {})", log.display()),
        };
        // vcsim puts its accepted credentials in the URL: take them out (never printed).
        let (scheme, rest) = url.split_once("://").with_context(|| format!("{name} printed `{prefix}` without a URL"))?;
        match rest.rsplit_once('@') {
            Some((cred, host)) => {
                let (u, p) = cred.split_once(':').unwrap_or((cred, ""));
                (server.user, server.password) = (u.to_string(), p.to_string());
                server.url = format!("{scheme}://{host}");
            }
            None => server.url = url,
        }
        Ok(server)
    }
}

impl Drop for Server {
    /// Closes stdin (vcsim stops on that), then sends SIGTERM (the other stop the contract
    /// promises), and kills only a server that is still there after that.
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let stopped = |child: &mut Child, tenths: u32| {
            for _ in 0..tenths {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            false
        };
        if stopped(&mut self.child, 10) {
            return;
        }
        // No libc in xtask: kill(1) by the pid of the process this harness started.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        if !stopped(&mut self.child, 30) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One loadgen run's `RESULT` fields and `ERROR` lines.
struct Measure {
    fields: BTreeMap<String, String>,
    errors: Vec<String>,
}

impl Measure {
    fn num(&self, key: &str) -> Option<f64> {
        self.fields.get(key)?.parse().ok()
    }
}

fn loadgen(bin: &Path, server: &Server, mode: &str, opts: &Options, duration: f64) -> Result<Measure> {
    let mut cmd = Command::new(bin);
    cmd.args(["--url", &server.url, "--mode", mode])
        .args(["--clients", &opts.clients.to_string(), "--threads", &opts.threads.to_string()])
        .args(["--duration", &duration.to_string()]);
    if mode != "content" {
        cmd.args(["--user", &server.user, "--password", &server.password]);
    }
    let out = cmd.stderr(Stdio::inherit()).output().context("running loadgen")?;
    if !out.status.success() {
        bail!("loadgen --mode {mode} against {} failed ({})", server.name, out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = BTreeMap::new();
    let mut errors = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("RESULT ") {
            for kv in rest.split_whitespace() {
                if let Some((k, v)) = kv.split_once('=') {
                    fields.insert(k.to_string(), v.to_string());
                }
            }
        } else if let Some(rest) = line.strip_prefix("ERROR ") {
            errors.push(rest.to_string());
        }
    }
    if fields.is_empty() {
        bail!("loadgen printed no RESULT line:\n{text}");
    }
    Ok(Measure { fields, errors })
}

pub fn run(opts: &Options) -> Result<()> {
    let root = root();
    for m in &opts.modes {
        if !MODES.contains(&m.as_str()) {
            bail!("unknown mode `{m}` (modes: {})", MODES.join(", "));
        }
    }
    cargo(&root, &["build", "--release", "-p", "vim-client", "--example", "loadgen"], &[], "loadgen (release)")?;
    let loadgen_bin = target_dir().join("release/examples/loadgen");
    let vcsim_bin = peers::vcsim(&root)?;
    let vimsim_bin = match &opts.vimsim {
        Some(p) if p.is_file() => Some(p.clone()),
        Some(p) => bail!("--vimsim {}: no such file", p.display()),
        None => {
            cargo(&root, &["build", "--release", "-p", "vim-server", "--bin", "vimsim"], &[], "vimsim (release)")?;
            Some(target_dir().join("release/vimsim"))
        }
    };

    let logs = target_dir().join("bench-server");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    // Each server gets its own flood.
    let mut servers = vec![Server::start("vcsim", &vcsim_bin, &[], "VCSIM_URL=", &logs.join("vcsim.log"), ("user", "pass"))?];
    match &vimsim_bin {
        Some(bin) => servers.push(Server::start("vimsim", bin, &VIMSIM_ARGS, "VIMSIM_URL=", &logs.join("vimsim.log"), VIMSIM_USER)?),
        None => eprintln!("bench-server: no vimsim (give --vimsim PATH or build target/release/vimsim): vcsim only"),
    }

    let mut rows: Vec<(String, &'static str, Measure)> = Vec::new();
    let floods: Vec<Option<Flood>> = match opts.flood {
        Some(f) => vec![None, Some(f)],
        None => vec![None],
    };
    for mode in &opts.modes {
        for flood in &floods {
            for server in &servers {
                let label = if flood.is_some() { format!("{mode}+flood") } else { mode.clone() };
                let flooding = flood.map(|f| {
                    let authority = server.url.split_once("://").map_or(server.url.as_str(), |x| x.1).trim_end_matches("/sdk").to_string();
                    let flooding = Flooding::start(&authority, f);
                    // Let it take hold before the clock starts.
                    std::thread::sleep(Duration::from_secs(2));
                    eprintln!(
                        "--- flood holds {} of {} connections to {}",
                        flooding.held.load(Ordering::Relaxed),
                        f.headers + f.bodies,
                        server.name
                    );
                    flooding
                });
                eprintln!("--- {label} against {} ({})", server.name, server.url);
                if opts.warmup > 0.0 {
                    loadgen(&loadgen_bin, server, mode, opts, opts.warmup)?;
                }
                let mut m = loadgen(&loadgen_bin, server, mode, opts, opts.duration)?;
                if let Some(f) = flooding {
                    m.fields.insert("flood_held".into(), f.held.load(Ordering::Relaxed).to_string());
                    m.fields.insert("flood_closed".into(), f.closed.load(Ordering::Relaxed).to_string());
                }
                rows.push((label, server.name, m));
            }
        }
    }
    drop(servers);

    println!();
    println!(
        "loopback, {} clients on {} loadgen thread(s), {} s per run ({} s warm-up not counted)",
        opts.clients, opts.threads, opts.duration, opts.warmup
    );
    if let Some(f) = opts.flood {
        println!("+flood: {} connections with unfinished headers and {} trickling a body, reopened when closed", f.headers, f.bodies);
    }
    println!();
    println!("  {:<14} {:<7} {:>10} {:>9} {:>9} {:>7}  notes", "mode", "server", "req/s", "p50 ms", "p99 ms", "errors");
    for (mode, name, m) in &rows {
        let ms = |k: &str| m.num(k).map_or("?".into(), |us| format!("{:.2}", us / 1000.0));
        let mut notes = Vec::new();
        if let (Some(c), Some(s)) = (m.num("cycles"), m.num("seconds")) {
            notes.push(format!("{:.0} cycles/s", c / s));
        }
        if let (Some(b), Some(a)) = (m.fields.get("sessions_before"), m.fields.get("sessions_after")) {
            notes.push(format!("sessions {b} -> {a}"));
        }
        if let (Some(h), Some(c)) = (m.fields.get("flood_held"), m.fields.get("flood_closed")) {
            notes.push(format!("flood: {h} held at the end, {c} closed by the server"));
        }
        println!(
            "  {:<14} {:<7} {:>10} {:>9} {:>9} {:>7}  {}",
            mode,
            name,
            m.num("rps").map_or("?".into(), |r| format!("{r:.0}")),
            ms("p50_us"),
            ms("p99_us"),
            m.fields.get("errors").map_or("?", String::as_str),
            notes.join(", ")
        );
    }
    if servers_compared(&rows) {
        println!();
        println!("  vimsim / vcsim   req/s   p99 latency");
        let labels: Vec<String> = opts.modes.iter().flat_map(|m| [m.clone(), format!("{m}+flood")]).collect();
        for mode in &labels {
            let get = |name: &str| rows.iter().find(|(m, n, _)| m == mode && *n == name).map(|(_, _, m)| m);
            if let (Some(vc), Some(vs)) = (get("vcsim"), get("vimsim")) {
                let ratio = |k: &str| match (vs.num(k), vc.num(k)) {
                    (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
                    _ => "?".into(),
                };
                println!("  {:<16} {:>6} {:>13}", mode, ratio("rps"), ratio("p99_us"));
            }
        }
    }
    let with_errors: Vec<_> = rows.iter().filter(|(_, _, m)| !m.errors.is_empty()).collect();
    if !with_errors.is_empty() {
        println!();
        for (mode, name, m) in with_errors {
            for e in &m.errors {
                println!("  {mode} {name}: {e}");
            }
        }
    }
    println!();
    println!("servers' stderr: {}", logs.display());
    Ok(())
}

fn servers_compared(rows: &[(String, &'static str, Measure)]) -> bool {
    rows.iter().any(|(_, n, _)| *n == "vimsim") && rows.iter().any(|(_, n, _)| *n == "vcsim")
}

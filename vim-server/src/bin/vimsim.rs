//! vimsim: an in-memory vCenter endpoint on the generated server traits.
//!
//! ```text
//! vimsim --listen 127.0.0.1:8989 [--tls] --user admin:secret:Admin --user viewer:pw:ReadOnly
//! ```
//!
//! Prints `VIMSIM_URL=<url>` on stdout once it serves (the one stdout line, for harnesses),
//! logs each call on stderr (never a password or ticket: bodies are not logged), and stops
//! on SIGINT/SIGTERM or, with `--stop-on-stdin-eof`, when its stdin closes: it stops
//! accepting, finishes the calls in flight and exits 0 (within `--shutdown-timeout`).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use vim_server::auth::{User, Users};
use vim_server::dispatch::{run_until, ServerConfig};
use vim_server::sim::{Config, Vimsim};

const USAGE: &str = "usage: vimsim [--listen ADDR:PORT] [--tls [--cert-out FILE]] [--user NAME:PASSWORD[:ROLE]]... [--session-idle-timeout SECS] [--ticket-lifetime SECS]
              [--max-sessions-per-user N] [--max-connections N] [--header-timeout SECS] [--body-timeout SECS] [--request-timeout SECS]
              [--shutdown-timeout SECS] [--stop-on-stdin-eof] [--quiet]
  --listen                address to serve on (default 127.0.0.1:8989; port 0 picks a free one)
  --tls                   HTTPS with a self-signed certificate made at start (its SHA-256 is logged)
  --cert-out              with --tls: write that certificate (PEM) to FILE before serving, for a
                          client's CA bundle
  --user                  a user; ROLE is Admin (default), ReadOnly or NoAccess; repeatable
                          (default: one user admin:admin:Admin)
  --session-idle-timeout  seconds without a call after which a session ends (default 1800, as
                          vCenter; --idle-timeout is the same)
  --ticket-lifetime       seconds a clone ticket stays valid (default 30)
  --max-sessions-per-user live sessions one user may hold; further logins get InvalidLogin
                          (default: no limit)
  --max-connections       connections held at once; when all are taken the oldest waiting one
                          (idle, then slow headers, then slow body) is closed for a new one
                          (default: the open-file limit, raised to its hard limit, less 64,
                          at most 16384)
  --header-timeout        seconds a connection has to send a request's headers, and an idle
                          keep-alive connection is kept (default 10)
  --body-timeout          seconds to receive a request's body after its headers (default 30)
  --request-timeout       seconds to answer once the body is in (default 60)
  --shutdown-timeout      on SIGTERM, SIGINT or stdin EOF: seconds to let calls in flight
                          finish before exiting (default 10)
  --stop-on-stdin-eof     stop when stdin closes (for test harnesses)
  --quiet                 log warnings only";

struct Args {
    listen: String,
    tls: bool,
    cert_out: Option<String>,
    users: Vec<User>,
    idle: Duration,
    ticket: u64,
    per_user: Option<usize>,
    max_connections: Option<usize>,
    header: Duration,
    body: Duration,
    request: Duration,
    shutdown: Duration,
    stdin_eof: bool,
    quiet: bool,
}

/// Positive, finite seconds (fractions allowed, for tests).
fn seconds(name: &str, v: &str) -> Result<Duration, String> {
    match v.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!("{name}: expected positive seconds, got {v:?}")),
    }
}

fn count(name: &str, v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{name}: expected a positive count, got {v:?}")),
    }
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        listen: "127.0.0.1:8989".into(),
        tls: false,
        cert_out: None,
        users: Vec::new(),
        idle: Duration::from_secs(1800),
        ticket: 30,
        per_user: None,
        max_connections: None,
        header: Duration::from_secs(10),
        body: Duration::from_secs(30),
        request: Duration::from_secs(60),
        shutdown: Duration::from_secs(10),
        stdin_eof: false,
        quiet: false,
    };
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--listen" => a.listen = value("--listen")?,
            "--tls" => a.tls = true,
            "--cert-out" => a.cert_out = Some(value("--cert-out")?),
            "--user" => a.users.push(User::parse(&value("--user")?).map_err(|e| format!("--user: {e}"))?),
            "--idle-timeout" | "--session-idle-timeout" => a.idle = seconds(&arg, &value(&arg)?)?,
            "--ticket-lifetime" => a.ticket = value("--ticket-lifetime")?.parse().map_err(|e| format!("--ticket-lifetime: {e}"))?,
            "--max-sessions-per-user" => a.per_user = Some(count(&arg, &value(&arg)?)?),
            "--max-connections" => a.max_connections = Some(count(&arg, &value(&arg)?)?),
            "--header-timeout" => a.header = seconds(&arg, &value(&arg)?)?,
            "--body-timeout" => a.body = seconds(&arg, &value(&arg)?)?,
            "--request-timeout" => a.request = seconds(&arg, &value(&arg)?)?,
            "--shutdown-timeout" => a.shutdown = seconds(&arg, &value(&arg)?)?,
            "--stop-on-stdin-eof" => a.stdin_eof = true,
            "--quiet" => a.quiet = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if a.cert_out.is_some() && !a.tls {
        return Err("--cert-out needs --tls".into());
    }
    if a.users.is_empty() {
        a.users.push(User::parse("admin:admin:Admin")?);
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("vimsim: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let level = if args.quiet { tracing::Level::WARN } else { tracing::Level::INFO };
    tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).with_ansi(false).init();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("vimsim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(serve(args));
    // Not waiting on the stdin reader (a blocking thread that may never return).
    rt.shutdown_timeout(Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vimsim: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    let listener = vim_server::connections::listen(&args.listen).await.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Every held connection is a descriptor: as Go's runtime does for vcsim, take the hard
    // limit, and size the connection budget from it.
    let fds = vim_server::connections::raise_fd_limit();
    let mut config = ServerConfig::default();
    config.limits.max_connections = args.max_connections.unwrap_or_else(vim_server::connections::fd_budget);
    config.limits.header_timeout = args.header;
    config.limits.body_timeout = args.body;
    config.limits.request_timeout = args.request;
    tracing::info!(
        open_files = fds.unwrap_or(0),
        max_connections = config.limits.max_connections,
        header_timeout_s = args.header.as_secs_f64(),
        body_timeout_s = args.body.as_secs_f64(),
        "connection limits"
    );
    let scheme = if args.tls {
        let tls = vim_server::tls::self_signed().map_err(|e| format!("cannot make a certificate: {e}"))?;
        tracing::info!(sha256 = %tls.fingerprint, "self-signed certificate");
        if let Some(path) = &args.cert_out {
            std::fs::write(path, &tls.cert_pem).map_err(|e| format!("--cert-out {path}: {e}"))?;
        }
        config.tls = Some(tls.config);
        "https"
    } else {
        "http"
    };
    let mut sim = Config::new(Users::new(args.users.iter().cloned()));
    sim.idle_timeout = args.idle;
    sim.ticket_lifetime = Duration::from_secs(args.ticket);
    sim.max_sessions_per_user = args.per_user;
    for u in &args.users {
        tracing::info!(user = %u.name, role = %u.role, "user");
    }
    let endpoint = Arc::new(Vimsim::new(sim));
    println!("VIMSIM_URL={scheme}://{addr}/sdk");
    let stdin_eof = async {
        if args.stdin_eof {
            let mut buf = [0u8; 256];
            let mut stdin = tokio::io::stdin();
            while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
        } else {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let stop = async {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("stopping (interrupt)"),
            _ = terminate => tracing::info!("stopping (terminated)"),
            _ = stdin_eof => tracing::info!("stopping (stdin closed)"),
        }
    };
    run_until(listener, endpoint, config, stop, args.shutdown).await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

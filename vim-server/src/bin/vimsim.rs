//! vimsim: an in-memory vCenter endpoint on the generated server traits.
//!
//! ```text
//! vimsim --listen 127.0.0.1:8989 [--tls] --user admin:secret:Admin --user viewer:pw:ReadOnly
//! ```
//!
//! Prints `VIMSIM_URL=<url>` on stdout once it serves (the one stdout line, for harnesses),
//! logs each call on stderr (never a password or ticket: bodies are not logged), and stops
//! on SIGINT/SIGTERM or, with `--stop-on-stdin-eof`, when its stdin closes.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use vim_server::auth::{User, Users};
use vim_server::dispatch::{run, ServerConfig};
use vim_server::sim::{Config, Vimsim};

const USAGE: &str = "usage: vimsim [--listen ADDR:PORT] [--tls] [--user NAME:PASSWORD[:ROLE]]... [--idle-timeout SECS] [--ticket-lifetime SECS] [--stop-on-stdin-eof] [--quiet]
  --listen             address to serve on (default 127.0.0.1:8989; port 0 picks a free one)
  --tls                HTTPS with a self-signed certificate made at start (its SHA-256 is logged)
  --user               a user; ROLE is Admin (default), ReadOnly or NoAccess; repeatable
                       (default: one user admin:admin:Admin)
  --idle-timeout       seconds without a call after which a session ends (default 1800)
  --ticket-lifetime    seconds a clone ticket stays valid (default 30)
  --stop-on-stdin-eof  stop when stdin closes (for test harnesses)
  --quiet              log warnings only";

struct Args {
    listen: String,
    tls: bool,
    users: Vec<User>,
    idle: u64,
    ticket: u64,
    stdin_eof: bool,
    quiet: bool,
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args { listen: "127.0.0.1:8989".into(), tls: false, users: Vec::new(), idle: 1800, ticket: 30, stdin_eof: false, quiet: false };
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--listen" => a.listen = value("--listen")?,
            "--tls" => a.tls = true,
            "--user" => a.users.push(User::parse(&value("--user")?).map_err(|e| format!("--user: {e}"))?),
            "--idle-timeout" => a.idle = value("--idle-timeout")?.parse().map_err(|e| format!("--idle-timeout: {e}"))?,
            "--ticket-lifetime" => a.ticket = value("--ticket-lifetime")?.parse().map_err(|e| format!("--ticket-lifetime: {e}"))?,
            "--stop-on-stdin-eof" => a.stdin_eof = true,
            "--quiet" => a.quiet = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
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
    match rt.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vimsim: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&args.listen).await.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut config = ServerConfig::default();
    let scheme = if args.tls {
        let tls = vim_server::tls::self_signed().map_err(|e| format!("cannot make a certificate: {e}"))?;
        tracing::info!(sha256 = %tls.fingerprint, "self-signed certificate");
        config.tls = Some(tls.config);
        "https"
    } else {
        "http"
    };
    let mut sim = Config::new(Users::new(args.users.iter().cloned()));
    sim.idle_timeout = Duration::from_secs(args.idle);
    sim.ticket_lifetime = Duration::from_secs(args.ticket);
    for u in &args.users {
        tracing::info!(user = %u.name, role = %u.role, "user");
    }
    let endpoint = Arc::new(Vimsim::new(sim));
    println!("VIMSIM_URL={scheme}://{addr}/sdk");
    let server = run(listener, endpoint, config);
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
    tokio::select! {
        r = server => r.map_err(|e| e.to_string())?,
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping (interrupt)"),
        _ = terminate => tracing::info!("stopping (terminated)"),
        _ = stdin_eof => tracing::info!("stopping (stdin closed)"),
    }
    Ok(())
}

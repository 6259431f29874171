//! Starting the two servers the tests talk to over real sockets: vimsim (this package's
//! binary) and vcsim (VMware's simulator, built by `cargo xtask test` into `VCSIM_BIN`).
#![allow(dead_code)] // each test file uses a part

pub mod raw;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A server process, stopped (stdin closed, then killed) when dropped.
pub struct Server {
    child: Child,
    /// The SDK URL without credentials (`http://127.0.0.1:PORT/sdk`).
    pub url: String,
    /// The user name the server expects (vcsim prints it in its URL).
    pub user: String,
}

/// Starts `bin` with `args`, reads the first stdout line that has `prefix` (`VIMSIM_URL=`).
fn start(bin: &str, args: &[&str], prefix: &str) -> Server {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let out = child.stdout.take().expect("piped stdout");
    let mut url = String::new();
    for line in BufReader::new(out).lines().take(50) {
        let line = line.expect("the server's output");
        if let Some(u) = line.strip_prefix(prefix) {
            url = u.trim().to_string();
            break;
        }
    }
    assert!(!url.is_empty(), "{bin} printed no {prefix} line");
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (url, user) = match rest.split_once('@') {
        Some((cred, host)) => (format!("{scheme}://{host}"), cred.split(':').next().unwrap_or("user").to_string()),
        None => (url.clone(), "admin".to_string()),
    };
    Server { child, url, user }
}

/// vimsim with an Admin `admin:secret`, a ReadOnly `viewer:pw` and a NoAccess `nobody:pw`.
pub fn vimsim(extra: &[&str]) -> Server {
    let mut args = vec![
        "--listen",
        "127.0.0.1:0",
        "--stop-on-stdin-eof",
        "--quiet",
        "--user",
        "admin:secret:Admin",
        "--user",
        "viewer:pw:ReadOnly",
        "--user",
        "nobody:pw:NoAccess",
    ];
    args.extend_from_slice(extra);
    start(env!("CARGO_BIN_EXE_vimsim"), &args, "VIMSIM_URL=")
}

/// vcsim, when `VCSIM_BIN` is set (by `cargo xtask test`).
pub fn vcsim(extra: &[&str]) -> Server {
    let bin = std::env::var("VCSIM_BIN").expect("VCSIM_BIN is not set: run `cargo xtask test`, which builds vcsim and sets it");
    start(&bin, extra, "VCSIM_URL=")
}

impl Server {
    /// The server's process id (for its memory figures and signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `within` for the process to exit on its own.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// `host:port` of the URL.
    pub fn authority(&self) -> String {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |x| x.1);
        rest.trim_end_matches("/sdk").to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
}

/// A field of `/proc/PID/status` in KiB (`VmRSS`: resident now, `VmHWM`: the peak).
pub fn proc_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

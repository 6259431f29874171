//! Starting the two servers the tests talk to over real sockets: vimsim (this package's
//! binary) and vcsim (VMware's simulator, built by `cargo xtask test` into `VCSIM_BIN`).
#![allow(dead_code)] // each test file uses a part

pub mod raw;

pub use vimgen_test_support::Server;

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
    Server::start(std::path::Path::new(env!("CARGO_BIN_EXE_vimsim")), &args, "VIMSIM_URL=")
}

/// vcsim, when `VCSIM_BIN` is set (by `cargo xtask test`); `None` (the test skipped) in a
/// plain `cargo test` without it.
pub fn vcsim(test: &str, extra: &[&str]) -> Option<Server> {
    vimgen_test_support::vcsim(test, extra)
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

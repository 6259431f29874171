//! What vimgen's tests share, once: a seeded random generator ([`Rng`]), the real peers
//! (vcsim, pyVmomi, govmomi) and the spec corpus found or the test skipped ([`peer`],
//! [`corpus`]), and, with the `session` feature, session helpers over vim-client
//! ([`session`]).
//!
//! Plain `cargo test` on a fresh clone has no peers and maybe no corpus: a test that needs one
//! prints why it is skipped and passes. `cargo xtask test` (what CI runs) installs the peers,
//! sets their variables and `VIMGEN_REQUIRE_PEERS=1`, under which a missing peer or corpus
//! fails the test instead.

use std::path::PathBuf;

#[cfg(feature = "session")]
pub mod session;

#[cfg(feature = "session")]
pub use session::Session;

/// Set by `cargo xtask test`: nothing may be skipped.
pub const REQUIRE_PEERS: &str = "VIMGEN_REQUIRE_PEERS";

fn required() -> bool {
    std::env::var_os(REQUIRE_PEERS).is_some_and(|v| v == "1")
}

/// Skips (returns `None`, printing why) or, under `cargo xtask test`, fails.
fn missing(test: &str, what: &str) -> Option<PathBuf> {
    if required() {
        panic!("{test}: {what}; `cargo xtask test` should have provided it");
    }
    eprintln!("skipped {test}: {what} (`cargo xtask test` runs it)");
    None
}

/// The path a peer's variable names (`VCSIM_BIN`, `PYVMOMI_PYTHON`, ...), or `None` when it is
/// not set and the run does not require peers; `test` names the test in the message.
pub fn peer(var: &str, test: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => missing(test, &format!("{var} is not set")),
    }
}

/// The shared spec corpus (`../shared/spec-corpus` beside the project), or `None` when it is
/// not there and the run does not require it.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec-corpus");
    if dir.join("pyvmomi-docs-5.5").is_dir() {
        Some(dir)
    } else {
        missing(test, &format!("the spec corpus is not at {}", dir.display()))
    }
}

/// A small deterministic PRNG (xorshift64*): seeded, so a failure reproduces.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// A length up to `max`, mostly short, sometimes long.
    pub fn len(&mut self, max: usize) -> usize {
        let cap = [8, 64, 512, 8192][self.below(4)].min(max);
        self.below(cap + 1)
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// A server process the tests talk to (vcsim, vimsim), stopped when dropped: stdin closed
/// (both stop cleanly on it; vcsim then removes its datastore folders), killed only if it
/// has not stopped within five seconds.
pub struct Server {
    child: std::process::Child,
    /// The SDK URL without credentials (`http://127.0.0.1:PORT/sdk`).
    pub url: String,
    /// The user name the server expects (vcsim prints it in its URL; else `admin`).
    pub user: String,
    /// The URL as the server printed it, credentials included (vcsim's).
    pub printed_url: String,
}

impl Server {
    /// Starts `bin` with `args` and reads the URL from the first stdout line that has
    /// `prefix` (`VIMSIM_URL=`, `VCSIM_URL=`).
    pub fn start(bin: &std::path::Path, args: &[&str], prefix: &str) -> Server {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut child = Command::new(bin)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let out = child.stdout.take().expect("piped stdout");
        let mut url = String::new();
        for line in BufReader::new(out).lines().take(50) {
            let line = line.expect("the server's output");
            if let Some(u) = line.strip_prefix(prefix) {
                url = u.trim().to_string();
                break;
            }
        }
        assert!(!url.is_empty(), "{} printed no {prefix} line", bin.display());
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (plain, user) = match rest.split_once('@') {
            Some((cred, host)) => (format!("{scheme}://{host}"), cred.split(':').next().unwrap_or("user").to_string()),
            None => (url.clone(), "admin".to_string()),
        };
        Server { child, url: plain, user, printed_url: url }
    }

    /// The server's process id (for its memory figures and signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `within` for the process to exit on its own.
    pub fn wait_exit(&mut self, within: std::time::Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }

    /// `host:port` of the URL.
    pub fn authority(&self) -> String {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or(rest).to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// vcsim (`VCSIM_BIN`, built by `cargo xtask test`) with `args`, or `None` when it is not
/// there and the run does not require it.
pub fn vcsim(test: &str, args: &[&str]) -> Option<Server> {
    let bin = peer("VCSIM_BIN", test)?;
    Some(Server::start(&bin, args, "VCSIM_URL="))
}

/// vimsim (`VIMSIM_BIN`: vim-server's binary, built by `cargo xtask test` before the tests;
/// `cargo build -p vim-server --bin vimsim` makes `target/debug/vimsim`) with `args`
/// (`--listen 127.0.0.1:0 --stop-on-stdin-eof --quiet` are added), or `None` when it is not
/// there and the run does not require it. vim-server's own tests use `CARGO_BIN_EXE_vimsim`.
pub fn vimsim(test: &str, args: &[&str]) -> Option<Server> {
    let bin = peer("VIMSIM_BIN", test)?;
    let mut all = vec!["--listen", "127.0.0.1:0", "--stop-on-stdin-eof", "--quiet"];
    all.extend_from_slice(args);
    Some(Server::start(&bin, &all, "VIMSIM_URL="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_seeded_and_spreads() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
        assert!(xs.iter().all(|&x| x == b.next_u64()));
        let mut seen = [0usize; 10];
        for _ in 0..10_000 {
            seen[a.below(10)] += 1;
        }
        assert!(seen.iter().all(|&n| n > 800), "{seen:?}");
        let mut v: Vec<u32> = (0..50).collect();
        a.shuffle(&mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}

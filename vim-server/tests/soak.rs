//! Soak: a mixed load on vimsim for a bounded time — login / read / logout churn, property
//! reads, calls that fault, malformed requests and cut connections — then: no unexpected
//! answer, no session left behind, and vimsim's RSS over time (its slope printed).
//!
//! Ignored in a plain `cargo test` (it runs for a set time): `cargo xtask test` runs it
//! for 30 s as its last step, `cargo xtask soak --duration SECS` for as long as asked.
//! `SOAK_SECONDS` sets the time (default 30).

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::raw::*;

/// What the load found wrong: a count and the first few descriptions.
#[derive(Default)]
struct Errors {
    count: AtomicU64,
    first: Mutex<Vec<String>>,
}

impl Errors {
    fn add(&self, what: String) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let mut f = self.first.lock().unwrap_or_else(|e| e.into_inner());
        if f.len() < 20 {
            f.push(what);
        }
    }
}

/// Checks an answer: `want` is the status and either a response element or a fault class.
fn check(errors: &Errors, what: &str, r: std::io::Result<Resp>, status: u16, marker: &str) -> Option<Resp> {
    match r {
        Ok(r) if r.status == status && (r.body.contains(marker) || r.fault() == Some(marker)) => Some(r),
        Ok(r) => {
            errors.add(format!("{what}: {} {}", r.status, &r.body[..r.body.len().min(300)]));
            None
        }
        Err(e) => {
            errors.add(format!("{what}: {e}"));
            None
        }
    }
}

fn current_session() -> String {
    envelope(
        "RetrieveProperties",
        r#"<_this type="PropertyCollector">propertyCollector</_this>"#,
        r#"<specSet><propSet><type>SessionManager</type><pathSet>currentSession</pathSet><pathSet>message</pathSet><pathSet>supportedLocaleList</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet>"#,
    )
}

fn session_list() -> String {
    envelope(
        "RetrieveProperties",
        r#"<_this type="PropertyCollector">propertyCollector</_this>"#,
        r#"<specSet><propSet><type>SessionManager</type><pathSet>sessionList</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet>"#,
    )
}

/// Login, a read that must see the new session, logout; as admin or viewer.
fn churn(at: &str, errors: &Errors, ops: &AtomicU64, stop: Instant, i: usize) {
    let mut c = Conn::open(at);
    let (user, pw) = if i % 2 == 0 { ("admin", "secret") } else { ("viewer", "pw") };
    let mut n = 0u64;
    while Instant::now() < stop {
        let Some(r) = check(errors, "churn login", c.try_call(&login(user, pw), None), 200, "<LoginResponse") else {
            c = Conn::open(at);
            continue;
        };
        let Some(cookie) = r.cookie() else {
            errors.add("churn login: no cookie".into());
            continue;
        };
        let key = cookie.split('=').nth(1).unwrap_or("").trim_matches('"').to_string();
        if let Some(r) = check(errors, "churn read", c.try_call(&current_session(), Some(&cookie)), 200, "<RetrievePropertiesResponse") {
            if !r.body.contains(&key) {
                errors.add("churn read: the current session is not the one logged in".into());
            }
        }
        check(errors, "churn logout", c.try_call(&envelope("Logout", SM, ""), Some(&cookie)), 200, "<LogoutResponse");
        n += 3;
        // Connections come and go too.
        if n % 600 == 0 {
            c = Conn::open(at);
        }
    }
    ops.fetch_add(n, Ordering::Relaxed);
}

/// One session, read again and again: properties, Fetch, the clock, the content.
fn reader(at: &str, errors: &Errors, ops: &AtomicU64, stop: Instant) {
    let mut c = Conn::open(at);
    let r = check(errors, "reader login", c.try_call(&login("viewer", "pw"), None), 200, "<LoginResponse").expect("the reader's login");
    let cookie = r.cookie().expect("a cookie");
    let fetch = envelope("Fetch", SM, "<prop>currentSession</prop>");
    let reads: [(&str, String, &str); 4] = [
        ("read properties", current_session(), "<RetrievePropertiesResponse"),
        ("Fetch", fetch, "<FetchResponse"),
        ("CurrentTime", envelope("CurrentTime", SI, ""), "<CurrentTimeResponse"),
        ("RetrieveServiceContent", envelope("RetrieveServiceContent", SI, ""), "<RetrieveServiceContentResponse"),
    ];
    let mut n = 0u64;
    while Instant::now() < stop {
        let (what, body, want) = &reads[n as usize % reads.len()];
        check(errors, what, c.try_call(body, Some(&cookie)), 200, want);
        n += 1;
    }
    check(errors, "reader logout", c.try_call(&envelope("Logout", SM, ""), Some(&cookie)), 200, "<LogoutResponse");
    ops.fetch_add(n, Ordering::Relaxed);
}

/// Calls that must fault, each with its documented fault.
fn faulting(at: &str, errors: &Errors, ops: &AtomicU64, stop: Instant) {
    let mut c = Conn::open(at);
    let r = check(errors, "faulting login", c.try_call(&login("viewer", "pw"), None), 200, "<LoginResponse").expect("a login");
    let viewer = r.cookie().expect("a cookie");
    let calls: Vec<(&str, String, Option<&str>, &str)> = vec![
        ("wrong password", login("admin", "nope"), None, "InvalidLogin"),
        ("unknown user", login("mallory", "x"), None, "InvalidLogin"),
        ("no session", envelope("CurrentTime", SI, ""), None, "NotAuthenticated"),
        ("terminate without a session", envelope("TerminateSession", SM, "<sessionId>00000000-0000</sessionId>"), None, "NotAuthenticated"),
        ("read-only terminates", envelope("TerminateSession", SM, "<sessionId>x</sessionId>"), Some(&viewer), "NoPermission"),
        ("unknown locale", envelope("SetLocale", SM, "<locale>xx_Nowhere</locale>"), Some(&viewer), "InvalidLocale"),
        ("unknown method", envelope("FormatAllDisks", SI, ""), Some(&viewer), "MethodNotFound"),
        (
            "unknown object",
            envelope("CurrentTime", r#"<_this type="ServiceInstance">other</_this>"#, ""),
            Some(&viewer),
            "ManagedObjectNotFound",
        ),
    ];
    let mut n = 0u64;
    while Instant::now() < stop {
        let (what, body, cookie, fault) = &calls[n as usize % calls.len()];
        check(errors, what, c.try_call(body, *cookie), 500, fault);
        n += 1;
    }
    check(errors, "faulting logout", c.try_call(&envelope("Logout", SM, ""), Some(&viewer)), 200, "<LogoutResponse");
    ops.fetch_add(n, Ordering::Relaxed);
}

/// Malformed requests, each on a connection of its own, and requests cut off midway.
fn malformed(at: &str, errors: &Errors, ops: &AtomicU64, stop: Instant) {
    let post = |ct: &str, body: &[u8]| {
        let mut r =
            format!("POST /sdk HTTP/1.1\r\nHost: x\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                .into_bytes();
        r.extend_from_slice(body);
        r
    };
    let content = envelope("RetrieveServiceContent", SI, "");
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("junk", post("text/xml", b"\x00\x01 not XML <<<"), 500, "InvalidRequest"),
        ("not UTF-8", post("text/xml", b"<a>\xff\xfe</a>"), 500, "InvalidRequest"),
        ("truncated", post("text/xml", &content.as_bytes()[..60]), 500, "InvalidRequest"),
        ("wrong content type", post("application/json", b"{}"), 500, "InvalidRequest"),
        ("GET /sdk", b"GET /sdk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), 500, "InvalidRequest"),
        ("unknown path", b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), 404, "not found"),
    ];
    let mut n = 0u64;
    while Instant::now() < stop {
        if n % 7 == 6 {
            // Cut off: half the headers, then gone. No answer to check; the server must
            // simply not mind.
            if let Ok(mut s) = TcpStream::connect(at) {
                let _ = s.write_all(b"POST /sdk HTTP/1.1\r\nHost: x\r\nContent-Le");
            }
        } else {
            let (what, raw, status, want) = &cases[n as usize % cases.len()];
            let r = TcpStream::connect(at).map(Conn::new).and_then(|mut c| c.send(raw));
            check(errors, what, r, *status, want);
        }
        n += 1;
        std::thread::sleep(Duration::from_millis(2));
    }
    ops.fetch_add(n, Ordering::Relaxed);
}

/// Least-squares slope of (seconds, KiB) in KiB per minute.
fn slope_per_minute(samples: &[(f64, f64)]) -> f64 {
    let n = samples.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) = (samples.iter().map(|s| s.0).sum::<f64>() / n, samples.iter().map(|s| s.1).sum::<f64>() / n);
    let cov: f64 = samples.iter().map(|s| (s.0 - mx) * (s.1 - my)).sum();
    let var: f64 = samples.iter().map(|s| (s.0 - mx).powi(2)).sum();
    if var == 0.0 {
        0.0
    } else {
        cov / var * 60.0
    }
}

#[test]
#[ignore = "runs for SOAK_SECONDS (default 30): cargo xtask test / cargo xtask soak"]
fn soak() {
    let seconds: f64 =
        std::env::var("SOAK_SECONDS").ok().and_then(|v| v.parse().ok()).filter(|s: &f64| s.is_finite() && *s > 0.0).unwrap_or(30.0);
    let sim = common::vimsim(&["--max-sessions-per-user", "1000"]);
    let at = sim.authority();
    let pid = sim.pid();
    let errors = Arc::new(Errors::default());
    let ops = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let stop = started + Duration::from_secs_f64(seconds);
    let mut workers = Vec::new();
    for kind in ["churn", "churn", "churn", "churn", "reader", "reader", "faulting", "faulting", "malformed"] {
        let (at, errors, ops) = (at.clone(), Arc::clone(&errors), Arc::clone(&ops));
        let i = workers.len();
        workers.push(std::thread::spawn(move || match kind {
            "churn" => churn(&at, &errors, &ops, stop, i),
            "reader" => reader(&at, &errors, &ops, stop),
            "faulting" => faulting(&at, &errors, &ops, stop),
            _ => malformed(&at, &errors, &ops, stop),
        }));
    }
    // vimsim's RSS once a second.
    let mut samples: Vec<(f64, f64)> = Vec::new();
    while Instant::now() < stop {
        if let Some(kib) = common::proc_kib(pid, "VmRSS") {
            samples.push((started.elapsed().as_secs_f64(), kib as f64));
        }
        std::thread::sleep(Duration::from_secs(1).min(stop.saturating_duration_since(Instant::now())));
    }
    for w in workers {
        w.join().expect("a worker");
    }
    let took = started.elapsed().as_secs_f64();

    // Every worker logged out: only the observer's session may be left.
    let mut c = Conn::open(&at);
    let r = c.call(&login("admin", "secret"), None);
    let cookie = r.cookie().expect("the observer's session");
    let r = c.call(&session_list(), Some(&cookie));
    assert_eq!(r.status, 200, "{}", r.body);
    let leaked = r.body.matches("<key>").count().saturating_sub(1);

    // The first fifth is warm-up (allocator arenas, buffers): the slope is over the rest.
    let steady = &samples[samples.len() / 5..];
    let slope = slope_per_minute(steady);
    let (first, last) = (steady.first().map_or(0.0, |s| s.1), steady.last().map_or(0.0, |s| s.1));
    let peak = samples.iter().map(|s| s.1).fold(0.0, f64::max);
    let total = ops.load(Ordering::Relaxed);
    let unexpected = errors.count.load(Ordering::Relaxed);
    println!("--- soak: {took:.0} s of mixed load (4 churn, 2 readers, 2 faulting, 1 malformed + cut connections)");
    println!("  {total} requests, {:.0}/s; {unexpected} unexpected answers; {leaked} sessions left behind", total as f64 / took);
    println!(
        "  vimsim RSS: {:.1} MiB after warm-up, {:.1} MiB at the end, peak {:.1} MiB; slope {:+.1} KiB/min over {} samples",
        first / 1024.0,
        last / 1024.0,
        peak / 1024.0,
        slope,
        steady.len()
    );
    let first_errors = errors.first.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(unexpected, 0, "unexpected answers, the first: {first_errors:#?}");
    assert_eq!(leaked, 0, "sessions left behind: {}", r.body);
    // A leak of even 100 bytes a request would pass 32 MiB within a minute of this load;
    // flat memory stays far below.
    assert!(last - first < (32 << 10) as f64, "RSS grew {:.1} MiB after warm-up", (last - first) / 1024.0);
}

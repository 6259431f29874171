//! vimsim under hostile load (the issue "vimsim under hostile load"), on loopback:
//! - connections that never finish their headers, and connections that trickle a body a
//!   byte a second, do not lock a well-behaved client out, and are all closed within the
//!   timeouts (with the default connection budget, and with one smaller than the flood);
//! - a flood of logins that never log out keeps memory bounded and its sessions expire;
//!   the per-user session limit refuses further logins; wrong passwords leave nothing behind;
//! - SIGTERM: the call in flight is answered, nothing new is accepted, exit 0.
//!
//! Figures (latencies, peak RSS, rates) are printed (`--nocapture`); the asserts are the
//! issue's own acceptance bounds, with slack for a loaded 2-core machine.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::raw::*;

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// How long after it stopped sending each attacking connection was closed (`None`: it was
/// not closed within the bound).
type Closings = Vec<Option<Duration>>;

/// `n` connections that send the start of a request's headers and then nothing.
async fn header_attackers(at: String, n: usize, bound: Duration) -> Closings {
    let mut tasks = Vec::new();
    for i in 0..n {
        let at = at.clone();
        tasks.push(tokio::spawn(async move {
            let mut s = tokio::net::TcpStream::connect(&at).await.ok()?;
            s.write_all(b"POST /sdk HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.ok()?;
            let since = Instant::now();
            let mut buf = [0u8; 512];
            let closed = tokio::time::timeout(bound, async { while matches!(s.read(&mut buf).await, Ok(n) if n > 0) {} });
            closed.await.ok().map(|()| since.elapsed())
        }));
        if i % 100 == 99 {
            // A burst of 100, then a breath: the listen backlog is not the thing tested.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.ok().flatten());
    }
    out
}

/// `n` connections that send whole headers announcing a 1,000-byte body, then one byte
/// a second.
async fn body_attackers(at: String, n: usize, bound: Duration) -> Closings {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let at = at.clone();
        tasks.push(tokio::spawn(async move {
            let s = tokio::net::TcpStream::connect(&at).await.ok()?;
            let (mut r, mut w) = s.into_split();
            w.write_all(b"POST /sdk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<").await.ok()?;
            let since = Instant::now();
            let trickle = async {
                loop {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if w.write_all(b" ").await.is_err() {
                        // Closed: the reader sees it.
                        std::future::pending::<()>().await;
                    }
                }
            };
            let mut buf = [0u8; 4096];
            let closed = async { while matches!(r.read(&mut buf).await, Ok(n) if n > 0) {} };
            let bounded = tokio::time::timeout(bound, async {
                tokio::select! {
                    () = closed => {}
                    () = trickle => {}
                }
            });
            bounded.await.ok().map(|()| since.elapsed())
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.ok().flatten());
    }
    out
}

/// The flood and the login flood each load both cores: run one at a time, so that the
/// well-behaved client's one-second bound measures vimsim, not this file's other test.
static HEAVY: Mutex<()> = Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Lets the test process hold the attacking connections: the soft open-file limit up to the
/// hard one. Returns how many attackers fit (the issue's 2,000 + 200 when they do).
fn attackers_that_fit() -> (usize, usize) {
    let limit = vim_server::connections::raise_fd_limit().unwrap_or(1024) as usize;
    let room = limit.saturating_sub(200);
    if room >= 2200 {
        (2000, 200)
    } else {
        eprintln!("open-file limit {limit}: the flood is scaled down to fit");
        (room * 10 / 11, room / 11)
    }
}

/// Floods vimsim (started with `extra`) and checks a well-behaved client meanwhile.
fn flood(label: &str, extra: &[&str]) {
    const HEADER_S: f64 = 2.0;
    const BODY_S: f64 = 3.0;
    // Timers fire late on a loaded 2-core machine: the slack for "closed within the timeout".
    const SLACK: Duration = Duration::from_millis(2500);
    let (n_header, n_body) = attackers_that_fit();
    let mut args = vec!["--header-timeout", "2", "--body-timeout", "3"];
    args.extend_from_slice(extra);
    let sim = common::vimsim(&args);
    let at = sim.authority();
    let (r, _) = fresh_call(&at, &login("admin", "secret"), None).expect("login before the flood");
    let cookie = r.cookie().expect("a session cookie");
    let rss_before = common::proc_kib(sim.pid(), "VmRSS");

    let rt = common::runtime();
    let header_bound = Duration::from_secs_f64(HEADER_S) + SLACK + Duration::from_secs(10);
    let body_bound = Duration::from_secs_f64(BODY_S) + SLACK + Duration::from_secs(10);
    // The bodies first: the headers flood then has to get past them to take their places.
    let bodies = rt.spawn(body_attackers(at.clone(), n_body, body_bound));
    std::thread::sleep(Duration::from_millis(200));
    let headers = rt.spawn(header_attackers(at.clone(), n_header, header_bound));
    std::thread::sleep(Duration::from_millis(300));

    // The well-behaved client: a call every 50 ms, each on a new connection, alternating an
    // anonymous and an authenticated one, until the attackers are all gone.
    let done = Arc::new(AtomicBool::new(false));
    let calls: Arc<Mutex<Vec<Result<Duration, String>>>> = Arc::default();
    let client = {
        let (at, done, calls, cookie) = (at.clone(), Arc::clone(&done), Arc::clone(&calls), cookie.clone());
        std::thread::spawn(move || {
            let mut i = 0u32;
            while !done.load(Ordering::Relaxed) && i < 1000 {
                let (body, cookie, want) = if i % 2 == 0 {
                    (envelope("RetrieveServiceContent", SI, ""), None, "<RetrieveServiceContentResponse")
                } else {
                    (envelope("CurrentTime", SI, ""), Some(cookie.as_str()), "<CurrentTimeResponse")
                };
                let outcome = match fresh_call(&at, &body, cookie) {
                    Ok((r, took)) if r.status == 200 && r.body.contains(want) => Ok(took),
                    Ok((r, _)) => Err(format!("{} {}", r.status, &r.body[..r.body.len().min(300)])),
                    Err(e) => Err(e),
                };
                calls.lock().unwrap().push(outcome);
                i += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let peak_sampler = {
        let (pid, done) = (sim.pid(), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::Relaxed) {
                peak = peak.max(common::proc_kib(pid, "VmRSS").unwrap_or(0));
                std::thread::sleep(Duration::from_millis(100));
            }
            peak
        })
    };
    let started = Instant::now();
    let header_closed = rt.block_on(headers).expect("the header attackers");
    let body_closed = rt.block_on(bodies).expect("the body attackers");
    let attack = started.elapsed();
    done.store(true, Ordering::Relaxed);
    client.join().expect("the client");
    let peak_rss = peak_sampler.join().expect("the sampler");
    let hwm = common::proc_kib(sim.pid(), "VmHWM");

    let calls = std::mem::take(&mut *calls.lock().unwrap());
    let failures: Vec<&String> = calls.iter().filter_map(|c| c.as_ref().err()).collect();
    let mut took: Vec<Duration> = calls.iter().filter_map(|c| c.as_ref().ok().copied()).collect();
    took.sort();
    let worst = took.last().copied().unwrap_or_default();
    let stats = |v: &Closings| {
        let mut c: Vec<Duration> = v.iter().flatten().copied().collect();
        c.sort();
        let open = v.len() - c.len();
        let early = c.iter().filter(|d| d.as_secs_f64() < 0.9).count();
        (c.last().copied().unwrap_or_default(), open, early)
    };
    let (h_last, h_open, h_early) = stats(&header_closed);
    let (b_last, b_open, b_early) = stats(&body_closed);
    println!("--- {label}");
    println!(
        "  attack: {n_header} connections with unfinished headers, {n_body} trickling a body; all gone after {:.1} s",
        attack.as_secs_f64()
    );
    println!(
        "  unfinished headers: last closed {} after its last byte (timeout {HEADER_S} s); {h_early} closed within 0.9 s to make room; {h_open} still open",
        ms(h_last)
    );
    println!(
        "  trickled bodies: last closed {} after the headers (deadline {BODY_S} s); {b_early} closed within 0.9 s; {b_open} still open",
        ms(b_last)
    );
    println!(
        "  well-behaved client: {} calls on new connections, {} failed; p50 {}, p99 {}, worst {}",
        calls.len(),
        failures.len(),
        ms(took.get(took.len() / 2).copied().unwrap_or_default()),
        ms(took.get(took.len() * 99 / 100).copied().unwrap_or_default()),
        ms(worst)
    );
    println!("  vimsim RSS: {} before, peak {} (sampled), VmHWM {}", mib(rss_before), mib(Some(peak_rss)), mib(hwm));

    assert!(failures.is_empty(), "{label}: the well-behaved client's calls failed: {failures:?}");
    assert!(calls.len() >= 20, "{label}: only {} calls were made during the attack", calls.len());
    assert!(worst < Duration::from_secs(1), "{label}: a call took {} under attack", ms(worst));
    assert_eq!(h_open, 0, "{label}: connections with unfinished headers left open");
    assert_eq!(b_open, 0, "{label}: trickling connections left open");
    assert!(h_last <= Duration::from_secs_f64(HEADER_S) + SLACK, "{label}: unfinished headers held {}", ms(h_last));
    assert!(b_last <= Duration::from_secs_f64(BODY_S) + SLACK, "{label}: a trickled body held {}", ms(b_last));
    // Bounded: a few KiB per held connection, not the 1 GiB a leak or unbounded buffer
    // would reach.
    assert!(peak_rss < 512 << 10, "{label}: vimsim peaked at {}", mib(Some(peak_rss)));
    let (r, _) = fresh_call(&at, &envelope("CurrentTime", SI, ""), Some(&cookie)).expect("after the flood");
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn slow_and_idle_clients_cannot_starve_others() {
    let _one_at_a_time = heavy();
    // The default budget (from the open-file limit) holds the whole flood until the timeouts.
    flood("default connection budget", &[]);
    // A budget smaller than the flood: the waiting connections give way to new ones.
    flood("a budget of 500 connections", &["--max-connections", "500"]);
}

/// Logins that never log out: memory stays bounded (sessions expire after the idle
/// timeout, swept as new logins come), and afterwards only the live session is left.
#[test]
fn a_login_flood_keeps_memory_bounded() {
    let total: usize = std::env::var("HOSTILE_LOGINS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    const CONNS: usize = 8;
    let _one_at_a_time = heavy();
    let sim = common::vimsim(&["--session-idle-timeout", "2"]);
    let at = sim.authority();
    let pid = sim.pid();
    let rss_before = common::proc_kib(pid, "VmRSS");
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let mut samples = Vec::new();
            while !done.load(Ordering::Relaxed) {
                samples.push(common::proc_kib(pid, "VmRSS").unwrap_or(0));
                std::thread::sleep(Duration::from_millis(250));
            }
            samples
        })
    };
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNS)
        .map(|i| {
            let at = at.clone();
            let n = total / CONNS + usize::from(i < total % CONNS);
            std::thread::spawn(move || {
                let mut c = Conn::open(&at);
                let body = login("admin", "secret");
                let mut bad = 0;
                for _ in 0..n {
                    // No cookie: every login makes a new session, and none logs out.
                    let r = c.call(&body, None);
                    bad += usize::from(r.status != 200 || !r.body.contains("<LoginResponse"));
                }
                bad
            })
        })
        .collect();
    let bad: usize = workers.into_iter().map(|w| w.join().expect("a login worker")).sum();
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let samples = sampler.join().expect("the sampler");
    let hwm = common::proc_kib(pid, "VmHWM");
    println!("--- {total} logins without logout on {CONNS} connections, session idle timeout 2 s");
    println!("  {:.1} s, {:.0} logins/s, {bad} failed", took.as_secs_f64(), total as f64 / took.as_secs_f64());
    let quarter = |q: usize| mib(samples.get((samples.len().saturating_sub(1)) * q / 4).copied());
    println!(
        "  vimsim RSS: {} before; {} / {} / {} / {} at 25/50/75/100% of the flood; VmHWM {}",
        mib(rss_before),
        quarter(1),
        quarter(2),
        quarter(3),
        quarter(4),
        mib(hwm)
    );
    assert_eq!(bad, 0, "logins failed");
    // Sessions expire: after the idle timeout, the next login sweeps the flood out.
    std::thread::sleep(Duration::from_millis(2600));
    let mut c = Conn::open(&at);
    let r = c.call(&login("admin", "secret"), None);
    let cookie = r.cookie().expect("a session");
    let list = envelope(
        "RetrieveProperties",
        r#"<_this type="PropertyCollector">propertyCollector</_this>"#,
        r#"<specSet><propSet><type>SessionManager</type><pathSet>sessionList</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet>"#,
    );
    let r = c.call(&list, Some(&cookie));
    assert_eq!(r.status, 200, "{}", r.body);
    let live = r.body.matches("<key>").count();
    println!("  sessions left after the idle timeout: {live}; VmRSS {}", mib(common::proc_kib(pid, "VmRSS")));
    assert_eq!(live, 1, "only the last login's session is left");
    // Bounded: the live set is what 2 s of logins make, not 100,000 sessions forever.
    assert!(hwm.unwrap_or(0) < 512 << 10, "vimsim peaked at {}", mib(hwm));
}

/// A wrong password costs what a right one does and leaves nothing behind; the per-user
/// limit refuses logins beyond it with `InvalidLogin`, and a logout frees a place.
#[test]
fn wrong_passwords_leave_nothing_and_the_session_limit_holds() {
    const LIMIT: usize = 50;
    const WRONG: usize = 20_000;
    let sim = common::vimsim(&["--max-sessions-per-user", "50"]);
    let at = sim.authority();
    let pid = sim.pid();
    let mut c = Conn::open(&at);
    // Warm up (allocator arenas, buffers) before the before-figure.
    for _ in 0..200 {
        let r = c.call(&login("admin", "wrong"), None);
        assert_eq!(r.fault(), Some("InvalidLogin"));
    }
    let rss_before = common::proc_kib(pid, "VmRSS").unwrap_or(0);
    let started = Instant::now();
    for _ in 0..WRONG {
        let r = c.call(&login("admin", "wrong-password"), None);
        assert_eq!((r.status, r.fault()), (500, Some("InvalidLogin")), "{}", r.body);
    }
    let wrong_rate = WRONG as f64 / started.elapsed().as_secs_f64();
    let rss_after = common::proc_kib(pid, "VmRSS").unwrap_or(0);
    // Right passwords, each logged out again (the limit would refuse the 51st).
    let started = Instant::now();
    let right = 5_000;
    for _ in 0..right {
        let r = c.call(&login("admin", "secret"), None);
        assert_eq!(r.status, 200, "{}", r.body);
        let cookie = r.cookie().expect("a session");
        let r = c.call(&envelope("Logout", SM, ""), Some(&cookie));
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let right_rate = right as f64 / started.elapsed().as_secs_f64();
    println!("--- {WRONG} wrong passwords: {wrong_rate:.0} logins/s; right ones (login + logout): {right_rate:.0} pairs/s");
    println!("  vimsim RSS {} before the wrong ones, {} after", mib(Some(rss_before)), mib(Some(rss_after)));
    // Nothing is kept per failure: 20,000 of them grow nothing (a 1 KiB record each would be 20 MiB).
    assert!(rss_after < rss_before + (8 << 10), "RSS grew from {} to {}", mib(Some(rss_before)), mib(Some(rss_after)));

    let mut cookies = Vec::new();
    for i in 0..LIMIT {
        let r = c.call(&login("admin", "secret"), None);
        assert_eq!(r.status, 200, "login {i}: {}", r.body);
        cookies.push(r.cookie().expect("a session"));
    }
    let r = c.call(&login("admin", "secret"), None);
    assert_eq!((r.status, r.fault()), (500, Some("InvalidLogin")), "{}", r.body);
    assert!(r.body.contains("Too many sessions"), "the fault says why: {}", r.body);
    // Another user is not limited by admin's sessions.
    let r = c.call(&login("viewer", "pw"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    // A logout frees a place.
    let r = c.call(&envelope("Logout", SM, ""), Some(&cookies[0]));
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.call(&login("admin", "secret"), None);
    assert_eq!(r.status, 200, "{}", r.body);
}

/// SIGTERM while a request is half sent: the listener closes, the request is read to its
/// end and answered, an idle connection is closed, and vimsim exits 0.
#[test]
fn sigterm_answers_the_call_in_flight_and_exits_0() {
    let mut sim = common::vimsim(&["--shutdown-timeout", "10"]);
    let at = sim.authority();
    // An idle keep-alive connection, and one in the middle of sending its request.
    let mut idle = Conn::open(&at);
    let r = idle.call(&envelope("RetrieveServiceContent", SI, ""), None);
    assert_eq!(r.status, 200);
    let req = request(&envelope("RetrieveServiceContent", SI, ""), None, false);
    let (first, rest) = req.split_at(req.len() - 40);
    let mut busy = TcpStream::connect(&at).unwrap();
    busy.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    busy.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let sent = Instant::now();
    let status = std::process::Command::new("kill").args(["-TERM", &sim.pid().to_string()]).status().expect("kill(1)");
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(300));
    assert!(TcpStream::connect(&at).is_err(), "a new connection is refused once stopping");
    let mut buf = [0u8; 64];
    assert!(matches!(idle.s.read(&mut buf), Ok(0) | Err(_)), "the idle connection is closed");
    busy.write_all(rest).unwrap();
    let r = read_response(&mut busy, &mut Vec::new()).expect("the call in flight is answered");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<RetrieveServiceContentResponse"), "{}", r.body);
    let exit = sim.wait_exit(Duration::from_secs(10)).expect("vimsim exits within the shutdown timeout");
    println!("--- SIGTERM: answered the call in flight, exited {exit} after {}", ms(sent.elapsed()));
    assert!(exit.success(), "{exit}");
}

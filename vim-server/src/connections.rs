//! The connection budget: how many connections the server holds at once, and which one
//! gives way when a new one arrives and the budget is spent.
//!
//! A connection that is only waiting (between requests, or still sending its headers) costs
//! the server a descriptor and a buffer but nobody is waiting on it, so when the budget is
//! reached the oldest of those is closed to make room, in this order: idle keep-alive
//! connections, then connections that have not finished their headers, then connections
//! still sending a body. A connection whose call is running is never closed. Without this,
//! clients that open connections and send nothing hold every slot until their timeout
//! (the lock-out the "hostile load" issue measured), whatever the timeout is.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// What a connection is doing, in the order connections are closed to make room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Phase {
    /// Between requests (an answer has been handed over; the next has not started).
    Idle,
    /// Accepted (or in the TLS handshake), no request yet: its headers are on their way.
    Headers,
    /// The headers are in; the body is being read.
    Body,
    /// The call runs: never closed to make room.
    Busy,
}

struct Entry {
    phase: Phase,
    since: Instant,
    /// Set when the connection has been told to close (it then leaves `order`).
    evicted: bool,
    close: Arc<Notify>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    conns: HashMap<u64, Entry>,
    /// Closable connections by (phase, since): the first is the next to close.
    order: BTreeSet<(Phase, Instant, u64)>,
    /// Connections told to close that are not gone yet.
    evicting: usize,
    /// When the last one was told.
    last_eviction: Option<Instant>,
}

/// Every connection the server holds.
pub(crate) struct Registry {
    budget: usize,
    inner: Mutex<Inner>,
    /// Signalled whenever a connection is gone.
    freed: Notify,
}

/// One admitted connection; dropping it gives its place back.
pub(crate) struct Slot {
    registry: Arc<Registry>,
    id: u64,
    /// Notified when the connection must close to make room.
    pub close: Arc<Notify>,
}

impl Registry {
    pub fn new(budget: usize) -> Arc<Registry> {
        Arc::new(Registry { budget: budget.max(1), inner: Mutex::default(), freed: Notify::new() })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn len(&self) -> usize {
        self.lock().conns.len()
    }

    /// Makes room for one more connection: when the budget is spent, tells the first
    /// closable connection to close and waits until a place is free. Waits for a running
    /// call to end only when every connection is in one.
    pub async fn make_room(&self) {
        loop {
            {
                let mut inner = self.lock();
                if inner.conns.len() < self.budget {
                    return;
                }
                // Evicted connections still hold their descriptor until their task ends
                // (at once, or after at most [`IDLE_CLOSE`] for an idle one still writing):
                // ask for one more only when none is on its way out, or those are slow.
                let slow = !matches!(inner.last_eviction, Some(t) if t.elapsed() < Duration::from_millis(20));
                if inner.evicting == 0 || slow {
                    if let Some(&victim) = inner.order.iter().next() {
                        inner.order.remove(&victim);
                        if let Some(e) = inner.conns.get_mut(&victim.2) {
                            e.evicted = true;
                            e.close.notify_one();
                            inner.evicting += 1;
                            inner.last_eviction = Some(Instant::now());
                        }
                    }
                }
            }
            // Bounded wait: a missed wake-up costs 10 ms, not a hang.
            let _ = tokio::time::timeout(Duration::from_millis(10), self.freed.notified()).await;
        }
    }

    /// Registers a new connection (phase `Headers`).
    pub fn admit(self: &Arc<Self>) -> Slot {
        let close = Arc::new(Notify::new());
        let now = Instant::now();
        let mut inner = self.lock();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.conns.insert(id, Entry { phase: Phase::Headers, since: now, evicted: false, close: Arc::clone(&close) });
        inner.order.insert((Phase::Headers, now, id));
        drop(inner);
        Slot { registry: Arc::clone(self), id, close }
    }
}

impl Slot {
    /// What the connection was last recorded doing.
    pub fn phase(&self) -> Phase {
        self.registry.lock().conns.get(&self.id).map_or(Phase::Busy, |e| e.phase)
    }

    /// Records what the connection is doing now.
    pub fn set(&self, phase: Phase) {
        let now = Instant::now();
        let mut inner = self.registry.lock();
        let Some(e) = inner.conns.get_mut(&self.id) else { return };
        if e.evicted {
            return;
        }
        let old = (e.phase, e.since, self.id);
        e.phase = phase;
        e.since = now;
        inner.order.remove(&old);
        if phase != Phase::Busy {
            inner.order.insert((phase, now, self.id));
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut inner = self.registry.lock();
        if let Some(e) = inner.conns.remove(&self.id) {
            if e.evicted {
                inner.evicting -= 1;
            } else {
                inner.order.remove(&(e.phase, e.since, self.id));
            }
        }
        drop(inner);
        self.registry.freed.notify_waiters();
    }
}

/// Descriptors kept back from the connection budget: the listener, log output, the
/// runtime's own, and a margin so `accept` does not fail first.
const RESERVED_FDS: u64 = 64;

/// A default budget when the limit cannot be read, and a ceiling: each held connection
/// costs a buffer (up to [`MAX_BUF`] while its headers arrive), so memory stays bounded
/// even when the descriptor limit is huge.
const MAX_BUDGET: u64 = 16_384;

/// How long an idle connection told to close may take to finish writing its last answer
/// (on loopback or a LAN the socket buffer takes it at once; a peer that does not read is
/// not waited for).
pub(crate) const IDLE_CLOSE: Duration = Duration::from_millis(100);

/// hyper's read buffer ceiling per connection (its default is ~400 KiB).
pub(crate) const MAX_BUF: usize = 64 << 10;

/// The connection budget the process's open-file limit allows: the soft `RLIMIT_NOFILE`
/// less `RESERVED_FDS`, at most `MAX_BUDGET`.
pub fn fd_budget() -> usize {
    let soft = nofile().map_or(MAX_BUDGET, |(soft, _)| soft);
    soft.saturating_sub(RESERVED_FDS).clamp(16, MAX_BUDGET) as usize
}

/// Raises the soft open-file limit to the hard one (as Go's runtime does for every Go
/// program, vcsim included); returns the new soft limit.
pub fn raise_fd_limit() -> Option<u64> {
    let (soft, hard) = nofile()?;
    if soft >= hard {
        return Some(soft);
    }
    let lim = libc::rlimit { rlim_cur: hard as libc::rlim_t, rlim_max: hard as libc::rlim_t };
    // SAFETY: setrlimit reads a valid, initialised rlimit struct we own.
    let ok = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) } == 0;
    Some(if ok { hard } else { soft })
}

/// A listener on `addr` whose accept queue is as long as the system allows
/// (`net.core.somaxconn`, as Go's net package uses), not the 1,024 `TcpListener::bind`
/// asks for: a burst of connections (a flood, or many clients starting at once) then waits
/// in the queue instead of having its SYNs dropped, which would cost every client caught
/// in it, the well-behaved ones included, a one-second retransmission.
pub async fn listen(addr: &str) -> std::io::Result<tokio::net::TcpListener> {
    let backlog = std::fs::read_to_string("/proc/sys/net/core/somaxconn").ok().and_then(|s| s.trim().parse::<u32>().ok()).unwrap_or(4096);
    let mut last = None;
    for a in tokio::net::lookup_host(addr).await? {
        let socket = if a.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
        // As std and mio do: a restarted server may bind while old connections linger.
        socket.set_reuseaddr(true)?;
        match socket.bind(a).and_then(|()| socket.listen(backlog.max(1024))) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{addr} names no address"))))
}

/// The (soft, hard) open-file limits.
fn nofile() -> Option<(u64, u64)> {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes into the rlimit struct we pass, nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
    // rlim_t is u64 on 64-bit Linux but not everywhere.
    #[allow(clippy::unnecessary_cast)]
    let (soft, hard) = (lim.rlim_cur as u64, lim.rlim_max as u64);
    ok.then_some((soft, hard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn the_oldest_waiting_connection_makes_room_and_a_busy_one_never_does() {
        let r = Registry::new(3);
        let busy = r.admit();
        busy.set(Phase::Busy);
        let idle = r.admit();
        idle.set(Phase::Body);
        idle.set(Phase::Idle);
        let headers = r.admit();
        assert_eq!(r.len(), 3);
        // Full: the idle one is told to close (before the older-but-busy one and the
        // one sending headers), and room comes when it goes.
        let waiter = {
            let r = Arc::clone(&r);
            tokio::spawn(async move { r.make_room().await })
        };
        tokio::time::timeout(Duration::from_secs(2), idle.close.notified()).await.expect("the idle connection is closed first");
        drop(idle);
        tokio::time::timeout(Duration::from_secs(2), waiter).await.expect("room is made").unwrap();
        // Next: the one sending headers, never the busy one.
        let newer = r.admit();
        let waiter = {
            let r = Arc::clone(&r);
            tokio::spawn(async move { r.make_room().await })
        };
        tokio::time::timeout(Duration::from_secs(2), headers.close.notified()).await.expect("then the oldest sending headers");
        drop(headers);
        waiter.await.unwrap();
        // Only busy connections left: nobody is told to close; room comes when one ends.
        newer.set(Phase::Busy);
        let third = r.admit();
        third.set(Phase::Busy);
        let waiter = {
            let r = Arc::clone(&r);
            tokio::spawn(async move { r.make_room().await })
        };
        assert!(tokio::time::timeout(Duration::from_millis(100), busy.close.notified()).await.is_err(), "a running call is never cut");
        assert!(!waiter.is_finished());
        drop(busy);
        tokio::time::timeout(Duration::from_secs(2), waiter).await.expect("room once a call ends").unwrap();
    }

    #[test]
    fn the_budget_follows_the_descriptor_limit() {
        let b = fd_budget() as u64;
        let (soft, _) = nofile().unwrap();
        assert!(b <= soft.saturating_sub(RESERVED_FDS).max(16) && b <= MAX_BUDGET, "{b} with a soft limit of {soft}");
    }
}

//! Sessions and tickets, in memory. Keys and tickets are 128 random bits from the operating
//! system's CSPRNG (ring's `SystemRandom`); tickets are single-use and expire.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use ring::rand::{SecureRandom, SystemRandom};

use crate::auth::Role;

/// One logged-in session.
#[derive(Clone, Debug)]
pub struct Session {
    pub key: String,
    pub user_name: String,
    pub role: Role,
    pub login_time: SystemTime,
    pub last_active: SystemTime,
    pub locale: String,
    pub message_locale: String,
    pub ip_address: String,
    pub user_agent: String,
    pub call_count: i64,
    last_active_at: Instant,
}

/// A clone ticket: whose session it clones, and until when.
struct Ticket {
    user_name: String,
    role: Role,
    locale: String,
    expires: Instant,
}

/// What a new session is made from.
pub struct NewSession<'a> {
    pub key: &'a str,
    pub user_name: &'a str,
    pub role: Role,
    pub locale: &'a str,
    pub ip_address: &'a str,
    pub user_agent: &'a str,
}

/// Every session and outstanding ticket of a server.
pub struct SessionStore {
    rng: SystemRandom,
    idle_timeout: Duration,
    ticket_lifetime: Duration,
    max_per_user: Option<usize>,
    inner: Mutex<Inner>,
}

/// A login refused because the user holds as many sessions as [`SessionStore::with_user_limit`]
/// allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManySessions {
    pub limit: usize,
}

struct Inner {
    sessions: HashMap<String, Session>,
    tickets: HashMap<String, Ticket>,
    /// Live sessions per user, so the per-user limit costs no scan.
    per_user: HashMap<String, usize>,
    /// When expired sessions were last swept out.
    swept: Instant,
}

impl Inner {
    fn insert(&mut self, s: Session) {
        *self.per_user.entry(s.user_name.clone()).or_default() += 1;
        if let Some(old) = self.sessions.insert(s.key.clone(), s) {
            self.forget_user(&old.user_name);
        }
    }

    fn remove(&mut self, key: &str) -> Option<Session> {
        let s = self.sessions.remove(key)?;
        self.forget_user(&s.user_name);
        Some(s)
    }

    fn forget_user(&mut self, user: &str) {
        if let Some(n) = self.per_user.get_mut(user) {
            *n -= 1;
            if *n == 0 {
                self.per_user.remove(user);
            }
        }
    }

    /// Drops every session idle longer than `idle`.
    fn sweep(&mut self, idle: Duration) {
        let expired: Vec<String> = self.sessions.values().filter(|s| s.last_active_at.elapsed() > idle).map(|s| s.key.clone()).collect();
        for k in expired {
            self.remove(&k);
        }
        self.tickets.retain(|_, t| t.expires > Instant::now());
        self.swept = Instant::now();
    }
}

impl SessionStore {
    /// Sessions end after `idle_timeout` without a call; tickets live `ticket_lifetime`.
    pub fn new(idle_timeout: Duration, ticket_lifetime: Duration) -> SessionStore {
        let inner = Inner { sessions: HashMap::new(), tickets: HashMap::new(), per_user: HashMap::new(), swept: Instant::now() };
        SessionStore { rng: SystemRandom::new(), idle_timeout, ticket_lifetime, max_per_user: None, inner: Mutex::new(inner) }
    }

    /// At most `limit` live sessions per user: [`SessionStore::create_within_limit`]
    /// refuses more.
    pub fn with_user_limit(mut self, limit: Option<usize>) -> SessionStore {
        self.max_per_user = limit;
        self
    }

    /// Sessions nobody uses again (logins that never log out) must not pile up: they are
    /// swept out every quarter of the idle timeout (at most every minute), on a login.
    fn sweep_due(&self, inner: &mut Inner) {
        let every = (self.idle_timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(60));
        if inner.swept.elapsed() >= every {
            inner.sweep(self.idle_timeout);
        }
    }

    /// Live sessions, without sweeping (for tests and metrics).
    pub fn len(&self) -> usize {
        self.lock().sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends every session idle longer than the timeout, now.
    pub fn sweep(&self) {
        let idle = self.idle_timeout;
        self.lock().sweep(idle);
    }

    /// 128 random bits (see [`fresh_key`]).
    pub fn random_key(&self) -> String {
        random_key(&self.rng)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind: still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates (or replaces) the session `key`.
    pub fn create(&self, s: NewSession<'_>) -> Session {
        let session = Self::new_session(s);
        let mut inner = self.lock();
        self.sweep_due(&mut inner);
        inner.insert(session.clone());
        session
    }

    /// Creates (or replaces) the session `key`, unless its user already holds the most
    /// sessions the store allows (the session it replaces does not count).
    pub fn create_within_limit(&self, s: NewSession<'_>) -> Result<Session, TooManySessions> {
        let mut inner = self.lock();
        self.sweep_due(&mut inner);
        if let Some(limit) = self.max_per_user {
            let held = inner.per_user.get(s.user_name).copied().unwrap_or(0);
            let replaced = inner.sessions.get(s.key).is_some_and(|old| old.user_name == s.user_name);
            if held - usize::from(replaced) >= limit {
                return Err(TooManySessions { limit });
            }
        }
        let session = Self::new_session(s);
        inner.insert(session.clone());
        Ok(session)
    }

    fn new_session(s: NewSession<'_>) -> Session {
        let now = SystemTime::now();
        Session {
            key: s.key.to_string(),
            user_name: s.user_name.to_string(),
            role: s.role,
            login_time: now,
            last_active: now,
            locale: s.locale.to_string(),
            message_locale: s.locale.to_string(),
            ip_address: s.ip_address.to_string(),
            user_agent: s.user_agent.to_string(),
            call_count: 0,
            last_active_at: Instant::now(),
        }
    }

    /// The live session `key` (an idle one is ended here).
    pub fn get(&self, key: &str) -> Option<Session> {
        let mut inner = self.lock();
        let s = inner.sessions.get(key)?;
        if s.last_active_at.elapsed() > self.idle_timeout {
            inner.remove(key);
            return None;
        }
        Some(s.clone())
    }

    /// Records a call on the session: its activity time and call count.
    pub fn touch(&self, key: &str) -> Option<Session> {
        let mut inner = self.lock();
        let s = inner.sessions.get_mut(key)?;
        if s.last_active_at.elapsed() > self.idle_timeout {
            inner.remove(key);
            return None;
        }
        s.last_active = SystemTime::now();
        s.last_active_at = Instant::now();
        s.call_count += 1;
        Some(s.clone())
    }

    /// Changes a session's locale (and message locale).
    pub fn set_locale(&self, key: &str, locale: &str) -> bool {
        match self.lock().sessions.get_mut(key) {
            Some(s) => {
                s.locale = locale.to_string();
                s.message_locale = locale.to_string();
                true
            }
            None => false,
        }
    }

    pub fn remove(&self, key: &str) -> bool {
        self.lock().remove(key).is_some()
    }

    /// Every live session, sorted by login time then key.
    pub fn list(&self) -> Vec<Session> {
        let mut inner = self.lock();
        inner.sweep(self.idle_timeout);
        let mut v: Vec<Session> = inner.sessions.values().cloned().collect();
        v.sort_by(|a, b| a.login_time.cmp(&b.login_time).then_with(|| a.key.cmp(&b.key)));
        v
    }

    /// A single-use ticket that clones session `key`.
    pub fn issue_ticket(&self, key: &str) -> Option<String> {
        let ticket = format!("cst-{}", self.random_key());
        let mut inner = self.lock();
        let now = Instant::now();
        inner.tickets.retain(|_, t| t.expires > now);
        let s = inner.sessions.get(key)?;
        let t = Ticket { user_name: s.user_name.clone(), role: s.role, locale: s.locale.clone(), expires: now + self.ticket_lifetime };
        inner.tickets.insert(ticket.clone(), t);
        Some(ticket)
    }

    /// Takes a ticket (it is gone afterwards, used or expired): the user, role and locale
    /// of the session it clones.
    pub fn redeem_ticket(&self, ticket: &str) -> Option<(String, Role, String)> {
        let t = self.lock().tickets.remove(ticket)?;
        (t.expires > Instant::now()).then_some((t.user_name, t.role, t.locale))
    }

    pub fn outstanding_tickets(&self) -> usize {
        let now = Instant::now();
        self.lock().tickets.values().filter(|t| t.expires > now).count()
    }
}

/// 128 random bits from the operating system's CSPRNG, written like vCenter's session keys
/// (UUID-shaped hex).
pub fn fresh_key() -> String {
    random_key(&SystemRandom::new())
}

fn random_key(rng: &SystemRandom) -> String {
    let mut b = [0u8; 16];
    // SystemRandom fails only when the OS generator is unavailable: nothing can be served
    // safely then.
    rng.fill(&mut b).expect("the operating system's random generator failed");
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_tickets_single_use() {
        let s = SessionStore::new(Duration::from_secs(60), Duration::from_secs(60));
        let keys: std::collections::HashSet<String> = (0..1000).map(|_| s.random_key()).collect();
        assert_eq!(keys.len(), 1000);
        assert!(keys.iter().all(|k| k.chars().filter(char::is_ascii_hexdigit).count() == 32));
        s.create(NewSession { key: "k", user_name: "u", role: Role::Admin, locale: "en", ip_address: "", user_agent: "" });
        let t = s.issue_ticket("k").unwrap();
        assert_eq!(s.redeem_ticket(&t).map(|x| x.0), Some("u".into()));
        assert!(s.redeem_ticket(&t).is_none(), "a ticket works once");
        assert!(s.issue_ticket("nope").is_none());
    }

    #[test]
    fn tickets_expire() {
        let s = SessionStore::new(Duration::from_secs(60), Duration::from_millis(1));
        s.create(NewSession { key: "k", user_name: "u", role: Role::Admin, locale: "en", ip_address: "", user_agent: "" });
        let t = s.issue_ticket("k").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(s.redeem_ticket(&t).is_none());
    }

    fn new<'a>(key: &'a str, user: &'a str) -> NewSession<'a> {
        NewSession { key, user_name: user, role: Role::Admin, locale: "en", ip_address: "", user_agent: "" }
    }

    #[test]
    fn per_user_limit() {
        let s = SessionStore::new(Duration::from_secs(60), Duration::from_secs(60)).with_user_limit(Some(2));
        assert!(s.create_within_limit(new("a1", "a")).is_ok());
        assert!(s.create_within_limit(new("a2", "a")).is_ok());
        assert_eq!(s.create_within_limit(new("a3", "a")).map(|x| x.key), Err(TooManySessions { limit: 2 }));
        assert!(s.create_within_limit(new("a2", "a")).is_ok(), "logging in again on one's own session replaces it");
        assert!(s.create_within_limit(new("b1", "b")).is_ok(), "the limit is per user");
        assert!(s.remove("a1"));
        assert!(s.create_within_limit(new("a3", "a")).is_ok(), "a logout frees a place");
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn idle_sessions_are_swept_on_login() {
        let s = SessionStore::new(Duration::from_millis(200), Duration::from_secs(60)).with_user_limit(Some(5));
        for i in 0..5 {
            s.create_within_limit(new(&format!("k{i}"), "u")).unwrap();
        }
        assert!(s.create_within_limit(new("k5", "u")).is_err());
        std::thread::sleep(Duration::from_millis(300));
        // Nobody touched the five: the next login sweeps them and has room.
        assert!(s.create_within_limit(new("k6", "u")).is_ok());
        assert_eq!(s.len(), 1);
    }
}

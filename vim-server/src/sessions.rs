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
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    sessions: HashMap<String, Session>,
    tickets: HashMap<String, Ticket>,
}

impl SessionStore {
    /// Sessions end after `idle_timeout` without a call; tickets live `ticket_lifetime`.
    pub fn new(idle_timeout: Duration, ticket_lifetime: Duration) -> SessionStore {
        SessionStore { rng: SystemRandom::new(), idle_timeout, ticket_lifetime, inner: Mutex::default() }
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
        let now = SystemTime::now();
        let session = Session {
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
        };
        self.lock().sessions.insert(session.key.clone(), session.clone());
        session
    }

    /// The live session `key` (an idle one is ended here).
    pub fn get(&self, key: &str) -> Option<Session> {
        let mut inner = self.lock();
        let s = inner.sessions.get(key)?;
        if s.last_active_at.elapsed() > self.idle_timeout {
            inner.sessions.remove(key);
            return None;
        }
        Some(s.clone())
    }

    /// Records a call on the session: its activity time and call count.
    pub fn touch(&self, key: &str) -> Option<Session> {
        let mut inner = self.lock();
        let s = inner.sessions.get_mut(key)?;
        if s.last_active_at.elapsed() > self.idle_timeout {
            inner.sessions.remove(key);
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
        self.lock().sessions.remove(key).is_some()
    }

    /// Every live session, sorted by login time then key.
    pub fn list(&self) -> Vec<Session> {
        let mut inner = self.lock();
        let idle = self.idle_timeout;
        inner.sessions.retain(|_, s| s.last_active_at.elapsed() <= idle);
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

/// `xsd:dateTime` in UTC with milliseconds (`2026-11-28T04:07:52.123Z`).
pub fn xsd_datetime(t: SystemTime) -> String {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes() {
        assert_eq!(xsd_datetime(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_795_926_472_123);
        assert_eq!(xsd_datetime(t), "2026-11-29T04:27:52.123Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(xsd_datetime(leap), "2000-02-29T00:00:00.000Z");
    }

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
}

//! `xsd:dateTime` values: [`DateTime`] keeps the server's text; these parse and check it,
//! and convert to and from [`SystemTime`] and Unix time (and, with the `time` feature, the
//! `time` crate's `OffsetDateTime`).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::DateTime;

/// Why a `DateTime`'s text is not a valid `xsd:dateTime`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError {
    pub text: String,
    pub reason: &'static str,
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an xsd:dateTime: {}", self.text, self.reason)
    }
}

impl std::error::Error for DateTimeError {}

/// A parsed instant: seconds since the Unix epoch (UTC) and nanoseconds within the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub unix_seconds: i64,
    pub nanos: u32,
}

impl DateTime {
    /// Parses and checks the text (`2026-11-28T04:07:52.123Z`, `...+02:00`; no zone means
    /// UTC, as vSphere servers always write one).
    pub fn parse(&self) -> Result<Instant, DateTimeError> {
        parse(&self.0).map_err(|reason| DateTimeError { text: self.0.clone(), reason })
    }

    /// Seconds since the Unix epoch (negative before 1970).
    pub fn unix_seconds(&self) -> Result<i64, DateTimeError> {
        self.parse().map(|i| i.unix_seconds)
    }

    /// As a [`SystemTime`].
    pub fn to_system_time(&self) -> Result<SystemTime, DateTimeError> {
        let i = self.parse()?;
        let t = if i.unix_seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(i.unix_seconds as u64, i.nanos))
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(i.unix_seconds.unsigned_abs()))
                .and_then(|t| t.checked_add(Duration::from_nanos(i.nanos.into())))
        };
        t.ok_or(DateTimeError { text: self.0.clone(), reason: "out of SystemTime's range" })
    }

    /// The instant written as the API writes it (UTC, `Z`, milliseconds when not whole).
    pub fn from_unix(unix_seconds: i64, nanos: u32) -> DateTime {
        let days = unix_seconds.div_euclid(86_400);
        let secs = unix_seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let frac = if nanos == 0 { String::new() } else { format!(".{:03}", nanos / 1_000_000) };
        DateTime(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z"))
    }

    /// A [`SystemTime`] as the API writes it.
    pub fn from_system_time(t: SystemTime) -> DateTime {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_unix(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (s, n) = if d.subsec_nanos() == 0 {
                    (-(d.as_secs() as i64), 0)
                } else {
                    (-(d.as_secs() as i64) - 1, 1_000_000_000 - d.subsec_nanos())
                };
                DateTime::from_unix(s, n)
            }
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> DateTime {
        DateTime::from_system_time(t)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn num(s: &str, what: &'static str) -> Result<i64, &'static str> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(what);
    }
    s.parse().map_err(|_| what)
}

fn parse(text: &str) -> Result<Instant, &'static str> {
    let t = text.trim();
    let (date, time) = t.split_once('T').ok_or("no `T` between date and time")?;
    let (neg, date) = match date.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, date),
    };
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if y.len() < 4 || m.len() != 2 || d.len() != 2 {
        return Err("the date is not YYYY-MM-DD");
    }
    let year = num(y, "the year is not a number")? * if neg { -1 } else { 1 };
    let month = num(m, "the month is not a number")?;
    let day = num(d, "the day is not a number")?;
    if !(1..=12).contains(&month) {
        return Err("the month is not 1 to 12");
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err("no such day in that month");
    }
    // The zone: `Z`, `+hh:mm`, `-hh:mm` or none.
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, z) = time.split_at(i);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (zh, zm) = z[1..].split_once(':').ok_or("the zone is not ±hh:mm")?;
        if zh.len() != 2 || zm.len() != 2 {
            return Err("the zone is not ±hh:mm");
        }
        let (zh, zm) = (num(zh, "the zone is not ±hh:mm")?, num(zm, "the zone is not ±hh:mm")?);
        if zh > 14 || zm > 59 {
            return Err("the zone is out of range");
        }
        (c, sign * (zh * 3600 + zm * 60))
    } else {
        (time, 0)
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let (h, mi, s) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if h.len() != 2 || mi.len() != 2 || s.len() != 2 || parts.next().is_some() {
        return Err("the time is not hh:mm:ss");
    }
    let (h, mi, s) = (num(h, "the hour is not a number")?, num(mi, "the minute is not a number")?, num(s, "the second is not a number")?);
    let midnight = h == 24 && mi == 0 && s == 0 && frac.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    if (h > 23 && !midnight) || mi > 59 || s > 59 {
        return Err("the time is out of range");
    }
    let nanos = match frac {
        None => 0,
        Some(f) => {
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                return Err("the fraction of a second is not digits");
            }
            let digits: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
            digits.parse::<u32>().map_err(|_| "the fraction of a second is not digits")?
        }
    };
    let days = days_from_civil(year, month, day);
    let unix_seconds = days * 86_400 + h * 3600 + mi * 60 + s - offset;
    Ok(Instant { unix_seconds, nanos })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(feature = "time")]
impl TryFrom<&DateTime> for time::OffsetDateTime {
    type Error = DateTimeError;
    fn try_from(d: &DateTime) -> Result<Self, DateTimeError> {
        let i = d.parse()?;
        let nanos = i128::from(i.unix_seconds) * 1_000_000_000 + i128::from(i.nanos);
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .map_err(|_| DateTimeError { text: d.0.clone(), reason: "out of the time crate's range" })
    }
}

#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for DateTime {
    fn from(t: time::OffsetDateTime) -> DateTime {
        DateTime::from_unix(t.unix_timestamp(), t.nanosecond())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime {
        DateTime(s.into())
    }

    #[test]
    fn parses_and_checks() {
        assert_eq!(dt("1970-01-01T00:00:00Z").unix_seconds(), Ok(0));
        assert_eq!(dt("2026-11-28T04:07:52.123Z").parse(), Ok(Instant { unix_seconds: 1_795_838_872, nanos: 123_000_000 }));
        assert_eq!(dt("2026-11-28T06:07:52.123+02:00").unix_seconds(), Ok(1_795_838_872));
        assert_eq!(dt("2026-11-28T04:07:52").unix_seconds(), Ok(1_795_838_872));
        assert_eq!(dt("1969-12-31T23:59:59Z").unix_seconds(), Ok(-1));
        assert_eq!(dt("2024-02-29T00:00:00Z").unix_seconds(), Ok(1_709_164_800));
        for bad in [
            "",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-28 04:07:52Z",
            "2026-11-28T25:00:00Z",
            "2026-11-28T04:07:52.Z",
            "2026-11-28T04:07:52+2:00",
            "x026-11-28T04:07:52Z",
        ] {
            let e = dt(bad).parse().unwrap_err();
            assert_eq!(e.text, bad);
        }
    }

    #[test]
    fn round_trips() {
        for s in ["2026-11-28T04:07:52.123Z", "1970-01-01T00:00:00Z", "1969-07-20T20:17:40Z", "2000-02-29T23:59:59Z"] {
            let t = dt(s).to_system_time().unwrap();
            assert_eq!(DateTime::from(t), dt(s));
        }
    }
}

//! Wire logging: every SOAP request and response handed to a callback, with secrets taken out
//! first. Passwords (`<password>`, `<newPassword>`, any element whose name ends in `assword`)
//! and clone tickets (`<cloneTicket>`, and the result of `AcquireCloneTicket`) become `***`;
//! the session cookie is never given, only whether one was sent or set, and its value is
//! replaced wherever it appears in a body (vimsim's session key is its cookie value).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A callback that sees each exchange (see [`WireRecord`]); set it with
/// [`ClientOptions::with_wire_log`](crate::ClientOptions::with_wire_log).
#[derive(Clone)]
pub struct WireLog(pub(crate) Arc<dyn Fn(&WireRecord<'_>) + Send + Sync>);

impl WireLog {
    pub fn new(f: impl Fn(&WireRecord<'_>) + Send + Sync + 'static) -> WireLog {
        WireLog(Arc::new(f))
    }

    /// Writes each record to stderr.
    pub fn stderr() -> WireLog {
        WireLog::new(|r| eprintln!("{r}"))
    }
}

impl fmt::Debug for WireLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WireLog(..)")
    }
}

/// Which way a record went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// One request or response, redacted.
#[derive(Debug)]
pub struct WireRecord<'a> {
    pub direction: Direction,
    /// The method's wire name (`Login`, `RetrievePropertiesEx`).
    pub method: &'a str,
    /// The HTTP status of a response.
    pub status: Option<u16>,
    /// A request carried the session cookie, or a response set one (its value is not given).
    pub cookie: bool,
    /// Time since the request was sent (responses).
    pub elapsed: Option<Duration>,
    /// The SOAP envelope with passwords and tickets replaced by `***`.
    pub body: Cow<'a, str>,
}

impl fmt::Display for WireRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cookie = if self.cookie { " cookie=<redacted>" } else { "" };
        match self.direction {
            Direction::Request => write!(f, "> {}{cookie}\n{}", self.method, self.body),
            Direction::Response => {
                let ms = self.elapsed.map_or(0.0, |d| d.as_secs_f64() * 1e3);
                write!(f, "< {} HTTP {} in {ms:.1} ms{cookie}\n{}", self.method, self.status.unwrap_or(0), self.body)
            }
        }
    }
}

/// Whether the text of an element (one without child elements) is a secret.
fn secret(local_name: &str) -> bool {
    let lower = local_name.to_ascii_lowercase();
    lower.ends_with("assword") || lower == "cloneticket"
}

/// [`redact`], and each of `cookies` (session cookie values, quotes dropped) replaced by
/// `<redacted cookie>`.
pub(crate) fn redact_all<'a>(method: &str, body: &'a [u8], cookies: &[Option<&str>]) -> Cow<'a, str> {
    let mut text = redact(method, body);
    for c in cookies.iter().flatten() {
        let value = c.split_once('=').map_or(*c, |(_, v)| v).trim_matches('"');
        if value.len() >= 8 && text.contains(value) {
            text = Cow::Owned(text.replace(value, "<redacted cookie>"));
        }
    }
    text
}

/// `body` with the content of secret elements replaced by `***`. For the response to
/// `AcquireCloneTicket`, `returnval` is the ticket.
pub fn redact<'a>(method: &str, body: &'a [u8]) -> Cow<'a, str> {
    let text = String::from_utf8_lossy(body);
    let ticket_reply = method == "AcquireCloneTicket" || method == "AcquireGenericServiceTicket";
    let mut out = String::new();
    let mut rest: &str = &text;
    let mut changed = false;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let name_end = after.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(after.len());
        let qname = &after[..name_end];
        let local = qname.rsplit(':').next().unwrap_or(qname);
        let is_start = !qname.starts_with(['/', '?', '!']) && !qname.is_empty();
        let Some(gt) = after.find('>') else { break };
        let self_closing = after[..gt].ends_with('/');
        if is_start && !self_closing && (secret(local) || (ticket_reply && local == "returnval")) {
            let content_start = lt + 1 + gt + 1;
            let close = format!("</{qname}");
            // Leaf elements only (`ChangePassword` itself is not a secret, its fields are).
            if let Some(end) = rest[content_start..].find(&close).filter(|&end| !rest[content_start..content_start + end].contains('<')) {
                out.push_str(&rest[..content_start]);
                out.push_str("***");
                rest = &rest[content_start + end..];
                changed = true;
                continue;
            }
        }
        out.push_str(&rest[..lt + 1]);
        rest = &rest[lt + 1..];
    }
    if !changed {
        return text;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_and_tickets_go() {
        let login = br#"<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>admin</userName><password>s3cr&amp;t</password></Login>"#;
        let r = redact("Login", login);
        assert!(r.contains("<userName>admin</userName>"), "{r}");
        assert!(r.contains("<password>***</password>"), "{r}");
        assert!(!r.contains("s3cr"), "{r}");
        let change =
            b"<ns:ChangePassword><ns:oldPassword>a1</ns:oldPassword><newPassword/><newPassword>b2</newPassword></ns:ChangePassword>";
        let r = redact("ChangePassword", change);
        assert!(!r.contains("a1") && !r.contains("b2"), "{r}");
        assert!(r.contains("<newPassword/>"), "{r}");
        let ticket = b"<AcquireCloneTicketResponse><returnval>cst-VCT-52</returnval></AcquireCloneTicketResponse>";
        assert!(!redact("AcquireCloneTicket", ticket).contains("cst-VCT"));
        assert!(redact("CurrentTime", b"<returnval>2026</returnval>").contains("2026"));
        assert!(matches!(redact("X", b"<a>plain</a>"), std::borrow::Cow::Borrowed(_)));
        let r = super::redact_all("Login", b"<key>52ab-cdef-0123</key>", &[Some("vmware_soap_session=\"52ab-cdef-0123\""), None]);
        assert_eq!(r, "<key><redacted cookie></key>");
    }
}

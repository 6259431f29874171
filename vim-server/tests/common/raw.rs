//! Raw HTTP/1.1 over std sockets, for tests that need what a client library hides:
//! half-sent requests, keep-alive connections of their own, exact timings.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub const SI: &str = r#"<_this type="ServiceInstance">ServiceInstance</_this>"#;
pub const SM: &str = r#"<_this type="SessionManager">SessionManager</_this>"#;

pub fn envelope(op: &str, this: &str, params: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><{op} xmlns="urn:vim25">{this}{params}</{op}></soapenv:Body></soapenv:Envelope>"#
    )
}

pub fn login(user: &str, password: &str) -> String {
    envelope("Login", SM, &format!("<userName>{user}</userName><password>{password}</password>"))
}

pub fn request(body: &str, cookie: Option<&str>, close: bool) -> Vec<u8> {
    let mut r = format!("POST /sdk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: urn:vim25/5.5\r\nContent-Length: {}\r\n", body.len());
    if let Some(c) = cookie {
        r.push_str(&format!("Cookie: {c}\r\n"));
    }
    if close {
        r.push_str("Connection: close\r\n");
    }
    r.push_str("\r\n");
    r.push_str(body);
    r.into_bytes()
}

pub struct Resp {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Resp {
    /// The session cookie the response sets, as a `Cookie` header value.
    pub fn cookie(&self) -> Option<String> {
        let line = self.head.lines().find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))?;
        Some(line.split_once(':')?.1.split(';').next()?.trim().to_string())
    }

    pub fn fault(&self) -> Option<&str> {
        let t = self.body.split("<detail>").nth(1)?.split("xsi:type=\"").nth(1)?;
        t.split('"').next()
    }
}

/// Reads one response: the head, then `Content-Length` bytes.
pub fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Resp> {
    let mut chunk = [0u8; 16 << 10];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let len: usize = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned();
                buf.drain(..end + 4 + len);
                let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
                return Ok(Resp { status, head, body });
            }
        }
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before a whole response"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A keep-alive connection.
pub struct Conn {
    pub s: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub fn new(s: TcpStream) -> Conn {
        Conn { s, buf: Vec::new() }
    }

    pub fn open(at: &str) -> Conn {
        let s = TcpStream::connect(at).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let _ = s.set_nodelay(true);
        Conn { s, buf: Vec::new() }
    }

    pub fn call(&mut self, body: &str, cookie: Option<&str>) -> Resp {
        self.try_call(body, cookie).expect("an answer")
    }

    pub fn try_call(&mut self, body: &str, cookie: Option<&str>) -> std::io::Result<Resp> {
        self.send(&request(body, cookie, false))
    }

    /// Sends raw bytes (one whole request) and reads the answer.
    pub fn send(&mut self, raw: &[u8]) -> std::io::Result<Resp> {
        self.s.write_all(raw)?;
        read_response(&mut self.s, &mut self.buf)
    }
}

/// One call on a fresh connection (as a new client makes it): the answer and how long it
/// took, connect included.
pub fn fresh_call(at: &str, body: &str, cookie: Option<&str>) -> Result<(Resp, Duration), String> {
    let started = Instant::now();
    let addr = at.parse().map_err(|e| format!("{e}"))?;
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
    let _ = s.set_nodelay(true);
    s.write_all(&request(body, cookie, true)).map_err(|e| format!("send: {e}"))?;
    let r = read_response(&mut s, &mut Vec::new()).map_err(|e| format!("answer: {e}"))?;
    Ok((r, started.elapsed()))
}

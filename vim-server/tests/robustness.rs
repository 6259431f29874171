//! vimsim over real sockets: hostile requests get SOAP faults and the server keeps serving;
//! a bounded load of concurrent clients logging in and out loses and leaks no session.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use vim_client::{Client, ClientOptions};
use vim_types::*;
use vimgen_test_support::Session;

/// Sends one raw HTTP/1.1 request and returns the status code and body.
fn raw(authority: &str, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(authority).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // A peer that stops reading our (oversize) body may reset: keep what was answered.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or(String::new(), |x| x.1.to_string());
    (status, body)
}

fn post(authority: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let mut req = format!(
        "POST /sdk HTTP/1.1\r\nHost: {authority}\r\nContent-Type: {content_type}\r\nSOAPAction: urn:vim25/5.5\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    raw(authority, &req)
}

fn envelope(op: &str, this: &str, params: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><{op} xmlns="urn:vim25">{this}{params}</{op}></soapenv:Body></soapenv:Envelope>"#
    )
    .into_bytes()
}

/// The fault class in a SOAP fault body (`<XFault ... xsi:type="X">`).
fn fault_class(body: &str) -> Option<String> {
    let detail = body.split("<detail>").nth(1)?;
    let t = detail.split("xsi:type=\"").nth(1)?;
    Some(t.split('"').next()?.to_string())
}

fn still_serves(authority: &str) {
    let (status, body) =
        post(authority, "text/xml", &envelope("RetrieveServiceContent", r#"<_this type="ServiceInstance">ServiceInstance</_this>"#, ""));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<RetrieveServiceContentResponse"), "{body}");
}

#[test]
fn hostile_requests_get_soap_faults() {
    let sim = common::vimsim(&[]);
    let at = sim.authority();
    let si = r#"<_this type="ServiceInstance">ServiceInstance</_this>"#;
    let mut deep = String::new();
    for _ in 0..5000 {
        deep.push_str("<a>");
    }
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("junk", "text/xml", b"\x00\x01 this is not XML <<<".to_vec(), "InvalidRequest"),
        ("not UTF-8", "text/xml", b"<a>\xff\xfe</a>".to_vec(), "InvalidRequest"),
        ("truncated", "text/xml", envelope("RetrieveServiceContent", si, "")[..60].to_vec(), "InvalidRequest"),
        ("wrong content type", "application/json", b"{\"op\":\"Login\"}".to_vec(), "InvalidRequest"),
        ("deep nesting", "text/xml", envelope("RetrieveServiceContent", si, &deep), "InvalidRequest"),
        ("no _this", "text/xml", envelope("RetrieveServiceContent", "", ""), "InvalidRequest"),
        ("unknown operation", "text/xml", envelope("FormatAllDisks", si, ""), "MethodNotFound"),
        ("unknown type", "text/xml", envelope("Destroy_Task", r#"<_this type="Nonsense">x</_this>"#, ""), "ManagedObjectNotFound"),
        (
            "unknown reference",
            "text/xml",
            envelope("RetrieveServiceContent", r#"<_this type="ServiceInstance">other-instance</_this>"#, ""),
            "ManagedObjectNotFound",
        ),
        (
            "missing required parameter",
            "text/xml",
            envelope("Login", r#"<_this type="SessionManager">SessionManager</_this>"#, "<userName>admin</userName>"),
            "InvalidRequest",
        ),
        (
            "malformed parameter",
            "text/xml",
            envelope(
                "Login",
                r#"<_this type="SessionManager">SessionManager</_this>"#,
                "<userName>admin</userName><password>secret</password><locale><x/></locale>",
            ),
            "InvalidRequest",
        ),
    ];
    for (name, ct, body, fault) in cases {
        let (status, answer) = post(&at, ct, &body);
        assert_eq!(status, 500, "{name}: {answer}");
        assert_eq!(fault_class(&answer).as_deref(), Some(fault), "{name}: {answer}");
        still_serves(&at);
    }
    // Over the body limit (16 MiB): refused before it is read whole.
    let big = vec![b' '; 17 << 20];
    let (status, answer) = post(&at, "text/xml", &big);
    assert!(status == 500 || status == 0, "oversize: {status} {answer}");
    if status == 500 {
        assert_eq!(fault_class(&answer).as_deref(), Some("InvalidRequest"), "{answer}");
    }
    still_serves(&at);
    // Other paths and methods.
    let (status, _) = raw(&at, format!("GET /nothing HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(status, 404);
    let (status, answer) = raw(&at, format!("GET /sdk HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!((status, fault_class(&answer).as_deref()), (500, Some("InvalidRequest")));
    let (status, answer) =
        raw(&at, format!("GET /sdk/vimServiceVersions.xml HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(status, 200);
    assert!(answer.contains("<name>urn:vim25</name>"), "{answer}");
    let (status, answer) = raw(&at, format!("GET /sdk/vim.wsdl HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(status, 200);
    assert!(answer.contains("RetrieveServiceContent"), "the WSDL: {}", &answer[..answer.len().min(200)]);
    still_serves(&at);
}

/// Many clients at once, each logging in, reading, logging out, again and again: every
/// call succeeds, and at the end the only session left is the observer's.
#[test]
fn concurrent_login_logout_loses_and_leaks_nothing() {
    const CLIENTS: usize = 24;
    const ROUNDS: usize = 15;
    let sim = common::vimsim(&[]);
    let rt = common::runtime();
    let failures = Arc::new(AtomicUsize::new(0));
    let calls = Arc::new(AtomicUsize::new(0));
    rt.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..CLIENTS {
            let url = sim.url.clone();
            let (failures, calls) = (Arc::clone(&failures), Arc::clone(&calls));
            tasks.push(tokio::spawn(async move {
                let client = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("connect");
                let sm = client.content().await.expect("content").session_manager.expect("session manager");
                let (user, password) = if i % 3 == 0 { ("viewer", "pw") } else { ("admin", "secret") };
                for _ in 0..ROUNDS {
                    let mut ok = true;
                    let session = client.login_as(user, password).await;
                    ok &= session.is_ok();
                    let props = client.read_properties(&sm.untyped(), &["currentSession"]).await;
                    ok &= matches!(props.as_deref(), Ok([p]) if matches!(&p.val,
                        AnyValue::Data(AnyData::UserSession(s)) if session.as_ref().is_ok_and(|x| x.key == s.key)));
                    ok &= client.log_out().await.is_ok();
                    calls.fetch_add(3, Ordering::Relaxed);
                    if !ok {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("a client task");
        }
        let observer = Client::connect(&vim_types::API, &sim.url, ClientOptions::default()).await.expect("connect");
        let me = observer.login_as("admin", "secret").await.expect("login");
        let sm = observer.content().await.expect("content").session_manager.expect("sm");
        let list = observer.read_properties(&sm.untyped(), &["sessionList"]).await.expect("sessionList");
        let keys: Vec<String> = match list.first().map(|p| &p.val) {
            Some(AnyValue::Array { items, .. }) => items
                .iter()
                .filter_map(|i| match i {
                    AnyValue::Data(AnyData::UserSession(s)) => Some(s.key.clone()),
                    _ => None,
                })
                .collect(),
            other => panic!("sessionList: {other:?}"),
        };
        assert_eq!(keys, vec![me.key], "sessions left behind");
    });
    assert_eq!(failures.load(Ordering::Relaxed), 0, "failed rounds");
    assert_eq!(calls.load(Ordering::Relaxed), CLIENTS * ROUNDS * 3);
}

//! The dispatcher on thousands of damaged requests: every answer is a 200 with a result or a
//! 500 with a SOAP fault, never a panic, and the sessions survive. Deterministic (a fixed
//! xorshift seed); `FUZZ_CASES` runs longer. The requests are the calls real clients make:
//! Login, Fetch, RetrieveProperties, TerminateSession, CloneSession, ...

use vim_server::auth::{Role, User, Users};
use vim_server::dispatch::{handle, session_cookie, HttpRequest, Limits};
use vim_server::sim::{Config, Vimsim};
use vimgen_test_support::Rng;

fn envelope(op: &str, this: (&str, &str), params: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><{op} xmlns="urn:vim25"><_this type="{}">{}</_this>{params}</{op}></soapenv:Body></soapenv:Envelope>"#,
        this.0, this.1
    )
    .into_bytes()
}

fn seeds() -> Vec<Vec<u8>> {
    let sm = ("SessionManager", "SessionManager");
    let pc = ("PropertyCollector", "propertyCollector");
    vec![
        envelope("RetrieveServiceContent", ("ServiceInstance", "ServiceInstance"), ""),
        envelope("Login", sm, "<userName>admin</userName><password>secret</password><locale>en</locale>"),
        envelope("Fetch", sm, "<prop>sessionList</prop>"),
        envelope(
            "RetrieveProperties",
            pc,
            r#"<specSet><propSet><type>SessionManager</type><all>false</all><pathSet>currentSession</pathSet><pathSet>message</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj><skip>false</skip></objectSet></specSet>"#,
        ),
        envelope(
            "RetrievePropertiesEx",
            pc,
            r#"<specSet><propSet><type>SessionManager</type><pathSet>supportedLocaleList</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet><options><maxObjects>10</maxObjects></options>"#,
        ),
        envelope("TerminateSession", sm, "<sessionId>52a1b2c3-0000-0000-0000-000000000000</sessionId><sessionId>x</sessionId>"),
        envelope("CloneSession", sm, "<cloneTicket>cst-xyz</cloneTicket>"),
        envelope(
            "AcquireGenericServiceTicket",
            sm,
            r#"<spec xsi:type="SessionManagerHttpServiceRequestSpec"><method>httpGet</method><url>https://h/folder?x=1&amp;y=2</url></spec>"#,
        ),
        envelope("UpdateServiceMessage", sm, "<message>a &lt;b&gt; &#233; c</message>"),
        envelope("SetLocale", sm, "<locale>de</locale>"),
    ]
}

const JUNK: [&[u8]; 8] = [b"<", b">", b"&", b"\"", b"</a>", b"<x xsi:type=\"Nope\">", b"\xff\xfe", b"<![CDATA["];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(v.len());
        match rng.below(5) {
            0 => v.truncate(at),
            1 => {
                let end = (at + rng.below(48)).min(v.len());
                v.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(200)).min(v.len());
                let copy = v[at..end].to_vec();
                v.splice(at..at, copy);
            }
            3 => {
                let j = JUNK[rng.below(JUNK.len())];
                v.splice(at..at, j.iter().copied());
            }
            _ => {
                if let Some(b) = v.get_mut(at) {
                    *b = rng.next_u64() as u8;
                }
            }
        }
    }
    v
}

#[test]
fn damaged_requests_get_results_or_faults() {
    let sim = Vimsim::new(Config::new(Users::new([User::new("admin", "secret", Role::Admin)])));
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let limits = Limits::default();
    let call = |cookie: Option<&str>, body: &[u8]| {
        let cookie = cookie.map(|k| format!("vmware_soap_session={k}"));
        let req = HttpRequest {
            method: "POST",
            path: "/sdk",
            content_type: Some("text/xml"),
            cookie: cookie.as_deref(),
            soap_action: Some("urn:vim25/5.5"),
            body,
            ..Default::default()
        };
        rt.block_on(handle(&sim, &limits, req))
    };
    let seeds = seeds();
    let login = call(None, &seeds[1]);
    let key = session_cookie(login.set_cookie.as_deref().expect("a session")).expect("a key").to_string();
    for s in &seeds {
        let r = call(Some(&key), s);
        assert!(r.status == 200 || r.status == 500, "{}", String::from_utf8_lossy(&r.body));
    }
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let mut rng = Rng::new(0x5eed_cafe_f00d_1234);
    let (mut ok, mut faults) = (0usize, 0usize);
    for i in 0..cases {
        let seed = &seeds[rng.below(seeds.len())];
        let body = mutate(&mut rng, seed);
        // Half with the session, half without.
        let r = call((i % 2 == 0).then_some(key.as_str()), &body);
        let text = String::from_utf8_lossy(&r.body);
        match r.status {
            200 => ok += 1,
            500 => {
                assert!(
                    text.contains("<soapenv:Fault><faultcode>ServerFaultCode</faultcode>") && text.contains("xsi:type=\""),
                    "case {i}: {text}"
                );
                faults += 1;
            }
            s => panic!("case {i}: HTTP {s}: {text}"),
        }
    }
    eprintln!("{cases} damaged requests: {ok} answered, {faults} faults");
    assert!(faults > cases / 4, "most damaged requests are faults: {faults}");
    // Fuzzing may have logged out or ended the session (a damaged Login can log in again, a
    // damaged TerminateSession names others): the server still serves a fresh login.
    let again = call(None, &seeds[1]);
    assert_eq!(again.status, 200);
}

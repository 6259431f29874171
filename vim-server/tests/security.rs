//! Security, enumerated from the generated metadata: every method of every managed object
//! type the spec knows is called without a session, as a ReadOnly user and as an Admin,
//! through the dispatcher (in process: `dispatch::handle`, the same function the HTTP server
//! runs). Also: what the logs never show.

use std::io::Write;
use std::sync::{Arc, Mutex};

use vim_server::auth::{Role, User, Users};
use vim_server::dispatch::{handle, session_cookie, HttpRequest, HttpResponse, Limits};
use vim_server::sim::{Config, Vimsim};
use vim_types::*;

fn sim() -> Vimsim {
    Vimsim::new(Config::new(Users::new([
        User::new("admin", "secret", Role::Admin),
        User::new("viewer", "pw", Role::ReadOnly),
        User::new("nobody", "pw", Role::NoAccess),
    ])))
}

fn envelope(op: &str, this: &ManagedObjectReference, params: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><{op} xmlns="urn:vim25"><_this type="{}">{}</_this>{params}</{op}></soapenv:Body></soapenv:Envelope>"#,
        this.type_name, this.value
    )
    .into_bytes()
}

fn call(sim: &Vimsim, cookie: Option<&str>, body: &[u8]) -> HttpResponse {
    let cookie = cookie.map(|k| format!("vmware_soap_session=\"{k}\""));
    let req = HttpRequest {
        method: "POST",
        path: "/sdk",
        content_type: Some("text/xml; charset=utf-8"),
        cookie: cookie.as_deref(),
        soap_action: Some("urn:vim25/5.5"),
        body,
        ..Default::default()
    };
    futures_lite_block_on(handle(sim, &Limits::default(), req))
}

/// A tiny executor: `handle` never waits on I/O for Vimsim.
fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(f)
}

fn fault_class(r: &HttpResponse) -> Option<String> {
    let body = String::from_utf8_lossy(&r.body);
    let t = body.split("<detail>").nth(1)?.split("xsi:type=\"").nth(1)?;
    Some(t.split('"').next()?.to_string())
}

fn login(sim: &Vimsim, user: &str, password: &str) -> String {
    let sm = ManagedObjectReference { type_name: "SessionManager".into(), value: "SessionManager".into() };
    let r = call(sim, None, &envelope("Login", &sm, &format!("<userName>{user}</userName><password>{password}</password>")));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let cookie = r.set_cookie.expect("Login sets the session cookie");
    session_cookie(&cookie).expect("a session key").to_string()
}

/// Every (type, method) of the API with a reference to an object of that type (vimsim's own
/// objects where it has one, so the call is not refused for a missing object).
fn every_method() -> Vec<(ManagedObjectReference, &'static MethodInfo)> {
    let value = |t: &str| match t {
        "ServiceInstance" => "ServiceInstance",
        "SessionManager" => "SessionManager",
        "PropertyCollector" => "propertyCollector",
        "Folder" => "group-d1",
        _ => "obj-1",
    };
    let mut out = Vec::new();
    for mo in vim_types::API.managed_objects {
        for m in mo.lineage().flat_map(|x| x.methods) {
            let this = ManagedObjectReference { type_name: mo.wsdl_name.into(), value: value(mo.wsdl_name).into() };
            out.push((this, m));
        }
    }
    // spec/ describes ServiceInstance, SessionManager and PropertyCollector with methods.
    assert!(out.iter().filter(|(t, _)| t.type_name == "SessionManager").count() == 15, "{}", out.len());
    out
}

fn is_anonymous(m: &MethodInfo) -> bool {
    m.privilege.is_some_and(|p| p.id() == "System.Anonymous")
}

#[test]
fn no_session_no_call() {
    let sim = sim();
    for (this, m) in every_method() {
        let r = call(&sim, None, &envelope(m.wsdl_name, &this, ""));
        let class = fault_class(&r);
        if is_anonymous(m) {
            assert_ne!(class.as_deref(), Some("NotAuthenticated"), "{}.{} is anonymous", this.type_name, m.wsdl_name);
        } else {
            assert_eq!(class.as_deref(), Some("NotAuthenticated"), "{}.{} without a session", this.type_name, m.wsdl_name);
            assert!(String::from_utf8_lossy(&r.body).contains(m.privilege.map_or("System.View", |p| p.id())));
        }
    }
}

#[test]
fn every_method_is_refused_to_a_user_lacking_its_privilege() {
    let sim = sim();
    let viewer = login(&sim, "viewer", "pw");
    let admin = login(&sim, "admin", "secret");
    let mut refused = 0;
    // Logout would end the very sessions the loop calls with (it needs no privilege).
    for (this, m) in every_method().into_iter().filter(|(_, m)| m.wsdl_name != "Logout") {
        let body = envelope(m.wsdl_name, &this, "");
        let as_viewer = fault_class(&call(&sim, Some(&viewer), &body));
        let lacks = m.privilege.is_some_and(|p| !Role::ReadOnly.has(p));
        if lacks {
            refused += 1;
            assert_eq!(as_viewer.as_deref(), Some("NoPermission"), "{}.{} as ReadOnly", this.type_name, m.wsdl_name);
        } else {
            assert!(
                !matches!(as_viewer.as_deref(), Some("NoPermission" | "NotAuthenticated")),
                "{}.{} as ReadOnly: {as_viewer:?}",
                this.type_name,
                m.wsdl_name
            );
        }
        let as_admin = fault_class(&call(&sim, Some(&admin), &body));
        assert!(
            !matches!(as_admin.as_deref(), Some("NoPermission" | "NotAuthenticated")),
            "{}.{} as Admin: {as_admin:?}",
            this.type_name,
            m.wsdl_name
        );
    }
    assert!(refused >= 4, "methods a ReadOnly user lacks (the Sessions.* ones at least): {refused}");
    // The sessions survived all that (no method above ended them: TerminateSession got no ids).
    assert!(sim.sessions().get(&viewer).is_some() && sim.sessions().get(&admin).is_some());
}

#[test]
fn no_access_cannot_log_in_and_readonly_cannot_terminate() {
    let sim = sim();
    let sm = ManagedObjectReference { type_name: "SessionManager".into(), value: "SessionManager".into() };
    let r = call(&sim, None, &envelope("Login", &sm, "<userName>nobody</userName><password>pw</password>"));
    assert_eq!(fault_class(&r).as_deref(), Some("NoPermission"));
    assert!(r.set_cookie.is_none());
    let admin = login(&sim, "admin", "secret");
    let viewer = login(&sim, "viewer", "pw");
    let r = call(&sim, Some(&viewer), &envelope("TerminateSession", &sm, &format!("<sessionId>{admin}</sessionId>")));
    assert_eq!(fault_class(&r).as_deref(), Some("NoPermission"));
    assert!(sim.sessions().get(&admin).is_some());
    // The properties a ReadOnly user may not read come back in missingSet, the rest in propSet.
    let pc = ManagedObjectReference { type_name: "PropertyCollector".into(), value: "propertyCollector".into() };
    let spec = r#"<specSet><propSet><type>SessionManager</type><pathSet>sessionList</pathSet><pathSet>message</pathSet></propSet><objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet>"#;
    let r = call(&sim, Some(&viewer), &envelope("RetrieveProperties", &pc, spec));
    let body = String::from_utf8_lossy(&r.body);
    assert_eq!(r.status, 200, "{body}");
    assert!(body.contains("<missingSet><path>sessionList</path>") && body.contains("NoPermission"), "{body}");
}

#[test]
fn session_keys_are_long_random_and_distinct() {
    let sim = sim();
    let keys: std::collections::HashSet<String> = (0..200).map(|_| login(&sim, "admin", "secret")).collect();
    assert_eq!(keys.len(), 200);
    for k in &keys {
        let hex: String = k.chars().filter(char::is_ascii_hexdigit).collect();
        assert!(hex.len() >= 32, "{k}: fewer than 128 bits");
    }
}

#[test]
fn clone_tickets_are_single_use_and_expire() {
    let mut config = Config::new(Users::new([User::new("admin", "secret", Role::Admin)]));
    config.ticket_lifetime = std::time::Duration::from_millis(300);
    let sim = Vimsim::new(config);
    let sm = ManagedObjectReference { type_name: "SessionManager".into(), value: "SessionManager".into() };
    let admin = login(&sim, "admin", "secret");
    let ticket_of = |r: HttpResponse| {
        let b = String::from_utf8_lossy(&r.body).into_owned();
        b.split("<returnval>").nth(1).and_then(|x| x.split("</returnval>").next()).expect("a ticket").to_string()
    };
    let ticket = ticket_of(call(&sim, Some(&admin), &envelope("AcquireCloneTicket", &sm, "")));
    let clone = |t: &str| call(&sim, None, &envelope("CloneSession", &sm, &format!("<cloneTicket>{t}</cloneTicket>")));
    let first = clone(&ticket);
    assert_eq!(first.status, 200);
    assert!(first.set_cookie.is_some(), "the cloned session's cookie");
    assert_eq!(fault_class(&clone(&ticket)).as_deref(), Some("InvalidLogin"), "a ticket works once");
    let late = ticket_of(call(&sim, Some(&admin), &envelope("AcquireCloneTicket", &sm, "")));
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(fault_class(&clone(&late)).as_deref(), Some("InvalidLogin"), "an expired ticket");
    assert_eq!(sim.sessions().outstanding_tickets(), 0);
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn logs_show_calls_but_no_password_or_ticket() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let sim = sim();
    let sm = ManagedObjectReference { type_name: "SessionManager".into(), value: "SessionManager".into() };
    let admin = login(&sim, "admin", "secret");
    let r = call(&sim, None, &envelope("Login", &sm, "<userName>admin</userName><password>Wr0ng-Pa55</password>"));
    assert_eq!(fault_class(&r).as_deref(), Some("InvalidLogin"));
    let r = call(&sim, Some(&admin), &envelope("AcquireCloneTicket", &sm, ""));
    let body = String::from_utf8_lossy(&r.body).into_owned();
    let ticket = body.split("<returnval>").nth(1).and_then(|x| x.split("</returnval>").next()).expect("a ticket").to_string();
    call(&sim, None, &envelope("CloneSession", &sm, &format!("<cloneTicket>{ticket}</cloneTicket>")));
    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("op=\"Login\"") && log.contains("outcome=InvalidLogin") && log.contains("op=\"CloneSession\""), "{log}");
    for secret in ["secret", "Wr0ng-Pa55", ticket.as_str(), admin.as_str()] {
        assert!(!log.contains(secret), "the log shows {secret:?}:\n{log}");
    }
}

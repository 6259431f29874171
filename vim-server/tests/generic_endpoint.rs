//! The dispatcher serves an endpoint written on the runtime alone: no generated crate on the
//! server's side (its API metadata is a hand-made `ApiInfo`, its values plain strings, its
//! faults the runtime's `StandardFault`), and the workspace's generated client decodes every
//! answer, faults included, as its own classes. And each standard fault is written byte for
//! byte as the generated crate writes the same class.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use vim_client::{Client, ClientOptions};
use vim_runtime::server::{envelope, fault_envelope, fault_message, Call, Reply, StandardFault};
use vim_runtime::xml::{Encode, Writer};
use vim_runtime::{ApiInfo, ApiVersion, CallContext, ManagedObjectInfo, ManagedObjectReference, MethodInfo, Privilege, PropertyInfo};
use vim_server::auth::Role;
use vim_server::dispatch::{handle, run, Caller, Endpoint, HttpRequest, Limits, ServerConfig};
use vim_types::{
    AnyMethodFault, CurrentTimeFault, Error, InvalidArgument, InvalidProperty, LoginFault, ManagedObjectNotFound, MethodNotFound, MoRef,
    NoPermission, NotAuthenticated, RetrieveServiceContentFault, ServiceInstanceClient, SessionManagerClient, TerminateSessionFault,
};

// ---- a small API, by hand ---------------------------------------------------------------

static V55: ApiVersion = ApiVersion::new(0, &["vim.version.version9", "vSphere API 5.5", "vim25/5.5"]);
static VERSIONS: [ApiVersion; 1] = [V55];
const ANONYMOUS: Privilege = Privilege::new("System.Anonymous");
const VIEW: Privilege = Privilege::new("System.View");
const TERMINATE: Privilege = Privilege::new("Sessions.TerminateSession");
static PRIVILEGES: [Privilege; 3] = [TERMINATE, ANONYMOUS, VIEW];

const fn method(owner: &'static str, op: &'static str, privilege: Privilege) -> MethodInfo {
    MethodInfo { name: op, wsdl_name: op, owner, privilege: Some(privilege), since: V55, faults: &[] }
}

static MANAGED_OBJECTS: [ManagedObjectInfo; 2] = [
    ManagedObjectInfo {
        wsdl_name: "ServiceInstance",
        methods: &[method("ServiceInstance", "CurrentTime", VIEW)],
        properties: &[],
        base: None,
    },
    ManagedObjectInfo {
        wsdl_name: "SessionManager",
        methods: &[method("SessionManager", "Login", ANONYMOUS), method("SessionManager", "TerminateSession", TERMINATE)],
        properties: &[PropertyInfo {
            name: "message",
            type_name: "string",
            array: false,
            optional: true,
            privilege: Some(VIEW),
            since: V55,
        }],
        base: None,
    },
];

static API: ApiInfo = ApiInfo { versions: &VERSIONS, privileges: &PRIVILEGES, managed_objects: &MANAGED_OBJECTS };

const NOW: &str = "2026-12-08T00:00:00Z";

/// Sessions by key: user and role.
#[derive(Default)]
struct Tiny {
    sessions: Mutex<HashMap<String, (String, Role)>>,
}

fn response(op: &str, body: impl FnOnce(&mut Writer)) -> Reply {
    Reply::Response(envelope(|w| {
        w.buf.extend_from_slice(format!("<{op}Response xmlns=\"urn:vim25\">").as_bytes());
        body(w);
        w.buf.extend_from_slice(format!("</{op}Response>").as_bytes());
    }))
}

impl Tiny {
    fn login(&self, ctx: &CallContext, call: Call<'_>) -> Reply {
        let params = match call.text_params(&["userName", "password"]) {
            Ok(p) => p,
            Err(e) => return Reply::Invalid(e),
        };
        let role = match (params[0].as_deref(), params[1].as_deref()) {
            (Some("admin"), Some("secret")) => Role::Admin,
            (Some("viewer"), Some("pw")) => Role::ReadOnly,
            _ => return Reply::fault(&StandardFault::InvalidLogin),
        };
        let user = params[0].clone().unwrap_or_default();
        let key = ctx.session_key.clone().expect("the dispatcher gives every call a key");
        self.sessions.lock().unwrap().insert(key.clone(), (user.clone(), role));
        response("Login", |w| {
            w.open("returnval", None, None);
            for (name, value) in [
                ("key", key.as_str()),
                ("userName", &user),
                ("fullName", &user),
                ("loginTime", NOW),
                ("lastActiveTime", NOW),
                ("locale", "en"),
                ("messageLocale", "en"),
            ] {
                w.field(name, value);
            }
            w.close("returnval");
        })
    }
}

impl Endpoint for Tiny {
    type Value = String;
    type Fault = StandardFault;

    fn api(&self) -> &'static ApiInfo {
        &API
    }

    fn wsdl(&self) -> &str {
        "<definitions/>"
    }

    fn caller(&self, session_key: &str) -> Option<Caller> {
        let (user_name, role) = self.sessions.lock().unwrap().get(session_key).cloned()?;
        Some(Caller { user_name, locale: "en".into(), role })
    }

    fn has_object(&self, this: &ManagedObjectReference) -> bool {
        matches!(
            (this.type_name.as_str(), this.value.as_str()),
            ("ServiceInstance", "ServiceInstance") | ("SessionManager", "SessionManager")
        )
    }

    async fn serve(&self, ctx: &CallContext, _this: ManagedObjectReference, call: Call<'_>) -> Reply {
        match call.operation() {
            "CurrentTime" => response("CurrentTime", |w| w.field("returnval", NOW)),
            "Login" => self.login(ctx, call),
            // Every id is unknown: the method's declared fault.
            "TerminateSession" => Reply::fault(&StandardFault::NotFound),
            _ => call.unknown_method(),
        }
    }

    async fn property(&self, _ctx: &CallContext, _this: &ManagedObjectReference, name: &str) -> Result<Option<String>, StandardFault> {
        match name {
            "message" => Ok(Some("maintenance at 5 & 6 <soon>".into())),
            _ => Err(StandardFault::InvalidProperty { name: name.into() }),
        }
    }

    fn write_fetch_result(&self, value: &String, w: &mut Writer) {
        w.field("returnval", value);
    }
}

// ---- over HTTP, through the generated client --------------------------------------------

#[test]
fn the_generated_client_decodes_a_runtime_only_endpoint() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/sdk", listener.local_addr().expect("address"));
        let server = tokio::spawn(run(listener, Arc::new(Tiny::default()), ServerConfig::default()));

        let si: MoRef<vim_types::ServiceInstance> = MoRef::new("ServiceInstance");
        let sm: MoRef<vim_types::SessionManager> = MoRef::new("SessionManager");
        let client = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("connect");

        // No session: the dispatcher's NotAuthenticated, with the method's privilege.
        match client.current_time(&si).await {
            Err(Error::Fault(CurrentTimeFault::Other(AnyMethodFault::NotAuthenticated(f)))) => {
                assert_eq!(
                    (f.object.type_name.as_str(), f.object.value.as_str(), f.privilege_id.as_str()),
                    ("ServiceInstance", "ServiceInstance", "System.View")
                );
            }
            other => panic!("CurrentTime without a session: {other:?}"),
        }
        // The endpoint's own InvalidLogin, a declared fault of Login.
        match client.login(&sm, "admin", "wrong", None).await {
            Err(Error::Fault(LoginFault::InvalidLogin(f))) => assert_eq!(f.xsi_type(), Some("InvalidLogin")),
            other => panic!("a wrong password: {other:?}"),
        }
        // A method the endpoint's API does not have (vim-types has it): MethodNotFound.
        match client.retrieve_service_content(&si).await {
            Err(Error::Fault(RetrieveServiceContentFault::Other(AnyMethodFault::MethodNotFound(m)))) => {
                assert_eq!((m.receiver.value.as_str(), m.method.as_str()), ("ServiceInstance", "RetrieveServiceContent"));
            }
            other => panic!("RetrieveServiceContent: {other:?}"),
        }

        let viewer = client.login(&sm, "viewer", "pw", None).await.expect("the viewer logs in");
        assert_eq!((viewer.user_name.as_str(), viewer.locale.as_str()), ("viewer", "en"));
        assert_eq!(client.current_time(&si).await.expect("CurrentTime with a session").0, NOW);
        // ReadOnly lacks Sessions.TerminateSession: the dispatcher's NoPermission.
        match client.terminate_session(&sm, &["x".to_string()]).await {
            Err(Error::Fault(TerminateSessionFault::Other(AnyMethodFault::NoPermission(f)))) => {
                assert_eq!((f.object.value.as_str(), f.privilege_id.as_str()), ("SessionManager", "Sessions.TerminateSession"));
            }
            other => panic!("TerminateSession as ReadOnly: {other:?}"),
        }
        // An object the endpoint does not have: ManagedObjectNotFound.
        match client.current_time(&MoRef::<vim_types::ServiceInstance>::new("elsewhere")).await {
            Err(Error::Fault(CurrentTimeFault::Other(AnyMethodFault::ManagedObjectNotFound(f)))) => assert_eq!(f.obj.value, "elsewhere"),
            other => panic!("an unknown object: {other:?}"),
        }

        let admin = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("connect");
        admin.login(&sm, "admin", "secret", None).await.expect("the admin logs in");
        match admin.terminate_session(&sm, &["x".to_string()]).await {
            Err(Error::Fault(TerminateSessionFault::NotFound(_))) => {}
            other => panic!("TerminateSession of an unknown id: {other:?}"),
        }
        server.abort();
    });
}

// ---- Fetch, in process ------------------------------------------------------------------

fn fetch(endpoint: &Tiny, cookie: Option<&str>, prop: &str) -> (u16, String) {
    let body = format!(
        r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Fetch xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><prop>{prop}</prop></Fetch></soapenv:Body></soapenv:Envelope>"#
    );
    let req =
        HttpRequest { method: "POST", path: "/sdk", content_type: Some("text/xml"), cookie, body: body.as_bytes(), ..Default::default() };
    let limits = Limits { max_connections: 16, ..Limits::default() };
    let resp = block_on(handle(endpoint, &limits, req));
    (resp.status, String::from_utf8(resp.body).expect("UTF-8"))
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(f)
}

#[test]
fn fetch_uses_the_endpoints_values_and_the_apis_privileges() {
    let tiny = Tiny::default();
    tiny.sessions.lock().unwrap().insert("k1".into(), ("viewer".into(), Role::ReadOnly));
    let (status, body) = fetch(&tiny, None, "message");
    assert_eq!(status, 500);
    assert!(body.contains(r#"<NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="SessionManager">SessionManager</object><privilegeId>System.View</privilegeId>"#), "{body}");
    let (status, body) = fetch(&tiny, Some("vmware_soap_session=\"k1\""), "message");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(r#"<FetchResponse xmlns="urn:vim25"><returnval>maintenance at 5 &amp; 6 &lt;soon&gt;</returnval></FetchResponse>"#),
        "{body}"
    );
    // Not a property of the API: InvalidArgument naming it.
    let (status, body) = fetch(&tiny, Some("vmware_soap_session=\"k1\""), "nothing");
    assert_eq!(status, 500);
    assert!(body.contains("<invalidProperty>nothing</invalidProperty>"), "{body}");
}

#[test]
fn service_versions_and_wsdl_come_from_the_endpoint() {
    let tiny = Tiny::default();
    let get = |path| {
        block_on(handle(
            &tiny,
            &Limits { max_connections: 16, ..Limits::default() },
            HttpRequest { method: "GET", path, ..Default::default() },
        ))
    };
    let v = String::from_utf8(get("/sdk/vimServiceVersions.xml").body).expect("UTF-8");
    assert!(v.contains("<version>5.5</version>\n  <priorVersions>\n  </priorVersions>"), "{v}");
    assert_eq!(get("/sdk/vim.wsdl").body, b"<definitions/>");
}

// ---- the standard faults, byte for byte ---------------------------------------------------

#[test]
fn standard_faults_are_written_as_the_generated_classes() {
    // Text that needs escaping, so the two writers' escaping is compared too.
    let obj = ManagedObjectReference { type_name: "Folder".into(), value: "group-<d1> & \"x\"".into() };
    let text = "a & <b>";
    let cases: Vec<(StandardFault, AnyMethodFault)> = vec![
        (StandardFault::InvalidRequest, AnyMethodFault::InvalidRequest(Box::default())),
        (StandardFault::RuntimeFault, AnyMethodFault::RuntimeFault(Box::default())),
        (
            StandardFault::MethodNotFound { receiver: obj.clone(), method: text.into() },
            AnyMethodFault::MethodNotFound(Box::new(MethodNotFound { receiver: obj.clone(), method: text.into(), ..Default::default() })),
        ),
        (
            StandardFault::NotAuthenticated { object: obj.clone(), privilege_id: "System.View".into() },
            AnyMethodFault::NotAuthenticated(Box::new(NotAuthenticated {
                object: obj.clone(),
                privilege_id: "System.View".into(),
                ..Default::default()
            })),
        ),
        (
            StandardFault::NoPermission { object: obj.clone(), privilege_id: "Sessions.TerminateSession".into() },
            AnyMethodFault::NoPermission(Box::new(NoPermission {
                object: obj.clone(),
                privilege_id: "Sessions.TerminateSession".into(),
                ..Default::default()
            })),
        ),
        (
            StandardFault::ManagedObjectNotFound { obj: obj.clone() },
            AnyMethodFault::ManagedObjectNotFound(Box::new(ManagedObjectNotFound { obj: obj.clone(), ..Default::default() })),
        ),
        (
            StandardFault::InvalidArgument { invalid_property: Some(text.into()) },
            AnyMethodFault::InvalidArgument(Box::new(InvalidArgument { invalid_property: Some(text.into()), ..Default::default() })),
        ),
        (StandardFault::InvalidArgument { invalid_property: None }, AnyMethodFault::InvalidArgument(Box::default())),
        (
            StandardFault::InvalidProperty { name: text.into() },
            AnyMethodFault::InvalidProperty(Box::new(InvalidProperty { name: text.into(), ..Default::default() })),
        ),
        (StandardFault::InvalidLogin, AnyMethodFault::InvalidLogin(Box::default())),
        (StandardFault::NotFound, AnyMethodFault::NotFound(Box::default())),
        (StandardFault::NotSupported, AnyMethodFault::NotSupported(Box::default())),
        (StandardFault::NotImplemented, AnyMethodFault::NotImplemented(Box::default())),
    ];
    for (standard, generated) in &cases {
        assert_eq!(standard.xsi_type(), generated.xsi_type(), "{standard:?}");
        let message = fault_message(standard.class());
        let ours = String::from_utf8(fault_envelope(standard, &message)).expect("UTF-8");
        let theirs = String::from_utf8(fault_envelope(generated, &message)).expect("UTF-8");
        assert_eq!(ours, theirs, "{standard:?}");
        assert_eq!(standard.envelope(), ours.as_bytes(), "{standard:?}");
        // And as a nested value (a LocalizedMethodFault's `fault`), not only at the top.
        let (mut a, mut b) = (Writer::new(), Writer::new());
        standard.encode(&mut a, "fault");
        generated.encode(&mut b, "fault");
        assert_eq!(String::from_utf8(a.buf).expect("UTF-8"), String::from_utf8(b.buf).expect("UTF-8"), "{standard:?}");
    }
    // All twelve classes of StandardFault are among the cases.
    let classes: std::collections::BTreeSet<&str> = cases.iter().map(|(s, _)| s.class()).collect();
    assert_eq!(classes.len(), 12, "{classes:?}");
}

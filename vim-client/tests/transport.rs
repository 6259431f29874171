//! The transport against a tiny HTTP(S) server on 127.0.0.1 that serves
//! `vimServiceVersions.xml` and canned SOAP answers, and records every request it gets.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::HeaderMap;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use vim_client::{Client, ClientOptions, ConnectError, TlsMode, TransportError};
use vim_types::{
    AnyData, AnyValue, Error, LoginFault, MoRef, PropertyCollector, PropertyCollectorClient, RetrieveOptions, SessionManager,
    SessionManagerClient,
};
use vimgen_test_support::Session;

// ---------------------------------------------------------------------------------------------
// The test server

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: HeaderMap,
    body: String,
}

enum Reply {
    Answer {
        status: u16,
        set_cookie: Option<String>,
        body: String,
    },
    /// Never answer.
    Hang,
}

fn ok(body: &str) -> Reply {
    Reply::Answer { status: 200, set_cookie: None, body: envelope(body) }
}

type Handler = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}/sdk", self.addr)
    }
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    fn posts(&self) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.method == "POST").collect()
    }
}

fn versions_xml(newest: &str, prior: &[&str]) -> String {
    let prior: String = prior.iter().map(|v| format!("<version>{v}</version>")).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<namespaces version="1.0">
  <namespace>
    <name>urn:vim25</name>
    <version>{newest}</version>
    <priorVersions>{prior}</priorVersions>
  </namespace>
</namespaces>
"#
    )
}

/// Serves `versions` (404 when `None`) at `/sdk/vimServiceVersions.xml` and `post` for every
/// POST to `/sdk` (its argument: the request and how many POSTs came before it).
async fn serve(
    versions: Option<String>,
    tls: Option<Arc<rustls::ServerConfig>>,
    post: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let handler: Handler = Arc::new(post);
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let state = (seen.clone(), Arc::new(versions));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let (seen, versions) = state.clone();
            let handler = handler.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                    let (seen, versions, handler) = (seen.clone(), versions.clone(), handler.clone());
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                        let request = Seen {
                            method: parts.method.to_string(),
                            path: parts.uri.path().to_string(),
                            headers: parts.headers,
                            body: String::from_utf8_lossy(&body).into_owned(),
                        };
                        let index = {
                            let mut seen = seen.lock().unwrap();
                            let index = seen.iter().filter(|s| s.method == "POST").count();
                            seen.push(request.clone());
                            index
                        };
                        let reply = match (request.method.as_str(), request.path.as_str()) {
                            ("GET", "/sdk/vimServiceVersions.xml") => match &*versions {
                                Some(v) => Reply::Answer { status: 200, set_cookie: None, body: v.clone() },
                                None => Reply::Answer { status: 404, set_cookie: None, body: "Not Found".into() },
                            },
                            ("POST", "/sdk") => handler(&request, index),
                            _ => Reply::Answer { status: 404, set_cookie: None, body: "Not Found".into() },
                        };
                        match reply {
                            Reply::Hang => {
                                std::future::pending::<()>().await;
                                unreachable!()
                            }
                            Reply::Answer { status, set_cookie, body } => {
                                let mut response = Response::builder().status(status).header("Content-Type", "text/xml; charset=utf-8");
                                if let Some(c) = set_cookie {
                                    response = response.header("Set-Cookie", c);
                                }
                                Ok::<_, Infallible>(response.body(Full::new(Bytes::from(body))).unwrap())
                            }
                        }
                    }
                });
                let builder = hyper::server::conn::http1::Builder::new();
                match acceptor {
                    Some(acceptor) => {
                        if let Ok(tls) = acceptor.accept(stream).await {
                            let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                        }
                    }
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
            });
        }
    });
    Server { addr, seen }
}

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body>
{body}
</soapenv:Body>
</soapenv:Envelope>"#
    )
}

fn options() -> ClientOptions {
    ClientOptions { timeout: Duration::from_secs(10), ..ClientOptions::default() }
}

fn no_posts(_: &Seen, _: usize) -> Reply {
    Reply::Answer { status: 400, set_cookie: None, body: "no POST expected".into() }
}

/// The box inside `Error::Transport`, as this crate's type.
fn transport<F: std::fmt::Debug>(e: &Error<F>) -> &TransportError {
    match e {
        Error::Transport(b) => b.downcast_ref::<TransportError>().expect("a vim_client::TransportError"),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

const SERVICE_CONTENT: &str = r#"<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>
<rootFolder type="Folder">group-d1</rootFolder>
<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>
<about><name>VMware vCenter Server</name><fullName>VMware vCenter Server 5.5.0 build-1</fullName><vendor>VMware, Inc.</vendor><version>5.5.0</version><build>1</build><osType>linux-x64</osType><productLineId>vpx</productLineId><apiType>VirtualCenter</apiType><apiVersion>5.5</apiVersion></about>
<sessionManager type="SessionManager">SessionManager</sessionManager>
</returnval></RetrieveServiceContentResponse>"#;

const INVALID_LOGIN: &str = r#"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot complete login due to an incorrect user name or password.</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>"#;

fn user_session_xml(key: &str) -> String {
    format!(
        r#"<key>{key}</key><userName>root</userName><fullName>Root</fullName><loginTime>2026-11-28T05:00:00Z</loginTime><lastActiveTime>2026-11-28T05:01:00Z</lastActiveTime><locale>en</locale><messageLocale>en</messageLocale><extensionSession>false</extensionSession><ipAddress>127.0.0.1</ipAddress><userAgent>test</userAgent><callCount>3</callCount>"#
    )
}

// ---------------------------------------------------------------------------------------------
// Version negotiation

#[tokio::test]
async fn negotiates_the_newest_common_version() {
    let server = serve(Some(versions_xml("5.1", &["5.0", "4.1", "4.0"])), None, no_posts).await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    assert_eq!(client.api_version(), vim_types::versions::VERSION8);
    assert_eq!(client.server_api_version(), "5.1");
    assert_eq!(client.endpoint().to_string(), server.url("http"));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("GET", "/sdk/vimServiceVersions.xml"));
}

#[tokio::test]
async fn a_newer_server_gets_the_latest_version() {
    // vcsim's answer: API 6.5, newer than the 5.5 spec.
    let server = serve(Some(versions_xml("6.5", &["6.0", "5.5"])), None, no_posts).await;
    // No `/sdk` in the URL: it is added.
    let client = Client::connect(&vim_types::API, &format!("http://{}", server.addr), options()).await.unwrap();
    assert_eq!(client.api_version(), vim_types::API.latest());
    assert_eq!(client.server_api_version(), "6.5");
}

#[tokio::test]
async fn no_common_version_is_a_connect_error() {
    let server = serve(Some(versions_xml("1.0", &[])), None, no_posts).await;
    let err = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap_err();
    assert!(matches!(err, ConnectError::NoCommonVersion { .. }), "{err:?}");
    assert!(err.to_string().contains("offers API versions 1.0"), "{err}");
}

#[tokio::test]
async fn a_server_without_version_file_is_not_vsphere() {
    let server = serve(None, None, no_posts).await;
    let err = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap_err();
    assert!(matches!(err, ConnectError::NotVsphere { .. }), "{err:?}");
    assert!(err.to_string().contains("HTTP 404"), "{err}");
}

#[tokio::test]
async fn a_too_new_method_is_refused_before_sending() {
    // A vSphere 4.0 server; RetrievePropertiesEx came with 4.1.
    let server = serve(Some(versions_xml("4.0", &["2.5u2server", "2.5"])), None, no_posts).await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    assert_eq!(client.api_version(), vim_types::versions::VERSION5);
    let pc = MoRef::<PropertyCollector>::new("propertyCollector");
    let err = client.retrieve_properties_ex(&pc, &[], &RetrieveOptions::default()).await.unwrap_err();
    match err {
        Error::VersionTooOld { method, since, negotiated } => {
            assert_eq!(method, "RetrievePropertiesEx");
            assert_eq!(since, vim_types::versions::VERSION6);
            assert_eq!(negotiated, vim_types::versions::VERSION5);
        }
        other => panic!("expected VersionTooOld, got {other:?}"),
    }
    assert!(server.posts().is_empty(), "the server saw a call: {:?}", server.posts());
}

// The workspace's 5.5 crate has no parameter or property newer than its owner (the pages do
// not say); the 9.1 crate's are tried against vcsim in tests/versions/gate.rs. Here a
// hand-made method and managed object, as a generated crate with pyVmomi's versions writes
// them: `Wheel.Spin` of vSphere 2.0 whose `spokes` came with 4.1, and `Wheel.hub` of 4.1.

enum Spin {}

struct SpinRequest {
    speed: i32,
    spokes: Option<i32>,
}

impl vim_types::Method for Spin {
    type Request<'a> = SpinRequest;
    type Response = ();
    type Fault = vim_types::CurrentTimeFault;
    const INFO: vim_types::MethodInfo = vim_types::MethodInfo {
        name: "Spin",
        wsdl_name: "Spin",
        owner: "Wheel",
        privilege: None,
        since: vim_types::versions::VERSION1,
        faults: &[],
    };
    fn encode_request(request: &SpinRequest, w: &mut vim_types::xml::Writer) {
        w.field("speed", &request.speed);
        w.opt("spokes", &request.spokes);
    }
    fn decode_response<'a>(r: &mut vim_types::xml::Reader<'a>, e: &vim_types::xml::Elem<'a>) -> Result<(), vim_types::xml::DecodeError> {
        vim_types::xml::no_returnval(r, e)
    }
    fn newest_param_set(request: &SpinRequest) -> Option<(&'static str, vim_types::ApiVersion)> {
        request.spokes.is_some().then_some(("spokes", vim_types::versions::VERSION6))
    }
}

enum Wheel {}

impl vim_types::ManagedObject for Wheel {
    const WSDL_NAME: &'static str = "Wheel";
    const METHODS: &'static [vim_types::MethodInfo] = &[<Spin as vim_types::Method>::INFO];
    const PROPERTIES: &'static [vim_types::PropertyInfo] = &[
        vim_types::PropertyInfo {
            name: "rim",
            type_name: "int",
            array: false,
            optional: false,
            privilege: None,
            since: vim_types::versions::VERSION1,
        },
        vim_types::PropertyInfo {
            name: "hub",
            type_name: "vim.Hub",
            array: false,
            optional: true,
            privilege: None,
            since: vim_types::versions::VERSION6,
        },
    ];
    const BASE: Option<&'static str> = None;
    const INFO: vim_types::ManagedObjectInfo =
        vim_types::ManagedObjectInfo { wsdl_name: "Wheel", methods: Self::METHODS, properties: Self::PROPERTIES, base: None };
}

#[tokio::test]
async fn a_too_new_parameter_is_refused_before_sending() {
    // A vSphere 4.0 server: `Spin` it has, `spokes` (4.1) it has not.
    let server = serve(Some(versions_xml("4.0", &["2.5u2server", "2.5"])), None, |_, _| ok(r#"<SpinResponse xmlns="urn:vim25"/>"#)).await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    assert_eq!(client.api_version(), vim_types::versions::VERSION5);
    let wheel = MoRef::<Wheel>::new("wheel-1").untyped();
    let err = vim_types::Invoke::invoke::<Spin>(&client, wheel.clone(), SpinRequest { speed: 3, spokes: Some(36) }).await.unwrap_err();
    let text = err.to_string();
    match err {
        Error::ParameterTooNew { method, parameter, since, negotiated } => {
            assert_eq!((method, parameter), ("Spin", "spokes"));
            assert_eq!(since, vim_types::versions::VERSION6);
            assert_eq!(negotiated, vim_types::versions::VERSION5);
        }
        other => panic!("expected ParameterTooNew, got {other:?}"),
    }
    assert_eq!(text, "Spin's parameter `spokes` needs API 4.1 but the server speaks 4.0");
    assert!(server.posts().is_empty(), "the server saw a call: {:?}", server.posts());
    let as_client_error = vim_client::Error::from(Error::<vim_types::CurrentTimeFault>::ParameterTooNew {
        method: "Spin",
        parameter: "spokes",
        since: vim_types::versions::VERSION6,
        negotiated: vim_types::versions::VERSION5,
    });
    assert_eq!(as_client_error.to_string(), text);
    // Without the newer parameter the call goes out.
    vim_types::Invoke::invoke::<Spin>(&client, wheel, SpinRequest { speed: 3, spokes: None }).await.expect("Spin without spokes");
    let posts = server.posts();
    assert_eq!(posts.len(), 1);
    assert!(posts[0].body.contains("<speed>3</speed>") && !posts[0].body.contains("spokes"), "{}", posts[0].body);
}

#[tokio::test]
async fn a_too_new_property_is_refused_before_sending() {
    let server = serve(Some(versions_xml("4.0", &["2.5u2server", "2.5"])), None, no_posts).await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    let wheel = MoRef::<Wheel>::new("wheel-1");
    let hub = vim_types::PropertyPath::<Wheel, AnyValue>::new("hub");
    for path in [hub.clone(), hub.field::<AnyValue>("size")] {
        let err = client.read(&wheel, &path).await.unwrap_err();
        match &err {
            vim_client::Error::PropertyTooNew { owner, path: p, since, negotiated } => {
                assert_eq!((*owner, p.as_str(), since.as_str(), negotiated.as_str()), ("Wheel", path.path(), "4.1", "4.0"));
            }
            other => panic!("expected PropertyTooNew, got {other:?}"),
        }
        assert_eq!(err.to_string(), format!("Wheel.{} needs API 4.1 but the server speaks 4.0", path.path()));
    }
    let err = client.watch(std::slice::from_ref(&wheel), &[&hub]).await.err().expect("watch refuses hub");
    assert!(matches!(err, vim_client::Error::PropertyTooNew { .. }), "{err:?}");
    assert!(server.posts().is_empty(), "the server saw a call: {:?}", server.posts());
    // A property the server has is asked for (this server answers no call).
    let rim = vim_types::PropertyPath::<Wheel, i32>::new("rim");
    let err = client.read(&wheel, &rim).await.unwrap_err();
    assert!(!matches!(err, vim_client::Error::PropertyTooNew { .. }), "{err:?}");
    assert!(!server.posts().is_empty(), "rim was not asked for");
}

// ---------------------------------------------------------------------------------------------
// HTTP: headers, cookie, statuses, timeouts

#[tokio::test]
async fn the_session_cookie_round_trips() {
    let server = serve(Some(versions_xml("5.5", &["5.1"])), None, |_, i| Reply::Answer {
        status: 200,
        set_cookie: match i {
            0 => Some(r#"vmware_soap_session="52ab-cd"; Path=/; HttpOnly; Secure;"#.to_string()),
            2 => Some("vmware_soap_session=; Max-Age=0".to_string()),
            _ => None,
        },
        body: envelope(r#"<LogoutResponse xmlns="urn:vim25"></LogoutResponse>"#),
    })
    .await;
    let options = ClientOptions { user_agent: "vim-client-test".into(), ..options() };
    let client = Client::connect(&vim_types::API, &server.url("http"), options).await.unwrap();
    assert_eq!(client.session_cookie(), None);
    let (status, _) = client.send_raw(b"<first/>".to_vec()).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(client.session_cookie().as_deref(), Some(r#""52ab-cd""#));
    client.send_raw(b"<second/>".to_vec()).await.unwrap();

    let posts = server.posts();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].headers.get("cookie"), None);
    assert_eq!(posts[1].headers.get("cookie").unwrap(), r#"vmware_soap_session="52ab-cd""#);
    for p in &posts {
        assert_eq!(p.headers.get("soapaction").unwrap(), "urn:vim25/5.5");
        assert_eq!(p.headers.get("content-type").unwrap(), "text/xml; charset=utf-8");
        assert_eq!(p.headers.get("user-agent").unwrap(), "vim-client-test");
    }
    assert_eq!(posts[1].body, "<second/>");
    // An emptied cookie ends the session: it is no longer sent.
    client.send_raw(b"<third/>".to_vec()).await.unwrap();
    assert_eq!(client.session_cookie(), None);
    client.send_raw(b"<fourth/>".to_vec()).await.unwrap();
    assert_eq!(server.posts()[3].headers.get("cookie"), None);
    // A session set by hand (one kept from earlier) is sent.
    client.set_session_cookie(Some("\"kept\""));
    client.send_raw(b"<fifth/>".to_vec()).await.unwrap();
    assert_eq!(server.posts()[4].headers.get("cookie").unwrap(), r#"vmware_soap_session="kept""#);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = serve(Some(versions_xml("5.5", &[])), None, |_, _| Reply::Hang).await;
    let options = ClientOptions { timeout: Duration::from_millis(300), ..options() };
    let client = Client::connect(&vim_types::API, &server.url("http"), options).await.unwrap();
    let started = std::time::Instant::now();
    let err = client.send_raw(b"<x/>".to_vec()).await.unwrap_err();
    assert!(matches!(err, TransportError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.to_string().contains("did not answer within 300ms"), "{err}");
}

#[tokio::test]
async fn a_timeout_is_a_transport_error() {
    let server = serve(Some(versions_xml("5.5", &[])), None, |_, _| Reply::Hang).await;
    let options = ClientOptions { timeout: Duration::from_millis(300), ..options() };
    let client = Client::connect(&vim_types::API, &server.url("http"), options).await.unwrap();
    let err = SessionManagerClient::logout(&client, &MoRef::<SessionManager>::new("SessionManager")).await.unwrap_err();
    assert!(matches!(transport(&err), TransportError::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn another_status_is_a_transport_error() {
    let server = serve(Some(versions_xml("5.5", &[])), None, |_, _| Reply::Answer {
        status: 503,
        set_cookie: None,
        body: "<html><body>Service   Unavailable\n</body></html>".into(),
    })
    .await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    let err = SessionManagerClient::logout(&client, &MoRef::<SessionManager>::new("SessionManager")).await.unwrap_err();
    match transport(&err) {
        TransportError::Status { status, excerpt, .. } => {
            assert_eq!(*status, 503);
            assert_eq!(excerpt, "<html><body>Service Unavailable </body></html>");
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Through the codec

#[tokio::test]
async fn a_soap_fault_in_a_500_is_typed() {
    let server =
        serve(Some(versions_xml("5.5", &[])), None, |_, _| Reply::Answer { status: 500, set_cookie: None, body: envelope(INVALID_LOGIN) })
            .await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    let sm = MoRef::<SessionManager>::new("SessionManager");
    let err = SessionManagerClient::login(&client, &sm, "root", "wrong", None).await.unwrap_err();
    assert!(matches!(err, Error::Fault(LoginFault::InvalidLogin(_))), "{err:?}");
    let posts = server.posts();
    assert_eq!(posts.len(), 1);
    assert!(posts[0].body.contains("<userName>root</userName>"), "{}", posts[0].body);
}

#[tokio::test]
async fn login_properties_and_logout() {
    let server = serve(Some(versions_xml("5.5", &["5.1"])), None, |seen, _| {
        let body = &seen.body;
        if body.contains("RetrieveServiceContent") {
            ok(SERVICE_CONTENT)
        } else if body.contains("<Login") {
            Reply::Answer {
                status: 200,
                set_cookie: Some(r#"vmware_soap_session="s1"; Path=/; HttpOnly"#.into()),
                body: envelope(&format!(
                    r#"<LoginResponse xmlns="urn:vim25"><returnval>{}</returnval></LoginResponse>"#,
                    user_session_xml("s1")
                )),
            }
        } else if body.contains("ContinueRetrievePropertiesEx") {
            ok(r#"<ContinueRetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="SessionManager">SessionManager</obj><propSet><name>message</name><val xsi:type="xsd:string">hello</val></propSet></objects></returnval></ContinueRetrievePropertiesExResponse>"#)
        } else if body.contains("RetrievePropertiesEx") {
            ok(&format!(
                r#"<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><token>page2</token><objects><obj type="SessionManager">SessionManager</obj><propSet><name>currentSession</name><val xsi:type="UserSession">{}</val></propSet></objects></returnval></RetrievePropertiesExResponse>"#,
                user_session_xml("s1")
            ))
        } else if body.contains("<Logout") {
            ok(r#"<LogoutResponse xmlns="urn:vim25"></LogoutResponse>"#)
        } else {
            Reply::Answer { status: 500, set_cookie: None, body: envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>unexpected</faultstring></soapenv:Fault>") }
        }
    })
    .await;
    let client = Client::connect(&vim_types::API, &server.url("http"), options()).await.unwrap();
    let session = client.login_as("root", "secret").await.unwrap();
    assert_eq!(session.key, "s1");
    let content = client.content().await.unwrap();
    let sm = content.session_manager.unwrap();
    let props = client.read_properties(&sm.untyped(), &["currentSession", "message"]).await.unwrap();
    let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["currentSession", "message"]);
    match &props[0].val {
        AnyValue::Data(AnyData::UserSession(s)) => assert_eq!(s.user_name, "root"),
        other => panic!("{other:?}"),
    }
    client.log_out().await.unwrap();
    assert_eq!(client.session_cookie(), None);

    let posts = server.posts();
    let ops: Vec<&str> = posts
        .iter()
        .map(|p| {
            ["RetrieveServiceContent", "Login", "ContinueRetrievePropertiesEx", "RetrievePropertiesEx", "Logout"]
                .into_iter()
                .find(|op| p.body.contains(&format!("<{op}")))
                .unwrap_or("?")
        })
        .collect();
    // The test helpers ask for the service content before each step (the client keeps no
    // copy of it).
    assert_eq!(
        ops,
        [
            "RetrieveServiceContent",
            "Login",
            "RetrieveServiceContent",
            "RetrieveServiceContent",
            "RetrievePropertiesEx",
            "ContinueRetrievePropertiesEx",
            "RetrieveServiceContent",
            "Logout"
        ]
    );
    assert!(posts[5].body.contains("page2"));
    // Every call after Login carries the session.
    for p in &posts[2..] {
        assert_eq!(p.headers.get("cookie").unwrap(), r#"vmware_soap_session="s1""#);
    }
}

// ---------------------------------------------------------------------------------------------
// Connection errors

#[tokio::test]
async fn an_unreachable_port_is_a_clear_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = Client::connect(&vim_types::API, &format!("https://{addr}/sdk"), options()).await.unwrap_err();
    assert!(matches!(err, ConnectError::Unreachable { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("cannot reach {addr}: ")), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
}

#[tokio::test]
async fn a_wrong_scheme_is_a_clear_error() {
    let err = Client::connect(&vim_types::API, "ftp://vc.example.com/sdk", options()).await.unwrap_err();
    assert!(matches!(err, ConnectError::UnsupportedScheme { .. }), "{err:?}");
    assert!(err.to_string().contains("use https://HOST/sdk"), "{err}");
}

#[tokio::test]
async fn https_to_a_plain_http_port_says_so() {
    let server = serve(Some(versions_xml("5.5", &[])), None, no_posts).await;
    let err = Client::connect(&vim_types::API, &server.url("https"), options()).await.unwrap_err();
    assert!(matches!(err, ConnectError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("use an http:// URL"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// TLS modes, against a self-signed certificate for localhost and 127.0.0.1

const CERT: &[u8] = include_bytes!("fixtures/selfsigned.der");
const KEY: &[u8] = include_bytes!("fixtures/selfsigned.key.der");
/// `openssl x509 -inform der -in tests/fixtures/selfsigned.der -noout -fingerprint -sha256`
const CERT_SHA256: &str = "25:8A:46:37:21:67:85:FA:80:89:84:BB:24:50:13:1D:84:AE:B9:DC:33:6E:5B:93:FC:39:24:02:35:D5:B2:F9";

fn tls_server_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(CERT.to_vec())], PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(KEY.to_vec())))
        .unwrap();
    Arc::new(config)
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_clear_error() {
    let server = serve(Some(versions_xml("5.5", &[])), Some(tls_server_config()), no_posts).await;
    let err = Client::connect(&vim_types::API, &server.url("https"), options()).await.unwrap_err();
    match &err {
        ConnectError::Certificate { host, sha256, .. } => {
            assert_eq!(host, &server.addr.to_string());
            assert_eq!(
                *sha256,
                match TlsMode::pin_from_hex(CERT_SHA256) {
                    Some(TlsMode::PinSha256(p)) => Some(p),
                    _ => unreachable!(),
                }
            );
        }
        other => panic!("expected a certificate error, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains(&server.addr.to_string()), "{message}");
    assert!(message.contains(CERT_SHA256), "{message}");
    assert!(message.contains("--insecure") && message.contains("PinSha256"), "{message}");
}

#[tokio::test]
async fn accept_invalid_and_pinning_connect() {
    let server = serve(Some(versions_xml("5.5", &[])), Some(tls_server_config()), no_posts).await;
    let insecure = ClientOptions { tls: TlsMode::AcceptInvalid, ..options() };
    let client = Client::connect(&vim_types::API, &server.url("https"), insecure).await.unwrap();
    assert_eq!(client.api_version(), vim_types::versions::VERSION9);

    let pinned = ClientOptions { tls: TlsMode::pin_from_hex(CERT_SHA256).unwrap(), ..options() };
    Client::connect(&vim_types::API, &server.url("https"), pinned).await.unwrap();

    let wrong = ClientOptions { tls: TlsMode::PinSha256([7; 32]), ..options() };
    let err = Client::connect(&vim_types::API, &server.url("https"), wrong).await.unwrap_err();
    assert!(matches!(err, ConnectError::Certificate { .. }), "{err:?}");
    assert!(err.to_string().contains("not the pinned certificate"), "{err}");
}

//! The generated API used as a user would: typed references, metadata, fault routing, and
//! the client trait over a hand-made `Invoke` (the SOAP runtime comes separately).

use std::sync::Mutex;

use vim_types::*;

#[test]
fn metadata_tables() {
    let login = <methods::Login as Method>::INFO;
    assert_eq!(login.wsdl_name, "Login");
    assert_eq!(login.owner, "SessionManager");
    assert_eq!(login.privilege, Some(vim_types::privileges::SYSTEM_ANONYMOUS));
    assert_eq!(login.faults, ["InvalidLocale", "InvalidLogin"]);
    assert_eq!(login.since, vim_types::versions::VERSION1);
    assert!(<methods::LoginByToken as Method>::INFO.since > vim_types::versions::VERSION7);
    assert_eq!(<SessionManager as ManagedObject>::METHODS.len(), 15);
    let session_list = SessionManager::PROPERTIES.iter().find(|p| p.name == "sessionList").unwrap();
    assert!(session_list.array && session_list.optional);
    assert_eq!(session_list.privilege, Some(vim_types::privileges::SESSIONS_TERMINATE_SESSION));
    assert_eq!(vim_types::API.privilege("Sessions.TerminateSession"), Some(vim_types::privileges::SESSIONS_TERMINATE_SESSION));
    assert_eq!(vim_types::privileges::SESSIONS_TERMINATE_SESSION.id(), "Sessions.TerminateSession");
    assert_eq!(vim_types::API.latest().namespace(), "vim25/5.5");
    assert_eq!(vim_types::API.version_of_namespace("vim25/5.1"), Some(vim_types::versions::VERSION8));
    assert_eq!(UserSession::WSDL_NAME, "UserSession");
}

#[test]
fn faults_route_to_the_declared_variant() {
    let f: LoginFault = AnyMethodFault::InvalidLogin(Box::default()).into();
    assert!(matches!(f, LoginFault::InvalidLogin(AnyInvalidLogin::InvalidLogin(_))));
    // A runtime fault lands in `Other`, still typed.
    let f: LoginFault = AnyMethodFault::NotAuthenticated(Box::default()).into();
    assert!(matches!(f, LoginFault::Other(AnyMethodFault::NotAuthenticated(_))));
    let f: TerminateSessionFault = AnyMethodFault::NotFound(Box::default()).into();
    assert!(matches!(f, TerminateSessionFault::NotFound(_)));
    assert_eq!(AnyMethodFault::NoPermission(Box::default()).type_name(), "NoPermission");
}

#[test]
fn enums_keep_unknown_values() {
    let m = SessionManagerHttpServiceRequestSpecMethod::from_wire("httpGet");
    assert_eq!(m, SessionManagerHttpServiceRequestSpecMethod::HttpGet);
    assert_eq!(m.as_str(), "httpGet");
    let new = SessionManagerHttpServiceRequestSpecMethod::from_wire("httpQuery");
    assert_eq!(new, SessionManagerHttpServiceRequestSpecMethod::Unrecognized("httpQuery".into()));
    assert_eq!(new.as_str(), "httpQuery");
}

#[test]
fn references_are_typed_and_upcast() {
    let root: MoRef<Folder> = MoRef::new("group-d1");
    let entity: MoRef<ManagedEntity> = root.upcast();
    assert_eq!(entity.type_name, "Folder");
    assert_eq!(entity.untyped(), ManagedObjectReference { type_name: "Folder".into(), value: "group-d1".into() });
}

/// Records what the client trait asks to send, and answers with a canned fault.
struct Recorder(Mutex<Vec<(String, String)>>);

impl Invoke for Recorder {
    fn invoke<M: Method>(
        &self,
        this: ManagedObjectReference,
        _request: M::Request<'_>,
    ) -> impl std::future::Future<Output = Result<M::Response, Error<M::Fault>>> + Send {
        self.0.lock().unwrap().push((M::INFO.wsdl_name.to_string(), this.value));
        // The canned answer goes through the SOAP decoder, as a server's would.
        let fault = br#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>no</faultstring><detail><InvalidLoginFault xmlns="urn:vim25"/></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
        std::future::ready(vim_types::soap::decode_response::<M>(fault, &Default::default()))
    }
}

#[test]
fn client_trait_calls_through_invoke() {
    let client = Recorder(Mutex::new(Vec::new()));
    let sm: MoRef<SessionManager> = MoRef::new("SessionManager");
    let fut = client.login(&sm, "admin", "secret", None);
    let result = block_on(fut);
    assert!(matches!(result, Err(Error::Fault(LoginFault::InvalidLogin(_)))));
    assert_eq!(client.0.lock().unwrap()[0], ("Login".to_string(), "SessionManager".to_string()));
}

/// Polls a future that is ready at once (no executor needed for `std::future::ready`).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => panic!("the recorder answers at once"),
    }
}

#[cfg(feature = "server")]
struct Sessions;
#[cfg(feature = "server")]
impl SessionManagerServer for Sessions {}

#[cfg(feature = "server")]
#[test]
fn server_trait_defaults_answer_not_implemented() {
    let ctx = CallContext {
        session_key: None,
        user_name: None,
        locale: "en".into(),
        version: vim_types::API.latest(),
        client_ip: None,
        user_agent: None,
    };
    let r = block_on(Sessions.logout(&ctx, &MoRef::new("SessionManager")));
    assert!(matches!(r, Err(LogoutFault::Other(AnyMethodFault::NotImplemented(_)))), "{r:?}");
}

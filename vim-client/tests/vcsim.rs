//! The generated client against vcsim, VMware's own vSphere simulator (govmomi), started for
//! the test on 127.0.0.1. `cargo xtask test` builds it from Debian's govmomi package and
//! passes its path in `VCSIM_BIN`.
//!
//! vcsim's known behaviour (see shared/DESIGN.md) is expected here, not papered over: it
//! speaks API 6.5, accepts any password for its user (and refuses a second Login on a
//! session), answers `MethodNotFound` for the SessionManager methods it lacks, and leaves
//! `defaultLocale` out (older builds dropped the connection when it was read).

use vim_client::{Client, ClientOptions};
use vim_types::*;
use vimgen_test_support::Session;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

fn method_not_found(f: &AnyMethodFault) -> bool {
    matches!(f, AnyMethodFault::MethodNotFound(_) | AnyMethodFault::NotImplemented(_))
}

#[test]
fn session_manager_against_vcsim() {
    let Some(sim) = vimgen_test_support::vcsim("session_manager_against_vcsim", &[]) else { return };
    let (url, user) = (sim.url.clone(), sim.user.clone());
    runtime().block_on(async {
        let client = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("connect");
        let content = client.content().await.expect("service content");
        assert_eq!(content.about.api_type, "VirtualCenter");
        let sm = content.session_manager.clone().expect("a session manager");

        let session = client.login_as(&user, "any-password").await.expect("login");
        // vcsim accepts any password, then refuses a second Login on the same session: the
        // refusal arrives as the typed InvalidLogin.
        let again = client.login_as(&user, "wrong-password").await;
        assert!(matches!(again, Err(Error::Fault(LoginFault::InvalidLogin(_)))), "{again:?}");
        assert_eq!(session.user_name, user);

        // The six properties through the PropertyCollector (typed reads of `anyType` values).
        let props = client
            .read_properties(&sm.untyped(), &["sessionList", "currentSession", "message", "messageLocaleList", "supportedLocaleList"])
            .await
            .expect("properties");
        let current = props.iter().find(|p| p.name == "currentSession").expect("currentSession");
        assert!(matches!(&current.val, AnyValue::Data(AnyData::UserSession(s)) if s.key == session.key), "{current:?}");
        let list = props.iter().find(|p| p.name == "sessionList").expect("sessionList");
        match &list.val {
            AnyValue::Array { items, .. } => {
                assert!(items.iter().any(|i| matches!(i, AnyValue::Data(AnyData::UserSession(s)) if s.key == session.key)))
            }
            other => panic!("sessionList is {other:?}"),
        }
        // defaultLocale: vcsim leaves it out (older builds dropped the connection); either way
        // an answer or an error, never a panic.
        let dl = client.read_properties(&sm.untyped(), &["defaultLocale"]).await;
        assert!(dl.is_err() || dl.as_ref().is_ok_and(|p| p.iter().all(|p| p.name == "defaultLocale")), "{dl:?}");

        let client = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("reconnect");
        let session = client.login_as(&user, "x").await.expect("login again");
        assert!(client.session_is_active(&sm, &session.key, &user).await.expect("SessionIsActive"));

        // Clone the session from a second connection.
        let ticket = client.acquire_clone_ticket(&sm).await.expect("AcquireCloneTicket");
        let second = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("connect");
        let cloned = second.clone_session(&sm, &ticket).await.expect("CloneSession");
        assert_eq!(cloned.user_name, user);

        let spec =
            AnySessionManagerServiceRequestSpec::SessionManagerHttpServiceRequestSpec(Box::new(SessionManagerHttpServiceRequestSpec {
                url: format!("{url}/folder"),
                ..Default::default()
            }));
        let generic = client.acquire_generic_service_ticket(&sm, &spec).await.expect("AcquireGenericServiceTicket");
        assert!(!generic.id.is_empty());

        // LoginByToken and LoginExtensionByCertificate without a token or certificate: typed faults.
        let other = Client::connect(&vim_types::API, &url, ClientOptions::default()).await.expect("connect");
        let by_token = other.login_by_token(&sm, None).await;
        assert!(matches!(by_token, Err(Error::Fault(LoginByTokenFault::InvalidLogin(_)))), "{by_token:?}");
        let by_cert = other.login_extension_by_certificate(&sm, "com.example.ext", None).await;
        assert!(matches!(by_cert, Err(Error::Fault(LoginExtensionByCertificateFault::NoClientCertificate(_)))), "{by_cert:?}");

        // Terminate the cloned session from the first.
        client.terminate_session(&sm, std::slice::from_ref(&cloned.key)).await.expect("TerminateSession");

        // A method vcsim lacks: a typed runtime fault.
        match client.set_locale(&sm, "de").await {
            Err(Error::Fault(SetLocaleFault::Other(f))) => assert!(method_not_found(&f), "{f:?}"),
            other => panic!("SetLocale on vcsim: {other:?}"),
        }
        match client.update_service_message(&sm, "hello").await {
            Err(Error::Fault(UpdateServiceMessageFault::Other(f))) => assert!(method_not_found(&f), "{f:?}"),
            other => panic!("UpdateServiceMessage on vcsim: {other:?}"),
        }

        client.log_out().await.expect("logout");
        // After logout the session is gone: a typed NotAuthenticated.
        match client.acquire_clone_ticket(&sm).await {
            Err(Error::Fault(_)) => {}
            other => panic!("after logout: {other:?}"),
        }
    });
}

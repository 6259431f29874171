//! One scenario, two servers: the generated client runs the same SessionManager scenario
//! against vimsim and against vcsim (VMware's simulator). Each step's outcome is recorded as
//! `ok` or the fault's class; the two records may differ only in the steps whose method
//! vcsim does not implement (it answers `MethodNotFound` there).

mod common;

use vim_client::{Client, ClientOptions, TlsMode};
use vim_types::xml::Encode;
use vim_types::*;
use vimgen_test_support::Session;

/// `ok`, or the class of the fault (or the kind of error).
fn outcome<T, F: Encode + std::fmt::Debug>(r: &Result<T, Error<F>>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Fault(f)) => f.xsi_type().unwrap_or("?").to_string(),
        Err(e) => format!("error: {e}"),
    }
}

/// The scenario; returns each step's outcome, in order.
async fn scenario(url: &str, user: &str, password: &str, options: ClientOptions) -> Vec<(&'static str, String)> {
    let mut steps: Vec<(&'static str, String)> = Vec::new();
    let client = Client::connect(&vim_types::API, url, options.clone()).await.expect("connect");
    let content = client.content().await.expect("service content");
    assert_eq!(content.about.api_type, "VirtualCenter");
    let sm = content.session_manager.clone().expect("a session manager");

    let wrong = Client::connect(&vim_types::API, url, options.clone()).await.expect("connect");
    steps.push(("wrong_password", outcome(&wrong.login_as(user, "not-the-password").await)));

    let session = client.login_as(user, password).await;
    steps.push(("login", outcome(&session)));
    let session = session.expect("login");
    assert_eq!(session.user_name, user);

    let props = client
        .read_properties(&sm.untyped(), &["sessionList", "currentSession", "message", "messageLocaleList", "supportedLocaleList"])
        .await
        .expect("properties");
    let current = props.iter().find(|p| p.name == "currentSession").map(|p| &p.val);
    assert!(matches!(current, Some(AnyValue::Data(AnyData::UserSession(s))) if s.key == session.key), "{current:?}");
    let list = props.iter().find(|p| p.name == "sessionList").map(|p| &p.val);
    match list {
        Some(AnyValue::Array { items, .. }) => {
            assert!(items.iter().any(|i| matches!(i, AnyValue::Data(AnyData::UserSession(s)) if s.key == session.key)))
        }
        other => panic!("sessionList is {other:?}"),
    }
    steps.push(("properties", "ok".into()));

    steps.push(("session_is_active", outcome(&client.session_is_active(&sm, &session.key, user).await)));
    let ticket = client.acquire_clone_ticket(&sm).await;
    steps.push(("acquire_clone_ticket", outcome(&ticket)));
    let second = Client::connect(&vim_types::API, url, options.clone()).await.expect("connect");
    let cloned = second.clone_session(&sm, &ticket.expect("a ticket")).await;
    steps.push(("clone_session", outcome(&cloned)));
    let cloned = cloned.expect("a cloned session");
    assert_eq!(cloned.user_name, user);

    let spec = AnySessionManagerServiceRequestSpec::SessionManagerHttpServiceRequestSpec(Box::new(SessionManagerHttpServiceRequestSpec {
        url: format!("{url}/folder"),
        ..Default::default()
    }));
    steps.push(("acquire_generic_service_ticket", outcome(&client.acquire_generic_service_ticket(&sm, &spec).await)));

    let other = Client::connect(&vim_types::API, url, options.clone()).await.expect("connect");
    steps.push(("login_by_token", outcome(&other.login_by_token(&sm, None).await)));
    steps.push(("login_extension_by_certificate", outcome(&other.login_extension_by_certificate(&sm, "com.example.ext", None).await)));
    steps.push(("login_extension_by_subject_name", outcome(&other.login_extension_by_subject_name(&sm, "com.example.ext", None).await)));
    steps.push(("login_by_sspi", outcome(&other.login_by_sspi(&sm, "dG9rZW4=", None).await)));
    steps.push(("acquire_local_ticket", outcome(&other.acquire_local_ticket(&sm, user).await)));

    steps.push(("terminate_other", outcome(&client.terminate_session(&sm, std::slice::from_ref(&cloned.key)).await)));
    steps.push(("set_locale", outcome(&client.set_locale(&sm, "de").await)));
    steps.push(("update_service_message", outcome(&client.update_service_message(&sm, "maintenance at noon").await)));
    steps.push(("impersonate_user", outcome(&client.impersonate_user(&sm, user, None).await)));

    steps.push(("logout", outcome(&client.log_out().await)));
    steps.push(("after_logout", outcome(&client.acquire_clone_ticket(&sm).await)));
    steps
}

/// The steps whose method vcsim lacks.
const VCSIM_LACKS: [&str; 6] = [
    "login_extension_by_subject_name",
    "login_by_sspi",
    "acquire_local_ticket",
    "set_locale",
    "update_service_message",
    "impersonate_user",
];

/// What vimsim answers: the page's semantics, and the documented faults where an in-memory
/// server cannot honour a method (no SAML token, client certificate, extension, SSPI or
/// local file).
const VIMSIM: [(&str, &str); 18] = [
    ("wrong_password", "InvalidLogin"),
    ("login", "ok"),
    ("properties", "ok"),
    ("session_is_active", "ok"),
    ("acquire_clone_ticket", "ok"),
    ("clone_session", "ok"),
    ("acquire_generic_service_ticket", "ok"),
    ("login_by_token", "InvalidLogin"),
    ("login_extension_by_certificate", "NoClientCertificate"),
    ("login_extension_by_subject_name", "NotFound"),
    ("login_by_sspi", "NotSupported"),
    ("acquire_local_ticket", "NotSupported"),
    ("terminate_other", "ok"),
    ("set_locale", "ok"),
    ("update_service_message", "ok"),
    ("impersonate_user", "ok"),
    ("logout", "ok"),
    ("after_logout", "NotAuthenticated"),
];

fn expected() -> Vec<(&'static str, String)> {
    VIMSIM.iter().map(|(step, o)| (*step, o.to_string())).collect()
}

/// vcsim's record is vimsim's, except where vcsim lacks the method: there it answers
/// `MethodNotFound`, or `NotAuthenticated` when called without a session (it checks the
/// session before it looks for the method).
fn matches_vcsim(on_vcsim: &[(&'static str, String)]) -> Result<(), String> {
    if on_vcsim.len() != VIMSIM.len() {
        return Err(format!("{} steps", on_vcsim.len()));
    }
    for ((step, got), (_, want)) in on_vcsim.iter().zip(VIMSIM) {
        let ok = if VCSIM_LACKS.contains(step) { matches!(got.as_str(), "MethodNotFound" | "NotAuthenticated") } else { got == want };
        if !ok {
            return Err(format!("{step}: vcsim {got}, vimsim {want}"));
        }
    }
    Ok(())
}

#[test]
fn one_scenario_two_servers() {
    let rt = common::runtime();
    let vimsim = common::vimsim(&[]);
    let on_vimsim = rt.block_on(scenario(&vimsim.url, "admin", "secret", ClientOptions::default()));
    // Given a user, vcsim checks the password (by default it accepts any).
    let Some(vcsim) = common::vcsim("one_scenario_two_servers", &["-username", "admin", "-password", "secret"]) else { return };
    let on_vcsim = rt.block_on(scenario(&vcsim.url, &vcsim.user, "secret", ClientOptions::default()));
    for (step, (a, b)) in on_vimsim.iter().zip(&on_vcsim).enumerate() {
        eprintln!("{step:2} {:32} vimsim: {:24} vcsim: {}", a.0, a.1, b.1);
    }
    assert_eq!(on_vimsim, expected(), "vimsim");
    if let Err(e) = matches_vcsim(&on_vcsim) {
        panic!("vcsim differs beyond the methods it lacks: {e}");
    }
}

#[test]
fn https_with_a_self_signed_certificate() {
    let rt = common::runtime();
    let vimsim = common::vimsim(&["--tls"]);
    assert!(vimsim.url.starts_with("https://"), "{}", vimsim.url);
    rt.block_on(async {
        // Verified against the system roots, the self-signed certificate is refused...
        let refused = Client::connect(&vim_types::API, &vimsim.url, ClientOptions::default()).await;
        assert!(refused.is_err(), "a self-signed certificate must not verify");
        // ...and accepted when asked to.
        let options = ClientOptions { tls: TlsMode::AcceptInvalid, ..Default::default() };
        let steps = scenario(&vimsim.url, "admin", "secret", options).await;
        assert_eq!(steps, expected());
    });
}

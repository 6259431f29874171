//! The real peer clients (tests/peers: pyVmomi's and govmomi's SessionManager scenarios)
//! against vcsim, over HTTP and HTTPS: each step answers what tests/peers/README.md records.
//! This pins the programs themselves (a step that crashes, or a fault that is no longer
//! recognised, fails here) before they are pointed at vimsim.
//!
//! `cargo xtask test` sets `VCSIM_BIN`, `GOVMOMI_SESSION_BIN` and `PYVMOMI_PYTHON`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask test`, which builds the peers and sets it"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Peer {
    PyVmomi,
    Govmomi,
}

/// Runs a scenario program against `url` (vcsim's credentials are inside it); returns its lines.
fn scenario(peer: Peer, url: &str) -> Vec<Value> {
    let args = ["--url", url, "--readonly-user", "viewer", "--readonly-password", "pw", "--insecure"];
    let mut cmd = match peer {
        Peer::PyVmomi => {
            let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/pyvmomi_session.py");
            let mut c = Command::new(env("PYVMOMI_PYTHON"));
            c.arg(script);
            c
        }
        Peer::Govmomi => Command::new(env("GOVMOMI_SESSION_BIN")),
    };
    let out = cmd.args(args).stderr(Stdio::inherit()).output().expect("running the scenario");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(out.status.success(), "the scenario exited with {}:\n{text}", out.status);
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))).collect()
}

/// What a step must answer: `ok`, a fault by name, or an error (not a fault).
enum Want {
    Ok,
    Fault(&'static str),
    Error,
}

fn expected(peer: Peer) -> Vec<(&'static str, Want)> {
    use Want::*;
    // pyVmomi reads with Fetch, which vcsim's empty `message`/`defaultLocale` make panic (the
    // connection closes); govmomi's RetrieveProperties gets the empty object back.
    let empty_read = || if peer == Peer::PyVmomi { Error } else { Ok };
    vec![
        ("connect", Ok),
        ("about", Ok),
        ("current_session", Ok),
        ("session_list", Ok),
        ("message", empty_read()),
        ("message_locales", Ok),
        ("supported_locales", Ok),
        ("default_locale", empty_read()),
        ("acquire_clone_ticket", Ok),
        ("clone_session", Ok),
        ("clone_ticket_reuse", Fault("InvalidLogin")),
        ("session_is_active", Ok),
        ("set_locale", Fault("MethodNotFound")),
        ("set_locale_invalid", Fault("MethodNotFound")),
        ("update_service_message", Fault("MethodNotFound")),
        ("terminate_session", Ok),
        ("terminate_session_gone", Ok),
        ("terminated_call", Fault("NotAuthenticated")),
        ("terminate_own", Fault("InvalidArgument")),
        ("terminate_unknown", Fault("NotFound")),
        // vcsim accepts any password and has no privileges.
        ("wrong_password", Ok),
        ("readonly_login", Ok),
        ("readonly_terminate", Ok),
        ("logout", Ok),
        ("after_logout", Fault("NotAuthenticated")),
    ]
}

fn check(peer: Peer, tls: bool) {
    // A plain `cargo test` without the peers skips; `cargo xtask test` provides them.
    for var in ["VCSIM_BIN", "PYVMOMI_PYTHON", "GOVMOMI_SESSION_BIN"] {
        if vimgen_test_support::peer(var, "peers_vcsim").is_none() {
            return;
        }
    }
    let Some(sim) = vimgen_test_support::vcsim("peers_vcsim", if tls { &["-tls"] } else { &[] }) else { return };
    let lines = scenario(peer, &sim.printed_url);
    let want = expected(peer);
    let steps: Vec<&str> = lines.iter().map(|l| l["step"].as_str().expect("a step name")).collect();
    let want_steps: Vec<&str> = want.iter().map(|(s, _)| *s).collect();
    assert_eq!(steps, want_steps, "the steps, in order");
    for (line, (step, w)) in lines.iter().zip(&want) {
        let ok = match w {
            Want::Ok => line["ok"] == true,
            Want::Fault(name) => line["ok"] == false && line["fault"] == *name,
            Want::Error => line["ok"] == false && line["error"].is_string() && line.get("fault").is_none(),
        };
        assert!(ok, "{step}: {line}");
    }
    let by_step = |s: &str| lines.iter().find(|l| l["step"] == s).expect("the step");
    assert_eq!(by_step("connect")["value"]["protocol"], if tls { "https" } else { "http" });
    assert_eq!(by_step("about")["value"]["apiVersion"], "6.5");
    assert_eq!(by_step("current_session")["value"]["userName"], "user");
    assert_eq!(by_step("session_list")["value"]["containsOurs"], true);
    assert_eq!(by_step("clone_session")["value"]["userName"], "user");
    assert_eq!(by_step("clone_session")["value"]["newKey"], true);
    assert_eq!(by_step("session_is_active")["value"], true);
    assert_eq!(by_step("terminate_session_gone")["value"]["inSessionList"], false);
    assert_eq!(by_step("terminate_session_gone")["value"]["isActive"], false);
    assert_eq!(by_step("readonly_login")["value"]["userName"], "viewer");
}

#[test]
fn pyvmomi_against_vcsim_http() {
    check(Peer::PyVmomi, false);
}

#[test]
fn pyvmomi_against_vcsim_https() {
    check(Peer::PyVmomi, true);
}

#[test]
fn govmomi_against_vcsim_http() {
    check(Peer::Govmomi, false);
}

#[test]
fn govmomi_against_vcsim_https() {
    check(Peer::Govmomi, true);
}

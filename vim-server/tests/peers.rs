//! Real clients against vimsim: pyVmomi (from PyPI, in `.venv`) and govmomi (Debian's, in a
//! small Go program), each running the SessionManager scenario of `tests/peers/` over HTTP
//! and HTTPS. `cargo xtask test` installs them and passes `PYVMOMI_PYTHON` and
//! `GOVMOMI_SESSION_BIN`. The programs print one JSON object per step; this test holds
//! vimsim to what the SessionManager page documents, step by step.

mod common;

use std::process::Command;

/// One step's line, compacted (`"a": "b"` and `"a":"b"` alike) for matching.
struct Step {
    name: String,
    line: String,
}

impl Step {
    fn has(&self, fragment: &str) -> bool {
        self.line.contains(fragment)
    }
}

fn compact(line: &str) -> String {
    // The programs write JSON with or without spaces after `:` and `,`; strings in the
    // checked fragments have none.
    line.replace("\": ", "\":").replace(", \"", ",\"")
}

fn run(program: &str, args: &[&str]) -> Vec<Step> {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{program} {args:?} failed ({}):\n{stdout}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let line = compact(l);
            let name = line.split("\"step\":\"").nth(1).and_then(|x| x.split('"').next()).unwrap_or("").to_string();
            Step { name, line }
        })
        .collect()
}

/// What vimsim must answer, per step: a fragment each line must contain.
const EXPECTED: &[(&str, &[&str])] = &[
    ("connect", &["\"ok\":true"]),
    ("about", &["\"ok\":true", "\"apiType\":\"VirtualCenter\"", "\"apiVersion\":\"5.5\""]),
    ("current_session", &["\"ok\":true", "\"userName\":\"admin\""]),
    ("session_list", &["\"ok\":true", "\"containsOurs\":true"]),
    ("message", &["\"ok\":true"]),
    ("message_locales", &["\"ok\":true", "\"en\""]),
    ("supported_locales", &["\"ok\":true", "\"de\""]),
    ("default_locale", &["\"ok\":true", "\"value\":\"en\""]),
    ("acquire_clone_ticket", &["\"ok\":true"]),
    ("clone_session", &["\"ok\":true", "\"userName\":\"admin\""]),
    ("clone_ticket_reuse", &["\"fault\":\"InvalidLogin\""]),
    ("session_is_active", &["\"ok\":true", "\"value\":true"]),
    ("set_locale", &["\"ok\":true"]),
    ("set_locale_invalid", &["\"fault\":\"InvalidLocale\""]),
    ("update_service_message", &["\"ok\":true", "\"matches\":true"]),
    ("terminate_session", &["\"ok\":true"]),
    ("terminate_session_gone", &["\"ok\":true", "\"inSessionList\":false", "\"isActive\":false"]),
    ("terminated_call", &["\"fault\":\"NotAuthenticated\""]),
    ("terminate_own", &["\"fault\":\"InvalidArgument\""]),
    ("terminate_unknown", &["\"fault\":\"NotFound\""]),
    ("wrong_password", &["\"fault\":\"InvalidLogin\""]),
    ("readonly_login", &["\"ok\":true", "\"userName\":\"viewer\""]),
    ("readonly_terminate", &["\"fault\":\"NoPermission\""]),
    ("logout", &["\"ok\":true"]),
    ("after_logout", &["\"fault\":\"NotAuthenticated\""]),
];

fn check(client: &str, steps: &[Step]) {
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    let want: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(names, want, "{client}: the steps");
    for (step, (name, fragments)) in steps.iter().zip(EXPECTED) {
        for f in *fragments {
            assert!(step.has(f), "{client}: step {name} lacks {f}: {}", step.line);
        }
    }
}

fn scenario_args(url: &str) -> Vec<&str> {
    vec!["--url", url, "--user", "admin", "--password", "secret", "--readonly-user", "viewer", "--readonly-password", "pw", "--insecure"]
}

#[test]
fn pyvmomi_over_http_and_https() {
    let Some(python) = vimgen_test_support::peer("PYVMOMI_PYTHON", "pyvmomi_over_http_and_https") else { return };
    let python = python.to_string_lossy().into_owned();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/peers/pyvmomi_session.py");
    for tls in [false, true] {
        let sim = common::vimsim(if tls { &["--tls"] } else { &[] });
        let mut args = vec![script];
        args.extend(scenario_args(&sim.url));
        check(&format!("pyVmomi ({})", if tls { "https" } else { "http" }), &run(&python, &args));
    }
}

#[test]
fn govmomi_over_http_and_https() {
    let Some(bin) = vimgen_test_support::peer("GOVMOMI_SESSION_BIN", "govmomi_over_http_and_https") else { return };
    let bin = bin.to_string_lossy().into_owned();
    for tls in [false, true] {
        let sim = common::vimsim(if tls { &["--tls"] } else { &[] });
        check(&format!("govmomi ({})", if tls { "https" } else { "http" }), &run(&bin, &scenario_args(&sim.url)));
    }
}

//! The decoder on real vcsim responses (tests/vcsim/fixtures) and on thousands of damaged
//! copies of them: it decodes the real ones, and never panics on the damaged ones (an
//! answer or an error, every time). Deterministic: a fixed xorshift seed, `FUZZ_CASES` to
//! run longer.

use vim_types::soap::{DecodeOptions, decode_response, decode_response_with_report};
use vim_types::xml::Writer;
use vim_types::*;
use vimgen_test_support::Rng;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/vcsim/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn real_vcsim_responses_decode() {
    let o = DecodeOptions::default();
    let content = decode_response::<methods::RetrieveServiceContent>(&fixture("retrieve_service_content.xml"), &o).unwrap();
    assert_eq!(content.about.api_version, "6.5");
    assert_eq!(content.session_manager.as_ref().map(|s| s.type_name.as_str()), Some("SessionManager"));
    let session = decode_response::<methods::Login>(&fixture("login.xml"), &o).unwrap();
    assert!(!session.key.is_empty());
    for f in ["login_failure.xml", "login_again_same_session.xml"] {
        let r = decode_response::<methods::Login>(&fixture(f), &o);
        assert!(matches!(r, Err(Error::Fault(LoginFault::InvalidLogin(_)))), "{f}: {r:?}");
    }
    let r = decode_response::<methods::SetLocale>(&fixture("set_locale_method_not_found.xml"), &o);
    assert!(matches!(r, Err(Error::Fault(SetLocaleFault::Other(AnyMethodFault::MethodNotFound(_))))), "{r:?}");
    let (r, report) =
        decode_response_with_report::<methods::RetrievePropertiesEx>(&fixture("retrieve_properties_ex_session_manager.xml"), &o);
    let props = &r.unwrap().unwrap().objects[0].prop_set;
    assert!(props.iter().any(|p| p.name == "sessionList" && matches!(&p.val, AnyValue::Array { items, .. } if !items.is_empty())));
    assert!(report.missing.is_empty(), "{report:?}");
    decode_response::<methods::Logout>(&fixture("logout.xml"), &o).unwrap();
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len());
        match rng.below(7) {
            0 => v.truncate(at),
            1 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(256)).min(v.len());
                let piece = v[at..end].to_vec();
                v.splice(at..at, piece);
            }
            3 => v.insert(at, b"<>/&\"=:x"[rng.below(8)]),
            4 => {
                let i = at.min(v.len().saturating_sub(1));
                v[i] = rng.next_u64() as u8;
            }
            5 => {
                // A byte-order mark where a body may start.
                v.splice(0..0, "\u{feff}".bytes());
            }
            _ => {
                // Deep nesting.
                let deep: Vec<u8> = std::iter::repeat_n(&b"<a>"[..], 300).flatten().copied().collect();
                v.splice(at..at, deep);
            }
        }
        if v.is_empty() {
            break;
        }
    }
    v
}

/// What one decoding keeps, the next keeps too: a result written as a response, decoded and
/// written again gives the same bytes (bytes, not values: a NaN is not equal to itself).
fn written_back_twice_is_the_same(result: &Option<RetrieveResult>, o: &DecodeOptions) {
    let write = |r: &Option<RetrieveResult>| {
        let mut w = Writer::new();
        w.buf.extend_from_slice(RESPONSE_OPEN.as_bytes());
        w.opt("returnval", r);
        w.buf.extend_from_slice(b"</RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>");
        w.buf
    };
    let once = write(result);
    let again = decode_response::<methods::RetrievePropertiesEx>(&once, o)
        .unwrap_or_else(|e| panic!("our own writing does not decode: {e:?}\n{}", String::from_utf8_lossy(&once)));
    let twice = write(&again);
    assert!(once == twice, "written back twice:\n{}\n{}", String::from_utf8_lossy(&once), String::from_utf8_lossy(&twice));
}

const RESPONSE_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25">"#;

#[test]
fn damaged_responses_never_panic() {
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3000);
    let inputs: Vec<Vec<u8>> = [
        "retrieve_service_content.xml",
        "login.xml",
        "login_failure.xml",
        "retrieve_properties_ex_session_manager.xml",
        "set_locale_method_not_found.xml",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut err) = (0, 0);
    for i in 0..cases {
        let input = &inputs[i % inputs.len()];
        let damaged = mutate(&mut rng, input);
        for strict in [false, true] {
            let o = DecodeOptions { strict };
            let properties = decode_response::<methods::RetrievePropertiesEx>(&damaged, &o);
            if let Ok(result) = &properties {
                written_back_twice_is_the_same(result, &o);
            }
            let results = [
                decode_response::<methods::RetrieveServiceContent>(&damaged, &o).is_ok(),
                decode_response::<methods::Login>(&damaged, &o).is_ok(),
                properties.is_ok(),
            ];
            for r in results {
                if r { ok += 1 } else { err += 1 }
            }
        }
    }
    // Both outcomes occur: the damage is real and the decoder still reads what it can.
    assert!(ok > 0 && err > 0, "ok {ok}, err {err}");
}

//! The server side of the bindings on arbitrary bytes: `Call::parse` (envelope, operation,
//! `_this`) and then the generated `serve` of SessionManager / PropertyCollector /
//! ServiceInstance, which decodes the parameters of whichever method the bytes name. The
//! server answers every method with its default (`NotImplemented`), so what is exercised is
//! the request decoding and the reply encoding. Must hold: no panic; a reply is a result, a
//! fault, an invalid-request or an unknown-method answer.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use vim_types::server::{Call, Reply};
use vim_types::*;

/// A server with every method left at its default.
struct Defaults;
impl ServiceInstanceServer for Defaults {}
impl SessionManagerServer for Defaults {}
impl PropertyCollectorServer for Defaults {}

/// The generated futures never wait here: poll once.
fn now<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a serve future waited"),
    }
}

fuzz_target!(|data: &[u8]| {
    let limits = vim_types::xml::Limits { max_depth: 64, max_text: 1 << 20 };
    let Ok((this, call)) = Call::parse(data, limits) else { return };
    let ctx = CallContext {
        session_key: None,
        user_name: None,
        locale: "en".into(),
        version: vim_types::API.latest(),
        client_ip: None,
        user_agent: None,
    };
    let reply = now(async {
        match this.type_name.as_str() {
            "SessionManager" => SessionManager::serve(&Defaults, &ctx, MoRef::from_untyped(this), call).await,
            "PropertyCollector" => PropertyCollector::serve(&Defaults, &ctx, MoRef::from_untyped(this), call).await,
            _ => ServiceInstance::serve(&Defaults, &ctx, MoRef::from_untyped(this), call).await,
        }
    });
    if let Reply::Response(body) | Reply::Fault { envelope: body, .. } = &reply {
        assert!(std::str::from_utf8(body).is_ok(), "a reply is UTF-8");
    }
});

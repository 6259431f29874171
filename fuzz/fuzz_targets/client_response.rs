//! The client side of the bindings on arbitrary bytes: `soap::decode_response` of the methods
//! a session makes (the first byte picks one, and lenient or strict), as the client decodes
//! what a server answers. Must hold: no panic; an error's offset lies within the input; and a
//! decoded result, written back as a response (`server::response_envelope`) and decoded
//! again, writes the same bytes a second time (what one pass keeps, the next keeps too;
//! bytes, not values, are compared, so that a NaN does not count as a difference).
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use vim_types::server::response_envelope;
use vim_types::soap::{decode_response, DecodeOptions};
use vim_types::*;

fn check<M: ServeMethod>(body: &[u8], options: &DecodeOptions)
where
    M::Response: Debug,
    M::Fault: Debug,
{
    let value = match decode_response::<M>(body, options) {
        Ok(v) => v,
        Err(Error::Decode(e)) => {
            assert!(e.offset <= body.len() as u64, "error offset {} beyond {} bytes", e.offset, body.len());
            return;
        }
        Err(_) => return,
    };
    let once = response_envelope::<M>(&value);
    let again = match decode_response::<M>(&once, options) {
        Ok(v) => v,
        Err(e) => panic!("our own encoding of {value:?} does not decode: {e:?}\n{}", String::from_utf8_lossy(&once)),
    };
    let twice = response_envelope::<M>(&again);
    assert!(
        once == twice,
        "a second round trip changed the bytes:\n{}\n{}",
        String::from_utf8_lossy(&once),
        String::from_utf8_lossy(&twice)
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let options = DecodeOptions { strict: pick & 0x80 != 0 };
    match pick & 0x7f {
        0 => check::<methods::RetrieveServiceContent>(body, &options),
        1 => check::<methods::Login>(body, &options),
        2 => check::<methods::RetrieveProperties>(body, &options),
        3 => check::<methods::RetrievePropertiesEx>(body, &options),
        4 => check::<methods::ContinueRetrievePropertiesEx>(body, &options),
        5 => check::<methods::SessionIsActive>(body, &options),
        6 => check::<methods::AcquireCloneTicket>(body, &options),
        7 => check::<methods::CurrentTime>(body, &options),
        8 => check::<methods::AcquireGenericServiceTicket>(body, &options),
        _ => check::<methods::Logout>(body, &options),
    }
});

//! SOAP 1.1 envelopes for method calls: the request a client POSTs to `/sdk`, and the
//! decoding of the response (the result, or the fault typed by the method's faults).

use std::borrow::Cow;

use crate::xml::{Decode, DecodeError, DecodeReport, Elem, Reader, Writer};
use crate::{Error, ManagedObjectReference, Method};

const ENVELOPE_OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" "#,
    r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "<soapenv:Body>"
);
const ENVELOPE_CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// How to decode responses.
#[derive(Clone, Debug, Default)]
pub struct DecodeOptions {
    /// A required field the server left out is an error (default: its default value, and
    /// a note in the report).
    pub strict: bool,
}

/// The complete SOAP envelope for a call (UTF-8 bytes).
pub fn request_body<M: Method>(this: &ManagedObjectReference, request: &M::Request<'_>) -> Vec<u8> {
    let mut w = Writer::new();
    w.buf.extend_from_slice(ENVELOPE_OPEN.as_bytes());
    let op = M::INFO.wsdl_name;
    w.buf.push(b'<');
    w.buf.extend_from_slice(op.as_bytes());
    w.buf.extend_from_slice(b" xmlns=\"urn:vim25\">");
    w.field("_this", this);
    M::encode_request(request, &mut w);
    w.close(op);
    w.buf.extend_from_slice(ENVELOPE_CLOSE.as_bytes());
    w.buf
}

/// Decodes a response body (HTTP 200, or 500 with a SOAP fault): the method's result, or
/// `Error::Fault` with the typed fault, or `Error::Decode` for a malformed body.
pub fn decode_response<M: Method>(body: &[u8], options: &DecodeOptions) -> Result<M::Response, Error<M::Fault>> {
    decode_response_with_report::<M>(body, options).0
}

/// As [`decode_response`], with what decoding met that the bindings did not expect
/// (unknown elements and classes, missing required fields).
pub fn decode_response_with_report<M: Method>(
    body: &[u8],
    options: &DecodeOptions,
) -> (Result<M::Response, Error<M::Fault>>, DecodeReport) {
    let mut r = match Reader::new(body) {
        Ok(r) => r,
        Err(e) => return (Err(Error::Decode(e)), DecodeReport::default()),
    };
    r.strict = options.strict;
    let result = (|| -> Result<Result<M::Response, Error<M::Fault>>, DecodeError> {
        let body = body_content(&mut r)?;
        if body.name == "Fault" {
            return Ok(Err(fault(&mut r, &body)?));
        }
        Ok(Ok(M::decode_response(&mut r, &body)?))
    })();
    let report = std::mem::take(&mut r.report);
    match result {
        Ok(v) => (v, report),
        Err(e) => (Err(Error::Decode(e)), report),
    }
}

/// Reads up to the first element inside `<Body>`.
fn body_content<'a>(r: &mut Reader<'a>) -> Result<Elem<'a>, DecodeError> {
    let env = r.root()?;
    if env.name != "Envelope" {
        return Err(r.error(format!("expected a SOAP Envelope, found <{}>", env.name)));
    }
    while let Some(c) = r.child()? {
        if c.name == "Body" {
            if c.empty {
                return Err(r.error("empty SOAP Body"));
            }
            return match r.child()? {
                Some(first) => Ok(first),
                None => Err(r.error("empty SOAP Body")),
            };
        }
        r.skip(&c)?;
    }
    Err(r.error("no SOAP Body"))
}

/// A SOAP Fault: the typed fault from `detail`, or the code and message when there is none.
fn fault<'a, F: Decode>(r: &mut Reader<'a>, f: &Elem<'a>) -> Result<Error<F>, DecodeError> {
    let (mut code, mut message, mut typed) = (String::new(), String::new(), None);
    while let Some(c) = if f.empty { None } else { r.child()? } {
        match c.name {
            "faultcode" => code = r.text(&c)?.into_owned(),
            "faultstring" => message = r.text(&c)?.into_owned(),
            "detail" if !c.empty => {
                while let Some(d) = r.child()? {
                    if typed.is_none() {
                        typed = Some(detail_fault(r, &d)?);
                    } else {
                        r.skip_unknown(&d)?;
                    }
                }
            }
            _ => r.skip(&c)?,
        }
    }
    Ok(match typed {
        Some(t) => Error::Fault(t),
        None => Error::ServerFault { code, message },
    })
}

/// The fault in `<detail>`: its class is `xsi:type`, else the element name
/// (`InvalidLoginFault` -> `InvalidLogin`).
fn detail_fault<'a, F: Decode>(r: &mut Reader<'a>, d: &Elem<'a>) -> Result<F, DecodeError> {
    if d.xsi_type.is_some() {
        return r.read(d);
    }
    let class = d.name.strip_suffix("Fault").unwrap_or(d.name);
    let typed = Elem { xsi_type: Some(Cow::Borrowed(class)), ..d.clone() };
    r.read(&typed)
}

//! The server side of SOAP: a request read up to its operation and `_this`, and the reply a
//! generated `serve` function (`SessionManager::serve`) writes for it. Nothing here knows
//! HTTP, sessions or privileges: that is the dispatcher's job (crate `vim-server`).

use std::future::Future;

use crate::xml::{DecodeError, Elem, Encode, Limits, Reader, Writer};
use crate::{ManagedObjectReference, ServeMethod};

const ENVELOPE_OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    "\n",
    r#"<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" "#,
    r#"xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" "#,
    r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "\n<soapenv:Body>\n"
);
const ENVELOPE_CLOSE: &str = "\n</soapenv:Body>\n</soapenv:Envelope>";

/// A method call as a server receives it: the operation element, its `_this` already read;
/// the parameters are decoded by the method that serves it.
pub struct Call<'a> {
    reader: Reader<'a>,
    operation: Elem<'a>,
}

/// What became of a call.
#[derive(Debug)]
pub enum Reply {
    /// The method's result: a whole envelope, for HTTP 200.
    Response(Vec<u8>),
    /// The method's fault: a whole envelope, for HTTP 500, and the fault's class (for logs).
    Fault { envelope: Vec<u8>, fault_type: String },
    /// The request could not be decoded (a missing required parameter, a malformed value):
    /// the dispatcher answers with its `InvalidRequest` fault.
    Invalid(DecodeError),
    /// The object's type has no such method (the dispatcher answers `MethodNotFound`).
    UnknownMethod(String),
}

impl<'a> Call<'a> {
    /// Reads a request envelope up to the operation element and its `_this` reference.
    /// Limits bound the nesting depth and the text sizes of the whole request.
    pub fn parse(body: &'a [u8], limits: Limits) -> Result<(ManagedObjectReference, Call<'a>), DecodeError> {
        let mut r = Reader::new(body)?.with_limits(limits);
        // A request is taken as it is written: a missing required field is an error.
        r.strict = true;
        let env = r.root()?;
        if env.name != "Envelope" || env.empty {
            return Err(r.error(format!("expected a SOAP Envelope, found <{}>", env.name)));
        }
        let operation = loop {
            let Some(c) = r.child()? else { return Err(r.error("no SOAP Body")) };
            if c.name != "Body" {
                r.skip(&c)?;
                continue;
            }
            match (c.empty, if c.empty { None } else { r.child()? }) {
                (false, Some(op)) => break op,
                _ => return Err(r.error("empty SOAP Body")),
            }
        };
        if operation.empty {
            return Err(r.error(format!("{}: no _this", operation.name)));
        }
        let this = match r.child()? {
            Some(t) if t.name == "_this" => {
                let type_name = t.type_attr.as_deref().unwrap_or_default().to_string();
                let value = r.text(&t)?.into_owned();
                ManagedObjectReference { type_name, value }
            }
            _ => return Err(r.error(format!("{}: the first parameter must be _this", operation.name))),
        };
        Ok((this, Call { reader: r, operation }))
    }

    /// The SOAP operation (`Login`, `PowerOnVM_Task`).
    pub fn operation(&self) -> &'a str {
        self.operation.name
    }

    /// Decodes the parameters of `M`, runs `f` on them (the server trait's method), and
    /// encodes its result or fault.
    pub async fn run<M: ServeMethod, F>(mut self, f: impl FnOnce(M::Args) -> F) -> Reply
    where
        F: Future<Output = Result<M::Response, M::Fault>>,
    {
        let args = match M::decode_args(&mut self.reader, &self.operation) {
            Ok(a) => a,
            Err(e) => return Reply::Invalid(e),
        };
        drop(self);
        match f(args).await {
            Ok(v) => Reply::Response(response_envelope::<M>(&v)),
            Err(fault) => Reply::fault(&fault),
        }
    }

    /// The text of the one parameter `name` of an operation the API does not describe
    /// (`Fetch`'s `prop`).
    pub fn single_text_arg(mut self, name: &str) -> Result<String, DecodeError> {
        let mut value = None;
        if !self.operation.empty {
            while let Some(c) = self.reader.child()? {
                if c.name == name && value.is_none() {
                    value = Some(self.reader.text(&c)?.into_owned());
                } else {
                    self.reader.skip_unknown(&c)?;
                }
            }
        }
        crate::xml::required_arg(&self.reader, value, self.operation.name, name)
    }

    /// The text of each parameter `names` lists (`None` when absent), in that order; other
    /// parameters are skipped. For a method served without generated code, whose parameters
    /// are plain text (a hand-written endpoint's `Login`).
    pub fn text_params(mut self, names: &[&str]) -> Result<Vec<Option<String>>, DecodeError> {
        let mut values = vec![None; names.len()];
        if !self.operation.empty {
            while let Some(c) = self.reader.child()? {
                match names.iter().position(|n| *n == c.name) {
                    Some(i) if values[i].is_none() => values[i] = Some(self.reader.text(&c)?.into_owned()),
                    _ => self.reader.skip_unknown(&c)?,
                }
            }
        }
        Ok(values)
    }

    /// The answer when no method of the object's type has this name.
    pub fn unknown_method(self) -> Reply {
        Reply::UnknownMethod(self.operation.name.to_string())
    }
}

impl Reply {
    /// A fault reply whose message is the usual one for its class.
    pub fn fault<F: Encode + ?Sized>(fault: &F) -> Reply {
        let fault_type = fault.xsi_type().unwrap_or("MethodFault").to_string();
        Reply::Fault { envelope: fault_envelope(fault, &fault_message(&fault_type)), fault_type }
    }
}

/// A response envelope around what `body` writes.
pub fn envelope(body: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    w.buf.extend_from_slice(ENVELOPE_OPEN.as_bytes());
    body(&mut w);
    w.buf.extend_from_slice(ENVELOPE_CLOSE.as_bytes());
    w.buf
}

/// `<XxxResponse xmlns="urn:vim25">` with the method's result, in an envelope.
pub fn response_envelope<M: ServeMethod>(response: &M::Response) -> Vec<u8> {
    envelope(|w| {
        let op = M::INFO.wsdl_name;
        w.buf.push(b'<');
        w.buf.extend_from_slice(op.as_bytes());
        w.buf.extend_from_slice(b"Response xmlns=\"urn:vim25\">");
        M::encode_response(response, w);
        w.buf.extend_from_slice(b"</");
        w.buf.extend_from_slice(op.as_bytes());
        w.buf.extend_from_slice(b"Response>");
    })
}

/// A SOAP fault as vCenter writes it: `ServerFaultCode`, a message, and in `<detail>` the
/// fault as `<{Class}Fault xmlns="urn:vim25" xsi:type="{Class}">`.
pub fn fault_envelope<F: Encode + ?Sized>(fault: &F, message: &str) -> Vec<u8> {
    // The class names an element: a name that is not a plain identifier (an unknown
    // subclass's, as some server sent it) is written as its root class.
    let class =
        fault.xsi_type().filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).unwrap_or("MethodFault");
    envelope(|w| fault_body(w, fault, class, message))
}

fn fault_body<F: Encode + ?Sized>(w: &mut Writer, fault: &F, class: &str, message: &str) {
    w.buf.extend_from_slice(b"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>");
    w.escaped(message);
    w.buf.extend_from_slice(b"</faultstring><detail><");
    w.buf.extend_from_slice(class.as_bytes());
    w.buf.extend_from_slice(b"Fault xmlns=\"urn:vim25\" xsi:type=\"");
    w.escaped(class);
    w.buf.extend_from_slice(b"\">");
    fault.encode_content(w);
    w.buf.extend_from_slice(b"</");
    w.buf.extend_from_slice(class.as_bytes());
    w.buf.extend_from_slice(b"Fault></detail></soapenv:Fault>");
}

/// The `faultstring` for a fault class: vCenter's wording for the common ones (clients show
/// it to users), else the class name.
pub fn fault_message(class: &str) -> String {
    match class {
        "InvalidLogin" => "Cannot complete login due to an incorrect user name or password.".into(),
        "NotAuthenticated" => "The session is not authenticated.".into(),
        "NoPermission" => "Permission to perform this operation was denied.".into(),
        "InvalidArgument" => "A specified parameter was not correct.".into(),
        "InvalidRequest" => "The request was malformed.".into(),
        "InvalidLocale" => "The locale is invalid or unknown to the server.".into(),
        "NotFound" => "The object or item referred to could not be found.".into(),
        "ManagedObjectNotFound" => "The object has already been deleted or has not been completely created".into(),
        "MethodNotFound" => "The method is not known to the object.".into(),
        "NotImplemented" => "The operation is not implemented.".into(),
        "NotSupported" => "The operation is not supported on the object.".into(),
        other => format!("{other} fault"),
    }
}

/// The faults any vSphere server raises on its own, whatever API it was generated from:
/// the ones a dispatcher answers with before a method runs (no session, a missing privilege,
/// an unknown method or object, an unreadable request) and the common ones of session
/// methods. Written exactly as a generated crate writes the same class (its fields, in the
/// same order), so a server needs no generated type to raise them and any generated client
/// decodes them as its own classes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StandardFault {
    /// `InvalidRequest`: the request could not be read.
    InvalidRequest,
    /// `RuntimeFault`: the server failed (a timeout, an internal error).
    RuntimeFault,
    /// `MethodNotFound`: the object's type has no such method (in the caller's version).
    MethodNotFound { receiver: ManagedObjectReference, method: String },
    /// `NotAuthenticated`: the call needs a session.
    NotAuthenticated { object: ManagedObjectReference, privilege_id: String },
    /// `NoPermission`: the caller's role lacks the privilege.
    NoPermission { object: ManagedObjectReference, privilege_id: String },
    /// `ManagedObjectNotFound`: no such object.
    ManagedObjectNotFound { obj: ManagedObjectReference },
    /// `InvalidArgument`: a parameter is wrong (naming it, when known).
    InvalidArgument { invalid_property: Option<String> },
    /// `InvalidProperty`: no such property.
    InvalidProperty { name: String },
    /// `InvalidLogin`: a wrong user name or password.
    InvalidLogin,
    /// `NotFound`: a named item does not exist.
    NotFound,
    /// `NotSupported`: the server does not do this.
    NotSupported,
    /// `NotImplemented`: the server does not implement this.
    NotImplemented,
}

impl StandardFault {
    /// The fault's class (its `xsi:type`).
    pub fn class(&self) -> &'static str {
        match self {
            StandardFault::InvalidRequest => "InvalidRequest",
            StandardFault::RuntimeFault => "RuntimeFault",
            StandardFault::MethodNotFound { .. } => "MethodNotFound",
            StandardFault::NotAuthenticated { .. } => "NotAuthenticated",
            StandardFault::NoPermission { .. } => "NoPermission",
            StandardFault::ManagedObjectNotFound { .. } => "ManagedObjectNotFound",
            StandardFault::InvalidArgument { .. } => "InvalidArgument",
            StandardFault::InvalidProperty { .. } => "InvalidProperty",
            StandardFault::InvalidLogin => "InvalidLogin",
            StandardFault::NotFound => "NotFound",
            StandardFault::NotSupported => "NotSupported",
            StandardFault::NotImplemented => "NotImplemented",
        }
    }

    /// The whole SOAP fault envelope, with the usual message for the class.
    pub fn envelope(&self) -> Vec<u8> {
        fault_envelope(self, &fault_message(self.class()))
    }
}

impl Encode for StandardFault {
    fn xsi_type(&self) -> Option<&str> {
        Some(self.class())
    }

    /// The class's own fields; the inherited `MethodFault` ones (`faultCause`,
    /// `faultMessage`) are unset and so not written, as a generated struct leaves them.
    fn encode_content(&self, w: &mut Writer) {
        match self {
            StandardFault::MethodNotFound { receiver, method } => {
                w.field("receiver", receiver);
                w.field("method", method);
            }
            StandardFault::NotAuthenticated { object, privilege_id } | StandardFault::NoPermission { object, privilege_id } => {
                w.field("object", object);
                w.field("privilegeId", privilege_id);
            }
            StandardFault::ManagedObjectNotFound { obj } => w.field("obj", obj),
            StandardFault::InvalidArgument { invalid_property } => w.opt("invalidProperty", invalid_property),
            StandardFault::InvalidProperty { name } => w.field("name", name),
            StandardFault::InvalidRequest
            | StandardFault::RuntimeFault
            | StandardFault::InvalidLogin
            | StandardFault::NotFound
            | StandardFault::NotSupported
            | StandardFault::NotImplemented => {}
        }
    }
}

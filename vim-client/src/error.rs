//! One error type for `?` across calls: every method's `vim_runtime::Error<XFault>`
//! converts into [`Error`], which keeps the typed fault (get it back with
//! [`Error::fault`]) and its class name.

use std::any::Any;
use std::fmt;
use std::time::Duration;

use vim_runtime::xml::{DecodeError, Encode, Writer};
use vim_runtime::DateTimeError;

use crate::wire::{fault_field, RawFault};

/// A typed fault, kept for [`Error::fault`].
pub trait FaultValue: Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> FaultValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What went wrong in a call or a helper.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A fault from the server (a call's, or a failed task's).
    Fault {
        /// The fault's class (`InvalidPowerState`).
        class: String,
        /// The fault as the server wrote it (its fields, for messages and `privilegeId`).
        xml: String,
        /// The typed fault (the method's fault enum): [`Error::fault`].
        fault: Box<dyn FaultValue>,
        /// The task that failed, for a task's fault.
        task: Option<String>,
    },
    /// A SOAP fault without a typed detail.
    ServerFault { code: String, message: String },
    /// The method is newer than the negotiated API version.
    VersionTooOld { method: &'static str, since: String, negotiated: String },
    /// The call sets a parameter (its wire name) newer than the negotiated API version.
    ParameterTooNew { method: &'static str, parameter: &'static str, since: String, negotiated: String },
    /// A property (`owner`'s, as its path names it) newer than the negotiated API version.
    PropertyTooNew { owner: &'static str, path: String, since: String, negotiated: String },
    /// A response that could not be decoded.
    Decode(DecodeError),
    /// Transport, TLS or HTTP trouble.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// A property the server did not return for lack of a privilege.
    NoPrivilege { object: String, path: String, privilege: Option<String>, class: String },
    /// A property that is not set on the object.
    Unset { object: String, path: String },
    /// A reference of another type than the one wanted.
    WrongType { object: String, wanted: &'static str },
    /// Nothing at an inventory path, or of that name.
    NotFound(String),
    /// A wait that did not end in time.
    Timeout { what: String, after: Duration },
    /// An `xsd:dateTime` that is not one.
    Time(DateTimeError),
    /// Anything else (a message).
    Other(String),
}

impl Error {
    /// The typed fault, if this is a fault of type `F` (a method's fault enum, such as
    /// `PowerOnVMFault`).
    pub fn fault<F: Any>(&self) -> Option<&F> {
        match self {
            Error::Fault { fault, .. } => (**fault).as_any().downcast_ref(),
            _ => None,
        }
    }

    /// The fault's class name (`InvalidPowerState`, `NoPermission`), for a fault.
    pub fn fault_class(&self) -> Option<&str> {
        match self {
            Error::Fault { class, .. } => Some(class),
            Error::NoPrivilege { class, .. } => Some(class),
            _ => None,
        }
    }

    /// The privilege the server says is missing (a `NoPermission` fault's `privilegeId`, or a
    /// property's privilege).
    pub fn privilege(&self) -> Option<&str> {
        match self {
            Error::NoPrivilege { privilege, .. } => privilege.as_deref(),
            _ => None,
        }
    }

    /// A field of the fault as the server wrote it (`privilegeId`, `faultMessage`).
    pub fn fault_field(&self, name: &str) -> Option<String> {
        match self {
            Error::Fault { xml, .. } => fault_field(xml, name),
            _ => None,
        }
    }

    pub(crate) fn from_typed<F: Encode + FaultValue>(f: F, task: Option<String>) -> Error {
        let class = f.xsi_type().unwrap_or("MethodFault").to_string();
        let mut w = Writer::new();
        f.encode(&mut w, "fault");
        let xml = String::from_utf8_lossy(&w.buf).into_owned();
        // A fault read by the helpers' own calls is already raw: keep it as it came.
        let fault: Box<dyn FaultValue> = Box::new(f);
        let xml = match (*fault).as_any().downcast_ref::<RawFault>() {
            Some(raw) => raw.xml.clone(),
            None => xml,
        };
        Error::Fault { class, xml, fault, task }
    }
}

impl<F: Encode + FaultValue> From<vim_runtime::Error<F>> for Error {
    fn from(e: vim_runtime::Error<F>) -> Error {
        match e {
            vim_runtime::Error::Fault(f) => Error::from_typed(f, None),
            vim_runtime::Error::VersionTooOld { method, since, negotiated } => {
                Error::VersionTooOld { method, since: since.version().to_string(), negotiated: negotiated.version().to_string() }
            }
            vim_runtime::Error::ParameterTooNew { method, parameter, since, negotiated } => Error::ParameterTooNew {
                method,
                parameter,
                since: since.version().to_string(),
                negotiated: negotiated.version().to_string(),
            },
            vim_runtime::Error::ServerFault { code, message } => Error::ServerFault { code, message },
            vim_runtime::Error::Decode(d) => Error::Decode(d),
            // A helper's own error that travelled inside a typed call's error.
            vim_runtime::Error::Transport(t) => match t.downcast::<Error>() {
                Ok(e) => *e,
                Err(t) => Error::Transport(t),
            },
        }
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Error {
        Error::Decode(e)
    }
}

impl From<DateTimeError> for Error {
    fn from(e: DateTimeError) -> Error {
        Error::Time(e)
    }
}

impl From<crate::ConnectError> for Error {
    fn from(e: crate::ConnectError) -> Error {
        Error::Transport(Box::new(e))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fault { class, task: Some(t), .. } => write!(f, "task {t} failed: {class}"),
            Error::Fault { class, .. } => write!(f, "server fault {class}"),
            Error::ServerFault { code, message } => write!(f, "server fault {code}: {message}"),
            Error::VersionTooOld { method, since, negotiated } => {
                write!(f, "{method} needs API {since} but the server speaks {negotiated}")
            }
            Error::ParameterTooNew { method, parameter, since, negotiated } => {
                write!(f, "{method}'s parameter `{parameter}` needs API {since} but the server speaks {negotiated}")
            }
            Error::PropertyTooNew { owner, path, since, negotiated } => {
                write!(f, "{owner}.{path} needs API {since} but the server speaks {negotiated}")
            }
            Error::Decode(e) => write!(f, "undecodable response: {e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::NoPrivilege { object, path, privilege: Some(p), .. } => write!(f, "{object}: reading {path} needs privilege {p}"),
            Error::NoPrivilege { object, path, privilege: None, class } => write!(f, "{object}: {path} not readable ({class})"),
            Error::Unset { object, path } => write!(f, "{object}: {path} is not set"),
            Error::WrongType { object, wanted } => write!(f, "{object} is not a {wanted}"),
            Error::NotFound(what) => write!(f, "not found: {what}"),
            Error::Timeout { what, after } => write!(f, "{what} did not end within {after:?}"),
            Error::Time(e) => e.fmt(f),
            Error::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode(e) => Some(e),
            Error::Transport(e) => Some(&**e),
            Error::Time(e) => Some(e),
            _ => None,
        }
    }
}

/// `Result` with the common [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! A method call as types: [`Method`] (and [`ServeMethod`] for servers), how it fails
//! ([`Error`]), what sends it ([`Invoke`]) and what a server knows of it ([`CallContext`]).

use std::fmt;

use crate::meta::{ApiVersion, MethodInfo};
use crate::values::ManagedObjectReference;
use crate::xml::{Decode, DecodeError, Elem, Encode, Reader, Writer};

/// One API method as a type: what it takes, returns and may raise. Generated for every
/// method (`methods::Login`); the SOAP runtime encodes `Request` and decodes the rest.
pub trait Method: 'static {
    /// The parameters, borrowed from the caller.
    type Request<'a>: Send + Sync;
    /// The result (`()` for void methods).
    type Response: Send + 'static;
    /// The method's declared faults plus the runtime faults any method may raise. It decodes
    /// from a SOAP fault's `<detail>` child (any fault class of the API) and a server writes
    /// it back there.
    type Fault: Decode + Encode + Send + 'static;
    const INFO: MethodInfo;
    /// Writes the request's parameters (the children of the operation element, after `_this`).
    fn encode_request(request: &Self::Request<'_>, w: &mut Writer);
    /// Reads the result from the `<XxxResponse>` element.
    fn decode_response<'a>(r: &mut Reader<'a>, response: &Elem<'a>) -> Result<Self::Response, DecodeError>;
    /// Of the parameters `request` sets that are newer than the method itself, the newest,
    /// with the version that added it (its wire name, `spec`): a client refuses the call when
    /// that version is newer than the one it negotiated ([`Error::ParameterTooNew`]), since an
    /// older server would reject or ignore the parameter. Generated only for methods that
    /// have such parameters; `None` for the others.
    fn newest_param_set(request: &Self::Request<'_>) -> Option<(&'static str, ApiVersion)> {
        let _ = request;
        None
    }
}

/// The server's half of a [`Method`]: its parameters as a server receives them, and its
/// result written back. A separate trait so that a generated crate compiles it only with its
/// `server` feature while the runtime stays the same for clients and servers.
pub trait ServeMethod: Method {
    /// The parameters, owned, in declaration order.
    type Args: Send + 'static;
    /// Reads the parameters from the operation element (after `_this`).
    fn decode_args<'a>(r: &mut Reader<'a>, request: &Elem<'a>) -> Result<Self::Args, DecodeError>;
    /// Writes the result (the children of the `<XxxResponse>` element).
    fn encode_response(response: &Self::Response, w: &mut Writer);
}

/// Why a call failed: the server answered with a fault, or the call never completed.
#[derive(Debug)]
pub enum Error<F> {
    /// A SOAP fault from the server, typed by the method's faults.
    Fault(F),
    /// The method is newer than the API version negotiated with the server.
    VersionTooOld { method: &'static str, since: ApiVersion, negotiated: ApiVersion },
    /// The call sets a parameter (its wire name) newer than the API version negotiated with
    /// the server, though the method itself is not: refused before sending.
    ParameterTooNew { method: &'static str, parameter: &'static str, since: ApiVersion, negotiated: ApiVersion },
    /// A SOAP fault without a typed `detail` (the server's code and message).
    ServerFault { code: String, message: String },
    /// The response could not be decoded.
    Decode(DecodeError),
    /// Transport, TLS or HTTP trouble: not an API fault.
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

impl<F: fmt::Debug> fmt::Display for Error<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fault(x) => write!(f, "server fault: {x:?}"),
            Error::VersionTooOld { method, since, negotiated } => {
                write!(f, "{method} needs API {} but the server speaks {}", since.version(), negotiated.version())
            }
            Error::ParameterTooNew { method, parameter, since, negotiated } => {
                write!(f, "{method}'s parameter `{parameter}` needs API {} but the server speaks {}", since.version(), negotiated.version())
            }
            Error::ServerFault { code, message } => write!(f, "server fault {code}: {message}"),
            Error::Decode(e) => write!(f, "undecodable response: {e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl<F: fmt::Debug> std::error::Error for Error<F> {}

/// Sends a method call to a server. The SOAP client implements it; every generated client
/// trait (`SessionManagerClient`, ...) is implemented for every `Invoke`.
pub trait Invoke: Send + Sync {
    fn invoke<M: Method>(
        &self,
        this: ManagedObjectReference,
        request: M::Request<'_>,
    ) -> impl std::future::Future<Output = Result<M::Response, Error<M::Fault>>> + Send;
}

/// What a server implementation learns about a call besides its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallContext {
    /// The session key from the `vmware_soap_session` cookie, if the caller has a session.
    pub session_key: Option<String>,
    /// The logged-in user, if any.
    pub user_name: Option<String>,
    /// The session's locale (`en`).
    pub locale: String,
    /// The API version the caller asked for (from `SOAPAction`).
    pub version: ApiVersion,
    /// The caller's address (`UserSession.ipAddress`).
    pub client_ip: Option<String>,
    /// The caller's `User-Agent` (`UserSession.userAgent`).
    pub user_agent: Option<String>,
}

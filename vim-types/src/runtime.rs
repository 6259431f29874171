//! Hand-written support types the generated code is built on. Everything under
//! `src/generated/` refers to these; nothing here depends on the generated code.

use std::fmt;
use std::marker::PhantomData;

/// A managed object type (the zero-sized markers `SessionManager`, `Folder`, ...).
pub trait ManagedObject: 'static {
    /// The `type` attribute its references carry (`SessionManager`, `HostAutoStartManager`).
    const WSDL_NAME: &'static str;
    /// Its methods, sorted by name (inherited ones are on the base types).
    const METHODS: &'static [MethodInfo];
    /// Its own properties, in declaration order.
    const PROPERTIES: &'static [PropertyInfo];
    /// The WSDL name of its base managed object (`None` for the roots).
    const BASE: Option<&'static str>;
}

/// `Self` is `B` or inherits from it: a `MoRef<Self>` may be used where a `MoRef<B>` is
/// expected (`Folder: IsA<ManagedEntity>`).
pub trait IsA<B: ManagedObject>: ManagedObject {}

/// A reference to a managed object whose type is known statically: a `MoRef<SessionManager>`
/// cannot be passed where a `MoRef<Folder>` is wanted. The `type` attribute the server sent is
/// kept, so a `MoRef<ManagedEntity>` still says whether it points at a `Folder` or a
/// `VirtualMachine`.
pub struct MoRef<T: ?Sized> {
    /// The `type` attribute (the object's own WSDL name; may name a subtype of `T`).
    pub type_name: String,
    /// The server's identifier (`session-manager`, `vm-42`).
    pub value: String,
    _type: PhantomData<fn() -> T>,
}

impl<T: ManagedObject> MoRef<T> {
    /// A reference to an object of exactly type `T`.
    pub fn new(value: impl Into<String>) -> MoRef<T> {
        MoRef { type_name: T::WSDL_NAME.to_string(), value: value.into(), _type: PhantomData }
    }

    /// The same reference, typed as one of `T`'s bases.
    pub fn upcast<B: ManagedObject>(&self) -> MoRef<B>
    where
        T: IsA<B>,
    {
        MoRef { type_name: self.type_name.clone(), value: self.value.clone(), _type: PhantomData }
    }

    /// The untyped reference.
    pub fn untyped(&self) -> ManagedObjectReference {
        ManagedObjectReference { type_name: self.type_name.clone(), value: self.value.clone() }
    }
}

impl<T: ?Sized> MoRef<T> {
    /// Types an untyped reference. The caller vouches that it points at a `T` (or a subtype):
    /// the server's `type` attribute is kept as it is.
    pub fn from_untyped(r: ManagedObjectReference) -> MoRef<T> {
        MoRef { type_name: r.type_name, value: r.value, _type: PhantomData }
    }
}

impl<T: ?Sized> Clone for MoRef<T> {
    fn clone(&self) -> Self {
        MoRef { type_name: self.type_name.clone(), value: self.value.clone(), _type: PhantomData }
    }
}
impl<T: ?Sized> PartialEq for MoRef<T> {
    fn eq(&self, other: &Self) -> bool {
        self.type_name == other.type_name && self.value == other.value
    }
}
impl<T: ?Sized> Eq for MoRef<T> {}
impl<T: ?Sized> std::hash::Hash for MoRef<T> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.type_name.hash(h);
        self.value.hash(h);
    }
}
impl<T: ?Sized> fmt::Debug for MoRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.type_name, self.value)
    }
}
impl<T: ?Sized> Default for MoRef<T> {
    fn default() -> Self {
        MoRef { type_name: String::new(), value: String::new(), _type: PhantomData }
    }
}

/// A reference to a managed object of any type (`vmodl.ManagedObject` in the API).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ManagedObjectReference {
    /// The `type` attribute (`VirtualMachine`).
    pub type_name: String,
    pub value: String,
}

/// An `xsd:dateTime` as the server wrote it (`2026-11-28T04:07:52.123Z`). Kept in its
/// lexical form so that nothing is lost; the SOAP runtime parses it on request.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub String);

/// A value of a subclass the bindings do not know (a newer server's type): its `xsi:type`,
/// the fields of the nearest known base `B`, and the element's XML as received.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnknownSubtype<B> {
    /// The `xsi:type` the server sent.
    pub type_name: String,
    /// The fields the base type knows.
    pub base: B,
    /// The whole element, so nothing is dropped.
    pub xml: String,
}

/// A privilege id as a type (`Privilege::SessionsTerminateSession` is
/// `Sessions.TerminateSession`); generated as an enum over every id in the spec.
pub use crate::generated::Privilege;
/// An API version (`vim.version.version9` is vSphere API 5.5); generated from `vim.version.md`.
pub use crate::generated::ApiVersion;

/// What the API says about one method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    /// The name the documentation uses (`PowerOnVM`).
    pub name: &'static str,
    /// The SOAP operation (`PowerOnVM_Task`).
    pub wsdl_name: &'static str,
    /// The WSDL name of the managed object that owns it.
    pub owner: &'static str,
    /// The privilege a caller needs on the object; `None` where none is fixed.
    pub privilege: Option<Privilege>,
    /// The version that introduced it.
    pub since: ApiVersion,
    /// The faults it declares (WSDL names), sorted.
    pub faults: &'static [&'static str],
}

/// What the API says about one managed object type: one row of
/// [`MANAGED_OBJECTS`](crate::MANAGED_OBJECTS), for code that meets types by name (a
/// dispatcher reading a reference's `type` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedObjectInfo {
    pub wsdl_name: &'static str,
    /// Its own methods (see [`ManagedObjectInfo::method`] for inherited ones).
    pub methods: &'static [MethodInfo],
    /// Its own properties.
    pub properties: &'static [PropertyInfo],
    pub base: Option<&'static str>,
}

impl ManagedObjectInfo {
    /// The managed object type with this WSDL name.
    pub fn find(wsdl_name: &str) -> Option<&'static ManagedObjectInfo> {
        let all = crate::MANAGED_OBJECTS;
        all.binary_search_by(|m| m.wsdl_name.cmp(wsdl_name)).ok().map(|i| &all[i])
    }

    /// The type and its bases, most derived first.
    pub fn lineage(&'static self) -> impl Iterator<Item = &'static ManagedObjectInfo> {
        let mut next = Some(self);
        std::iter::from_fn(move || {
            let cur = next?;
            next = cur.base.and_then(ManagedObjectInfo::find);
            Some(cur)
        })
    }

    /// The method a SOAP operation names on this type, its own or inherited.
    pub fn method(&'static self, operation: &str) -> Option<&'static MethodInfo> {
        self.lineage().find_map(|m| m.methods.iter().find(|x| x.wsdl_name == operation))
    }

    /// A property of this type, its own or inherited.
    pub fn property(&'static self, name: &str) -> Option<&'static PropertyInfo> {
        self.lineage().find_map(|m| m.properties.iter().find(|x| x.name == name))
    }
}

/// What the API says about one managed-object property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertyInfo {
    pub name: &'static str,
    /// The type in VMODL spelling (`vim.UserSession`, `string`).
    pub type_name: &'static str,
    pub array: bool,
    pub optional: bool,
    /// The privilege needed to read it; `None` where none is fixed.
    pub privilege: Option<Privilege>,
}

/// One API method as a type: what it takes, returns and may raise. Generated for every
/// method (`methods::Login`); the SOAP runtime encodes `Request` and decodes the rest.
pub trait Method: 'static {
    /// The parameters, borrowed from the caller.
    type Request<'a>: Send + Sync;
    /// The result (`()` for void methods).
    type Response: Send + 'static;
    /// The method's declared faults plus the runtime faults any method may raise; a server
    /// writes it as the fault's `<detail>`.
    type Fault: From<crate::AnyMethodFault> + crate::xml::Encode + Send + 'static;
    /// The parameters as a server receives them (owned), in declaration order.
    #[cfg(feature = "server")]
    type Args: Send + 'static;
    const INFO: MethodInfo;
    /// Writes the request's parameters (the children of the operation element, after `_this`).
    fn encode_request(request: &Self::Request<'_>, w: &mut crate::xml::Writer);
    /// Reads the result from the `<XxxResponse>` element.
    fn decode_response<'a>(
        r: &mut crate::xml::Reader<'a>,
        response: &crate::xml::Elem<'a>,
    ) -> Result<Self::Response, crate::xml::DecodeError>;
    /// Reads the parameters from the operation element (after `_this`), for a server.
    #[cfg(feature = "server")]
    fn decode_args<'a>(r: &mut crate::xml::Reader<'a>, request: &crate::xml::Elem<'a>)
    -> Result<Self::Args, crate::xml::DecodeError>;
    /// Writes the result (the children of the `<XxxResponse>` element), for a server.
    #[cfg(feature = "server")]
    fn encode_response(response: &Self::Response, w: &mut crate::xml::Writer);
}

/// Why a call failed: the server answered with a fault, or the call never completed.
#[derive(Debug)]
pub enum Error<F> {
    /// A SOAP fault from the server, typed by the method's faults.
    Fault(F),
    /// The method is newer than the API version negotiated with the server.
    VersionTooOld { method: &'static str, since: ApiVersion, negotiated: ApiVersion },
    /// A SOAP fault without a typed `detail` (the server's code and message).
    ServerFault { code: String, message: String },
    /// The response could not be decoded.
    Decode(crate::xml::DecodeError),
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

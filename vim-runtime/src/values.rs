//! The values every API shares: references to managed objects (typed and untyped),
//! `xsd:dateTime`, and the value of a subclass the bindings do not know.

use std::fmt;
use std::marker::PhantomData;

use crate::meta::{IsA, ManagedObject};

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

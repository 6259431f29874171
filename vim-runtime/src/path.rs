//! Typed property paths: a managed object's property (`VirtualMachine.runtime`) with the
//! Rust type of its value. The generated crate has one function per property on the managed
//! object's marker (`VirtualMachine::runtime()`); a property reader (vim-client's) sends the
//! path and decodes the value with the path's decoder, so the caller never sees `AnyValue`.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::meta::ManagedObject;
use crate::xml::{Decode, DecodeError, Elem, Reader};

/// Decodes a property's `<val>` element into `V`.
pub type DecodeFn<V> = for<'a> fn(&mut Reader<'a>, &Elem<'a>) -> Result<V, DecodeError>;

/// The property `path` of a managed object of type `O` (or a subtype), whose value is a `V`.
pub struct PropertyPath<O: ?Sized, V> {
    path: Cow<'static, str>,
    decode: DecodeFn<V>,
    _owner: PhantomData<fn() -> O>,
}

impl<O: ManagedObject, V: Decode> PropertyPath<O, V> {
    /// A property whose value is one `V` (the generated accessors call this).
    pub const fn new(path: &'static str) -> Self {
        PropertyPath { path: Cow::Borrowed(path), decode: V::decode, _owner: PhantomData }
    }

    /// A path below a property (`VirtualMachine::runtime().field::<VirtualMachinePowerState>("powerState")`
    /// is `runtime.powerState`): the caller vouches for the type `U` of the nested value.
    pub fn field<U: Decode>(&self, name: &str) -> PropertyPath<O, U> {
        PropertyPath { path: Cow::Owned(format!("{}.{name}", self.path)), decode: U::decode, _owner: PhantomData }
    }
}

impl<O: ManagedObject, V: Decode> PropertyPath<O, Vec<V>> {
    /// A property whose value is an array (`ArrayOfX` on the wire, one child per item).
    pub const fn array(path: &'static str) -> Self {
        PropertyPath { path: Cow::Borrowed(path), decode: decode_array::<V>, _owner: PhantomData }
    }
}

impl<O: ManagedObject, V> PropertyPath<O, V> {
    /// The path as the PropertyCollector spells it (`runtime.powerState`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The WSDL name of the managed object type that has the property.
    pub fn owner(&self) -> &'static str {
        O::WSDL_NAME
    }

    /// What the API says about the owner type (for checks against an object's lineage).
    pub fn owner_info(&self) -> &'static crate::ManagedObjectInfo {
        // `INFO` is a constant without interior mutability: promoted to a static.
        &O::INFO
    }

    /// Decodes the property's value from its `<val>` element.
    pub fn decode<'a>(&self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<V, DecodeError> {
        (self.decode)(r, e)
    }
}

impl<O: ?Sized, V> Clone for PropertyPath<O, V> {
    fn clone(&self) -> Self {
        PropertyPath { path: self.path.clone(), decode: self.decode, _owner: PhantomData }
    }
}

impl<O: ?Sized, V> fmt::Debug for PropertyPath<O, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PropertyPath({})", self.path)
    }
}

/// The items of an `ArrayOfX` value (its children, whatever their element name).
fn decode_array<'a, V: Decode>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Vec<V>, DecodeError> {
    let mut out = Vec::new();
    if e.empty {
        return Ok(out);
    }
    while let Some(c) = r.child()? {
        out.push(V::decode(r, &c)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ManagedObjectInfo, MethodInfo, PropertyInfo};

    enum Thing {}
    impl ManagedObject for Thing {
        const WSDL_NAME: &'static str = "Thing";
        const METHODS: &'static [MethodInfo] = &[];
        const PROPERTIES: &'static [PropertyInfo] = &[];
        const BASE: Option<&'static str> = None;
        const INFO: ManagedObjectInfo = ManagedObjectInfo { wsdl_name: "Thing", methods: &[], properties: &[], base: None };
    }

    fn read<V>(path: &PropertyPath<Thing, V>, xml: &str) -> Result<V, DecodeError> {
        let mut r = Reader::new(xml.as_bytes())?;
        let e = r.root()?;
        path.decode(&mut r, &e)
    }

    #[test]
    fn scalar_array_and_nested_paths() {
        let name = PropertyPath::<Thing, String>::new("name");
        assert_eq!(read(&name, "<val>web-1</val>").unwrap(), "web-1");
        let list = PropertyPath::<Thing, Vec<String>>::array("tags");
        assert_eq!(read(&list, "<val><string>a</string><string>b</string></val>").unwrap(), ["a", "b"]);
        assert_eq!(read(&list, "<val/>").unwrap(), Vec::<String>::new());
        let count = PropertyPath::<Thing, String>::new("summary").field::<i32>("count");
        assert_eq!((count.path(), count.owner()), ("summary.count", "Thing"));
        assert_eq!(read(&count, "<val>7</val>").unwrap(), 7);
        assert!(read(&count, "<val>seven</val>").is_err());
        assert_eq!(count.owner_info().wsdl_name, "Thing");
    }
}

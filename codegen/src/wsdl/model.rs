//! The schema model: what the WSDL/XSD says, in wire (flattened) names, with source spans.
//! Nothing here knows about markdown or Rust.

use crate::diag::{FileId, Span};

/// A type reference as written in the XSD (`xsd:string`, `vim25:UserSession`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// An XML Schema built-in, by local name: `string`, `boolean`, `int`, `long`, `short`,
    /// `byte`, `float`, `double`, `dateTime`, `base64Binary`, `anyType`, `anyURI`.
    Xsd(String),
    /// A type of the API's own namespace (`urn:vim25`, also `urn:reflect`), by local name:
    /// `UserSession`, `ManagedObjectReference`, `ArrayOfString`.
    Named(String),
}

impl TypeRef {
    pub fn local_name(&self) -> &str {
        match self {
            TypeRef::Xsd(n) | TypeRef::Named(n) => n,
        }
    }
}

/// `maxOccurs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MaxOccurs {
    Bounded(u32),
    Unbounded,
}

/// One `<element>` of a sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub ty: TypeRef,
    pub min_occurs: u32,
    pub max_occurs: MaxOccurs,
    pub span: Span,
}

impl Element {
    pub fn is_array(&self) -> bool {
        self.max_occurs == MaxOccurs::Unbounded || matches!(self.max_occurs, MaxOccurs::Bounded(n) if n > 1)
    }
    pub fn is_optional(&self) -> bool {
        self.min_occurs == 0
    }
}

/// A named `<complexType>`: data objects, faults, `ArrayOf*` wrappers and `*RequestType`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplexType {
    pub name: String,
    /// `<extension base="...">`, if any.
    pub base: Option<TypeRef>,
    /// The type's own elements (not the inherited ones), in order.
    pub elements: Vec<Element>,
    pub is_abstract: bool,
    pub span: Span,
}

/// A `<simpleType>` restricting `xsd:string` to enumerated values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    pub name: String,
    pub values: Vec<String>,
    pub span: Span,
}

/// A `portType` operation joined with its messages and request/response types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// `Login`, `PowerOnVM_Task`.
    pub name: String,
    /// The request type's name, `LoginRequestType`.
    pub request_type: String,
    /// The request's elements after `_this`, in order.
    pub params: Vec<Element>,
    /// The response's `returnval` element; `None` for void.
    pub returns: Option<Element>,
    /// Fault *types* (not element or message names) in declaration order, e.g.
    /// `["InvalidLogin", "InvalidLocale", "RuntimeFault"]`.
    pub faults: Vec<String>,
    /// `soapAction` from the binding, e.g. `urn:vim25/5.5`.
    pub soap_action: Option<String>,
    /// The `soapAction` attribute value in the binding, for diagnostics about it.
    pub soap_action_span: Option<Span>,
    /// The `<operation>` in the portType.
    pub span: Span,
}

/// Everything read from one WSDL and the schemas it includes.
#[derive(Debug, Default)]
pub struct Schema {
    /// `targetNamespace` of the WSDL (`urn:vim25`).
    pub target_namespace: String,
    /// Sorted by name.
    pub complex_types: Vec<ComplexType>,
    /// Sorted by name.
    pub enums: Vec<EnumType>,
    /// Sorted by name.
    pub operations: Vec<Operation>,
    /// Every file read, entry file first.
    pub files: Vec<FileId>,
}

impl Schema {
    pub fn complex_type(&self, name: &str) -> Option<&ComplexType> {
        self.complex_types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.complex_types[i])
    }
    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.enums[i])
    }
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.operations[i])
    }
    /// The API version the binding's `soapAction`s name (`5.5` for `urn:vim25/5.5`), if they agree.
    pub fn api_version(&self) -> Option<&str> {
        let mut v = self.operations.iter().filter_map(|o| o.soap_action.as_deref());
        let first = v.next()?;
        if v.all(|a| a == first) {
            first.rsplit_once('/').map(|(_, v)| v)
        } else {
            None
        }
    }
}

//! The merged model of the API, and its JSON form (`vimgen-ir/1`, see `shared/IR-JSON.md`).
//!
//! Everything the emitter needs and nothing about where it came from: names in VMODL
//! spelling plus wire names, types resolved, lists in a stable order.

use serde::Serialize;

pub const FORMAT: &str = "vimgen-ir/1";

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Model {
    pub format: &'static str,
    /// The API version of the WSDL (`5.5`), when its `soapAction`s agree.
    pub api_version: Option<String>,
    /// From `vim.version.md`, in table order.
    pub versions: Vec<Version>,
    /// Sorted by name.
    pub managed_objects: Vec<ManagedObject>,
    /// Sorted by name.
    pub data_objects: Vec<DataObject>,
    /// Sorted by name.
    pub enums: Vec<Enum>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Version {
    /// `vim.version.version5`.
    pub id: String,
    /// `vSphere API 4.0`.
    pub name: String,
    /// `vim25/4.0`.
    pub namespace: String,
    /// `4.0`.
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ManagedObject {
    pub name: String,
    pub wsdl_name: String,
    pub base: Option<String>,
    pub since: String,
    pub deprecated: bool,
    pub description: String,
    pub properties: Vec<MoProperty>,
    /// Sorted by name.
    pub methods: Vec<Method>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MoProperty {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
    pub privilege: Option<String>,
    pub description: String,
    /// The version that added the property, where an input states it (pyVmomi's registry);
    /// otherwise the owner's. Absent from the JSON when not stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Method {
    pub name: String,
    pub wsdl_name: String,
    pub since: String,
    pub privilege: Option<String>,
    pub params: Vec<Param>,
    pub returns: Option<Return>,
    /// Declared faults (the WSDL's, without `RuntimeFault`), VMODL names, sorted.
    pub faults: Vec<String>,
    /// The page's `raises` list with the sentence on when, in page order.
    pub documented_faults: Vec<DocumentedFault>,
    pub deprecated: Option<String>,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
    /// The version that added the parameter, where an input states it (pyVmomi's registry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Return {
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentedFault {
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataObject {
    pub name: String,
    pub wsdl_name: String,
    pub base: Option<String>,
    pub since: String,
    pub is_fault: bool,
    pub deprecated: bool,
    pub description: String,
    /// The type's own properties (not inherited ones), in wire order.
    pub properties: Vec<DoProperty>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DoProperty {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
    pub description: String,
    /// The version that added the property, where an input states it (pyVmomi's registry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Enum {
    pub name: String,
    pub wsdl_name: String,
    pub since: String,
    pub description: String,
    /// In wire order.
    pub values: Vec<String>,
    /// Per value, its description (same order as `values`).
    pub value_docs: Vec<String>,
}

/// Primitive types, in IR spelling.
pub const PRIMITIVES: [&str; 12] =
    ["string", "bool", "byte", "short", "int", "long", "float", "double", "datetime", "binary", "anyType", "anyURI"];

/// String-typed names the API gives a meaning (`vmodl.TypeName`, ...) and the special
/// `vmodl.ManagedObject` (untyped reference) and `vmodl.MethodFault` (any fault).
pub const SPECIAL_TYPES: [&str; 5] =
    ["vmodl.TypeName", "vmodl.PropertyPath", "vmodl.MethodName", "vmodl.ManagedObject", "vmodl.MethodFault"];

impl Model {
    pub fn managed_object(&self, name: &str) -> Option<&ManagedObject> {
        self.managed_objects.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.managed_objects[i])
    }
    pub fn data_object(&self, name: &str) -> Option<&DataObject> {
        self.data_objects.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.data_objects[i])
    }
    pub fn enum_type(&self, name: &str) -> Option<&Enum> {
        self.enums.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.enums[i])
    }

    /// The IR as pretty JSON with a trailing newline. Deterministic: every list is ordered
    /// by the model's own rules.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the IR is always serialisable");
        s.push('\n');
        s
    }
}

impl ManagedObject {
    pub fn method(&self, name: &str) -> Option<&Method> {
        self.methods.iter().find(|m| m.name == name)
    }
    pub fn property(&self, name: &str) -> Option<&MoProperty> {
        self.properties.iter().find(|m| m.name == name)
    }
}

impl DataObject {
    pub fn property(&self, name: &str) -> Option<&DoProperty> {
        self.properties.iter().find(|m| m.name == name)
    }
}

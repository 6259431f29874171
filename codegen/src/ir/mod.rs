//! The merged model of the API, and its JSON form (`vimgen-ir/1`, see `shared/IR-JSON.md`).
//!
//! Everything the emitter needs and nothing about where it came from: names in VMODL
//! spelling plus wire names, types resolved, lists in a stable order.

use serde::{Deserialize, Serialize};

pub mod diff;

pub const FORMAT: &str = "vimgen-ir/1";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Checked by [`Model::from_json`] before the rest is read.
    #[serde(skip_deserializing, default = "format")]
    pub format: &'static str,
    /// The API version of the WSDL (`5.5`), when its `soapAction`s agree.
    #[serde(default)]
    pub api_version: Option<String>,
    /// From `vim.version.md`, in table order.
    #[serde(default)]
    pub versions: Vec<Version>,
    /// Sorted by name.
    pub managed_objects: Vec<ManagedObject>,
    /// Sorted by name.
    pub data_objects: Vec<DataObject>,
    /// Sorted by name.
    pub enums: Vec<Enum>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedObject {
    pub name: String,
    pub wsdl_name: String,
    pub base: Option<String>,
    pub since: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub description: String,
    pub properties: Vec<MoProperty>,
    /// Sorted by name.
    pub methods: Vec<Method>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoProperty {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
    pub privilege: Option<String>,
    #[serde(default)]
    pub description: String,
    /// The version that added the property, where an input states it (pyVmomi's registry);
    /// otherwise the owner's. Absent from the JSON when not stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    #[serde(default)]
    pub documented_faults: Vec<DocumentedFault>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Return {
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentedFault {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataObject {
    pub name: String,
    pub wsdl_name: String,
    pub base: Option<String>,
    pub since: String,
    pub is_fault: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub description: String,
    /// The type's own properties (not inherited ones), in wire order.
    pub properties: Vec<DoProperty>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoProperty {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub array: bool,
    pub optional: bool,
    #[serde(default)]
    pub description: String,
    /// The version that added the property, where an input states it (pyVmomi's registry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Enum {
    pub name: String,
    pub wsdl_name: String,
    /// (Not among vimgen-ir/1's required fields: empty when a file leaves it out.)
    #[serde(default)]
    pub since: String,
    #[serde(default)]
    pub description: String,
    /// In wire order.
    pub values: Vec<String>,
    /// Per value, its description (same order as `values`).
    #[serde(default)]
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

    /// Reads the JSON form (`vimgen-ir/1`, as [`Model::to_json`] writes it; fields beyond
    /// the format's required ones may be absent, unknown ones are ignored). The type lists
    /// are sorted by name afterwards, as the model keeps them.
    pub fn from_json(text: &str) -> Result<Model, String> {
        #[derive(Deserialize)]
        struct Head {
            format: String,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| format!("not a {FORMAT} IR: {e}"))?;
        if head.format != FORMAT {
            return Err(format!("format {:?}, expected {FORMAT:?}", head.format));
        }
        let mut m: Model = serde_json::from_str(text).map_err(|e| format!("not a {FORMAT} IR: {e}"))?;
        m.managed_objects.sort_by(|a, b| a.name.cmp(&b.name));
        m.data_objects.sort_by(|a, b| a.name.cmp(&b.name));
        m.enums.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(m)
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

fn format() -> &'static str {
    FORMAT
}

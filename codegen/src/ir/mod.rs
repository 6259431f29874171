//! The merged model of the API, and its JSON form (`vimgen-ir/1`, see `shared/IR-JSON.md`).
//!
//! Everything the emitter needs and nothing about where it came from: names in VMODL
//! spelling plus wire names, types resolved, lists in a stable order.
//!
//! Every type reference is a [`Ty`]: one resolved [`TypeRef`] (primitive, data object, enum,
//! managed-object reference with its target, fault, any) with array-ness and optionality.
//! The merge builds the model with names ([`named`], `Model<String>`) and resolves them
//! once, at its end ([`Model::resolve`]); [`Model::from_json`] does the same. A resolved
//! model names only its own types, so the emitter matches on [`TypeRef`] and never looks a
//! name up to learn what it is.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub mod diff;

pub const FORMAT: &str = "vimgen-ir/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model<T = TypeRef> {
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
    pub managed_objects: Vec<ManagedObject<T>>,
    /// Sorted by name.
    pub data_objects: Vec<DataObject<T>>,
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
pub struct ManagedObject<T = TypeRef> {
    pub name: String,
    pub wsdl_name: String,
    pub base: Option<String>,
    pub since: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub description: String,
    pub properties: Vec<MoProperty<T>>,
    /// Sorted by name.
    pub methods: Vec<Method<T>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoProperty<T = TypeRef> {
    pub name: String,
    #[serde(flatten)]
    pub ty: Ty<T>,
    pub privilege: Option<String>,
    #[serde(default)]
    pub description: String,
    /// The version that added the property, where an input states it (pyVmomi's registry);
    /// otherwise the owner's. Absent from the JSON when not stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Method<T = TypeRef> {
    pub name: String,
    pub wsdl_name: String,
    pub since: String,
    pub privilege: Option<String>,
    pub params: Vec<Param<T>>,
    pub returns: Option<Return<T>>,
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
pub struct Param<T = TypeRef> {
    pub name: String,
    #[serde(flatten)]
    pub ty: Ty<T>,
    /// The version that added the parameter, where an input states it (pyVmomi's registry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Return<T = TypeRef> {
    #[serde(flatten)]
    pub ty: Ty<T>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentedFault {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataObject<T = TypeRef> {
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
    pub properties: Vec<DoProperty<T>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoProperty<T = TypeRef> {
    pub name: String,
    #[serde(flatten)]
    pub ty: Ty<T>,
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

/// One value's type, resolved against the model: what a property, parameter or return
/// value holds (see [`Ty`] for arrays and optionality). Built once, at the end of the merge
/// ([`Model::resolve`]) or by [`Model::from_json`]: a resolved model names only its own types.
/// In the JSON form it is the name in IR spelling ([`TypeRef::name`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Primitive(Primitive),
    /// A data object of the model, by VMODL name.
    DataObject(String),
    /// An enum of the model, by VMODL name.
    Enum(String),
    /// A managed-object reference: to a managed object of the model, or `None` for an
    /// untyped one (`vmodl.ManagedObject`).
    ManagedObject(Option<String>),
    /// `vmodl.MethodFault`: any fault (a `LocalizedMethodFault` on the wire). The model has
    /// the data object `vmodl.MethodFault`.
    Fault,
    /// `anyType`: any value, its type named on the wire.
    Any,
}

/// The primitive types, with the string-typed names the API gives a meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    String,
    Bool,
    Byte,
    Short,
    Int,
    Long,
    Float,
    Double,
    DateTime,
    Binary,
    AnyUri,
    /// `vmodl.TypeName`: a string naming a type.
    TypeName,
    /// `vmodl.PropertyPath`: a string naming a property path.
    PropertyPath,
    /// `vmodl.MethodName`: a string naming a method.
    MethodName,
}

impl Primitive {
    pub const ALL: [Primitive; 14] = [
        Primitive::String,
        Primitive::Bool,
        Primitive::Byte,
        Primitive::Short,
        Primitive::Int,
        Primitive::Long,
        Primitive::Float,
        Primitive::Double,
        Primitive::DateTime,
        Primitive::Binary,
        Primitive::AnyUri,
        Primitive::TypeName,
        Primitive::PropertyPath,
        Primitive::MethodName,
    ];

    /// The IR spelling (`string`, `datetime`, `vmodl.TypeName`).
    pub fn name(self) -> &'static str {
        match self {
            Primitive::String => "string",
            Primitive::Bool => "bool",
            Primitive::Byte => "byte",
            Primitive::Short => "short",
            Primitive::Int => "int",
            Primitive::Long => "long",
            Primitive::Float => "float",
            Primitive::Double => "double",
            Primitive::DateTime => "datetime",
            Primitive::Binary => "binary",
            Primitive::AnyUri => "anyURI",
            Primitive::TypeName => "vmodl.TypeName",
            Primitive::PropertyPath => "vmodl.PropertyPath",
            Primitive::MethodName => "vmodl.MethodName",
        }
    }

    pub fn from_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Held as a string (`string`, `anyURI` and the named strings).
    pub fn is_string(self) -> bool {
        matches!(self, Primitive::String | Primitive::AnyUri | Primitive::TypeName | Primitive::PropertyPath | Primitive::MethodName)
    }

    /// A number or a boolean (a `Copy` value in Rust).
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            Primitive::Bool | Primitive::Byte | Primitive::Short | Primitive::Int | Primitive::Long | Primitive::Float | Primitive::Double
        )
    }
}

impl TypeRef {
    /// The IR spelling, as the JSON form writes it: `vim.HostSystem`, `string`,
    /// `vmodl.ManagedObject`, `vmodl.MethodFault`, `anyType`.
    pub fn name(&self) -> &str {
        match self {
            TypeRef::Primitive(p) => p.name(),
            TypeRef::DataObject(n) | TypeRef::Enum(n) | TypeRef::ManagedObject(Some(n)) => n,
            TypeRef::ManagedObject(None) => UNTYPED_MO,
            TypeRef::Fault => METHOD_FAULT,
            TypeRef::Any => ANY,
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A type reference with its array-ness and optionality, as properties, parameters and
/// return values hold it. `T` is [`TypeRef`] in a resolved model, the name in the merge's
/// ([`named`]). In JSON its fields sit in the owner's object: `"type"`, `"array"`, `"optional"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ty<T = TypeRef> {
    /// The element type (never with `[]`).
    #[serde(rename = "type")]
    pub elem: T,
    /// `maxOccurs="unbounded"` on the wire.
    pub array: bool,
    /// May be absent on the wire.
    pub optional: bool,
}

/// The merge's form of the model: type references by name, as the inputs spell them, until
/// [`Model::resolve`] ends the merge. (Also what [`Model::from_json`] reads first.)
pub mod named {
    pub use super::{DocumentedFault, Enum, Version, FORMAT, PRIMITIVES, SPECIAL_TYPES};
    pub type Model = super::Model<String>;
    pub type ManagedObject = super::ManagedObject<String>;
    pub type MoProperty = super::MoProperty<String>;
    pub type Method = super::Method<String>;
    pub type Param = super::Param<String>;
    pub type Return = super::Return<String>;
    pub type DataObject = super::DataObject<String>;
    pub type DoProperty = super::DoProperty<String>;
    pub type Ty = super::Ty<String>;
}

const ANY: &str = "anyType";
const UNTYPED_MO: &str = "vmodl.ManagedObject";
const METHOD_FAULT: &str = "vmodl.MethodFault";

/// Primitive types, in IR spelling.
pub const PRIMITIVES: [&str; 12] =
    ["string", "bool", "byte", "short", "int", "long", "float", "double", "datetime", "binary", "anyType", "anyURI"];

/// String-typed names the API gives a meaning (`vmodl.TypeName`, ...) and the special
/// `vmodl.ManagedObject` (untyped reference) and `vmodl.MethodFault` (any fault).
pub const SPECIAL_TYPES: [&str; 5] =
    ["vmodl.TypeName", "vmodl.PropertyPath", "vmodl.MethodName", "vmodl.ManagedObject", "vmodl.MethodFault"];

impl<T> Default for Model<T> {
    fn default() -> Self {
        Model {
            format: FORMAT,
            api_version: None,
            versions: Vec::new(),
            managed_objects: Vec::new(),
            data_objects: Vec::new(),
            enums: Vec::new(),
        }
    }
}

impl<T> Model<T> {
    pub fn managed_object(&self, name: &str) -> Option<&ManagedObject<T>> {
        self.managed_objects.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.managed_objects[i])
    }
    pub fn data_object(&self, name: &str) -> Option<&DataObject<T>> {
        self.data_objects.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.data_objects[i])
    }
    pub fn enum_type(&self, name: &str) -> Option<&Enum> {
        self.enums.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.enums[i])
    }
}

impl Model {
    /// Reads the JSON form (`vimgen-ir/1`, as [`Model::to_json`] writes it; fields beyond
    /// the format's required ones may be absent, unknown ones are ignored). The type lists
    /// are sorted by name afterwards, as the model keeps them. Type names are resolved
    /// against the model's own types: one that names none is an error saying where it is used.
    pub fn from_json(text: &str) -> Result<Model, String> {
        #[derive(Deserialize)]
        struct Head {
            format: String,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| format!("not a {FORMAT} IR: {e}"))?;
        if head.format != FORMAT {
            return Err(format!("format {:?}, expected {FORMAT:?}", head.format));
        }
        let mut m: named::Model = serde_json::from_str(text).map_err(|e| format!("not a {FORMAT} IR: {e}"))?;
        m.managed_objects.sort_by(|a, b| a.name.cmp(&b.name));
        m.data_objects.sort_by(|a, b| a.name.cmp(&b.name));
        m.enums.sort_by(|a, b| a.name.cmp(&b.name));
        let (m, bad) = m.resolve();
        match bad.as_slice() {
            [] => Ok(m),
            [first, rest @ ..] => {
                let more = if rest.is_empty() { String::new() } else { format!(" (and {} more)", rest.len()) };
                Err(format!("{first}: no primitive, data object, enum or managed object of the IR has that name{more}"))
            }
        }
    }
}

impl<T: Serialize> Model<T> {
    /// The IR as pretty JSON with a trailing newline. Deterministic: every list is ordered
    /// by the model's own rules. The resolved model and the merge's (named) one write the
    /// same bytes.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the IR is always serialisable");
        s.push('\n');
        s
    }
}

impl<T> ManagedObject<T> {
    pub fn method(&self, name: &str) -> Option<&Method<T>> {
        self.methods.iter().find(|m| m.name == name)
    }
    pub fn property(&self, name: &str) -> Option<&MoProperty<T>> {
        self.properties.iter().find(|m| m.name == name)
    }
}

impl<T> DataObject<T> {
    pub fn property(&self, name: &str) -> Option<&DoProperty<T>> {
        self.properties.iter().find(|m| m.name == name)
    }
}

/// A type name that resolves to nothing, and where it is used (`vim.Foo.bar`,
/// `vim.Foo.Method(param)`, `vim.Foo.Method result`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    pub name: String,
    pub used_by: String,
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` has type `{}`, which is not in the model", self.used_by, self.name)
    }
}

/// The model's own type names, for [`TypeRef::resolve`].
struct Names {
    managed: HashSet<String>,
    data: HashSet<String>,
    enums: HashSet<String>,
}

/// What a name is, before a [`TypeRef`] is made of it.
enum Class {
    Primitive(Primitive),
    Any,
    UntypedMo,
    Fault,
    ManagedObject,
    DataObject,
    Enum,
}

impl Names {
    fn of<T>(m: &Model<T>) -> Names {
        Names {
            managed: m.managed_objects.iter().map(|x| x.name.clone()).collect(),
            data: m.data_objects.iter().map(|x| x.name.clone()).collect(),
            enums: m.enums.iter().map(|x| x.name.clone()).collect(),
        }
    }

    /// The one place an IR-spelled name is classified: primitives and the special names
    /// first, then the model's managed objects, data objects and enums.
    fn class(&self, name: &str) -> Option<Class> {
        match name {
            ANY => Some(Class::Any),
            UNTYPED_MO => Some(Class::UntypedMo),
            METHOD_FAULT => self.data.contains(name).then_some(Class::Fault),
            _ => Primitive::from_name(name).map(Class::Primitive).or_else(|| {
                if self.managed.contains(name) {
                    Some(Class::ManagedObject)
                } else if self.data.contains(name) {
                    Some(Class::DataObject)
                } else if self.enums.contains(name) {
                    Some(Class::Enum)
                } else {
                    None
                }
            }),
        }
    }

    /// The name as a [`TypeRef`] (the name moves into it), or back when it names nothing.
    fn resolve(&self, name: String) -> Result<TypeRef, String> {
        Ok(match self.class(&name) {
            Some(Class::Primitive(p)) => TypeRef::Primitive(p),
            Some(Class::Any) => TypeRef::Any,
            Some(Class::UntypedMo) => TypeRef::ManagedObject(None),
            Some(Class::Fault) => TypeRef::Fault,
            Some(Class::ManagedObject) => TypeRef::ManagedObject(Some(name)),
            Some(Class::DataObject) => TypeRef::DataObject(name),
            Some(Class::Enum) => TypeRef::Enum(name),
            None => return Err(name),
        })
    }

    fn ty(&self, t: Ty<String>, used_by: impl FnOnce() -> String, bad: &mut Vec<Unresolved>) -> Option<Ty> {
        match self.resolve(t.elem) {
            Ok(elem) => Some(Ty { elem, array: t.array, optional: t.optional }),
            Err(name) => {
                bad.push(Unresolved { name, used_by: used_by() });
                None
            }
        }
    }

    /// Whether a resolved reference names a type of the model.
    fn holds(&self, t: &TypeRef) -> bool {
        match t {
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::ManagedObject(None) => true,
            TypeRef::Fault => self.data.contains(METHOD_FAULT),
            TypeRef::DataObject(n) => self.data.contains(n),
            TypeRef::Enum(n) => self.enums.contains(n),
            TypeRef::ManagedObject(Some(n)) => self.managed.contains(n),
        }
    }
}

impl Model<String> {
    /// Resolves every type reference against the model's own types (the end of the merge).
    /// A property whose type resolves to nothing is left out, and so is a method with such a
    /// parameter or result; each is returned. The merge has reported them as errors.
    pub fn resolve(self) -> (Model, Vec<Unresolved>) {
        let names = Names::of(&self);
        let mut bad = Vec::new();
        let managed_objects = self
            .managed_objects
            .into_iter()
            .map(|mo| {
                let owner = mo.name.clone();
                let properties = mo
                    .properties
                    .into_iter()
                    .filter_map(|p| {
                        let ty = names.ty(p.ty, || format!("{owner}.{}", p.name), &mut bad)?;
                        Some(MoProperty { name: p.name, ty, privilege: p.privilege, description: p.description, since: p.since })
                    })
                    .collect();
                let methods = mo.methods.into_iter().filter_map(|me| resolve_method(&names, &owner, me, &mut bad)).collect();
                ManagedObject {
                    name: mo.name,
                    wsdl_name: mo.wsdl_name,
                    base: mo.base,
                    since: mo.since,
                    deprecated: mo.deprecated,
                    description: mo.description,
                    properties,
                    methods,
                }
            })
            .collect();
        let data_objects = self
            .data_objects
            .into_iter()
            .map(|d| {
                let owner = d.name.clone();
                let properties = d
                    .properties
                    .into_iter()
                    .filter_map(|p| {
                        let ty = names.ty(p.ty, || format!("{owner}.{}", p.name), &mut bad)?;
                        Some(DoProperty { name: p.name, ty, description: p.description, since: p.since })
                    })
                    .collect();
                DataObject {
                    name: d.name,
                    wsdl_name: d.wsdl_name,
                    base: d.base,
                    since: d.since,
                    is_fault: d.is_fault,
                    deprecated: d.deprecated,
                    description: d.description,
                    properties,
                }
            })
            .collect();
        let model = Model {
            format: self.format,
            api_version: self.api_version,
            versions: self.versions,
            managed_objects,
            data_objects,
            enums: self.enums,
        };
        (model, bad)
    }
}

fn resolve_method(names: &Names, owner: &str, me: Method<String>, bad: &mut Vec<Unresolved>) -> Option<Method> {
    let before = bad.len();
    let mut params = Vec::with_capacity(me.params.len());
    for p in me.params {
        if let Some(ty) = names.ty(p.ty, || format!("{owner}.{}({})", me.name, p.name), bad) {
            params.push(Param { name: p.name, ty, since: p.since });
        }
    }
    let returns = me.returns.map(|r| names.ty(r.ty, || format!("{owner}.{} result", me.name), bad).map(|ty| Return { ty }));
    if bad.len() > before {
        return None;
    }
    Some(Method {
        name: me.name,
        wsdl_name: me.wsdl_name,
        since: me.since,
        privilege: me.privilege,
        params,
        returns: returns.flatten(),
        faults: me.faults,
        documented_faults: me.documented_faults,
        deprecated: me.deprecated,
        description: me.description,
    })
}

impl Model<String> {
    /// The names [`Model::resolve`] would not resolve, and where they are used (the model
    /// is only read).
    pub fn unresolved(&self) -> Vec<Unresolved> {
        let names = Names::of(self);
        let mut out = Vec::new();
        each_ref(self, |t, used_by| {
            if names.class(&t.elem).is_none() {
                out.push(Unresolved { name: t.elem.clone(), used_by: used_by() });
            }
        });
        out
    }
}

impl Model {
    /// References that name no type of the model. Empty for every model [`Model::resolve`]
    /// or [`Model::from_json`] made; a model built by hand may break the rule, and the
    /// emitter checks it first.
    pub fn dangling(&self) -> Vec<Unresolved> {
        let names = Names::of(self);
        let mut out = Vec::new();
        each_ref(self, |t, used_by| {
            if !names.holds(&t.elem) {
                out.push(Unresolved { name: t.elem.name().to_string(), used_by: used_by() });
            }
        });
        out
    }
}

/// Every type reference of a model, with a way to say where it is used.
fn each_ref<T>(m: &Model<T>, mut f: impl FnMut(&Ty<T>, &dyn Fn() -> String)) {
    for mo in &m.managed_objects {
        for p in &mo.properties {
            f(&p.ty, &|| format!("{}.{}", mo.name, p.name));
        }
        for me in &mo.methods {
            for p in &me.params {
                f(&p.ty, &|| format!("{}.{}({})", mo.name, me.name, p.name));
            }
            if let Some(r) = &me.returns {
                f(&r.ty, &|| format!("{}.{} result", mo.name, me.name));
            }
        }
    }
    for d in &m.data_objects {
        for p in &d.properties {
            f(&p.ty, &|| format!("{}.{}", d.name, p.name));
        }
    }
}

fn format() -> &'static str {
    FORMAT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(elem: &str, array: bool) -> named::Ty {
        Ty { elem: elem.into(), array, optional: true }
    }

    fn prop(name: &str, elem: &str) -> named::DoProperty {
        DoProperty { name: name.into(), ty: ty(elem, false), description: String::new(), since: None }
    }

    fn data(name: &str, props: Vec<named::DoProperty>) -> named::DataObject {
        DataObject {
            name: name.into(),
            wsdl_name: name.rsplit('.').next().unwrap_or(name).into(),
            base: None,
            since: String::new(),
            is_fault: false,
            deprecated: false,
            description: String::new(),
            properties: props,
        }
    }

    /// A model naming one of each kind of type, and one name that is nothing.
    fn model() -> named::Model {
        let method = Method {
            name: "Go".into(),
            wsdl_name: "Go".into(),
            since: String::new(),
            privilege: None,
            params: vec![Param { name: "spec".into(), ty: ty("vim.Spec", true), since: None }],
            returns: Some(Return { ty: ty("vim.Host", false) }),
            faults: Vec::new(),
            documented_faults: Vec::new(),
            deprecated: None,
            description: String::new(),
        };
        let host = ManagedObject {
            name: "vim.Host".into(),
            wsdl_name: "HostSystem".into(),
            base: None,
            since: String::new(),
            deprecated: false,
            description: String::new(),
            properties: vec![MoProperty {
                name: "any".into(),
                ty: ty("vmodl.ManagedObject", true),
                privilege: None,
                description: String::new(),
                since: None,
            }],
            methods: vec![method],
        };
        let spec = data(
            "vim.Spec",
            vec![
                prop("a", "string"),
                prop("b", "vmodl.PropertyPath"),
                prop("c", "datetime"),
                prop("d", "vim.Mode"),
                prop("e", "vim.Host"),
                prop("f", "vmodl.MethodFault"),
                prop("g", "anyType"),
                prop("h", "vim.Spec"),
                prop("i", "vim.Nowhere"),
            ],
        );
        let mode = Enum {
            name: "vim.Mode".into(),
            wsdl_name: "Mode".into(),
            since: String::new(),
            description: String::new(),
            values: vec!["on".into()],
            value_docs: Vec::new(),
        };
        Model {
            managed_objects: vec![host],
            data_objects: vec![spec, data("vmodl.MethodFault", Vec::new())],
            enums: vec![mode],
            ..Model::default()
        }
    }

    #[test]
    fn every_kind_of_name_resolves_once() {
        let named = model();
        assert_eq!(named.unresolved(), [Unresolved { name: "vim.Nowhere".into(), used_by: "vim.Spec.i".into() }]);
        let (m, bad) = named.clone().resolve();
        assert_eq!(bad, named.unresolved(), "resolve reports what unresolved() finds");
        let spec = m.data_object("vim.Spec").expect("kept");
        let kinds: Vec<&TypeRef> = spec.properties.iter().map(|p| &p.ty.elem).collect();
        assert_eq!(
            kinds,
            [
                &TypeRef::Primitive(Primitive::String),
                &TypeRef::Primitive(Primitive::PropertyPath),
                &TypeRef::Primitive(Primitive::DateTime),
                &TypeRef::Enum("vim.Mode".into()),
                &TypeRef::ManagedObject(Some("vim.Host".into())),
                &TypeRef::Fault,
                &TypeRef::Any,
                &TypeRef::DataObject("vim.Spec".into()),
            ],
            "`i` (vim.Nowhere) is left out"
        );
        let host = m.managed_object("vim.Host").expect("kept");
        assert_eq!(host.properties[0].ty, Ty { elem: TypeRef::ManagedObject(None), array: true, optional: true });
        let go = &host.methods[0];
        assert_eq!(go.params[0].ty.elem, TypeRef::DataObject("vim.Spec".into()));
        assert_eq!(go.returns.as_ref().map(|r| &r.ty.elem), Some(&TypeRef::ManagedObject(Some("vim.Host".into()))));
        assert!(m.dangling().is_empty());
        // Each name spells back as it was read.
        for (p, r) in named.data_objects[0].properties.iter().zip(&spec.properties) {
            assert_eq!(p.ty.elem, r.ty.elem.name());
        }
        for p in Primitive::ALL {
            assert_eq!(Primitive::from_name(p.name()), Some(p));
        }
        // The names the merges accept without a type of the model all resolve.
        let names = Names::of(&named);
        for n in PRIMITIVES.iter().chain(&SPECIAL_TYPES) {
            assert_eq!(names.resolve(n.to_string()).map(|t| t.name().to_string()).as_deref(), Ok(*n));
        }
    }

    /// Without the data object `vmodl.MethodFault`, the fault name resolves to nothing; a
    /// method whose parameter or result does not resolve is left out whole.
    #[test]
    fn what_does_not_resolve_is_left_out_and_named() {
        let mut named = model();
        named.data_objects.retain(|d| d.name != "vmodl.MethodFault");
        named.managed_objects[0].methods[0].params[0].ty.elem = "vim.Gone".into();
        let (m, bad) = named.resolve();
        let bad: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            bad,
            [
                "`vim.Host.Go(spec)` has type `vim.Gone`, which is not in the model",
                "`vim.Spec.f` has type `vmodl.MethodFault`, which is not in the model",
                "`vim.Spec.i` has type `vim.Nowhere`, which is not in the model",
            ]
        );
        assert!(m.managed_objects[0].methods.is_empty());
        assert_eq!(m.data_objects[0].properties.len(), 7);
    }

    /// The JSON form names types as before; reading it resolves them, and a name that is no
    /// type of the IR is refused with the name and where it is used.
    #[test]
    fn from_json_resolves_and_refuses_unknown_names() {
        let mut named = model();
        named.data_objects[0].properties.pop();
        let json = named.to_json();
        assert!(json.contains("\"type\": \"vmodl.PropertyPath\",\n"), "{json}");
        let m = Model::from_json(&json).expect("reads");
        assert_eq!(m.to_json(), json, "the same bytes back");
        assert_eq!(m.data_object("vim.Spec").map(|d| &d.properties[4].ty.elem), Some(&TypeRef::ManagedObject(Some("vim.Host".into()))));

        let bad = json.replace("\"type\": \"vim.Mode\"", "\"type\": \"vim.Mood\"");
        let err = Model::from_json(&bad).unwrap_err();
        assert!(err.contains("`vim.Spec.d` has type `vim.Mood`, which is not in the model"), "{err}");
        let worse = bad.replace("\"type\": \"datetime\"", "\"type\": \"dateTime\"");
        let err = Model::from_json(&worse).unwrap_err();
        assert!(err.contains("`vim.Spec.c` has type `dateTime`") && err.ends_with("(and 1 more)"), "{err}");
    }
}

//! The registry model: what pyVmomi's type tables say, in VMODL names, with source spans.
//! Nothing here knows about the markdown, the WSDL or Rust.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{FileId, Span};

/// Member flags (`F_OPTIONAL | F_LINK`, or `0`), by name: pyVmomi's numeric values are an
/// implementation detail of its runtime, so the model keeps only what each flag means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    /// `F_OPTIONAL`: may be unset (`minOccurs="0"` on the wire).
    pub optional: bool,
    /// `F_LINK`: the value is a key naming another object (a link), not the object itself.
    pub link: bool,
    /// `F_LINKABLE`: the property is a key other objects link to.
    pub linkable: bool,
    /// `F_SECRET`: a password or ticket, not to be logged.
    pub secret: bool,
}

/// Which files the registry was read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// pyVmomi 7.0.3 and later: `_typeinfo_*.py`.
    #[default]
    TypeInfo,
    /// pyVmomi 6.x and 7.0-7.0.2: `ServerObjects.py`, `CoreTypes.py`, `QueryTypes.py`
    /// (+ `EamObjects.py`, `PbmObjects.py`, `SmsObjects.py` when present).
    Legacy,
}

/// `AddVersion(name, namespace, version_id, is_legacy, service_namespace)` and the
/// `AddVersionParent(name, parent)` edges naming it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// `vim.version.version9`.
    pub name: String,
    /// `vim25`; empty for internal versions (pyVmomi then uses the service namespace).
    pub namespace: String,
    /// `5.5`, `9.1.0.0`; empty for internal versions.
    pub version_id: String,
    pub legacy: bool,
    /// `vim25`, `reflect`, `eam`...
    pub service_namespace: String,
    /// Versions this one includes, as `AddVersionParent` lists them (pyVmomi lists every
    /// ancestor and the version itself; [`Registry::ancestors`] closes the set anyway).
    pub parents: BTreeSet<String>,
    /// The version sets it was added to (`newest`, `lts`, `oldest`, `public`...).
    pub tags: BTreeSet<String>,
    pub span: Span,
}

/// A property of a data or managed type, or a method parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    /// VMODL type name; arrays end in `[]` (`vim.UserSession[]`).
    pub ty: String,
    /// The version that added the member.
    pub since: String,
    pub flags: Flags,
    /// Managed-object properties and parameters only (data-object properties have none).
    pub privilege: Option<String>,
    pub span: Span,
}

/// A method's `(flags, type, result type)`: `ty` is what the call returns on the wire
/// (`vim.Task` for a task method), `result` what the method produces (the task's result).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Returns {
    pub flags: Flags,
    pub ty: String,
    pub result: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    /// VMODL name: `login`, `powerOn`.
    pub name: String,
    /// Wire name: `Login`, `PowerOnVM_Task`.
    pub wsdl_name: String,
    pub since: String,
    pub params: Vec<Member>,
    pub returns: Returns,
    pub privilege: Option<String>,
    /// VMODL names of the declared faults, in file order.
    pub faults: Vec<String>,
    pub span: Span,
}

/// `CreateManagedType(name, wsdl_name, base, since, properties, methods)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedType {
    pub name: String,
    pub wsdl_name: String,
    pub base: String,
    pub since: String,
    pub properties: Vec<Member>,
    pub methods: Vec<Method>,
    pub span: Span,
}

/// `CreateDataType(name, wsdl_name, base, since, properties)`: data objects and faults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataType {
    pub name: String,
    pub wsdl_name: String,
    pub base: String,
    pub since: String,
    pub properties: Vec<Member>,
    pub span: Span,
}

/// `CreateEnumType(name, wsdl_name, since, values)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    pub name: String,
    pub wsdl_name: String,
    pub since: String,
    pub values: Vec<String>,
    pub span: Span,
}

/// Everything one pyVmomi release registers, keyed by VMODL name. Enum values carry no
/// since-version in the registry: a filtered enum keeps all its values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    pub layout: Layout,
    /// The files read, in reading order.
    pub files: Vec<FileId>,
    pub versions: BTreeMap<String, Version>,
    pub managed: BTreeMap<String, ManagedType>,
    pub data: BTreeMap<String, DataType>,
    pub enums: BTreeMap<String, EnumType>,
}

/// Sizes of a registry, for reports and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub versions: usize,
    pub managed: usize,
    pub data: usize,
    pub enums: usize,
    pub methods: usize,
    pub params: usize,
    /// Managed and data properties together.
    pub properties: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} versions, {} managed types, {} data types, {} enums, {} methods, {} parameters, {} properties",
            self.versions, self.managed, self.data, self.enums, self.methods, self.params, self.properties
        )
    }
}

impl Registry {
    pub fn counts(&self) -> Counts {
        let managed_props: usize = self.managed.values().map(|m| m.properties.len()).sum();
        let data_props: usize = self.data.values().map(|d| d.properties.len()).sum();
        Counts {
            versions: self.versions.len(),
            managed: self.managed.len(),
            data: self.data.len(),
            enums: self.enums.len(),
            methods: self.managed.values().map(|m| m.methods.len()).sum(),
            params: self.managed.values().flat_map(|m| &m.methods).map(|m| m.params.len()).sum(),
            properties: managed_props + data_props,
        }
    }

    /// The version and every version it includes, transitively (empty when unknown).
    pub fn ancestors(&self, version: &str) -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![version];
        while let Some(v) = todo.pop() {
            let Some(ver) = self.versions.get(v) else { continue };
            if seen.insert(ver.name.as_str()) {
                todo.extend(ver.parents.iter().map(String::as_str));
            }
        }
        seen
    }

    /// The version a WSDL names by namespace and id (`vim25`, `5.5` -> `vim.version.version9`).
    pub fn version_by_id(&self, namespace: &str, id: &str) -> Option<&Version> {
        self.versions.values().find(|v| v.namespace == namespace && v.version_id == id)
    }

    /// The registry as one version sees it: every type, member, method and parameter whose
    /// since-version is `version` or one it includes. Versions are kept whole (the filtered
    /// registry can still answer [`Registry::ancestors`]). Unknown `version`: empty types.
    pub fn filter(&self, version: &str) -> Registry {
        let keep = self.ancestors(version);
        let ok = |since: &String| keep.contains(since.as_str());
        let members = |ms: &[Member]| ms.iter().filter(|m| ok(&m.since)).cloned().collect::<Vec<_>>();
        let managed = self.managed.iter().filter(|(_, t)| ok(&t.since)).map(|(k, t)| {
            let methods = t.methods.iter().filter(|m| ok(&m.since)).map(|m| Method { params: members(&m.params), ..m.clone() });
            (k.clone(), ManagedType { properties: members(&t.properties), methods: methods.collect(), ..t.clone() })
        });
        let data = self
            .data
            .iter()
            .filter(|(_, t)| ok(&t.since))
            .map(|(k, t)| (k.clone(), DataType { properties: members(&t.properties), ..t.clone() }));
        Registry {
            layout: self.layout,
            files: self.files.clone(),
            versions: self.versions.clone(),
            managed: managed.collect(),
            data: data.collect(),
            enums: self.enums.iter().filter(|(_, e)| ok(&e.since)).map(|(k, e)| (k.clone(), e.clone())).collect(),
        }
    }

    /// A method by its owner's VMODL name and its wire name.
    pub fn method(&self, owner: &str, wsdl_name: &str) -> Option<&Method> {
        self.managed.get(owner)?.methods.iter().find(|m| m.wsdl_name == wsdl_name)
    }
}

/// `vim.UserSession[]` -> (`vim.UserSession`, true).
pub fn element_type(ty: &str) -> (&str, bool) {
    match ty.strip_suffix("[]") {
        Some(e) => (e, true),
        None => (ty, false),
    }
}

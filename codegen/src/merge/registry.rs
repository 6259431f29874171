//! The WSDL-first merge, used when pyVmomi's registry is given (`--pyvmomi`).
//!
//! Who is trusted for what:
//! - the **WSDL** decides what exists and the version: every complexType (but `ArrayOf*`
//!   wrappers, request types and `ManagedObjectReference`), enumeration and operation is in
//!   the model, with its wire names, element order, arrays, parameter optionality, return
//!   types and declared faults; the spec's version is the one its `soapAction`s name;
//! - the **registry**, filtered to that version, for what the WSDL lacks: VMODL names, the
//!   managed object owning each operation, managed objects and their properties, privileges,
//!   since-versions, optionality of data-object properties (the XSD's `minOccurs="0"` also
//!   marks later additions), and which managed object a reference points at;
//! - the **pages** for prose only, where a page describes the item (same VMODL name). An
//!   item no page describes has an empty description: the emitter writes its facts (wire
//!   name, VMODL name, since, privilege), never guessed prose.
//!
//! Every disagreement is a `py-*` diagnostic at the file and line of the input that is
//! overruled (the registry's call, else the WSDL's element). Errors mean the model would be
//! wrong or incomplete; warnings mean the inputs disagree and the rule above decided.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diag::{Diagnostic, Diagnostics, Kind, SourceMap, Span};
use crate::ir::named::{self as ir, Model};
use crate::markdown::{EnumPage, Pages, TypePage};
use crate::pyvmomi::{self, element_type, DataType, ManagedType, Member, Registry};
use crate::wsdl::{ComplexType, Element, Schema, TypeRef};

use super::names::xsd_primitive;
use super::MergeOutput;

/// Every diagnostic kind this merge emits (severity and meaning: [`Kind`]).
pub const KINDS: &[Kind] = &[
    Kind::PyWireTypeUnknown,
    Kind::PyPropertyTypeUnknown,
    Kind::PyWireUnregistered,
    Kind::PyOperationUnowned,
    Kind::PyNewerThanWsdl,
    Kind::PyMethodNotOnWire,
    Kind::PyPropertyNotOnWire,
    Kind::PyPropertyUnregistered,
    Kind::PyTypeMismatch,
    Kind::PyArrayMismatch,
    Kind::PyBaseMismatch,
    Kind::PyFaultsMismatch,
    Kind::PyEnumValuesMismatch,
    Kind::PyRefUntyped,
    Kind::OverridesIgnored,
];

/// The vim versions a model has: `target` and every version it includes, in the `vim25`
/// namespace (and `vim2`'s version1), oldest first (by how many versions each includes). Names from the pages'
/// version table where it lists the id, else `vSphere API <id>`.
pub fn versions(reg: &Registry, target: &str, pages: &Pages) -> Vec<ir::Version> {
    let mut rows: Vec<(usize, ir::Version)> = reg
        .ancestors(target)
        .into_iter()
        .filter_map(|id| reg.versions.get(id))
        .filter(|v| matches!(v.namespace.as_str(), "vim25" | "vim2") && !v.version_id.is_empty() && v.name.starts_with("vim.version."))
        .map(|v| {
            let name = pages
                .versions
                .iter()
                .find(|p| p.id == v.name)
                .map_or_else(|| format!("vSphere API {}", v.version_id), |p| p.official_name.clone());
            let version = ir::Version {
                id: v.name.clone(),
                name,
                namespace: format!("{}/{}", v.namespace, v.version_id),
                version: v.version_id.clone(),
            };
            (reg.ancestors(&v.name).len(), version)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows.into_iter().map(|(_, v)| v).collect()
}

/// The IR spelling of a registry type's element (`boolean` -> `bool`...).
pub fn ir_spelling(py: &str) -> &str {
    match py {
        "boolean" => "bool",
        "vmodl.DateTime" => "datetime",
        "vmodl.Binary" => "binary",
        "vmodl.URI" => "anyURI",
        "vmodl.DataObject" => "anyType",
        "vmodl.LocalizedMethodFault" => "vmodl.MethodFault",
        other => other,
    }
}

/// Roots the registry builds in (VmomiSupport.py), by wire name, with their VMODL bases.
const BUILTIN_DATA: &[(&str, &str, &str)] = &[
    ("MethodFault", "vmodl.MethodFault", "vmodl.DynamicData"),
    ("RuntimeFault", "vmodl.RuntimeFault", "vmodl.MethodFault"),
    ("LocalizedMethodFault", "vmodl.LocalizedMethodFault", "vmodl.DynamicData"),
];

struct M<'a> {
    sources: &'a SourceMap,
    schema: &'a Schema,
    /// The registry filtered to the WSDL's version.
    f: &'a Registry,
    /// The whole registry (for items of other versions or packages the WSDL has).
    all: &'a Registry,
    diags: &'a mut Diagnostics,
    page: HashMap<&'a str, &'a TypePage>,
    enum_page: HashMap<&'a str, &'a EnumPage>,
    /// WSDL data type -> (VMODL name, registry type if any).
    data: BTreeMap<&'a str, (String, Option<&'a DataType>)>,
    /// WSDL enum -> VMODL name.
    enums: HashMap<&'a str, String>,
    /// Managed types of the model, by VMODL name.
    managed: BTreeMap<&'a str, &'a ManagedType>,
    /// Names of request types (not data objects).
    requests: BTreeSet<&'a str>,
    /// The WSDL's version id (`vim.version.v9_1_0_0`), the since of what no registry dates.
    spec_version: String,
    /// The WSDL's version and every version it includes.
    included: BTreeSet<String>,
}

/// Joins the WSDL, the registry (filtered to the WSDL's version) and the pages' prose.
pub fn merge(sources: &SourceMap, pages: &Pages, schema: &Schema, reg: &Registry, diags: &mut Diagnostics) -> MergeOutput {
    let api = schema.api_version();
    let version = api.and_then(|a| reg.version_by_id("vim25", a));
    let filtered;
    let f = match version {
        Some(v) => {
            filtered = reg.filter(&v.name);
            &filtered
        }
        // `codegen::load` reports it (`py-no-wsdl-version`); the registry is used unfiltered.
        None => reg,
    };
    let mut m = M {
        sources,
        schema,
        f,
        all: reg,
        diags,
        page: pages.types.iter().map(|p| (p.name.as_str(), p)).collect(),
        enum_page: pages.enums.iter().map(|e| (e.wsdl_name.as_str(), e)).collect(),
        data: BTreeMap::new(),
        enums: HashMap::new(),
        managed: BTreeMap::new(),
        requests: schema.operations.iter().map(|o| o.request_type.as_str()).collect(),
        spec_version: version.map_or_else(|| "vim.version.version1".to_string(), |v| v.name.clone()),
        included: version.map(|v| reg.ancestors(&v.name).into_iter().map(str::to_string).collect()).unwrap_or_default(),
    };
    m.name_wire_types();
    let mut model = Model {
        format: ir::FORMAT,
        api_version: api.map(str::to_string),
        versions: version.map(|v| versions(reg, &v.name, pages)).unwrap_or_default(),
        ..Model::default()
    };
    model.enums = m.enums();
    model.data_objects = m.data_objects();
    model.managed_objects = m.managed_objects();
    m.check_mo_property_types(&model);
    let (model, as_merged) = super::resolve(model, m.diags);
    MergeOutput { model, as_merged, proposals: BTreeMap::new() }
}

fn is_array_wrapper(schema: &Schema, name: &str) -> bool {
    name.starts_with("ArrayOf") && schema.complex_type(name).is_some_and(|c| c.elements.len() == 1)
}

impl<'a> M<'a> {
    /// The VMODL name of every WSDL data type and enum: the filtered registry's, else the whole
    /// registry's (a warning: the registry dates it later), else an error.
    fn name_wire_types(&mut self) {
        let by_wire = |r: &'a Registry| -> HashMap<&'a str, &'a DataType> { r.data.values().map(|d| (d.wsdl_name.as_str(), d)).collect() };
        let (fd, ad) = (by_wire(self.f), by_wire(self.all));
        let enum_wire =
            |r: &'a Registry| -> HashMap<&'a str, &'a str> { r.enums.values().map(|e| (e.wsdl_name.as_str(), e.name.as_str())).collect() };
        let (fe, ae) = (enum_wire(self.f), enum_wire(self.all));
        let schema = self.schema;
        for ct in &schema.complex_types {
            let n = ct.name.as_str();
            if n == "ManagedObjectReference" || self.requests.contains(n) || is_array_wrapper(schema, n) {
                continue;
            }
            let entry = if let Some(d) = fd.get(n) {
                (d.name.clone(), Some(*d))
            } else if let Some(b) = BUILTIN_DATA.iter().find(|b| b.0 == n) {
                (b.1.to_string(), None)
            } else if let Some(d) = ad.get(n) {
                self.newer(&format!("data type `{n}` (`{}`)", d.name), &d.since, d.span, ct.span);
                (d.name.clone(), Some(*d))
            } else {
                self.unregistered("type", n, ct.span);
                (n.to_string(), None)
            };
            self.data.insert(n, entry);
        }
        for e in &schema.enums {
            let n = e.name.as_str();
            let name = match (fe.get(n), ae.get(n)) {
                (Some(v), _) => v.to_string(),
                (None, Some(v)) => {
                    let t = &self.all.enums[*v];
                    self.newer(&format!("enum `{n}` (`{v}`)"), &t.since, t.span, e.span);
                    v.to_string()
                }
                (None, None) => {
                    self.unregistered("enum", n, e.span);
                    n.to_string()
                }
            };
            self.enums.insert(n, name);
        }
    }

    /// A WSDL type or enum no registry version knows: kept under its wire name (no VMODL name
    /// is guessed), since the WSDL's version.
    fn unregistered(&mut self, what: &str, n: &str, span: Span) {
        self.diags.push(
            Diagnostic::new(Kind::PyWireUnregistered, format!("WSDL {what} `{n}` is in no version of pyVmomi's registry"))
                .at(span)
                .label("kept under its wire name, since the WSDL's version; no VMODL name is guessed"),
        );
    }

    /// The since of a type no registry entry dates: a built-in root's package's first
    /// version, else (kept under its wire name) the WSDL's version.
    fn since_unregistered(&self, name: &str) -> String {
        if name.contains('.') {
            super::names::first_version(name).to_string()
        } else {
            self.spec_version.clone()
        }
    }

    /// A registry since-version as the model states it: the WSDL's version when the registry
    /// dates the item later or in another package's versions the WSDL's does not include (the
    /// WSDL has it, so its version has it).
    fn at_most(&self, since: &str) -> String {
        if self.included.is_empty() || self.included.contains(since) {
            since.to_string()
        } else {
            self.spec_version.clone()
        }
    }

    fn newer(&mut self, what: &str, since: &str, py: Span, wire: Span) {
        self.diags.push(
            Diagnostic::new(
                Kind::PyNewerThanWsdl,
                format!("the WSDL has {what}, which the registry adds in `{since}`, not in the WSDL's version"),
            )
            .at(wire)
            .note(format!("registry entry at {}", self.sources.line_location(py))),
        );
    }

    fn enums(&mut self) -> Vec<ir::Enum> {
        let mut out = Vec::new();
        for e in &self.schema.enums {
            let name = self.enums[e.name.as_str()].clone();
            let reg = self.all.enums.get(&name);
            if let Some(r) = reg {
                let (a, b): (BTreeSet<&str>, BTreeSet<&str>) =
                    (r.values.iter().map(String::as_str).collect(), e.values.iter().map(String::as_str).collect());
                if a != b {
                    let only_wire: Vec<&str> = b.difference(&a).copied().collect();
                    let only_py: Vec<&str> = a.difference(&b).copied().collect();
                    self.diags.push(
                        Diagnostic::new(
                            Kind::PyEnumValuesMismatch,
                            format!("enum `{name}` values differ between the registry and the WSDL"),
                        )
                        .at(e.span)
                        .note(format!("only on the wire: {only_wire:?}; only in the registry: {only_py:?}"))
                        .note(format!("registry entry at {}", self.sources.line_location(r.span))),
                    );
                }
            }
            let page = self.enum_page.get(e.name.as_str()).filter(|p| p.name == name);
            let doc_of =
                |v: &str| page.and_then(|p| p.values.iter().find(|x| x.name == v)).map(|x| x.description.clone()).unwrap_or_default();
            out.push(ir::Enum {
                name: name.clone(),
                wsdl_name: e.name.clone(),
                since: reg.map_or_else(|| self.since_unregistered(&name), |r| self.at_most(&r.since)),
                description: page.map(|p| p.description.clone()).unwrap_or_default(),
                values: e.values.clone(),
                value_docs: e.values.iter().map(|v| doc_of(v)).collect(),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The IR name of a wire type reference, with the registry's type (of the same member) for
    /// what the wire does not say: reference targets and named strings. Returns (type, array).
    fn wire_type(&mut self, ty: &TypeRef, py: Option<&str>, span: Span, what: &str) -> (String, bool) {
        let py_elem = py.map(|p| ir_spelling(element_type(p).0));
        self.wire_type_of(ty, py_elem, span, what)
    }

    fn wire_type_of(&mut self, ty: &TypeRef, py_elem: Option<&str>, span: Span, what: &str) -> (String, bool) {
        match ty {
            TypeRef::Xsd(local) => {
                let prim = xsd_primitive(local).unwrap_or("anyType");
                if let Some(p) = py_elem {
                    if prim == "string" && matches!(p, "vmodl.TypeName" | "vmodl.PropertyPath" | "vmodl.MethodName") {
                        return (p.to_string(), false);
                    }
                    let agrees = p == prim || prim == "anyType" || p == "anyType";
                    if !agrees && !self.enums.values().any(|e| e == p) {
                        self.mismatch(what, p, prim, span);
                    }
                }
                (prim.to_string(), false)
            }
            TypeRef::Named(n) if n == "ManagedObjectReference" => match py_elem {
                Some(p) if p == "vmodl.ManagedObject" || self.all.managed.contains_key(p) => (p.to_string(), false),
                other => {
                    if let Some(p) = other {
                        self.mismatch(what, p, "a managed object reference", span);
                    }
                    self.diags.push(
                        Diagnostic::new(
                            Kind::PyRefUntyped,
                            format!("`{what}` is a reference to a managed object the registry does not name"),
                        )
                        .at(span),
                    );
                    ("vmodl.ManagedObject".to_string(), false)
                }
            },
            TypeRef::Named(n) if is_array_wrapper(self.schema, n) => {
                let inner = self.schema.complex_type(n).map(|c| c.elements[0].ty.clone());
                match inner {
                    Some(inner) => (self.wire_type_of(&inner, py_elem, span, what).0, true),
                    None => ("anyType".into(), true),
                }
            }
            TypeRef::Named(n) if n == "LocalizedMethodFault" || n == "MethodFault" => ("vmodl.MethodFault".into(), false),
            TypeRef::Named(n) => {
                let name = self.data.get(n.as_str()).map(|d| d.0.clone()).or_else(|| self.enums.get(n.as_str()).cloned());
                match name {
                    Some(v) => {
                        if let Some(p) = py_elem {
                            if p != v && !self.is_subtype(&v, p) {
                                self.mismatch(what, p, &v, span);
                            }
                        }
                        (v, false)
                    }
                    None => {
                        // The WSDL reader already reported the undeclared type.
                        self.diags.push(
                            Diagnostic::new(Kind::PyWireTypeUnknown, format!("`{what}` has WSDL type `{n}`, which is not declared"))
                                .at(span),
                        );
                        (n.clone(), false)
                    }
                }
            }
        }
    }

    /// Whether data type `sub` descends from `sup` in the registry (a wire type more precise
    /// than the registry's is no disagreement).
    fn is_subtype(&self, sub: &str, sup: &str) -> bool {
        let mut cur = sub.to_string();
        for _ in 0..64 {
            if cur == sup {
                return true;
            }
            match self.all.data.get(&cur) {
                Some(d) => cur = d.base.clone(),
                None => return false,
            }
        }
        false
    }

    fn mismatch(&mut self, what: &str, py: &str, wire: &str, span: Span) {
        self.diags.push(
            Diagnostic::new(Kind::PyTypeMismatch, format!("`{what}` is `{py}` in the registry but `{wire}` on the wire"))
                .at(span)
                .label("the wire type is kept"),
        );
    }

    fn array_check(&mut self, what: &str, py: &Member, wire_array: bool, span: Span) {
        let py_array = element_type(&py.ty).1;
        if py_array != wire_array {
            self.diags.push(
                Diagnostic::new(
                    Kind::PyArrayMismatch,
                    format!("`{what}` is {} in the registry, {} on the wire", arr(py_array), arr(wire_array)),
                )
                .at(span)
                .note(format!("registry member at {}", self.sources.line_location(py.span))),
            );
        }
    }

    fn data_objects(&mut self) -> Vec<ir::DataObject> {
        let entries: Vec<(&'a str, String, Option<&'a DataType>)> = self.data.iter().map(|(k, (n, d))| (*k, n.clone(), *d)).collect();
        let mut out = Vec::new();
        for (wire, name, reg) in entries {
            let Some(ct) = self.schema.complex_type(wire) else { continue };
            let page = self.page.get(name.as_str()).copied().filter(|p| p.methods.is_empty());
            let wire_base = ct.base.as_ref().map(|b| {
                let l = b.local_name();
                self.data.get(l).map_or_else(|| l.to_string(), |d| d.0.clone())
            });
            let base = match (wire_base, reg) {
                (Some(wb), Some(r)) => {
                    if ir_spelling(&r.base) != wb && r.base != wb {
                        self.diags.push(
                            Diagnostic::new(
                                Kind::PyBaseMismatch,
                                format!("`{name}` extends `{wb}` on the wire, `{}` in the registry", r.base),
                            )
                            .at(ct.span)
                            .note(format!("registry entry at {}", self.sources.line_location(r.span))),
                        );
                    }
                    wb
                }
                (Some(wb), None) => wb,
                (None, Some(r)) if r.base != "vmodl.DataObject" && ct.name != "DynamicData" => r.base.clone(),
                (None, None) if BUILTIN_DATA.iter().any(|b| b.0 == wire) => {
                    BUILTIN_DATA.iter().find(|b| b.0 == wire).map_or("vmodl.DataObject", |b| b.2).to_string()
                }
                (None, _) => "vmodl.DataObject".to_string(),
            };
            // A wire root repeating DynamicData's elements (MethodFault) is a DynamicData: the
            // fields are not listed twice.
            let skip = match (ct.base.is_none(), self.schema.complex_type("DynamicData")) {
                (true, Some(dd)) if base == "vmodl.DynamicData" && ct.name != "DynamicData" => {
                    let n = dd.elements.len();
                    let same = ct.elements.len() >= n && ct.elements[..n].iter().zip(&dd.elements).all(|(a, b)| a.name == b.name);
                    if same {
                        n
                    } else {
                        0
                    }
                }
                _ => 0,
            };
            let reg_props: Vec<&'a Member> = reg.map(|r| r.properties.iter().collect()).unwrap_or_default();
            let filtered: Option<&'a DataType> = self.f.data.get(&name);
            let mut props = Vec::new();
            for el in &ct.elements[skip..] {
                let what = format!("{name}.{}", el.name);
                let py = reg_props.iter().find(|p| p.name == el.name).copied();
                let at_version = filtered.is_some_and(|f| f.properties.iter().any(|p| p.name == el.name));
                if reg.is_some() && !at_version {
                    let d = Diagnostic::new(
                        Kind::PyPropertyUnregistered,
                        format!("`{what}` is on the wire, not in the registry's type at this version"),
                    )
                    .at(el.span);
                    let d = match py {
                        Some(p) => d.note(format!("the registry adds it in `{}` ({})", p.since, self.sources.line_location(p.span))),
                        None => d,
                    };
                    self.diags.push(d);
                }
                // A link (`F_LINK`) names its target type; on the wire it is the target's key.
                let py_ty = py.filter(|p| !p.flags.link).map(|p| p.ty.as_str());
                let (ty, wrapped) = self.wire_type(&el.ty, py_ty, el.span, &what);
                let array = wrapped || el.is_array();
                if let Some(p) = py {
                    self.array_check(&what, p, array, el.span);
                }
                // The registry's flag is exact; the XSD also marks later additions optional.
                let optional = py.map_or(el.is_optional(), |p| p.flags.optional || el.is_optional() && !at_version);
                props.push(ir::DoProperty {
                    name: el.name.clone(),
                    ty: ir::Ty { elem: ty, array, optional },
                    description: page
                        .and_then(|p| p.properties.iter().find(|x| x.name == el.name))
                        .map(|x| x.description.clone())
                        .unwrap_or_default(),
                    since: py.map(|p| self.at_most(&p.since)),
                });
            }
            if let Some(f) = filtered {
                for p in &f.properties {
                    if !ct.elements.iter().any(|e| e.name == p.name) && !self.inherited_on_wire(ct, &p.name) {
                        self.diags.push(
                            Diagnostic::new(
                                Kind::PyPropertyNotOnWire,
                                format!("`{name}.{}` is in the registry at this version but not in WSDL type `{wire}`", p.name),
                            )
                            .at(p.span),
                        );
                    }
                }
            }
            out.push(ir::DataObject {
                name: name.clone(),
                wsdl_name: wire.to_string(),
                base: Some(base),
                since: reg.map_or_else(|| self.since_unregistered(&name), |r| self.at_most(&r.since)),
                is_fault: false,
                deprecated: page.is_some_and(|p| p.deprecated),
                description: page.map(|p| p.description.clone()).unwrap_or_default(),
                properties: props,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        // Faults: descendants of vmodl.MethodFault, by the bases just settled.
        let base_of: HashMap<String, String> = out.iter().filter_map(|d| Some((d.name.clone(), d.base.clone()?))).collect();
        for d in &mut out {
            let mut cur = d.name.as_str();
            for _ in 0..64 {
                if cur == "vmodl.MethodFault" {
                    d.is_fault = true;
                    break;
                }
                match base_of.get(cur) {
                    Some(b) => cur = b,
                    None => break,
                }
            }
        }
        out
    }

    fn inherited_on_wire(&self, ct: &ComplexType, name: &str) -> bool {
        let mut cur = ct.base.as_ref().and_then(|b| self.schema.complex_type(b.local_name()));
        for _ in 0..64 {
            let Some(c) = cur else { return false };
            if c.elements.iter().any(|e| e.name == name) {
                return true;
            }
            cur = c.base.as_ref().and_then(|b| self.schema.complex_type(b.local_name()));
        }
        false
    }

    fn managed_objects(&mut self) -> Vec<ir::ManagedObject> {
        // Owners of every WSDL operation: each managed type (filtered, else any version) with a
        // method of that wire name.
        let mut owners: HashMap<&'a str, Vec<(&'a ManagedType, &'a pyvmomi::Method)>> = HashMap::new();
        for t in self.f.managed.values() {
            for me in &t.methods {
                owners.entry(me.wsdl_name.as_str()).or_default().push((t, me));
            }
        }
        let mut all_owners: HashMap<&'a str, Vec<(&'a ManagedType, &'a pyvmomi::Method)>> = HashMap::new();
        for t in self.all.managed.values() {
            for me in &t.methods {
                all_owners.entry(me.wsdl_name.as_str()).or_default().push((t, me));
            }
        }
        let mut methods: BTreeMap<&'a str, Vec<ir::Method>> = BTreeMap::new();
        for op in &self.schema.operations {
            let found = match owners.get(op.name.as_str()) {
                Some(o) => o.clone(),
                None => match all_owners.get(op.name.as_str()) {
                    Some(o) => {
                        let (t, me) = o[0];
                        self.newer(&format!("operation `{}` (`{}.{}`)", op.name, t.name, me.name), &me.since, me.span, op.span);
                        o.clone()
                    }
                    None => {
                        self.diags.push(
                            Diagnostic::new(
                                Kind::PyOperationUnowned,
                                format!("WSDL operation `{}` is a method of no managed type in pyVmomi's registry", op.name),
                            )
                            .at(op.span)
                            .label("dropped: no input says which managed object it is called on")
                            .help("a registry that has it (an older pyVmomi release, if it was removed later) gives its owner"),
                        );
                        continue;
                    }
                },
            };
            for (t, me) in found {
                let m = self.method(t, me, op);
                methods.entry(t.name.as_str()).or_default().push(m);
                self.include_managed(t.name.as_str());
            }
        }
        // Registry methods of this version the WSDL lacks.
        let on_wire: BTreeSet<&str> = self.schema.operations.iter().map(|o| o.name.as_str()).collect();
        for t in self.f.managed.values() {
            for me in &t.methods {
                if !on_wire.contains(me.wsdl_name.as_str()) {
                    self.diags.push(
                        Diagnostic::new(
                            Kind::PyMethodNotOnWire,
                            format!("`{}.{}` (`{}`) is in the registry at this version but not in the WSDL", t.name, me.name, me.wsdl_name),
                        )
                        .at(me.span),
                    );
                }
            }
        }
        // Also in the model: managed types the model names (data-object properties, managed
        // properties, parameters and results of the methods kept), subtypes of those in it,
        // and types without methods (their references are all a client sees of them); each
        // with its bases. Managed types whose methods are all off the wire (other services')
        // stay out unless named.
        let mut named: BTreeSet<String> = BTreeSet::new();
        for d in self.data.values().filter_map(|d| d.1) {
            named.extend(d.properties.iter().map(|p| element_type(&p.ty).0.to_string()));
        }
        for ms in methods.values() {
            for me in ms {
                named.extend(me.params.iter().map(|p| p.ty.elem.clone()));
                named.extend(me.returns.iter().map(|r| r.ty.elem.clone()));
            }
        }
        loop {
            let before = self.managed.len();
            for n in &named {
                if let Some((k, _)) = self.all.managed.get_key_value(n) {
                    self.include_managed(k.as_str());
                }
            }
            let in_model: Vec<&'a ManagedType> = self.managed.values().copied().collect();
            for t in in_model {
                let props = self.f.managed.get(&t.name).map_or(&t.properties, |f| &f.properties);
                named.extend(props.iter().map(|p| element_type(&p.ty).0.to_string()));
            }
            let f = self.f;
            for t in f.managed.values() {
                let wanted = t.methods.is_empty() || self.managed.contains_key(t.base.as_str());
                if wanted && (t.name.starts_with("vim.") || t.name.starts_with("vmodl.")) {
                    self.include_managed(t.name.as_str());
                }
            }
            for n in &named {
                if let Some((k, _)) = self.all.managed.get_key_value(n) {
                    self.include_managed(k.as_str());
                }
            }
            if self.managed.len() == before {
                break;
            }
        }
        let mos: Vec<&'a ManagedType> = self.managed.values().copied().collect();
        let mut out = Vec::new();
        for t in mos {
            let page = self.page.get(t.name.as_str()).copied();
            let props = self.f.managed.get(&t.name).map_or(&t.properties, |f| &f.properties);
            let properties = props
                .iter()
                .map(|p| {
                    let (elem, array) = element_type(&p.ty);
                    ir::MoProperty {
                        name: p.name.clone(),
                        ty: ir::Ty { elem: ir_spelling(elem).to_string(), array, optional: p.flags.optional },
                        privilege: p.privilege.clone().filter(|x| x != "None"),
                        description: page
                            .and_then(|pg| pg.properties.iter().find(|x| x.name == p.name))
                            .map(|x| x.description.clone())
                            .unwrap_or_default(),
                        since: Some(self.at_most(&p.since)),
                    }
                })
                .collect();
            let mut ms = methods.remove(t.name.as_str()).unwrap_or_default();
            ms.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.wsdl_name.cmp(&b.wsdl_name)));
            out.push(ir::ManagedObject {
                name: t.name.clone(),
                wsdl_name: t.wsdl_name.clone(),
                base: Some(t.base.clone()),
                since: self.at_most(&t.since),
                deprecated: page.is_some_and(|p| p.deprecated),
                description: page.map(|p| p.description.clone()).unwrap_or_default(),
                properties,
                methods: ms,
            });
        }
        out
    }

    /// Adds a managed type and its bases (any version: a base is older than its subtype).
    fn include_managed(&mut self, name: &'a str) {
        let mut cur = name;
        for _ in 0..64 {
            let Some(t) = self.all.managed.get(cur) else { return };
            if self.managed.insert(t.name.as_str(), t).is_some() {
                return;
            }
            cur = t.base.as_str();
        }
    }

    fn method(&mut self, t: &'a ManagedType, me: &'a pyvmomi::Method, op: &'a crate::wsdl::Operation) -> ir::Method {
        let page = self.page.get(t.name.as_str()).copied();
        let short = op.name.strip_suffix("_Task").unwrap_or(&op.name);
        let pm = page.and_then(|p| {
            p.methods
                .iter()
                .find(|m| m.service_name.as_deref().unwrap_or(&m.name) == op.name || m.service_name.as_deref().unwrap_or(&m.name) == short)
        });
        let what = format!("{}.{}", t.name, op.name);
        let mut params = Vec::new();
        for el in &op.params {
            let py = me.params.iter().find(|p| p.name == el.name);
            let py_ty = py.filter(|p| !p.flags.link).map(|p| p.ty.as_str());
            let (ty, wrapped) = self.wire_type(&el.ty, py_ty, el.span, &format!("{what}({})", el.name));
            let array = wrapped || el.is_array();
            if let Some(p) = py {
                self.array_check(&format!("{what}({})", el.name), p, array, el.span);
            }
            params.push(ir::Param {
                name: el.name.clone(),
                ty: ir::Ty { elem: ty, array, optional: el.is_optional() },
                since: py.map(|p| self.at_most(&p.since)),
            });
        }
        let returns = op.returns.as_ref().map(|el: &Element| {
            // The registry's `ty` is what the call returns (vim.Task for a task method).
            let py = (me.returns.ty != "void").then_some(me.returns.ty.as_str());
            let (ty, wrapped) = self.wire_type(&el.ty, py, el.span, &format!("{what} result"));
            ir::Return { ty: ir::Ty { elem: ty, array: wrapped || el.is_array(), optional: el.is_optional() } }
        });
        let mut faults: Vec<String> = Vec::new();
        for f in op.faults.iter().filter(|f| *f != "RuntimeFault") {
            let name = self.data.get(f.as_str()).map_or_else(|| f.clone(), |d| d.0.clone());
            faults.push(name);
        }
        faults.sort();
        faults.dedup();
        let mut py_faults: Vec<String> = me.faults.iter().filter(|f| *f != "vmodl.RuntimeFault").cloned().collect();
        py_faults.sort();
        py_faults.dedup();
        if py_faults != faults {
            self.diags.push(
                Diagnostic::new(Kind::PyFaultsMismatch, format!("`{what}` declares {faults:?} in the WSDL, {py_faults:?} in the registry"))
                    .at(op.span)
                    .note(format!("registry method at {}", self.sources.line_location(me.span))),
            );
        }
        let mut documented: Vec<ir::DocumentedFault> = Vec::new();
        if let Some(pm) = pm {
            for r in &pm.raises {
                if documented.iter().any(|d| d.name == r.name) {
                    continue;
                }
                let description = pm.faults.iter().find(|f| f.name == r.name).map(|f| f.description.clone()).unwrap_or_default();
                documented.push(ir::DocumentedFault { name: r.name.clone(), description });
            }
            for f in &pm.faults {
                if !documented.iter().any(|d| d.name == f.name) {
                    documented.push(ir::DocumentedFault { name: f.name.clone(), description: f.description.clone() });
                }
            }
        }
        ir::Method {
            name: pm.map_or_else(|| short.to_string(), |p| p.name.clone()),
            wsdl_name: op.name.clone(),
            since: self.at_most(&me.since),
            privilege: me.privilege.clone().filter(|x| x != "None"),
            params,
            returns,
            faults,
            documented_faults: documented,
            deprecated: pm.and_then(|p| p.deprecated.clone()),
            description: pm.map(|p| p.description.clone()).unwrap_or_default(),
        }
    }

    /// Managed-object properties come from the registry alone: each type must be in the model.
    fn check_mo_property_types(&mut self, model: &Model) {
        let known = |n: &str| {
            ir::PRIMITIVES.contains(&n)
                || ir::SPECIAL_TYPES.contains(&n)
                || model.data_object(n).is_some()
                || model.enum_type(n).is_some()
                || model.managed_object(n).is_some()
        };
        let mut bad = Vec::new();
        for mo in &model.managed_objects {
            for p in &mo.properties {
                if !known(&p.ty.elem) {
                    let span = self.all.managed.get(&mo.name).and_then(|t| t.properties.iter().find(|x| x.name == p.name)).map(|x| x.span);
                    bad.push((format!("`{}.{}` has type `{}`, which is not in the model", mo.name, p.name, p.ty.elem), span));
                }
            }
        }
        for (msg, span) in bad {
            self.diags.push(Diagnostic::new(Kind::PyPropertyTypeUnknown, msg).at_opt(span));
        }
    }
}

fn arr(a: bool) -> &'static str {
    if a {
        "an array"
    } else {
        "not an array"
    }
}

/// How far a model agrees with a registry filtered to the model's version: per category
/// (`mo-owner`, `method-privilege`, `do-field-type`...), facts compared and facts that agree.
/// A check of a model against an independent registry (a version's own pyVmomi release),
/// never an input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agreement {
    pub categories: BTreeMap<&'static str, (usize, usize)>,
    /// The first few disagreements per category, for the report.
    pub examples: BTreeMap<&'static str, Vec<String>>,
}

impl Agreement {
    fn fact(&mut self, cat: &'static str, agrees: bool, what: impl FnOnce() -> String) {
        let e = self.categories.entry(cat).or_default();
        e.0 += 1;
        if agrees {
            e.1 += 1;
        } else {
            let ex = self.examples.entry(cat).or_default();
            if ex.len() < 5 {
                ex.push(what());
            }
        }
    }

    /// (compared, agreeing) over every category.
    pub fn total(&self) -> (usize, usize) {
        self.categories.values().fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    }

    /// Agreeing facts in percent (100 when nothing was compared).
    pub fn percent(&self) -> f64 {
        let (n, ok) = self.total();
        if n == 0 {
            100.0
        } else {
            ok as f64 * 100.0 / n as f64
        }
    }

    /// Compares `model` with `reg` filtered to `version` (a registry version id): for every
    /// item both know, its owner, since-version, privilege, base, field and parameter types,
    /// arrays, optionality, declared faults and enum values. Items only one side has count
    /// as disagreements of `*-missing` categories.
    pub fn compare(model: &crate::ir::Model, reg: &Registry, version: &str) -> Agreement {
        let f = reg.filter(version);
        let mut a = Agreement::default();
        let spell = |t: &str| -> (String, bool) {
            let (e, arr) = element_type(t);
            (ir_spelling(e).to_string(), arr)
        };
        let by_wire: HashMap<&str, &DataType> = f.data.values().map(|d| (d.wsdl_name.as_str(), d)).collect();
        for d in &model.data_objects {
            let Some(r) = by_wire.get(d.wsdl_name.as_str()) else {
                a.fact("do-missing", false, || format!("{} ({}) not in the registry", d.name, d.wsdl_name));
                continue;
            };
            a.fact("do-missing", true, String::new);
            a.fact("do-name", r.name == d.name, || format!("{}: registry {}", d.name, r.name));
            a.fact("do-since", r.since == d.since, || format!("{}: IR {}, registry {}", d.name, d.since, r.since));
            for p in &d.properties {
                let Some(rp) = r.properties.iter().find(|x| x.name == p.name) else {
                    a.fact("do-field-missing", false, || format!("{}.{} not in the registry", d.name, p.name));
                    continue;
                };
                a.fact("do-field-missing", true, String::new);
                let (ty, arr) = spell(&rp.ty);
                let same_ty = ty == p.ty.elem.name()
                    || (p.ty.elem == crate::ir::TypeRef::Primitive(crate::ir::Primitive::String)
                        && (rp.flags.link || matches!(ty.as_str(), "vmodl.TypeName" | "vmodl.PropertyPath" | "vmodl.MethodName")));
                a.fact("do-field-type", same_ty, || format!("{}.{}: IR {}, registry {}", d.name, p.name, p.ty.elem.name(), ty));
                a.fact("do-field-array", arr == p.ty.array, || format!("{}.{}: IR array {}, registry {}", d.name, p.name, p.ty.array, arr));
                a.fact("do-field-optional", rp.flags.optional == p.ty.optional, || {
                    format!("{}.{}: IR optional {}, registry {}", d.name, p.name, p.ty.optional, rp.flags.optional)
                });
            }
        }
        let enums: HashMap<&str, &pyvmomi::EnumType> = f.enums.values().map(|e| (e.wsdl_name.as_str(), e)).collect();
        for e in &model.enums {
            let Some(r) = enums.get(e.wsdl_name.as_str()) else {
                a.fact("enum-missing", false, || format!("{} not in the registry", e.name));
                continue;
            };
            a.fact("enum-missing", true, String::new);
            a.fact("enum-values", r.values == e.values, || format!("{}: values differ", e.name));
        }
        let mut owners: HashMap<&str, Vec<&str>> = HashMap::new();
        for t in f.managed.values() {
            for m in &t.methods {
                owners.entry(m.wsdl_name.as_str()).or_default().push(t.name.as_str());
            }
        }
        for mo in &model.managed_objects {
            let r = f.managed.get(&mo.name);
            a.fact("mo-missing", r.is_some(), || format!("{} not in the registry", mo.name));
            if let Some(r) = r {
                a.fact("mo-wsdl-name", r.wsdl_name == mo.wsdl_name, || {
                    format!("{}: IR {}, registry {}", mo.name, mo.wsdl_name, r.wsdl_name)
                });
                for p in &mo.properties {
                    let Some(rp) = r.properties.iter().find(|x| x.name == p.name) else {
                        a.fact("mo-property-missing", false, || format!("{}.{} not in the registry", mo.name, p.name));
                        continue;
                    };
                    a.fact("mo-property-missing", true, String::new);
                    let (ty, arr) = spell(&rp.ty);
                    a.fact("mo-property-type", ty == p.ty.elem.name() && arr == p.ty.array, || {
                        format!("{}.{}: IR {}, registry {}", mo.name, p.name, p.ty.elem.name(), rp.ty)
                    });
                    let rpriv = rp.privilege.as_deref().filter(|x| *x != "None");
                    a.fact("mo-property-privilege", rpriv == p.privilege.as_deref(), || {
                        format!("{}.{}: IR {:?}, registry {rpriv:?}", mo.name, p.name, p.privilege)
                    });
                }
            }
            for m in &mo.methods {
                let owned = owners.get(m.wsdl_name.as_str()).is_some_and(|o| o.contains(&mo.name.as_str()));
                a.fact("method-owner", owned, || {
                    format!("{}.{}: registry owners {:?}", mo.name, m.wsdl_name, owners.get(m.wsdl_name.as_str()))
                });
                let Some(rm) = f.method(&mo.name, &m.wsdl_name) else { continue };
                a.fact("method-since", rm.since == m.since, || {
                    format!("{}.{}: IR {}, registry {}", mo.name, m.wsdl_name, m.since, rm.since)
                });
                let rpriv = rm.privilege.as_deref().filter(|x| *x != "None");
                a.fact("method-privilege", rpriv == m.privilege.as_deref(), || {
                    format!("{}.{}: IR {:?}, registry {rpriv:?}", mo.name, m.wsdl_name, m.privilege)
                });
                let mut rf: Vec<&str> = rm.faults.iter().map(String::as_str).filter(|x| *x != "vmodl.RuntimeFault").collect();
                rf.sort_unstable();
                rf.dedup();
                let mf: Vec<&str> = m.faults.iter().map(String::as_str).collect();
                a.fact("method-faults", rf == mf, || format!("{}.{}: IR {mf:?}, registry {rf:?}", mo.name, m.wsdl_name));
                for p in &m.params {
                    let Some(rp) = rm.params.iter().find(|x| x.name == p.name) else {
                        a.fact("param-missing", false, || format!("{}.{}({}) not in the registry", mo.name, m.wsdl_name, p.name));
                        continue;
                    };
                    a.fact("param-missing", true, String::new);
                    let (ty, arr) = spell(&rp.ty);
                    let same_ty = ty == p.ty.elem.name()
                        || (p.ty.elem == crate::ir::TypeRef::Primitive(crate::ir::Primitive::String)
                            && (rp.flags.link || matches!(ty.as_str(), "vmodl.TypeName" | "vmodl.PropertyPath" | "vmodl.MethodName")));
                    a.fact("param-type", same_ty && arr == p.ty.array, || {
                        format!("{}.{}({}): IR {}, registry {}", mo.name, m.wsdl_name, p.name, p.ty.elem.name(), rp.ty)
                    });
                }
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyvmomi::Layout;

    const REGISTRY: &str = r#"
AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersion("vim.version.v9_1_0_0", "vim25", "9.1.0.0", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")
AddVersionParent("vim.version.v9_1_0_0", "vim.version.version9")
AddVersionParent("vim.version.v9_1_0_0", "vim.version.v9_1_0_0")
CreateManagedType("vim.SessionManager", "SessionManager", "vmodl.ManagedObject", "vim.version.version1", [("sessionList", "vim.UserSession[]", "vim.version.version1", F_OPTIONAL, "Sessions.TerminateSession"), ("newer", "string", "vim.version.v9_1_0_0", 0, None)], [("login", "Login", "vim.version.version1", (("userName", "string", "vim.version.version1", 0, None),("host", "vim.HostSystem", "vim.version.version9", F_OPTIONAL, None),), (0, "vim.UserSession", "vim.UserSession"), "System.Anonymous", ["vim.fault.InvalidLogin", ]), ("logoutLater", "LogoutLater", "vim.version.v9_1_0_0", (), (0, "void", "void"), "System.View", None), ("notOnWire", "NotOnWire", "vim.version.version9", (), (0, "void", "void"), "System.View", None)])
CreateManagedType("vim.HostSystem", "HostSystem", "vmodl.ManagedObject", "vim.version.version1", None, None)
CreateDataType("vim.UserSession", "UserSession", "vmodl.DynamicData", "vim.version.version1", [("key", "string", "vim.version.version1", 0), ("host", "vim.HostSystem", "vim.version.version1", F_OPTIONAL), ("later", "string", "vim.version.v9_1_0_0", F_OPTIONAL)])
CreateDataType("vim.fault.InvalidLogin", "InvalidLogin", "vmodl.MethodFault", "vim.version.version1", None)
CreateDataType("vmodl.DynamicData", "DynamicData", "vmodl.DataObject", "vim.version.version1", [("dynamicType", "string", "vim.version.version1", F_OPTIONAL)])
"#;

    const WSDL: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<definitions targetNamespace="urn:vim25" xmlns="http://schemas.xmlsoap.org/wsdl/"
   xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:vim25="urn:vim25" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
 <types><schema targetNamespace="urn:vim25" xmlns="http://www.w3.org/2001/XMLSchema" xmlns:vim25="urn:vim25" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <complexType name="ManagedObjectReference"><simpleContent><extension base="xsd:string"><attribute name="type" type="xsd:string"/></extension></simpleContent></complexType>
  <complexType name="DynamicData"><sequence><element name="dynamicType" type="xsd:string" minOccurs="0"/></sequence></complexType>
  <complexType name="MethodFault"><sequence><element name="faultMessage" type="xsd:string" minOccurs="0"/></sequence></complexType>
  <complexType name="InvalidLogin"><complexContent><extension base="vim25:MethodFault"><sequence/></extension></complexContent></complexType>
  <complexType name="UserSession"><complexContent><extension base="vim25:DynamicData"><sequence>
   <element name="key" type="xsd:string"/>
   <element name="host" type="vim25:ManagedObjectReference" minOccurs="0"/>
  </sequence></extension></complexContent></complexType>
  <complexType name="Mystery"><sequence><element name="x" type="xsd:int"/></sequence></complexType>
  <complexType name="LoginRequestType"><sequence><element name="_this" type="vim25:ManagedObjectReference"/><element name="userName" type="xsd:string"/><element name="host" type="vim25:ManagedObjectReference" minOccurs="0"/></sequence></complexType>
  <complexType name="OrphanRequestType"><sequence><element name="_this" type="vim25:ManagedObjectReference"/></sequence></complexType>
  <element name="Login" type="vim25:LoginRequestType"/>
  <element name="LoginResponse"><complexType><sequence><element name="returnval" type="vim25:UserSession"/></sequence></complexType></element>
  <element name="Orphan" type="vim25:OrphanRequestType"/>
  <element name="OrphanResponse"><complexType/></element>
  <element name="InvalidLoginFault" type="vim25:InvalidLogin"/>
 </schema></types>
 <message name="LoginRequestMsg"><part name="parameters" element="vim25:Login"/></message>
 <message name="LoginResponseMsg"><part name="parameters" element="vim25:LoginResponse"/></message>
 <message name="OrphanRequestMsg"><part name="parameters" element="vim25:Orphan"/></message>
 <message name="OrphanResponseMsg"><part name="parameters" element="vim25:OrphanResponse"/></message>
 <message name="InvalidLoginFaultMsg"><part name="fault" element="vim25:InvalidLoginFault"/></message>
 <portType name="VimPortType">
  <operation name="Login"><input message="vim25:LoginRequestMsg"/><output message="vim25:LoginResponseMsg"/><fault name="InvalidLoginFault" message="vim25:InvalidLoginFaultMsg"/></operation>
  <operation name="Orphan"><input message="vim25:OrphanRequestMsg"/><output message="vim25:OrphanResponseMsg"/></operation>
 </portType>
 <binding name="VimBinding" type="vim25:VimPortType">
  <operation name="Login"><soap:operation soapAction="urn:vim25/5.5"/></operation>
  <operation name="Orphan"><soap:operation soapAction="urn:vim25/5.5"/></operation>
 </binding>
</definitions>
"#;

    fn run() -> (crate::ir::Model, Diagnostics) {
        let mut sources = SourceMap::new();
        let mut diags = Diagnostics::new();
        let reg = crate::pyvmomi::read_in_memory(&[("_typeinfo_vim.py", REGISTRY)], Layout::TypeInfo, &mut sources, &mut diags);
        let schema = crate::wsdl::read_in_memory(&[("w/vim.wsdl", WSDL)], &mut sources, &mut diags);
        diags.list.retain(|d| d.kind != Kind::PyUnknownType);
        assert_eq!(diags.error_count(), 0, "{}", diags.render_all(&sources));
        let out = merge(&sources, &Pages::default(), &schema, &reg, &mut diags);
        (out.model, diags)
    }

    #[test]
    fn the_registry_gives_owners_privileges_versions_and_targets() {
        let (model, diags) = run();
        assert_eq!(diags.error_count(), 0);
        assert_eq!(model.api_version.as_deref(), Some("5.5"));
        let ids: Vec<&str> = model.versions.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["vim.version.version1", "vim.version.version9"], "up to the WSDL's version only");
        let sm = model.managed_object("vim.SessionManager").expect("SessionManager owns Login");
        assert_eq!(sm.methods.iter().map(|m| m.wsdl_name.as_str()).collect::<Vec<_>>(), ["Login"]);
        let login = &sm.methods[0];
        assert_eq!((login.privilege.as_deref(), login.since.as_str()), (Some("System.Anonymous"), "vim.version.version1"));
        assert_eq!(login.faults, ["vim.fault.InvalidLogin"]);
        let host = crate::ir::TypeRef::ManagedObject(Some("vim.HostSystem".into()));
        assert_eq!(login.params[1].ty.elem, host, "resolved to a reference with its target");
        assert_eq!(login.params[1].since.as_deref(), Some("vim.version.version9"));
        // Managed-object properties of this version only: `newer` came with 9.1.
        let props: Vec<(&str, bool)> = sm.properties.iter().map(|p| (p.name.as_str(), p.ty.array)).collect();
        assert_eq!(props, [("sessionList", true)]);
        assert!(sm.description.is_empty(), "no page: no prose");
        let us = model.data_object("vim.UserSession").expect("UserSession");
        assert_eq!(us.properties[1].ty.elem, host);
        assert!(model.managed_object("vim.HostSystem").is_some(), "a reference target is in the model");
        assert!(model.data_object("vim.fault.InvalidLogin").is_some_and(|d| d.is_fault));
    }

    #[test]
    fn what_no_input_states_is_reported_not_guessed() {
        let (model, diags) = run();
        let kinds = |k: Kind| diags.of_kind(k).map(|d| d.message.clone()).collect::<Vec<_>>();
        assert_eq!(kinds(Kind::PyOperationUnowned), ["WSDL operation `Orphan` is a method of no managed type in pyVmomi's registry"]);
        assert!(model.managed_objects.iter().all(|m| m.methods.iter().all(|x| x.wsdl_name != "Orphan")));
        assert_eq!(kinds(Kind::PyWireUnregistered), ["WSDL type `Mystery` is in no version of pyVmomi's registry"]);
        let mystery = model.data_object("Mystery").expect("kept under its wire name");
        assert_eq!(mystery.since, "vim.version.version9", "the WSDL's version");
        assert_eq!(kinds(Kind::PyMethodNotOnWire).len(), 1, "NotOnWire (5.5), not LogoutLater (9.1)");
    }
}

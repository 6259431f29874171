//! The join of the two inputs into one [`Model`].
//!
//! Who is trusted for what (see `shared/spec-corpus/README.md`, "Measured facts"):
//! - the **WSDL** for wire names, data-object fields and their order, arrays, parameter
//!   lists and their optionality, return types, declared faults;
//! - the **markdown** for which object owns a method, privileges, versions, documented
//!   faults, prose, the optionality of properties, and which managed object a reference
//!   points at;
//! - the **overrides file** for what neither states (managed objects' wire names and array
//!   properties, irregular type names, reference classes the markdown omits).
//!
//! Every disagreement is a diagnostic. Errors mean the model would be wrong; warnings mean
//! the inputs disagree and the rule above decided. The kinds are listed in [`KINDS`].

pub mod names;
pub mod registry;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diag::{self, Diagnostic, Diagnostics, SourceMap, Span};
use crate::ir::named::{self as ir, Model};
use crate::markdown::{Pages, TableForm, TypeCell, TypePage, VersionRef};
use crate::overrides::Overrides;
use crate::wsdl::{ComplexType, Element, Schema, TypeRef};
use names::*;

/// Every diagnostic kind the merge emits (severity and meaning: [`diag::Kind`]).
pub const KINDS: &[diag::Kind] = &[
    diag::Kind::UnjoinedType,
    diag::Kind::JoinMismatch,
    diag::Kind::DuplicateJoin,
    diag::Kind::UnknownType,
    diag::Kind::UnknownBase,
    diag::Kind::MethodNotOnWire,
    diag::Kind::OverrideUnknown,
    diag::Kind::WsdlVersionMismatch,
    diag::Kind::UnjoinedEnum,
    diag::Kind::PropertyNotOnWire,
    diag::Kind::PropertyUndocumented,
    diag::Kind::TypeMismatch,
    diag::Kind::OptionalMismatch,
    diag::Kind::BaseMismatch,
    diag::Kind::ParamNotOnWire,
    diag::Kind::ReturnMismatch,
    diag::Kind::MoRefUntyped,
    diag::Kind::MoWireNameGuessed,
    diag::Kind::OperationUnowned,
    diag::Kind::WsdlTypeUnused,
    diag::Kind::EnumValuesMismatch,
    diag::Kind::UnknownVersion,
    diag::Kind::PropertyShadowsBase,
    diag::Kind::DocLinkUnresolved,
    diag::Kind::SinceDisagrees,
    diag::Kind::TaskSuffixMismatch,
];

/// What the merge produced besides the model.
#[derive(Debug, Default)]
pub struct MergeOutput {
    pub model: crate::ir::Model,
    /// The model as merged, before resolution, when some type names resolved to nothing
    /// (errors): what `cargo xtask ir` writes then, names and all.
    pub as_merged: Option<Model>,
    /// Overrides entries a heuristic proposes (TOML lines, by section), for a person to check.
    pub proposals: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Managed,
    Data,
}

struct Merger<'a> {
    sources: &'a SourceMap,
    pages: &'a Pages,
    schema: &'a Schema,
    ov: &'a Overrides,
    diags: &'a mut Diagnostics,
    proposals: BTreeMap<String, Vec<String>>,
    page: BTreeMap<&'a str, &'a TypePage>,
    kind: BTreeMap<&'a str, Kind>,
    /// Data object VMODL name -> its WSDL type.
    do_wire: BTreeMap<&'a str, &'a ComplexType>,
    /// WSDL type or enum name -> VMODL name.
    from_wire: HashMap<&'a str, &'a str>,
    /// Enum VMODL names.
    enum_names: BTreeSet<&'a str>,
}

/// Joins pages, schema and overrides. Diagnostics go to `diags`; the model is always
/// produced (with what could be joined), so one run reports every problem.
pub fn merge(sources: &SourceMap, pages: &Pages, schema: &Schema, ov: &Overrides, diags: &mut Diagnostics) -> MergeOutput {
    let mut m = Merger {
        sources,
        pages,
        schema,
        ov,
        diags,
        proposals: BTreeMap::new(),
        page: pages.types.iter().map(|p| (p.name.as_str(), p)).collect(),
        kind: BTreeMap::new(),
        do_wire: BTreeMap::new(),
        from_wire: HashMap::new(),
        enum_names: BTreeSet::new(),
    };
    m.check_version();
    m.classify();
    m.join_data_objects();
    m.join_enums();
    let mut model = Model {
        format: ir::FORMAT,
        api_version: schema.api_version().map(str::to_string),
        versions: pages
            .versions
            .iter()
            .map(|v| ir::Version {
                id: v.id.clone(),
                name: v.official_name.clone(),
                namespace: v.namespace.clone(),
                version: v.version.clone(),
            })
            .collect(),
        ..Model::default()
    };
    model.enums = m.enums();
    model.data_objects = m.data_objects();
    model.managed_objects = m.managed_objects();
    m.drop_shadowed_properties(&mut model.managed_objects);
    m.check_doc_links();
    m.check_overrides();
    m.unused_wire_types();
    let (model, as_merged) = resolve(model, m.diags);
    MergeOutput { model, as_merged, proposals: m.proposals }
}

/// The end of both merges: every type name becomes a resolved [`crate::ir::TypeRef`]. The
/// merges report each name they cannot place (`unknown-type`, `py-unknown-type`) where they
/// meet it; what still resolves to nothing is left out of the resolved model (kept, with the
/// names, in [`MergeOutput::as_merged`]), and, should no error have been reported, becomes one
/// here: a model with a dangling name never passes as clean.
pub(crate) fn resolve(model: Model, diags: &mut Diagnostics) -> (crate::ir::Model, Option<Model>) {
    let unresolved = model.unresolved();
    if unresolved.is_empty() {
        return (model.resolve().0, None);
    }
    if diags.error_count() == 0 {
        for u in unresolved {
            diags.push(Diagnostic::new(diag::Kind::UnknownType, u.to_string()));
        }
    }
    (model.clone().resolve().0, Some(model))
}

impl<'a> Merger<'a> {
    fn propose(&mut self, section: &str, line: String) {
        self.proposals.entry(section.to_string()).or_default().push(line);
    }

    fn check_version(&mut self) {
        let (Some(wire), Some(newest)) = (self.schema.api_version(), self.pages.versions.iter().max_by_key(|v| version_number(&v.id)))
        else {
            return;
        };
        if wire != newest.version {
            let span = self.schema.operations.iter().find_map(|o| o.soap_action_span).or(self.schema.operations.first().map(|o| o.span));
            self.diags.push(
                Diagnostic::new(
                    diag::Kind::WsdlVersionMismatch,
                    format!("the WSDL is for API {wire}, the pages for API {} ({})", newest.version, newest.id),
                )
                .at_opt(span)
                .label(format!("soapAction names {wire}"))
                .note(format!("newest version listed at {}", self.sources.location(newest.span)))
                .help("read a WSDL and pages of the same API version"),
            );
        }
    }

    /// Managed or data: by the base chain. A page without a base is a data object when the
    /// WSDL has a type for it (managed objects have none), a managed object otherwise.
    fn classify(&mut self) {
        let names: Vec<&'a str> = self.page.keys().copied().collect();
        for name in names {
            let mut chain = vec![name];
            let mut cur = name;
            let kind = loop {
                if let Some(k) = self.kind.get(cur) {
                    break *k;
                }
                let page = self.page[cur];
                match &page.base {
                    None => {
                        let wired = self.schema.complex_type(&self.wire_name_of(cur)).is_some();
                        break if wired || page.table == TableForm::Fault { Kind::Data } else { Kind::Managed };
                    }
                    Some(b) => match b.name.as_str() {
                        "vmodl.DynamicData" | "vmodl.DataObject" | "vmodl.MethodFault" | "vmodl.RuntimeFault"
                            if !self.page.contains_key(b.name.as_str()) =>
                        {
                            break Kind::Data
                        }
                        "vmodl.ManagedObject" => break Kind::Managed,
                        base => match self.page.get_key_value(base) {
                            Some((k, _)) if !chain.contains(k) => {
                                chain.push(k);
                                cur = k;
                            }
                            Some(_) => {
                                self.diags
                                    .push(Diagnostic::new(diag::Kind::UnknownBase, format!("`{name}` inherits from itself")).at(b.span));
                                break Kind::Data;
                            }
                            None => {
                                self.diags.push(
                                    Diagnostic::new(
                                        diag::Kind::UnknownBase,
                                        format!("`{}` inherits from `{base}`, which has no page", page.name),
                                    )
                                    .at(b.span),
                                );
                                break if page.table == TableForm::Fault || self.schema.complex_type(&self.wire_name_of(cur)).is_some() {
                                    Kind::Data
                                } else {
                                    Kind::Managed
                                };
                            }
                        },
                    },
                }
            };
            for n in chain {
                self.kind.insert(n, kind);
            }
        }
    }

    /// The WSDL name a data object's page joins: the alias, else the flattened name.
    fn wire_name_of(&self, vmodl: &str) -> String {
        self.ov.type_aliases.get(vmodl).cloned().unwrap_or_else(|| flatten(vmodl))
    }

    fn join_data_objects(&mut self) {
        let schema = self.schema;
        let data: Vec<&'a TypePage> = self.page.values().copied().filter(|p| self.kind[p.name.as_str()] == Kind::Data).collect();
        let mut by_wire: BTreeMap<&'a str, &'a str> = BTreeMap::new();
        for p in data {
            let wire = self.wire_name_of(&p.name);
            let Some(ct) = schema.complex_type(&wire) else {
                let mut d = Diagnostic::new(diag::Kind::UnjoinedType, format!("data object `{}` has no WSDL type `{wire}`", p.name))
                    .at(p.name_span)
                    .label("no complexType of this name");
                if let Some(c) = self.candidate_for(p) {
                    d = d.help(format!("the WSDL type `{c}` has the same properties: add `\"{}\" = \"{c}\"` to [type_aliases]", p.name));
                    self.propose("type_aliases", format!("\"{}\" = \"{c}\"", p.name));
                }
                self.diags.push(d);
                continue;
            };
            // Verify the join by property names: a false join shares none.
            let page_names: BTreeSet<&str> = p.properties.iter().map(|x| x.name.as_str()).collect();
            let wire_names: BTreeSet<&str> = ct.elements.iter().map(|e| e.name.as_str()).collect();
            if !page_names.is_empty() && !wire_names.is_empty() && page_names.is_disjoint(&wire_names) {
                self.diags.push(
                    Diagnostic::new(diag::Kind::JoinMismatch, format!("`{}` joins WSDL type `{wire}`, but they share no property", p.name))
                        .at(p.name_span)
                        .note(format!("the WSDL type is at {}", self.sources.location(ct.span))),
                );
                continue;
            }
            if let Some(other) = by_wire.insert(ct.name.as_str(), p.name.as_str()) {
                self.diags.push(
                    Diagnostic::new(diag::Kind::DuplicateJoin, format!("`{}` and `{other}` both join WSDL type `{wire}`", p.name))
                        .at(p.name_span),
                );
                continue;
            }
            self.do_wire.insert(p.name.as_str(), ct);
            self.from_wire.insert(ct.name.as_str(), p.name.as_str());
        }
    }

    /// A WSDL type with exactly the page's property names, not joined otherwise.
    fn candidate_for(&self, p: &TypePage) -> Option<String> {
        let want: Vec<&str> = p.properties.iter().map(|x| x.name.as_str()).collect();
        let last = p.name.rsplit('.').next().unwrap_or("");
        let mut found: Vec<&str> = self
            .schema
            .complex_types
            .iter()
            .filter(|c| !c.name.starts_with("ArrayOf") && !c.name.ends_with("RequestType"))
            .filter(|c| {
                let names: Vec<&str> = c.elements.iter().map(|e| e.name.as_str()).collect();
                if want.is_empty() {
                    c.name.ends_with(last) && names.is_empty()
                } else {
                    names == want
                }
            })
            .map(|c| c.name.as_str())
            .collect();
        if found.len() > 1 {
            found.retain(|c| c.ends_with(last));
        }
        match found.as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        }
    }

    fn join_enums(&mut self) {
        for e in &self.pages.enums {
            if self.schema.enum_type(&e.wsdl_name).is_some() {
                self.from_wire.insert(e.wsdl_name.as_str(), e.name.as_str());
                self.enum_names.insert(e.name.as_str());
            } else {
                self.diags.push(
                    Diagnostic::new(diag::Kind::UnjoinedEnum, format!("enum `{}` has no WSDL enumeration `{}`", e.name, e.wsdl_name))
                        .at(e.span),
                );
            }
        }
    }

    fn enums(&mut self) -> Vec<ir::Enum> {
        let mut out = Vec::new();
        for e in &self.pages.enums {
            let Some(wire) = self.schema.enum_type(&e.wsdl_name) else { continue };
            let page_values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
            let wire_values: Vec<&str> = wire.values.iter().map(String::as_str).collect();
            if page_values.iter().collect::<BTreeSet<_>>() != wire_values.iter().collect::<BTreeSet<_>>() {
                let missing: Vec<&str> = wire_values.iter().filter(|v| !page_values.contains(v)).copied().collect();
                let extra: Vec<&str> = page_values.iter().filter(|v| !wire_values.contains(v)).copied().collect();
                self.diags.push(
                    Diagnostic::new(diag::Kind::EnumValuesMismatch, format!("enum `{}` values differ from the WSDL's", e.name))
                        .at(e.span)
                        .note(format!("only on the wire: {missing:?}; only on the page: {extra:?}")),
                );
            }
            let doc_of = |v: &str| e.values.iter().find(|x| x.name == v).map(|x| x.description.clone()).unwrap_or_default();
            out.push(ir::Enum {
                name: e.name.clone(),
                wsdl_name: e.wsdl_name.clone(),
                since: first_version(&e.name).to_string(),
                description: e.description.clone(),
                values: wire.values.clone(),
                value_docs: wire.values.iter().map(|v| doc_of(v)).collect(),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn since_of(&mut self, r: Option<&VersionRef>, default: &str) -> String {
        let Some(r) = r else { return default.to_string() };
        let id = match resolve_version(r, &self.pages.versions) {
            VersionResolution::Id(id) => id,
            VersionResolution::Default => return default.to_string(),
            VersionResolution::Unknown => {
                self.diags.push(
                    Diagnostic::new(diag::Kind::UnknownVersion, format!("version `{}` matches no row of vim.version.md", r.text))
                        .at(r.span),
                );
                return default.to_string();
            }
        };
        // Some rows link a newer name to an older anchor (`[vSphere API 5.1](#...version5)`):
        // the anchor is then the owning type's version, and the member came later.
        // An anchor whose row has the text's name agrees with it ("vSphere API 4.0" is both
        // version4 and version5).
        if self.pages.versions.iter().any(|v| v.id == id && v.official_name == r.text.trim()) {
            return id;
        }
        let by_text = VersionRef { anchor: None, ..r.clone() };
        if let VersionResolution::Id(text_id) = resolve_version(&by_text, &self.pages.versions) {
            let same_package = text_id.rsplit_once('.').map(|x| x.0) == id.rsplit_once('.').map(|x| x.0);
            if same_package && version_number(&text_id) > version_number(&id) {
                self.diags.push(
                    Diagnostic::new(
                        diag::Kind::SinceDisagrees,
                        format!("version text `{}` is newer than its anchor `{id}`; `{text_id}` kept", r.text),
                    )
                    .at(r.span),
                );
                return text_id;
            }
        }
        id
    }

    fn is_fault(&self, name: &str) -> bool {
        let mut cur = name;
        for _ in 0..64 {
            if cur == "vmodl.MethodFault" {
                return true;
            }
            match self.page.get(cur).and_then(|p| p.base.as_ref()) {
                Some(b) => cur = b.name.as_str(),
                None => return false,
            }
        }
        false
    }

    fn data_objects(&mut self) -> Vec<ir::DataObject> {
        let joined: Vec<(&'a str, &'a ComplexType)> = self.do_wire.iter().map(|(k, v)| (*k, *v)).collect();
        let mut out = Vec::new();
        for (name, ct) in joined {
            let p = self.page[name];
            let fault_page = p.table == TableForm::Fault;
            let facts = self.ov.data_objects.get(name);
            // Base: the page's, checked against the extension base.
            let wire_base = ct.base.as_ref().map(|b| self.from_wire.get(b.local_name()).copied().unwrap_or(b.local_name()));
            let base = match (&p.base, wire_base) {
                (Some(pb), Some(wb)) => {
                    if pb.name != wb {
                        self.diags.push(
                            Diagnostic::new(
                                diag::Kind::BaseMismatch,
                                format!("`{name}` inherits from `{}` but its WSDL type extends `{wb}`", pb.name),
                            )
                            .at(pb.span),
                        );
                    }
                    Some(pb.name.clone())
                }
                (Some(pb), None) => Some(pb.name.clone()),
                (None, Some(wb)) => Some(wb.to_string()),
                (None, None) => None,
            };
            // A root of the wire (MethodFault) that repeats DynamicData's elements is a
            // DynamicData: same bytes on the wire, and the fields are not listed twice.
            let (base, skip) = match base {
                Some(b) => (Some(b), 0),
                None => self.dynamic_data_prefix(ct).map_or((Some("vmodl.DataObject".to_string()), 0), |(dd, n)| (Some(dd), n)),
            };
            let mut props = Vec::new();
            for el in &ct.elements[skip..] {
                let page_prop = p.properties.iter().find(|x| x.name == el.name);
                if page_prop.is_none() {
                    self.diags.push(
                        Diagnostic::new(
                            diag::Kind::PropertyUndocumented,
                            format!("`{name}.{}` is on the wire but not on the page", el.name),
                        )
                        .at(el.span),
                    );
                }
                let hint = page_prop.map(|x| &x.ty).filter(|_| !fault_page || el.ty == TypeRef::Named("ManagedObjectReference".into()));
                let ov = facts.and_then(|f| f.property_types.get(&el.name)).map(String::as_str);
                let (ty, array) = self.wire_type(&el.ty, hint, ov, el.span, &format!("{name}.{}", el.name), fault_page);
                let optional = match page_prop {
                    Some(pp) => {
                        if pp.optional && !el.is_optional() {
                            self.diags.push(
                                Diagnostic::new(
                                    diag::Kind::OptionalMismatch,
                                    format!("`{name}.{}` is optional on the page, required in the XSD", el.name),
                                )
                                .at(pp.span),
                            );
                        }
                        pp.optional
                    }
                    None => el.is_optional(),
                };
                props.push(ir::DoProperty {
                    name: el.name.clone(),
                    ty: ir::Ty { elem: ty, array: array || el.is_array(), optional },
                    description: page_prop.map(|x| x.description.clone()).unwrap_or_default(),
                    since: None,
                });
            }
            for pp in &p.properties {
                if !ct.elements.iter().any(|e| e.name == pp.name) && !self.inherited_on_wire(ct, &pp.name) {
                    self.diags.push(
                        Diagnostic::new(
                            diag::Kind::PropertyNotOnWire,
                            format!("`{name}.{}` is on the page but not in WSDL type `{}`", pp.name, ct.name),
                        )
                        .at(pp.span),
                    );
                }
            }
            let since = self.since_of(p.since.as_ref(), first_version(name));
            out.push(ir::DataObject {
                name: name.to_string(),
                wsdl_name: ct.name.clone(),
                base,
                since,
                is_fault: self.is_fault(name),
                deprecated: p.deprecated,
                description: p.description.clone(),
                properties: props,
            });
        }
        out
    }

    /// For a type without a base: DynamicData's VMODL name and its element count, when the
    /// type starts with exactly DynamicData's elements (and is not DynamicData itself).
    fn dynamic_data_prefix(&self, ct: &ComplexType) -> Option<(String, usize)> {
        let dd = self.schema.complex_type("DynamicData")?;
        let dd_name = self.from_wire.get("DynamicData")?;
        let n = dd.elements.len();
        let same = ct.name != dd.name
            && n > 0
            && ct.elements.len() >= n
            && ct.elements[..n].iter().zip(&dd.elements).all(|(a, b)| a.name == b.name && a.ty == b.ty);
        same.then(|| (dd_name.to_string(), n))
    }

    /// Whether an ancestor of a WSDL type has element `name` (pages sometimes repeat
    /// inherited properties, as `vmodl.MethodFault` does).
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

    /// The IR type of a wire type, with the markdown's spelling as a hint (for reference
    /// classes and string-typed names) and an override that wins. Returns (type, array).
    fn wire_type(
        &mut self,
        ty: &TypeRef,
        hint: Option<&TypeCell>,
        ov: Option<&str>,
        span: Span,
        what: &str,
        fault_page: bool,
    ) -> (String, bool) {
        let hint_name = hint.map(|h| normalize_markdown_type(&h.name));
        match ty {
            TypeRef::Xsd(local) => {
                let Some(prim) = xsd_primitive(local) else {
                    self.diags
                        .push(Diagnostic::new(diag::Kind::UnknownType, format!("`{what}` has XML Schema type `xsd:{local}`")).at(span));
                    return ("anyType".into(), false);
                };
                // Neither input says where a string is a type, property path or method name:
                // the overrides do.
                if let Some(o) = ov {
                    if prim == "string" && matches!(o, "vmodl.TypeName" | "vmodl.PropertyPath" | "vmodl.MethodName") {
                        return (o.to_string(), false);
                    }
                    if o != prim {
                        self.diags.push(
                            Diagnostic::new(
                                diag::Kind::OverrideUnknown,
                                format!("`{what}` is `{prim}` on the wire; the override `{o}` cannot apply"),
                            )
                            .at(span),
                        );
                    }
                }
                if let Some(h) = hint_name {
                    if prim == "string" && matches!(h, "vmodl.TypeName" | "vmodl.PropertyPath" | "vmodl.MethodName") {
                        return (h.to_string(), false);
                    }
                    if !spelling_agrees(h, prim) && !fault_page {
                        self.type_mismatch(what, h, prim, hint.map_or(span, |h| h.span));
                    }
                }
                (prim.to_string(), false)
            }
            TypeRef::Named(n) if n == "ManagedObjectReference" => {
                let class = match (ov, hint_name) {
                    (Some(o), _) => o.to_string(),
                    (None, Some(h)) if h == "vmodl.ManagedObject" || self.kind.get(h) == Some(&Kind::Managed) => h.to_string(),
                    (None, h) => {
                        if let Some(h) = h.filter(|h| !fault_page && *h != "string") {
                            self.type_mismatch(what, h, "a managed object reference", hint.map_or(span, |x| x.span));
                        }
                        self.diags.push(
                            Diagnostic::new(
                                diag::Kind::MoRefUntyped,
                                format!("`{what}` is a reference to a managed object neither input names"),
                            )
                            .at(span)
                            .help("name the managed object in the overrides file"),
                        );
                        "vmodl.ManagedObject".to_string()
                    }
                };
                if class != "vmodl.ManagedObject" && self.kind.get(class.as_str()) != Some(&Kind::Managed) {
                    self.diags.push(
                        Diagnostic::new(diag::Kind::UnknownType, format!("`{what}` refers to `{class}`, which is not a managed object"))
                            .at(span),
                    );
                }
                (class, false)
            }
            TypeRef::Named(n) if n.starts_with("ArrayOf") && self.schema.complex_type(n).is_some_and(|c| c.elements.len() == 1) => {
                let inner = self.schema.complex_type(n).map(|c| c.elements[0].ty.clone());
                match inner {
                    Some(inner) => (self.wire_type(&inner, hint, ov, span, what, fault_page).0, true),
                    None => ("anyType".into(), true),
                }
            }
            TypeRef::Named(n) if n == "LocalizedMethodFault" || n == "MethodFault" => ("vmodl.MethodFault".into(), false),
            TypeRef::Named(n) => match self.from_wire.get(n.as_str()) {
                Some(v) => {
                    let v = v.to_string();
                    if let Some(h) = hint_name {
                        if h != v && !fault_page {
                            self.type_mismatch(what, h, &v, hint.map_or(span, |x| x.span));
                        }
                    }
                    (v, false)
                }
                None => {
                    self.diags.push(
                        Diagnostic::new(diag::Kind::UnknownType, format!("`{what}` has WSDL type `{n}`, which no page describes")).at(span),
                    );
                    (n.clone(), false)
                }
            },
        }
    }

    fn type_mismatch(&mut self, what: &str, page: &str, wire: &str, span: Span) {
        self.diags.push(
            Diagnostic::new(diag::Kind::TypeMismatch, format!("`{what}` is `{page}` on the page but `{wire}` on the wire"))
                .at(span)
                .label("the wire type is kept"),
        );
    }

    /// A markdown type (managed-object properties have no wire form) in IR spelling.
    fn markdown_type(&mut self, cell: &TypeCell, ov: Option<&str>, what: &str) -> String {
        let name = ov.unwrap_or_else(|| normalize_markdown_type(&cell.name)).to_string();
        let known = ir::PRIMITIVES.contains(&name.as_str())
            || ir::SPECIAL_TYPES.contains(&name.as_str())
            || self.kind.contains_key(name.as_str())
            || self.enum_names.contains(name.as_str());
        if !known {
            self.diags.push(
                Diagnostic::new(diag::Kind::UnknownType, format!("`{what}` has type `{name}`, which no page describes")).at(cell.span),
            );
        }
        name
    }

    fn managed_objects(&mut self) -> Vec<ir::ManagedObject> {
        let mos: Vec<&'a TypePage> = self.page.values().copied().filter(|p| self.kind[p.name.as_str()] == Kind::Managed).collect();
        let mut claimed: BTreeSet<&'a str> = BTreeSet::new();
        let mut out = Vec::new();
        for p in mos {
            let name = p.name.as_str();
            let facts = self.ov.managed_objects.get(name);
            let wsdl_name = match facts.and_then(|f| f.wsdl_name.clone()) {
                Some(w) => w,
                None => {
                    let guess = flatten(name);
                    self.diags.push(
                        Diagnostic::new(
                            diag::Kind::MoWireNameGuessed,
                            format!("managed object `{name}` has no wire name in the overrides; guessed `{guess}`"),
                        )
                        .at(p.name_span)
                        .help(format!("add `wsdl_name = \"{guess}\"` under [managed_objects.\"{name}\"] once checked")),
                    );
                    self.propose(&format!("managed_objects.\"{name}\""), format!("wsdl_name = \"{guess}\""));
                    guess
                }
            };
            let since = self.since_of(p.since.as_ref(), first_version(name));
            let mut properties = Vec::new();
            for pp in &p.properties {
                let ov = facts.and_then(|f| f.property_types.get(&pp.name)).map(String::as_str);
                let ty = self.markdown_type(&pp.ty, ov, &format!("{name}.{}", pp.name));
                properties.push(ir::MoProperty {
                    name: pp.name.clone(),
                    ty: ir::Ty { elem: ty, array: facts.is_some_and(|f| f.array_properties.contains(&pp.name)), optional: pp.optional },
                    privilege: pp.privilege.clone(),
                    description: pp.description.clone(),
                    since: None,
                });
            }
            let mut methods = Vec::new();
            for pm in &p.methods {
                let wire_name = pm.service_name.clone().unwrap_or_else(|| pm.name.clone());
                let op = self.schema.operation(&wire_name).or_else(|| self.schema.operation(&format!("{wire_name}_Task")));
                let Some(op) = op else {
                    self.diags.push(
                        Diagnostic::new(
                            diag::Kind::MethodNotOnWire,
                            format!("`{name}.{}` has no WSDL operation `{wire_name}` or `{wire_name}_Task`", pm.name),
                        )
                        .at(pm.span),
                    );
                    continue;
                };
                claimed.insert(op.name.as_str());
                let what = format!("{name}.{}", pm.name);
                let returns_task = pm.returns.as_ref().is_some_and(|r| r.name == "vim.Task");
                if op.name.ends_with("_Task") != returns_task && op.name != wire_name {
                    self.diags.push(
                        Diagnostic::new(
                            diag::Kind::TaskSuffixMismatch,
                            format!("`{what}` is `{}` on the wire but its page does not return vim.Task", op.name),
                        )
                        .at(pm.span),
                    );
                }
                let mut params = Vec::new();
                for el in &op.params {
                    let hint = pm.params.iter().find(|h| h.name == el.name).map(|h| &h.ty);
                    let ov = facts.and_then(|f| f.param_types.get(&format!("{}.{}", pm.name, el.name))).map(String::as_str);
                    let (ty, array) = self.wire_type(&el.ty, hint, ov, el.span, &format!("{what}({})", el.name), false);
                    params.push(ir::Param {
                        name: el.name.clone(),
                        ty: ir::Ty { elem: ty, array: array || el.is_array(), optional: el.is_optional() },
                        since: None,
                    });
                }
                for h in &pm.params {
                    if !op.params.iter().any(|e| e.name == h.name) {
                        self.diags.push(
                            Diagnostic::new(
                                diag::Kind::ParamNotOnWire,
                                format!("`{what}` heading names `{}`, which `{}` lacks", h.name, op.request_type),
                            )
                            .at(h.ty.span),
                        );
                    }
                }
                let returns = op.returns.as_ref().map(|el: &Element| {
                    let ov = facts.and_then(|f| f.method_returns.get(&pm.name)).map(String::as_str);
                    let (ty, array) = self.return_type(el, pm.returns.as_ref(), ov, &what);
                    ir::Return { ty: ir::Ty { elem: ty, array: array || el.is_array(), optional: el.is_optional() } }
                });
                if op.returns.is_none() {
                    if let Some(r) = &pm.returns {
                        self.diags.push(
                            Diagnostic::new(
                                diag::Kind::ReturnMismatch,
                                format!("`{what}` returns `{}` on the page but nothing on the wire", r.name),
                            )
                            .at(r.span),
                        );
                    }
                }
                let mut faults: Vec<String> = Vec::new();
                for f in op.faults.iter().filter(|f| *f != "RuntimeFault") {
                    match self.from_wire.get(f.as_str()) {
                        Some(v) => faults.push(v.to_string()),
                        None => self.diags.push(
                            Diagnostic::new(diag::Kind::UnknownType, format!("`{what}` declares fault `{f}`, which no page describes"))
                                .at(op.span),
                        ),
                    }
                }
                faults.sort();
                faults.dedup();
                let mut documented: Vec<ir::DocumentedFault> = Vec::new();
                for r in &pm.raises {
                    if !self.kind.contains_key(r.name.as_str()) {
                        self.diags.push(
                            Diagnostic::new(diag::Kind::UnknownType, format!("`{what}` raises `{}`, which has no page", r.name)).at(r.span),
                        );
                    }
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
                let method_since = self.since_of(pm.since.as_ref(), &since);
                methods.push(ir::Method {
                    name: pm.name.clone(),
                    wsdl_name: op.name.clone(),
                    since: method_since,
                    privilege: pm.privilege.clone(),
                    params,
                    returns,
                    faults,
                    documented_faults: documented,
                    deprecated: pm.deprecated.clone(),
                    description: pm.description.clone(),
                });
            }
            methods.sort_by(|a, b| a.name.cmp(&b.name));
            out.push(ir::ManagedObject {
                name: name.to_string(),
                wsdl_name,
                base: Some(p.base.as_ref().map_or("vmodl.ManagedObject".to_string(), |b| b.name.clone())),
                since,
                deprecated: p.deprecated,
                description: p.description.clone(),
                properties,
                methods,
            });
        }
        for op in &self.schema.operations {
            if !claimed.contains(op.name.as_str()) {
                self.diags.push(
                    Diagnostic::new(diag::Kind::OperationUnowned, format!("WSDL operation `{}` is described by no page", op.name))
                        .at(op.span),
                );
            }
        }
        out
    }

    /// A managed object's page sometimes lists a property its base already has
    /// (`vim.Network.name`, from `vim.ManagedEntity`): the inherited one is kept.
    fn drop_shadowed_properties(&mut self, mos: &mut [ir::ManagedObject]) {
        let own: BTreeMap<String, (Option<String>, Vec<String>)> =
            mos.iter().map(|m| (m.name.clone(), (m.base.clone(), m.properties.iter().map(|p| p.name.clone()).collect()))).collect();
        for mo in mos.iter_mut() {
            let mut inherited = BTreeMap::new();
            let mut cur = own.get(&mo.name).and_then(|(b, _)| b.clone());
            for _ in 0..64 {
                let Some(base) = cur else { break };
                let Some((next, props)) = own.get(&base) else { break };
                for p in props {
                    inherited.entry(p.clone()).or_insert_with(|| base.clone());
                }
                cur = next.clone();
            }
            let page = self.page[mo.name.as_str()];
            mo.properties.retain(|p| match inherited.get(&p.name) {
                None => true,
                Some(base) => {
                    let span = page.properties.iter().find(|x| x.name == p.name).map(|x| x.span);
                    self.diags.push(
                        Diagnostic::new(
                            diag::Kind::PropertyShadowsBase,
                            format!("`{}.{}` is a property of its base `{base}`", mo.name, p.name),
                        )
                        .at_opt(span)
                        .label("listed again here; the inherited property is kept"),
                    );
                    false
                }
            });
        }
    }

    /// Every `[text](vim.Type#member)` reference in the docs must name a page (or enum) and,
    /// with a member, one of its properties or methods (anchors spell methods lowerCamel).
    fn check_doc_links(&mut self) {
        let pages = self.pages;
        let mut bad: Vec<(String, Span)> = Vec::new();
        for p in &pages.types {
            let mut docs: Vec<(&str, Span)> = vec![(p.description.as_str(), p.name_span)];
            docs.extend(p.properties.iter().map(|x| (x.description.as_str(), x.span)));
            for m in &p.methods {
                docs.push((m.description.as_str(), m.span));
                docs.extend(m.deprecated.iter().map(|d| (d.as_str(), m.span)));
                docs.extend(m.faults.iter().map(|f| (f.description.as_str(), f.span)));
            }
            for (doc, span) in docs {
                for target in doc_references(doc) {
                    if !self.reference_resolves(target) {
                        bad.push((target.to_string(), span));
                    }
                }
            }
        }
        for (target, span) in bad {
            self.diags.push(Diagnostic::new(diag::Kind::DocLinkUnresolved, format!("link to `{target}`, which does not exist")).at(span));
        }
    }

    fn reference_resolves(&self, target: &str) -> bool {
        let (ty, member) = match target.split_once('#') {
            Some((t, m)) => (t, Some(m)),
            None => (target, None),
        };
        if self.enum_names.contains(ty) {
            return true;
        }
        let Some(page) = self.page.get(ty) else { return false };
        let Some(member) = member else { return true };
        let lower_first = |s: &str| {
            let mut c = s.chars();
            c.next().map(|f| f.to_lowercase().chain(c).collect::<String>()).unwrap_or_default()
        };
        // Members may be inherited: walk the base chain.
        let mut cur = Some(*page);
        for _ in 0..64 {
            let Some(p) = cur else { break };
            if p.properties.iter().any(|x| x.name == member) || p.methods.iter().any(|m| m.name == member || lower_first(&m.name) == member)
            {
                return true;
            }
            cur = p.base.as_ref().and_then(|b| self.page.get(b.name.as_str()).copied());
        }
        false
    }

    fn return_type(&mut self, el: &Element, page: Option<&TypeCell>, ov: Option<&str>, what: &str) -> (String, bool) {
        let is_ref = matches!(&el.ty, TypeRef::Named(n) if n == "ManagedObjectReference" || n == "ArrayOfManagedObjectReference");
        let (ty, array) = self.wire_type(&el.ty, page.filter(|_| is_ref), ov, el.span, &format!("{what} result"), false);
        if let Some(p) = page {
            let pn = normalize_markdown_type(&p.name);
            if !is_ref && !spelling_agrees(pn, &ty) && pn != ty {
                self.diags.push(
                    Diagnostic::new(diag::Kind::ReturnMismatch, format!("`{what}` returns `{pn}` on the page but `{ty}` on the wire"))
                        .at(p.span),
                );
            }
        }
        (ty, array)
    }

    /// Entries of the overrides file that name nothing are errors: a stale fact is a wrong fact.
    fn check_overrides(&mut self) {
        let ov = self.ov;
        let mut bad: Vec<(String, String)> = Vec::new();
        for (k, v) in &ov.type_aliases {
            if !self.page.contains_key(k.as_str()) {
                bad.push((k.clone(), format!("alias for `{k}`, which has no page")));
            } else if self.schema.complex_type(v).is_none() {
                bad.push((k.clone(), format!("alias `{k}` -> `{v}`: no such WSDL type")));
            }
        }
        for (k, f) in &ov.managed_objects {
            let Some(p) = self.page.get(k.as_str()) else {
                bad.push((k.clone(), format!("managed object `{k}` has no page")));
                continue;
            };
            for a in f.array_properties.iter().chain(f.property_types.keys()) {
                if !p.properties.iter().any(|x| &x.name == a) {
                    bad.push((k.clone(), format!("`{k}.{a}`: no such property")));
                }
            }
            for m in f.method_returns.keys().map(String::as_str).chain(f.param_types.keys().map(|k| k.split('.').next().unwrap_or(""))) {
                if !p.methods.iter().any(|x| x.name == m) {
                    bad.push((k.clone(), format!("`{k}.{m}`: no such method")));
                }
            }
        }
        for (k, f) in &ov.data_objects {
            match self.do_wire.get(k.as_str()) {
                None => bad.push((k.clone(), format!("data object `{k}` has no page or WSDL type"))),
                Some(ct) => {
                    for a in f.property_types.keys() {
                        if !ct.elements.iter().any(|e| &e.name == a) {
                            bad.push((k.clone(), format!("`{k}.{a}`: no such property on the wire")));
                        }
                    }
                }
            }
        }
        for (key, msg) in bad {
            let span = ov.span_of(self.sources, &key);
            self.diags.push(Diagnostic::new(diag::Kind::OverrideUnknown, msg).at_opt(span));
        }
    }

    fn unused_wire_types(&mut self) {
        let used: BTreeSet<&str> = self.do_wire.values().map(|c| c.name.as_str()).collect();
        for c in &self.schema.complex_types {
            let n = c.name.as_str();
            if used.contains(n) || n.starts_with("ArrayOf") || n.ends_with("RequestType") || n == "ManagedObjectReference" {
                continue;
            }
            self.diags.push(Diagnostic::new(diag::Kind::WsdlTypeUnused, format!("WSDL type `{n}` is described by no page")).at(c.span));
        }
    }
}

/// The targets of `[text](target)` references in doc text.
fn doc_references(doc: &str) -> impl Iterator<Item = &str> {
    doc.match_indices("](").filter_map(move |(i, _)| {
        let rest = &doc[i + 2..];
        let end = rest.find(')')?;
        let t = &rest[..end];
        (t.starts_with("vim.") || t.starts_with("vmodl.")).then_some(t)
    })
}

#[cfg(test)]
mod resolve_tests {
    use super::*;
    use crate::diag::Severity;

    fn model(field_type: &str) -> Model {
        Model {
            data_objects: vec![ir::DataObject {
                name: "vim.Spec".into(),
                wsdl_name: "Spec".into(),
                base: None,
                since: String::new(),
                is_fault: false,
                deprecated: false,
                description: String::new(),
                properties: vec![ir::DoProperty {
                    name: "f".into(),
                    ty: ir::Ty { elem: field_type.into(), array: false, optional: true },
                    description: String::new(),
                    since: None,
                }],
            }],
            ..Model::default()
        }
    }

    /// A name the merge did not report still fails the run; one it reported is not
    /// reported twice; the model as merged is kept for the JSON form either way.
    #[test]
    fn an_unresolved_name_is_always_an_error() {
        let mut diags = Diagnostics::new();
        let (m, as_merged) = resolve(model("int"), &mut diags);
        assert!(as_merged.is_none() && diags.list.is_empty());
        assert_eq!(m.data_objects[0].properties[0].ty.elem, crate::ir::TypeRef::Primitive(crate::ir::Primitive::Int));

        let (m, as_merged) = resolve(model("vim.Gone"), &mut diags);
        let found: Vec<(bool, &str)> = diags.list.iter().map(|d| (d.severity() == Severity::Error, d.message.as_str())).collect();
        assert_eq!(found, [(true, "`vim.Spec.f` has type `vim.Gone`, which is not in the model")]);
        assert!(m.data_objects[0].properties.is_empty());
        assert_eq!(as_merged.map(|a| a.to_json()), Some(model("vim.Gone").to_json()));

        let (_, as_merged) = resolve(model("vim.Other"), &mut diags);
        assert_eq!(diags.list.len(), 1, "already failing: not reported again");
        assert!(as_merged.is_some());
    }
}

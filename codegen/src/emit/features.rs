//! Cargo features per managed object, so that a user compiles only what they call.
//!
//! Each managed object has a feature (`VirtualMachine` -> `virtual-machine`) that enables its
//! base's. What a feature holds is computed here, the *closure* of the managed object: the
//! types of its properties, of its methods' parameters and results, its methods' declared
//! faults and the types nested in it (`vmodl.query.PropertyCollector.TraversalSpec`), then,
//! for every data object reached, the types of its fields (inherited ones included) and its
//! base classes, and so on. A reference to another managed object is a
//! typed handle (`MoRef<Folder>`): the marker type `Folder` is always compiled, what `Folder`
//! offers is not followed. Subclasses are not followed either (polymorphism would pull in the
//! whole API): a value whose class is compiled out decodes into the `Unknown` variant of its
//! base's `Any*` enum (or `AnyValue::Unknown`) with its XML, and is written back as received.
//!
//! Always compiled (the *core*): the managed-object markers with their metadata (`API`,
//! `ManagedObject::METHODS`), privileges and versions, `AnyValue`/`AnyData`, and the closure
//! of the fault core (`MethodFault`, `LocalizedMethodFault`, `NotImplemented`), which every
//! method's fault enum and the server's `NotImplemented` answer need.
//!
//! An item is compiled under `#[cfg(any(feature = ..))]` over the features whose closure holds
//! it, keeping only the outermost of a lineage (`managed-entity` covers `virtual-machine`,
//! which enables it); an item no managed object reaches (a subclass only) needs `full`, the
//! default, which enables every feature.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Ctx, LOCALIZED_FAULT, METHOD_FAULT};
use super::names::snake;
use crate::ir::{ManagedObject, TypeRef};

/// Roots of the always-compiled core.
const CORE: [&str; 3] = [METHOD_FAULT, LOCALIZED_FAULT, "vmodl.fault.NotImplemented"];

/// Feature names the generated manifest defines besides the per-object ones.
pub const RESERVED: [&str; 3] = ["default", "full", "server"];

/// When an item is compiled.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cfg {
    /// In the core: always.
    Always,
    /// With any of these features (sorted, not empty).
    Any(Vec<String>),
    /// Only with `full` (no managed object's closure holds it).
    Full,
}

impl Cfg {
    /// The attribute, nothing for `Always`.
    pub fn attr(&self) -> TokenStream {
        match self {
            Cfg::Always => quote!(),
            Cfg::Full => quote!(#[cfg(feature = "full")]),
            Cfg::Any(fs) if fs.len() == 1 => {
                let f = &fs[0];
                quote!(#[cfg(feature = #f)])
            }
            Cfg::Any(fs) => quote!(#[cfg(any(#(feature = #fs),*))]),
        }
    }

    /// The attribute for an item that also needs `server`.
    pub fn server_attr(&self) -> TokenStream {
        match self {
            Cfg::Always => quote!(#[cfg(feature = "server")]),
            Cfg::Full => quote!(#[cfg(all(feature = "server", feature = "full"))]),
            Cfg::Any(fs) if fs.len() == 1 => {
                let f = &fs[0];
                quote!(#[cfg(all(feature = "server", feature = #f))])
            }
            Cfg::Any(fs) => quote!(#[cfg(all(feature = "server", any(#(feature = #fs),*)))]),
        }
    }
}

#[derive(Default)]
pub struct Features<'m> {
    /// Managed object (VMODL name) -> its feature.
    pub names: BTreeMap<&'m str, String>,
    /// Managed object -> the data objects and enums of its own closure (without its bases').
    own: BTreeMap<&'m str, BTreeSet<&'m str>>,
    /// The core's data objects and enums.
    pub core: BTreeSet<&'m str>,
    /// Data object or enum -> when it is compiled.
    cfgs: BTreeMap<&'m str, Cfg>,
}

/// `VirtualMachine` -> `virtual-machine`.
pub fn feature_name(wsdl_name: &str) -> String {
    snake(wsdl_name).trim_start_matches("r#").replace('_', "-")
}

impl<'m> Features<'m> {
    pub fn new(ctx: &Ctx<'m>) -> Features<'m> {
        let names: BTreeMap<&str, String> = ctx.mos.values().map(|m| (m.name.as_str(), feature_name(&m.wsdl_name))).collect();
        let core = closure(ctx, CORE.iter().copied());
        let own: BTreeMap<&str, BTreeSet<&str>> = ctx.mos.values().map(|m| (m.name.as_str(), closure(ctx, roots(ctx, m)))).collect();
        let mut holders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (mo, set) in &own {
            for t in set {
                holders.entry(t).or_default().insert(mo);
            }
        }
        let mut cfgs = BTreeMap::new();
        for t in ctx.dos.keys().chain(ctx.enums.keys()) {
            let cfg = if core.contains(t) {
                Cfg::Always
            } else if let Some(hs) = holders.get(t) {
                // Keep a managed object only when none of its ancestors holds the item too:
                // its feature enables theirs.
                let mut fs: Vec<String> = hs
                    .iter()
                    .filter(|mo| !ctx.mo_ancestors(mo).iter().any(|a| hs.contains(a.name.as_str())))
                    .map(|mo| names[mo].clone())
                    .collect();
                fs.sort();
                Cfg::Any(fs)
            } else {
                Cfg::Full
            };
            cfgs.insert(*t, cfg);
        }
        Features { names, own, core, cfgs }
    }

    /// When a data object or enum is compiled (`Always` for what is not a type of the API).
    pub fn of(&self, ty: &str) -> &Cfg {
        self.cfgs.get(ty).unwrap_or(&Cfg::Always)
    }

    /// The cfg of a managed object's own items (methods, fault enums, client and server traits).
    pub fn of_mo(&self, mo: &str) -> Cfg {
        self.names.get(mo).map_or(Cfg::Always, |f| Cfg::Any(vec![f.clone()]))
    }

    /// The data objects and enums compiled with the features of `mos` (their bases'
    /// included) and the core.
    pub fn closure_of(&self, ctx: &Ctx<'m>, mos: &[&str]) -> BTreeSet<&'m str> {
        let mut out = self.core.clone();
        for mo in mos {
            let Some(m) = ctx.mos.get(mo) else { continue };
            for x in std::iter::once(*m).chain(ctx.mo_ancestors(mo)) {
                out.extend(self.own[x.name.as_str()].iter().copied());
            }
        }
        out
    }

    /// The `[features]` table of the generated crate's manifest.
    pub fn cargo_table(&self, ctx: &Ctx<'m>) -> String {
        let mut s = String::from("[features]\n");
        s.push_str("# Everything (every managed object's feature): the default.\ndefault = [\"full\"]\n");
        let mut all: Vec<String> = self.names.values().map(|f| format!("\"{f}\"")).collect();
        all.sort();
        s.push_str(&format!("full = [{}]\n", all.join(", ")));
        s.push_str(
            "# The server side: the `<Mo>Server` traits, `<Mo>::serve` and each method's `ServeMethod`\n# impl. Off by default: a client does not compile them.\nserver = []\n",
        );
        s.push_str("# One feature per managed object: its methods, client and server traits and the closure of\n# the types they use (docs/generated-crate.md, \"Features\"); each enables its base's.\n");
        let mut rows: Vec<(&String, &ManagedObject)> = self.names.iter().map(|(mo, f)| (f, ctx.mos[mo])).collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        for (f, m) in rows {
            let base = m.base.as_deref().and_then(|b| self.names.get(b)).map(|b| format!("\"{b}\"")).unwrap_or_default();
            s.push_str(&format!("{f} = [{base}]\n"));
        }
        s
    }

    /// Feature names that collide with each other or with the reserved ones.
    pub fn collisions(&self) -> Vec<String> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut out = Vec::new();
        for (mo, f) in &self.names {
            if RESERVED.contains(&f.as_str()) {
                out.push(format!("managed object `{mo}` would have the reserved feature name `{f}`"));
            } else if let Some(prev) = seen.insert(f, mo) {
                out.push(format!("managed objects `{prev}` and `{mo}` would both have the feature `{f}`"));
            }
        }
        out
    }

    /// The crate docs' list of features.
    pub fn docs(&self, ctx: &Ctx<'m>) -> String {
        let mut s = String::from(
            "//! # Features\n//!\n//! `full` (the default) compiles the whole API; `server` adds the server side. For a smaller\n//! build, turn the default off and name the managed objects you use: each one's feature\n//! compiles its methods (client trait, method types, fault enums) and the data objects and\n//! enums they reach through fields and base classes, and enables its base's feature.\n//! References to other managed objects are typed handles (`MoRef<Folder>`: the marker is\n//! always there). A value of a class that is compiled out still decodes: into the `Unknown`\n//! variant of its base's `Any*` enum (or `AnyValue::Unknown`), with its XML, and is written\n//! back as it came. Always compiled: every managed object's marker and metadata, [`API`],\n//! privileges, versions, `AnyValue`, and the fault core (`MethodFault`, `LocalizedMethodFault`).\n//!\n//! | feature | managed object | enables | types in its closure |\n//! |---|---|---|---|\n",
        );
        for (mo, f) in &self.names {
            let m = ctx.mos[mo];
            let base = m.base.as_deref().and_then(|b| self.names.get(b)).map_or(String::new(), |b| format!("`{b}`"));
            let n = self.closure_of(ctx, &[mo]).len();
            s.push_str(&format!("//! | `{f}` | [`{0}`] | {base} | {n} |\n", m.wsdl_name));
        }
        s.push_str("//!\n");
        s
    }
}

/// The types a managed object's own members use, and the types nested in it
/// (`vmodl.query.PropertyCollector.TraversalSpec`: a subclass a caller builds, which no field
/// names).
fn roots<'m>(ctx: &Ctx<'m>, m: &'m ManagedObject) -> impl Iterator<Item = &'m str> {
    let props = m.properties.iter().map(|p| p.ty.elem.name());
    let methods = m.methods.iter().flat_map(|me| {
        me.params
            .iter()
            .map(|p| p.ty.elem.name())
            .chain(me.returns.iter().map(|r| r.ty.elem.name()))
            .chain(me.faults.iter().map(String::as_str))
    });
    let prefix = format!("{}.", m.name);
    let nested: Vec<&'m str> = ctx.dos.keys().chain(ctx.enums.keys()).copied().filter(|t| t.starts_with(&prefix)).collect();
    props.chain(methods).chain(nested)
}

/// The data objects and enums reachable from `roots` through field types and base classes.
pub fn closure<'m, 'r>(ctx: &Ctx<'m>, roots: impl Iterator<Item = &'r str>) -> BTreeSet<&'m str> {
    let mut out: BTreeSet<&'m str> = BTreeSet::new();
    let mut stack: Vec<&'m str> = Vec::new();
    let push = |t: &str, out: &mut BTreeSet<&'m str>, stack: &mut Vec<&'m str>| {
        let key = ctx.dos.get_key_value(t).map(|(k, _)| *k).or_else(|| ctx.enums.get_key_value(t).map(|(k, _)| *k));
        if let Some(k) = key {
            if out.insert(k) {
                stack.push(k);
            }
        }
    };
    // A declared fault or a parameter typed `MethodFault` is the class itself.
    for r in roots {
        push(r, &mut out, &mut stack);
    }
    while let Some(t) = stack.pop() {
        let Some(d) = ctx.dos.get(t) else { continue };
        if let Some(b) = d.base.as_deref() {
            push(b, &mut out, &mut stack);
        }
        for (owner, p) in ctx.all_fields(t) {
            let target = match &p.ty.elem {
                // `LocalizedMethodFault.fault` is the bare fault class; any other
                // `MethodFault` field is a `LocalizedMethodFault` on the wire (and in Rust).
                TypeRef::Fault if owner == LOCALIZED_FAULT && p.name == "fault" => METHOD_FAULT,
                TypeRef::Fault => LOCALIZED_FAULT,
                TypeRef::DataObject(n) | TypeRef::Enum(n) => n.as_str(),
                // A reference is a handle: its managed object's types are not needed.
                TypeRef::Primitive(_) | TypeRef::ManagedObject(_) | TypeRef::Any => continue,
            };
            push(target, &mut out, &mut stack);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::named::{DataObject, DoProperty, ManagedObject, MoProperty, Model, Ty};

    fn data(name: &str, base: Option<&str>, fields: &[(&str, &str)]) -> DataObject {
        DataObject {
            name: name.into(),
            wsdl_name: name.rsplit('.').next().unwrap_or(name).into(),
            base: base.map(Into::into),
            since: String::new(),
            is_fault: false,
            deprecated: false,
            description: String::new(),
            properties: fields
                .iter()
                .map(|(n, t)| DoProperty {
                    name: (*n).into(),
                    ty: Ty { elem: (*t).into(), array: false, optional: true },
                    description: String::new(),
                    since: None,
                })
                .collect(),
        }
    }

    fn mo(name: &str, base: Option<&str>, props: &[&str]) -> ManagedObject {
        ManagedObject {
            name: name.into(),
            wsdl_name: name.rsplit('.').next().unwrap_or(name).into(),
            base: base.map(Into::into),
            since: String::new(),
            deprecated: false,
            description: String::new(),
            properties: props
                .iter()
                .map(|t| MoProperty {
                    name: "p".into(),
                    ty: Ty { elem: (*t).into(), array: false, optional: true },
                    privilege: None,
                    description: String::new(),
                    since: None,
                })
                .collect(),
            methods: Vec::new(),
        }
    }

    /// Field types and bases are followed, subclasses and referenced managed objects are not;
    /// a type two unrelated objects reach names both, one reached by an object and its
    /// subclass names the base only; the fault core is always compiled; a type no object
    /// reaches needs `full`; nested types belong to their object.
    #[test]
    fn closures_and_cfgs() {
        let model = Model {
            format: "test",
            api_version: None,
            versions: Vec::new(),
            managed_objects: vec![
                mo("vim.ManagedEntity", None, &["vim.Shared"]),
                mo("vim.VirtualMachine", Some("vim.ManagedEntity"), &["vim.vm.ConfigInfo", "vim.Shared", "vim.HostSystem"]),
                mo("vim.HostSystem", Some("vim.ManagedEntity"), &["vim.host.Summary"]),
                mo("vim.Folder", None, &[]),
            ],
            data_objects: vec![
                data("vmodl.DynamicData", None, &[]),
                data("vmodl.MethodFault", Some("vmodl.DynamicData"), &[]),
                data("vmodl.LocalizedMethodFault", Some("vmodl.DynamicData"), &[("fault", "vmodl.MethodFault")]),
                data("vmodl.fault.NotImplemented", Some("vmodl.MethodFault"), &[]),
                data("vim.Shared", Some("vmodl.DynamicData"), &[]),
                data("vim.vm.ConfigInfo", Some("vmodl.DynamicData"), &[("device", "vim.vm.Device"), ("error", "vmodl.MethodFault")]),
                data("vim.vm.Device", Some("vmodl.DynamicData"), &[]),
                data("vim.vm.Disk", Some("vim.vm.Device"), &[]),
                data("vim.host.Summary", Some("vmodl.DynamicData"), &[("common", "vim.Common")]),
                data("vim.Common", Some("vmodl.DynamicData"), &[]),
                data("vim.Folder.Nested", Some("vmodl.DynamicData"), &[]),
            ],
            enums: Vec::new(),
        };
        let (model, bad) = model.resolve();
        assert!(bad.is_empty(), "{bad:?}");
        let ctx = Ctx::new(&model);
        let f = &ctx.feat;
        assert_eq!(f.of("vmodl.DynamicData"), &Cfg::Always);
        assert_eq!(f.of("vmodl.fault.NotImplemented"), &Cfg::Always);
        assert_eq!(f.of("vim.vm.ConfigInfo"), &Cfg::Any(vec!["virtual-machine".into()]));
        assert_eq!(f.of("vim.vm.Device"), &Cfg::Any(vec!["virtual-machine".into()]));
        // A subclass no field names: only with `full`.
        assert_eq!(f.of("vim.vm.Disk"), &Cfg::Full);
        // Held by ManagedEntity and VirtualMachine, which enables it: the base alone.
        assert_eq!(f.of("vim.Shared"), &Cfg::Any(vec!["managed-entity".into()]));
        assert_eq!(f.of("vim.Common"), &Cfg::Any(vec!["host-system".into()]));
        assert_eq!(f.of("vim.Folder.Nested"), &Cfg::Any(vec!["folder".into()]));
        // The reference to HostSystem is a handle: VirtualMachine's closure lacks its types.
        let vm = f.closure_of(&ctx, &["vim.VirtualMachine"]);
        assert!(!vm.contains("vim.host.Summary") && vm.contains("vim.Shared") && vm.contains("vmodl.LocalizedMethodFault"));
        assert_eq!(f.of_mo("vim.VirtualMachine").attr().to_string(), quote!(#[cfg(feature = "virtual-machine")]).to_string());
        let table = f.cargo_table(&ctx);
        assert!(table.contains("virtual-machine = [\"managed-entity\"]\n"), "{table}");
        assert!(table.contains("full = [\"folder\", \"host-system\", \"managed-entity\", \"virtual-machine\"]\n"), "{table}");
        assert!(f.collisions().is_empty());
    }

    #[test]
    fn feature_names() {
        assert_eq!(feature_name("VirtualMachine"), "virtual-machine");
        assert_eq!(feature_name("HostSystem"), "host-system");
        assert_eq!(feature_name("PropertyCollector"), "property-collector");
    }

    /// Two cfgs from several features: `any(..)`, and `all(server, ..)` for the server side.
    #[test]
    fn attrs() {
        let c = Cfg::Any(vec!["a".into(), "b".into()]);
        assert_eq!(c.attr().to_string(), quote!(#[cfg(any(feature = "a", feature = "b"))]).to_string());
        assert_eq!(c.server_attr().to_string(), quote!(#[cfg(all(feature = "server", any(feature = "a", feature = "b")))]).to_string());
        assert!(Cfg::Always.attr().is_empty());
    }
}

//! What every emitter needs to know about the model: lookups, the class tree, which bases
//! are polymorphic, which fields must be boxed, and how IR types become Rust types.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::LinkResolver;
use super::names::*;
use crate::ir::{DataObject, Enum, ManagedObject, Method, Model, Primitive, Ty, TypeRef};

pub struct Ctx<'m> {
    pub model: &'m Model,
    pub dos: BTreeMap<&'m str, &'m DataObject>,
    pub mos: BTreeMap<&'m str, &'m ManagedObject>,
    pub enums: BTreeMap<&'m str, &'m Enum>,
    /// Data object -> its direct subclasses, sorted.
    pub children: BTreeMap<&'m str, Vec<&'m str>>,
    /// Data objects that get an `Any*` enum: used as a type somewhere (or declared as a
    /// fault) and subclassed.
    pub poly: BTreeSet<&'m str>,
    /// (data object, field) pairs that hold their type by value in a cycle: boxed.
    pub boxed: BTreeSet<(&'m str, &'m str)>,
    /// The cargo feature of each managed object and when each type is compiled.
    pub feat: super::features::Features<'m>,
}

/// `vmodl.MethodFault` in the IR means a fault value, which the wire wraps in a
/// `LocalizedMethodFault` (IR-JSON); only `LocalizedMethodFault.fault` itself is the bare fault.
pub const METHOD_FAULT: &str = "vmodl.MethodFault";
pub const LOCALIZED_FAULT: &str = "vmodl.LocalizedMethodFault";

impl<'m> Ctx<'m> {
    pub fn new(model: &'m Model) -> Ctx<'m> {
        let dos: BTreeMap<_, _> = model.data_objects.iter().map(|d| (d.name.as_str(), d)).collect();
        let mos = model.managed_objects.iter().map(|d| (d.name.as_str(), d)).collect();
        let enums = model.enums.iter().map(|d| (d.name.as_str(), d)).collect();
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for d in &model.data_objects {
            if let Some(b) = d.base.as_deref() {
                if dos.contains_key(b) {
                    children.entry(b).or_default().push(d.name.as_str());
                }
            }
        }
        // The data objects used as a type (`MethodFault` always is).
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut uses = |t: &'m Ty| {
            if let TypeRef::DataObject(n) = &t.elem {
                used.insert(n.as_str());
            }
        };
        for d in &model.data_objects {
            d.properties.iter().for_each(|p| uses(&p.ty));
        }
        for m in &model.managed_objects {
            m.properties.iter().for_each(|p| uses(&p.ty));
            for me in &m.methods {
                me.params.iter().for_each(|p| uses(&p.ty));
                me.returns.iter().for_each(|r| uses(&r.ty));
            }
        }
        used.extend(model.managed_objects.iter().flat_map(|m| &m.methods).flat_map(|me| me.faults.iter().map(String::as_str)));
        used.insert(METHOD_FAULT);
        let mut poly: BTreeSet<&str> = used.into_iter().filter(|t| children.contains_key(t)).collect();
        // Every method's fault enum holds `AnyMethodFault`, so the fault root is polymorphic
        // even in a spec that defines no fault classes under it.
        if dos.contains_key(METHOD_FAULT) {
            poly.insert(METHOD_FAULT);
        }
        let mut ctx = Ctx { model, dos, mos, enums, children, poly, boxed: BTreeSet::new(), feat: Default::default() };
        ctx.boxed = ctx.find_cycles();
        ctx.feat = super::features::Features::new(&ctx);
        ctx
    }

    /// Every descendant of a data object, in name order (not including itself).
    pub fn descendants(&self, name: &str) -> Vec<&'m str> {
        let mut out = Vec::new();
        let mut stack = vec![name];
        while let Some(n) = stack.pop() {
            if let Some(c) = self.children.get(n) {
                out.extend(c.iter().copied());
                stack.extend(c.iter().copied());
            }
        }
        out.sort();
        out
    }

    /// A data object's fields with the inherited ones first, in wire order.
    pub fn all_fields(&self, name: &str) -> Vec<(&'m str, &'m crate::ir::DoProperty)> {
        let mut chain = Vec::new();
        let mut cur = self.dos.get(name).copied();
        while let Some(d) = cur {
            chain.push(d);
            cur = d.base.as_deref().and_then(|b| self.dos.get(b).copied());
            if chain.len() > 64 {
                break;
            }
        }
        chain.iter().rev().flat_map(|d| d.properties.iter().map(move |p| (d.name.as_str(), p))).collect()
    }

    /// Managed-object ancestors, nearest first (not including itself).
    pub fn mo_ancestors(&self, name: &str) -> Vec<&'m ManagedObject> {
        let mut out = Vec::new();
        let mut cur = self.mos.get(name).and_then(|m| m.base.as_deref()).and_then(|b| self.mos.get(b).copied());
        while let Some(m) = cur {
            out.push(m);
            cur = m.base.as_deref().and_then(|b| self.mos.get(b).copied());
            if out.len() > 64 {
                break;
            }
        }
        out
    }

    /// Fields that hold a struct by value (not in a `Vec`, not through an `Any*` enum, which
    /// boxes): a cycle of such fields would make a type of infinite size, so the field that
    /// closes it is boxed.
    fn find_cycles(&self) -> BTreeSet<(&'m str, &'m str)> {
        let mut boxed = BTreeSet::new();
        for &start in self.dos.keys() {
            // Depth-first over by-value struct fields, looking for `start`.
            let mut stack: Vec<(&str, &str, &str)> = Vec::new(); // (owner, field, target)
            for (_, p) in self.all_fields(start) {
                if let Some(t) = self.by_value_struct(&p.ty) {
                    stack.push((start, p.name.as_str(), t));
                }
            }
            let mut seen = BTreeSet::new();
            while let Some((owner, field, target)) = stack.pop() {
                if target == start {
                    boxed.insert((owner, field));
                    continue;
                }
                if !seen.insert(target) {
                    continue;
                }
                for (_, p) in self.all_fields(target) {
                    if boxed.contains(&(target, p.name.as_str())) {
                        continue;
                    }
                    if let Some(t) = self.by_value_struct(&p.ty) {
                        stack.push((target, p.name.as_str(), t));
                    }
                }
            }
        }
        boxed
    }

    fn by_value_struct(&self, ty: &Ty) -> Option<&'m str> {
        if ty.array {
            return None;
        }
        let ty = match &ty.elem {
            TypeRef::Fault => LOCALIZED_FAULT,
            TypeRef::DataObject(n) => n.as_str(),
            _ => return None,
        };
        let (k, _) = self.dos.get_key_value(ty)?;
        (!self.poly.contains(k)).then_some(*k)
    }

    pub fn wsdl_of(&self, vmodl: &str) -> Option<&'m str> {
        if let Some(d) = self.dos.get(vmodl) {
            return Some(&d.wsdl_name);
        }
        if let Some(m) = self.mos.get(vmodl) {
            return Some(&m.wsdl_name);
        }
        self.enums.get(vmodl).map(|e| e.wsdl_name.as_str())
    }

    /// The Rust type of one value of type `ty` (no array/optional wrapping).
    /// `bare_fault`: the field is `LocalizedMethodFault.fault`.
    pub fn element_type(&self, ty: &TypeRef, bare_fault: bool) -> TokenStream {
        match ty {
            TypeRef::Primitive(p) => match p {
                Primitive::String | Primitive::AnyUri | Primitive::TypeName | Primitive::PropertyPath | Primitive::MethodName => {
                    quote!(String)
                }
                Primitive::Bool => quote!(bool),
                Primitive::Byte => quote!(i8),
                Primitive::Short => quote!(i16),
                Primitive::Int => quote!(i32),
                Primitive::Long => quote!(i64),
                Primitive::Float => quote!(f32),
                Primitive::Double => quote!(f64),
                Primitive::DateTime => quote!(crate::DateTime),
                Primitive::Binary => quote!(Vec<u8>),
            },
            TypeRef::Any => quote!(crate::AnyValue),
            TypeRef::ManagedObject(None) => quote!(crate::ManagedObjectReference),
            TypeRef::ManagedObject(Some(n)) => {
                let i = type_ident(&self.mo(n).wsdl_name);
                quote!(crate::MoRef<crate::#i>)
            }
            TypeRef::Fault if !bare_fault && self.dos.contains_key(LOCALIZED_FAULT) => quote!(crate::LocalizedMethodFault),
            TypeRef::Fault => self.data_type(METHOD_FAULT),
            TypeRef::DataObject(n) => self.data_type(n),
            TypeRef::Enum(n) => {
                let e = self.enums.get(n.as_str()).unwrap_or_else(|| panic!("{}", dangling(n)));
                let i = type_ident(&e.wsdl_name);
                quote!(crate::#i)
            }
        }
    }

    /// A data object's Rust type: its `Any*` enum when it is polymorphic.
    fn data_type(&self, name: &str) -> TokenStream {
        let d = self.dos.get(name).unwrap_or_else(|| panic!("{}", dangling(name)));
        let i = if self.poly.contains(name) { any_ident(&d.wsdl_name) } else { type_ident(&d.wsdl_name) };
        quote!(crate::#i)
    }

    /// A managed object of the model, by name.
    pub fn mo(&self, name: &str) -> &'m ManagedObject {
        self.mos.get(name).copied().unwrap_or_else(|| panic!("{}", dangling(name)))
    }

    /// The Rust type of a field: `Vec` for arrays, `Option` for optional values, `Box` to
    /// break a by-value cycle.
    pub fn field_type(&self, owner: &str, field: &str, ty: &Ty) -> TokenStream {
        let bare = owner == LOCALIZED_FAULT && field == "fault";
        let t = self.element_type(&ty.elem, bare);
        let t = if self.boxed.contains(&(owner, field)) { quote!(Box<#t>) } else { t };
        if ty.array {
            quote!(Vec<#t>)
        } else if ty.optional {
            quote!(Option<#t>)
        } else {
            t
        }
    }

    /// The `#[cfg]` of a data object's or enum's items (nothing when always compiled).
    pub fn cfg(&self, ty: &str) -> TokenStream {
        self.feat.of(ty).attr()
    }

    /// "vSphere API 5.5" for a version id, when the table knows it.
    pub fn version_name(&self, id: &str) -> String {
        match self.model.versions.iter().find(|v| v.id == id) {
            Some(v) => format!("{} (`{id}`)", v.name),
            None => format!("`{id}`"),
        }
    }
}

/// [`super::generate`] refuses a model with a dangling reference ([`Model::dangling`]) before
/// any emitter runs, and the merge and `Model::from_json` never make one.
fn dangling(name: &str) -> String {
    format!("`{name}` is not a type of the model (a resolved model names only its own types)")
}

impl LinkResolver for Ctx<'_> {
    fn resolve(&self, target: &str, text: &str) -> Option<String> {
        let (ty, member) = match target.split_once('#') {
            Some((t, m)) => (t, Some(m)),
            None => (target, None),
        };
        let wsdl = self.wsdl_of(ty)?;
        let ident = type_ident(wsdl).to_string();
        if let (Some(m), Some(_)) = (member, self.dos.get(ty)) {
            if self.all_fields(ty).iter().any(|(_, p)| p.name == m) {
                let f = snake_ident(m).to_string();
                if !f.starts_with("r#") {
                    return Some(format!("crate::{ident}::{f}"));
                }
            }
        }
        if let (Some(m), Some(_)) = (member, self.mos.get(ty)) {
            if let Some(path) = self.method_link(ty, m, text) {
                return Some(path);
            }
        }
        Some(format!("crate::{ident}"))
    }
}

impl Ctx<'_> {
    /// A method of managed object `mo` (or of an ancestor) named by a page's anchor
    /// (`cloneSession`, lowerCamel of the method's name) or, failing that, by the link's
    /// text (the pages write the wire name there: `#reconfigureEx` is
    /// `ReconfigureComputeResource_Task`), as its client trait method:
    /// `crate::SessionManagerClient::clone_session`. The client traits exist with and without
    /// the `server` feature, and their methods carry the docs users read.
    fn method_link(&self, mo: &str, anchor: &str, text: &str) -> Option<String> {
        let chain: Vec<&ManagedObject> = std::iter::once(*self.mos.get(mo)?).chain(self.mo_ancestors(mo)).collect();
        let find = |pred: &dyn Fn(&Method) -> bool| chain.iter().find_map(|m| m.methods.iter().find(|me| pred(me)).map(|me| (*m, me)));
        let (owner, me) = find(&|me| method_type_name(&me.name) == method_type_name(anchor) || me.wsdl_name == anchor)
            .or_else(|| find(&|me| me.wsdl_name == text || me.name == text))?;
        let f = snake_ident(&me.name).to_string();
        (!f.starts_with("r#")).then(|| format!("crate::{}Client::{f}", type_ident(&owner.wsdl_name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mo(name: &str, wsdl: &str, base: Option<&str>, methods: &[(&str, &str)]) -> ManagedObject {
        ManagedObject {
            name: name.into(),
            wsdl_name: wsdl.into(),
            base: base.map(Into::into),
            since: String::new(),
            deprecated: false,
            description: String::new(),
            properties: Vec::new(),
            methods: methods
                .iter()
                .map(|(n, w)| Method {
                    name: (*n).into(),
                    wsdl_name: (*w).into(),
                    since: String::new(),
                    privilege: None,
                    params: Vec::new(),
                    returns: None,
                    faults: Vec::new(),
                    documented_faults: Vec::new(),
                    deprecated: None,
                    description: String::new(),
                })
                .collect(),
        }
    }

    /// Method references link to the client trait's method (the one that declares it, for an
    /// inherited method); an unknown method falls back to the managed object.
    #[test]
    fn method_references_link_to_client_methods() {
        let model = Model {
            format: "test",
            api_version: None,
            versions: Vec::new(),
            managed_objects: vec![
                mo(
                    "vim.ComputeResource",
                    "ComputeResource",
                    Some("vim.ManagedEntity"),
                    &[("ReconfigureComputeResource", "ReconfigureComputeResource_Task")],
                ),
                mo("vim.ManagedEntity", "ManagedEntity", None, &[("Destroy", "Destroy_Task")]),
                mo("vim.SessionManager", "SessionManager", None, &[("CloneSession", "CloneSession"), ("setLocale", "SetLocale")]),
            ],
            data_objects: Vec::new(),
            enums: Vec::new(),
        };
        let ctx = Ctx::new(&model);
        let r = |target: &str, text: &str| ctx.resolve(target, text).unwrap_or_default();
        assert_eq!(r("vim.SessionManager#cloneSession", "CloneSession"), "crate::SessionManagerClient::clone_session");
        assert_eq!(r("vim.SessionManager#setLocale", "SetLocale"), "crate::SessionManagerClient::set_locale");
        // Inherited: the supertrait declares it.
        assert_eq!(r("vim.ComputeResource#destroy", "Destroy_Task"), "crate::ManagedEntityClient::destroy");
        // VMODL's internal name as the anchor, the wire name as the text.
        assert_eq!(
            r("vim.ComputeResource#reconfigureEx", "ReconfigureComputeResource_Task"),
            "crate::ComputeResourceClient::reconfigure_compute_resource"
        );
        assert_eq!(r("vim.SessionManager#noSuchMethod", "NoSuchMethod"), "crate::SessionManager");
        assert_eq!(r("vim.SessionManager", "SessionManager"), "crate::SessionManager");
        assert_eq!(ctx.resolve("vim.Nope#x", "x"), None);
    }
}

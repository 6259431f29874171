//! The API's metadata as constants of the runtime's types: `privileges` (one
//! `vim_runtime::Privilege` per id), `versions` (one `vim_runtime::ApiVersion` per version)
//! and `API`, the `vim_runtime::ApiInfo` that ties them to the managed-object table.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Ctx;
use super::names::*;

/// The vim version that first includes a version of another package (`vmodl`, `vmodl.query`),
/// as pyVmomi's version table relates them: the pages name those ids for vmodl types, and
/// the bindings only negotiate vim versions.
const PACKAGE_VERSIONS: &[(&str, u32)] = &[
    ("vmodl.version.version0", 1),
    ("vmodl.version.version1", 5),
    ("vmodl.version.version2", 7),
    ("vmodl.query.version.version1", 1),
    ("vmodl.query.version.version2", 5),
    ("vmodl.query.version.version3", 6),
    ("vmodl.query.version.version4", 7),
];

/// The number of a vim version id (`vim.version.version9` -> 9), with the ids of other
/// packages mapped to the vim version that first includes them.
pub(super) fn version_number(id: &str) -> u32 {
    if let Some(n) = id.strip_prefix("vim.version.version") {
        n.parse().unwrap_or(1)
    } else {
        PACKAGE_VERSIONS.iter().find(|(p, _)| *p == id).map_or(1, |(_, n)| *n)
    }
}

/// The constant of a version id in `versions` (`vim.version.version9` -> `VERSION9`,
/// `vim.version.v7_0_2_0` -> `V7_0_2_0`); the ids of other packages name the vim version
/// that first includes them.
pub fn version_const(id: &str) -> proc_macro2::Ident {
    match id.strip_prefix("vim.version.") {
        Some(rest) if !is_numbered(id) && rest.starts_with('v') => ident(&rest.to_ascii_uppercase()),
        _ => ident(&format!("VERSION{}", version_number(id))),
    }
}

/// `vim.version.version9`-style: the ids the pages and pyVmomi give versions up to 6.7.3.
fn is_numbered(id: &str) -> bool {
    id.strip_prefix("vim.version.version").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The versions of the model, oldest first, with version1 when the table lacks it: by number
/// when every id is numbered (the pages' table), else in the model's order (pyVmomi's
/// registry gives newer versions ids such as `vim.version.v7_0_2_0`, listed oldest first).
pub(super) fn ordered_versions(ctx: &Ctx) -> Vec<(String, String, String)> {
    let vim: Vec<&crate::ir::Version> = ctx.model.versions.iter().filter(|v| v.id.starts_with("vim.version.")).collect();
    let mut rows: Vec<(String, String, String)> = vim.iter().map(|v| (v.id.clone(), v.name.clone(), v.namespace.clone())).collect();
    if vim.iter().all(|v| is_numbered(&v.id)) {
        rows.retain(|r| is_numbered(&r.0));
        rows.sort_by_key(|r| version_number(&r.0));
    }
    if !rows.iter().any(|r| r.0 == "vim.version.version1") {
        rows.insert(0, ("vim.version.version1".into(), "the first version".into(), "vim25".into()));
    }
    rows
}

/// The constant of a privilege id in `privileges` (`Sessions.TerminateSession` ->
/// `SESSIONS_TERMINATE_SESSION`).
pub fn privilege_const(id: &str) -> proc_macro2::Ident {
    ident(&shouty(&camel(&id.replace('.', "_"))))
}

pub fn privileges<'m>(ctx: &Ctx<'m>) -> BTreeSet<&'m str> {
    let mut all = BTreeSet::new();
    for m in ctx.mos.values() {
        all.extend(m.properties.iter().filter_map(|p| p.privilege.as_deref()));
        all.extend(m.methods.iter().filter_map(|p| p.privilege.as_deref()));
    }
    all
}

/// `privileges`: a constant per privilege id of the spec, and `ALL`, sorted by id.
pub fn privilege_consts(ctx: &Ctx) -> TokenStream {
    let all = privileges(ctx);
    let consts = all.iter().map(|id| {
        let c = privilege_const(id);
        let doc = format!(" `{id}`");
        quote! { #[doc = #doc] pub const #c: Privilege = Privilege::new(#id); }
    });
    let list = all.iter().map(|id| privilege_const(id));
    quote! {
        /// The privilege ids the API names: what a role grants and what a method or property
        /// needs.
        pub mod privileges {
            use crate::Privilege;
            #(#consts)*
            /// Every privilege the spec names, sorted by id.
            pub static ALL: &[Privilege] = &[#(#list),*];
        }
    }
}

/// `versions`: a constant per version of the API, and `ALL`, oldest first.
pub fn version_consts(ctx: &Ctx) -> TokenStream {
    // Version ids of the table, plus version1 (which the pages use without listing it).
    let rows = ordered_versions(ctx);
    let consts = rows.iter().enumerate().map(|(rank, (id, name, ns))| {
        let c = version_const(id);
        let doc = format!(" {name}: `{id}`, namespace `{ns}`.");
        let rank = rank as u16;
        quote! { #[doc = #doc] pub const #c: ApiVersion = ApiVersion::new(#rank, &[#id, #name, #ns]); }
    });
    let all = rows.iter().map(|r| version_const(&r.0));
    quote! {
        /// The versions of the API, oldest first: compare them to know whether a server that
        /// speaks one version has a method introduced in another.
        pub mod versions {
            use crate::ApiVersion;
            #(#consts)*
            /// Every version, oldest first; the last is the newest these bindings know.
            pub static ALL: &[ApiVersion] = &[#(#all),*];
        }
    }
}

/// `API`: the versions, the privileges and every managed object type with its methods and
/// base, sorted by WSDL name, so that a client negotiates and a dispatcher finds a call's
/// `MethodInfo` (and its privilege) by the reference's `type` and the operation name
/// without knowing the types statically.
pub fn api_info(ctx: &Ctx) -> TokenStream {
    let mut mos: Vec<_> = ctx.mos.values().collect();
    mos.sort_by(|a, b| a.wsdl_name.cmp(&b.wsdl_name));
    let rows = mos.iter().map(|m| {
        let t = type_ident(&m.wsdl_name);
        quote! { <crate::#t as crate::ManagedObject>::INFO, }
    });
    quote! {
        /// The API as a whole: its versions, privileges and managed object types. Give it to
        /// `vim_client::Client::connect` and `vim_server`'s dispatcher.
        pub static API: crate::ApiInfo = crate::ApiInfo {
            versions: versions::ALL,
            privileges: privileges::ALL,
            managed_objects: &[#(#rows)*],
        };
    }
}

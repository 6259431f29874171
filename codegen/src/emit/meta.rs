//! `Privilege` and `ApiVersion`: the spec's privilege ids and versions as types.

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

/// The `ApiVersion` variant for a version id (`vim.version.version9` -> `Version9`).
pub fn version_variant(id: &str) -> proc_macro2::Ident {
    let n = if let Some(n) = id.strip_prefix("vim.version.version") {
        n.parse().unwrap_or(1)
    } else {
        PACKAGE_VERSIONS.iter().find(|(p, _)| *p == id).map_or(1, |(_, n)| *n)
    };
    ident(&format!("Version{n}"))
}

/// The `Privilege` variant for a privilege id (`Sessions.TerminateSession` ->
/// `SessionsTerminateSession`).
pub fn privilege_variant(id: &str) -> proc_macro2::Ident {
    ident(&camel(&id.replace('.', "_")))
}

pub fn privileges<'m>(ctx: &Ctx<'m>) -> BTreeSet<&'m str> {
    let mut all = BTreeSet::new();
    for m in ctx.mos.values() {
        all.extend(m.properties.iter().filter_map(|p| p.privilege.as_deref()));
        all.extend(m.methods.iter().filter_map(|p| p.privilege.as_deref()));
    }
    all
}

pub fn privilege_enum(ctx: &Ctx) -> TokenStream {
    let all = privileges(ctx);
    let variants: Vec<_> = all.iter().map(|p| (privilege_variant(p), *p)).collect();
    let decl = variants.iter().map(|(v, id)| {
        let doc = format!(" `{id}`");
        quote! { #[doc = #doc] #v, }
    });
    let to_str = variants.iter().map(|(v, id)| quote! { Self::#v => #id, });
    let from = variants.iter().map(|(v, id)| quote! { #id => Some(Self::#v), });
    let list = variants.iter().map(|(v, _)| quote! { Self::#v, });
    let count = variants.len();
    quote! {
        /// A privilege id of the API: what a role grants and what a method or property needs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Privilege {
            #(#decl)*
        }

        impl Privilege {
            /// Every privilege the spec names, sorted by id.
            pub const ALL: [Privilege; #count] = [#(#list)*];

            /// The id (`Sessions.TerminateSession`).
            pub fn id(self) -> &'static str {
                match self {
                    #(#to_str)*
                }
            }

            /// The privilege with this id, if the spec names it.
            pub fn from_id(id: &str) -> Option<Self> {
                match id {
                    #(#from)*
                    _ => None,
                }
            }
        }
    }
}

/// A row of the version table: number, id, name, namespace, version string.
type VersionRow = (u32, String, String, String, String);

pub fn api_version_enum(ctx: &Ctx) -> TokenStream {
    // Version ids of the table, plus version1 (which the pages use without listing it).
    let mut rows: Vec<VersionRow> = ctx
        .model
        .versions
        .iter()
        .filter_map(|v| {
            let n: u32 = v.id.strip_prefix("vim.version.version")?.parse().ok()?;
            Some((n, v.id.clone(), v.name.clone(), v.namespace.clone(), v.version.clone()))
        })
        .collect();
    if !rows.iter().any(|r| r.0 == 1) {
        rows.push((1, "vim.version.version1".into(), "the first version".into(), "vim25".into(), "1.0".into()));
    }
    rows.sort();
    let decl = rows.iter().map(|(n, id, name, ns, _)| {
        let v = ident(&format!("Version{n}"));
        let doc = format!(" {name}: `{id}`, namespace `{ns}`.");
        quote! { #[doc = #doc] #v, }
    });
    let arms = |f: &dyn Fn(&VersionRow) -> String| {
        rows.iter()
            .map(|r| {
                let v = ident(&format!("Version{}", r.0));
                let s = f(r);
                quote! { Self::#v => #s, }
            })
            .collect::<Vec<_>>()
    };
    let ids = arms(&|r| r.1.clone());
    let names = arms(&|r| r.2.clone());
    let namespaces = arms(&|r| r.3.clone());
    let numbers = arms(&|r| r.4.clone());
    let from_ns = rows.iter().map(|r| {
        let v = ident(&format!("Version{}", r.0));
        let ns = r.3.clone();
        quote! { #ns => Some(Self::#v), }
    });
    let latest = ident(&format!("Version{}", rows.last().map_or(1, |r| r.0)));
    let all = rows.iter().map(|r| ident(&format!("Version{}", r.0)));
    let count = rows.len();
    quote! {
        /// A version of the API, oldest first: compare them to know whether a server that
        /// speaks one version has a method introduced in another.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ApiVersion {
            #(#decl)*
        }

        impl ApiVersion {
            /// The newest version these bindings know.
            pub const LATEST: ApiVersion = ApiVersion::#latest;

            /// Every version, oldest first.
            pub const ALL: [ApiVersion; #count] = [#(Self::#all,)*];

            /// The version id (`vim.version.version9`).
            pub fn id(self) -> &'static str {
                match self {
                    #(#ids)*
                }
            }

            /// The release name (`vSphere API 5.5`).
            pub fn name(self) -> &'static str {
                match self {
                    #(#names)*
                }
            }

            /// The SOAP namespace (`vim25/5.5`): `SOAPAction: urn:vim25/5.5`.
            pub fn namespace(self) -> &'static str {
                match self {
                    #(#namespaces)*
                }
            }

            /// The version number (`5.5`).
            pub fn version(self) -> &'static str {
                match self {
                    #(#numbers)*
                }
            }

            /// The version of a namespace (`vim25/5.5`), if known.
            pub fn from_namespace(ns: &str) -> Option<Self> {
                match ns {
                    #(#from_ns)*
                    _ => None,
                }
            }
        }
    }
}

/// `MANAGED_OBJECTS`: every managed object type with its methods and base, sorted by WSDL
/// name, so that a dispatcher finds a call's `MethodInfo` (and its privilege) by the
/// reference's `type` and the operation name without knowing the types statically.
pub fn managed_object_table(ctx: &Ctx) -> TokenStream {
    let mut mos: Vec<_> = ctx.mos.values().collect();
    mos.sort_by(|a, b| a.wsdl_name.cmp(&b.wsdl_name));
    let rows = mos.iter().map(|m| {
        let t = type_ident(&m.wsdl_name);
        quote! {
            crate::ManagedObjectInfo {
                wsdl_name: <crate::#t as crate::ManagedObject>::WSDL_NAME,
                methods: <crate::#t as crate::ManagedObject>::METHODS,
                properties: <crate::#t as crate::ManagedObject>::PROPERTIES,
                base: <crate::#t as crate::ManagedObject>::BASE,
            },
        }
    });
    quote! {
        /// Every managed object type, sorted by WSDL name; look one up with
        /// [`ManagedObjectInfo::find`](crate::ManagedObjectInfo::find).
        pub static MANAGED_OBJECTS: &[crate::ManagedObjectInfo] = &[#(#rows)*];
    }
}

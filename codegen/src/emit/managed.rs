//! Managed objects: the marker type, its metadata, one `Method` type per method with its
//! request struct and fault enum, and the client and server traits.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::context::Ctx;
use super::docs::{doc_attrs, doc_paragraphs};
use super::meta::{privilege_const, version_const};
use super::names::*;
use crate::ir::{ManagedObject, Method, Param, TypeRef};

/// What a managed object's module holds, and its method types (which go into the
/// module's `methods` submodule, shared by the managed objects of one file).
pub fn managed_object(ctx: &Ctx, m: &ManagedObject) -> (TokenStream, TokenStream) {
    let name = type_ident(&m.wsdl_name);
    let wsdl = &m.wsdl_name;
    let base = m.base.as_deref().and_then(|b| ctx.mos.get(b));
    let mut about = vec![m.description.clone()];
    let mut facts = format!("Managed object type `{wsdl}` (VMODL `{}`), since {}.", m.name, ctx.version_name(&m.since));
    if let Some(b) = base {
        facts.push_str(&format!(" Extends [`{0}`](crate::{0}).", b.wsdl_name));
    }
    facts.push_str(&format!(
        " Refer to one with [`MoRef<{wsdl}>`](crate::MoRef); call it through [`{wsdl}Client`](crate::{wsdl}Client), serve it with `{wsdl}Server` (feature `server`)."
    ));
    about.push(facts);
    if m.deprecated {
        about.push("Deprecated.".into());
    }
    let docs = doc_paragraphs(&about, ctx);
    // Written out, not `<methods::X as Method>::INFO`: the metadata is always compiled, the
    // method types only with the managed object's feature.
    let method_infos = m.methods.iter().map(|me| {
        let info = method_info(ctx, m, me);
        quote! { #info, }
    });
    let props = m.properties.iter().map(|p| {
        let n = &p.name;
        let t = p.ty.elem.name();
        let (a, o) = (p.ty.array, p.ty.optional);
        let pr = privilege(p.privilege.as_deref());
        let since = version_const(p.since.as_deref().unwrap_or(&m.since));
        quote! { crate::PropertyInfo { name: #n, type_name: #t, array: #a, optional: #o, privilege: #pr, since: crate::versions::#since }, }
    });
    // Typed property paths: `VirtualMachine::runtime()` names `runtime` with its value's type.
    let paths = m.properties.iter().map(|p| {
        let f = snake_ident(&p.name);
        let n = &p.name;
        let t = ctx.element_type(&p.ty.elem, false);
        let doc = format!(" The `{n}` property, for typed reads (see [`PropertyPath`](crate::PropertyPath)).");
        // `ResourcePool::resource_pool()` is a property, not a constructor.
        let allow = (f == snake_ident(&m.wsdl_name)).then(|| quote!(#[allow(clippy::self_named_constructors)]));
        if p.ty.array {
            quote! { #[doc = #doc] #allow pub fn #f() -> crate::PropertyPath<Self, Vec<#t>> { crate::PropertyPath::array(#n) } }
        } else {
            quote! { #[doc = #doc] #allow pub fn #f() -> crate::PropertyPath<Self, #t> { crate::PropertyPath::new(#n) } }
        }
    });
    // The property types are in the managed object's feature closure, not always compiled.
    let cfg = ctx.feat.of_mo(&m.name);
    let paths_cfg = cfg.attr();
    let paths = (!m.properties.is_empty()).then(|| quote! { #paths_cfg impl #name { #(#paths)* } });
    let (base_name, base_info) = match base {
        Some(b) => {
            let w = &b.wsdl_name;
            let t = type_ident(w);
            (quote!(Some(#w)), quote!(Some(&<crate::#t as crate::ManagedObject>::INFO)))
        }
        None => (quote!(None), quote!(None)),
    };
    let ancestors: Vec<Ident> = ctx.mo_ancestors(&m.name).iter().map(|a| type_ident(&a.wsdl_name)).collect();
    let is_a = std::iter::once(name.clone()).chain(ancestors).map(|a| {
        quote! { impl crate::IsA<crate::#a> for #name {} }
    });
    let methods = m.methods.iter().map(|me| method_items(ctx, m, me, &cfg));
    let fault_enums = m.methods.iter().map(|me| fault_enum(ctx, me, &cfg.attr()));
    let client = client_trait(ctx, m, &cfg.attr());
    let server = server_trait(ctx, m, &cfg.server_attr());
    let items = quote! {
        #docs
        #[derive(Debug)]
        pub enum #name {}

        impl crate::ManagedObject for #name {
            const WSDL_NAME: &'static str = #wsdl;
            const METHODS: &'static [crate::MethodInfo] = &[#(#method_infos)*];
            const PROPERTIES: &'static [crate::PropertyInfo] = &[#(#props)*];
            const BASE: Option<&'static str> = #base_name;
            const INFO: crate::ManagedObjectInfo = crate::ManagedObjectInfo {
                wsdl_name: Self::WSDL_NAME,
                methods: Self::METHODS,
                properties: Self::PROPERTIES,
                base: #base_info,
            };
        }

        #(#is_a)*

        #paths

        #(#fault_enums)*
        #client
        #server
    };
    (items, quote! { #(#methods)* })
}

fn privilege(p: Option<&str>) -> TokenStream {
    match p {
        Some(p) => {
            let c = privilege_const(p);
            quote!(Some(crate::privileges::#c))
        }
        None => quote!(None),
    }
}

/// The doc comment of a method: description, facts, documented faults.
fn method_docs(ctx: &Ctx, m: &ManagedObject, me: &Method) -> TokenStream {
    let mut parts = vec![me.description.clone()];
    let privilege = me.privilege.as_deref().map_or("no fixed privilege".to_string(), |p| format!("privilege `{p}`"));
    parts.push(format!(
        "`{}.{}` (SOAP operation `{}`), since {}; {privilege}.",
        m.wsdl_name,
        me.name,
        me.wsdl_name,
        ctx.version_name(&me.since)
    ));
    if let Some(d) = &me.deprecated {
        parts.push(format!("**Deprecated.** {d}"));
    }
    if !me.documented_faults.is_empty() {
        let mut s = String::from("Faults:");
        for f in &me.documented_faults {
            let shown = match ctx.wsdl_of(&f.name) {
                Some(w) => format!("[`{w}`]({})", f.name),
                None => format!("`{}`", f.name),
            };
            if f.description.is_empty() {
                s.push_str(&format!("\n- {shown}"));
            } else {
                s.push_str(&format!("\n- {shown}: {}", f.description.replace('\n', " ")));
            }
        }
        parts.push(s);
    }
    doc_paragraphs(&parts, ctx)
}

/// `#[doc(alias = "PowerOffVM_Task")]` when an item's Rust name is not the wire name, so that
/// rustdoc's search finds the name the API's own docs and other bindings use. (rustdoc
/// rejects an alias equal to the name.)
fn wire_alias(rust: &Ident, wire: &str) -> Option<TokenStream> {
    let rust = rust.to_string();
    (rust.strip_prefix("r#").unwrap_or(&rust) != wire).then(|| quote!(#[doc(alias = #wire)]))
}

fn is_copy(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(p) if p.is_scalar())
}

fn is_str(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(p) if p.is_string())
}

/// A parameter's type as the caller lends it: `lt` is the lifetime (`'a` in the request
/// struct, nothing in a client method, where it is elided).
fn borrowed_type(ctx: &Ctx, p: &Param, lt: &TokenStream) -> TokenStream {
    let t = ctx.element_type(&p.ty.elem, false);
    if p.ty.array {
        quote!(&#lt [#t])
    } else if is_str(&p.ty.elem) {
        if p.ty.optional {
            quote!(Option<&#lt str>)
        } else {
            quote!(&#lt str)
        }
    } else if is_copy(&p.ty.elem) {
        if p.ty.optional {
            quote!(Option<#t>)
        } else {
            t
        }
    } else if p.ty.optional {
        quote!(Option<&#lt #t>)
    } else {
        quote!(&#lt #t)
    }
}

/// A parameter's type as the server receives it (owned).
fn owned_type(ctx: &Ctx, p: &Param) -> TokenStream {
    let t = ctx.element_type(&p.ty.elem, false);
    if p.ty.array {
        quote!(Vec<#t>)
    } else if p.ty.optional {
        quote!(Option<#t>)
    } else {
        t
    }
}

fn needs_lifetime(p: &Param) -> bool {
    p.ty.array || !is_copy(&p.ty.elem)
}

fn response_type(ctx: &Ctx, me: &Method) -> TokenStream {
    match &me.returns {
        None => quote!(()),
        Some(r) => {
            let t = ctx.element_type(&r.ty.elem, false);
            if r.ty.array {
                quote!(Vec<#t>)
            } else if r.ty.optional {
                quote!(Option<#t>)
            } else {
                t
            }
        }
    }
}

/// A method's metadata, `crate::MethodInfo { .. }`.
fn method_info(ctx: &Ctx, m: &ManagedObject, me: &Method) -> TokenStream {
    let name = &me.name;
    let wsdl_name = &me.wsdl_name;
    let owner = &m.wsdl_name;
    let pr = privilege(me.privilege.as_deref());
    let since = version_const(&me.since);
    let faults = me.faults.iter().filter_map(|f| ctx.wsdl_of(f));
    quote! {
        crate::MethodInfo {
            name: #name,
            wsdl_name: #wsdl_name,
            owner: #owner,
            privilege: #pr,
            since: crate::versions::#since,
            faults: &[#(#faults),*],
        }
    }
}

/// `methods::Login`, `methods::LoginRequest` and the `Method` impl, under the managed
/// object's feature (`cfg`).
fn method_items(ctx: &Ctx, m: &ManagedObject, me: &Method, cfg: &super::features::Cfg) -> TokenStream {
    let (server_cfg, cfg) = (cfg.server_attr(), cfg.attr());
    let marker = method_ident(&me.name);
    let request = request_ident(&me.name);
    let fault = fault_enum_ident(&me.name);
    let response = response_type(ctx, me);
    let docs = method_docs(ctx, m, me);
    let with_lt = me.params.iter().any(needs_lifetime);
    let fields = me.params.iter().map(|p| {
        let f = snake_ident(&p.name);
        let t = borrowed_type(ctx, p, &quote!('a));
        quote! { pub #f: #t, }
    });
    let (request_def, request_ty) = if me.params.is_empty() {
        (quote!(), quote!(()))
    } else if with_lt {
        let doc = format!(" The parameters of [`{}`].", method_type_name(&me.name));
        (
            quote! {
                #[doc = #doc]
                #cfg
                #[derive(Clone, Copy, Debug)]
                pub struct #request<'a> { #(#fields)* }
            },
            quote!(#request<'a>),
        )
    } else {
        let doc = format!(" The parameters of [`{}`].", method_type_name(&me.name));
        (
            quote! {
                #[doc = #doc]
                #cfg
                #[derive(Clone, Copy, Debug)]
                pub struct #request { #(#fields)* }
            },
            quote!(#request),
        )
    };
    let info = method_info(ctx, m, me);
    let newest_param = newest_param_set(ctx, me);
    let (client_codec, server_codec) = super::codec::method_codec(ctx, me);
    let args = me.params.iter().map(|p| owned_type(ctx, p));
    let alias = wire_alias(&marker, &me.wsdl_name);
    quote! {
        #docs
        #alias
        #cfg
        #[derive(Debug)]
        pub enum #marker {}

        #request_def

        #cfg
        impl crate::Method for #marker {
            type Request<'a> = #request_ty;
            type Response = #response;
            type Fault = crate::#fault;
            const INFO: crate::MethodInfo = #info;
            #client_codec
            #newest_param
        }

        #server_cfg
        impl crate::ServeMethod for #marker {
            type Args = (#(#args,)*);
            #server_codec
        }
    }
}

/// `Method::newest_param_set` of a method some of whose parameters are newer than itself
/// (pyVmomi's registry states parameters' versions): of those the request sets, the newest,
/// checked newest first. Nothing for the other methods (the trait's default: none), to keep
/// the generated code small.
fn newest_param_set(ctx: &Ctx, me: &Method) -> TokenStream {
    if me.params.iter().all(|p| p.since.as_ref().is_none_or(|s| *s == me.since)) {
        return quote!();
    }
    // Ranked as the runtime ranks them: by position in `versions::ALL`.
    let order: Vec<Ident> = super::meta::ordered_versions(ctx).iter().map(|r| version_const(&r.0)).collect();
    let rank = |id: &str| order.iter().position(|c| *c == version_const(id));
    let Some(method_rank) = rank(&me.since) else { return quote!() };
    let mut newer: Vec<(usize, &Param)> =
        me.params.iter().filter_map(|p| Some((rank(p.since.as_deref()?)?, p))).filter(|(r, _)| *r > method_rank).collect();
    if newer.is_empty() {
        return quote!();
    }
    newer.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
    let (mut checks, mut otherwise) = (Vec::new(), quote!(None));
    for (_, p) in newer {
        let (f, n) = (snake_ident(&p.name), &p.name);
        let v = version_const(p.since.as_deref().unwrap_or_default());
        let found = quote!(Some((#n, crate::versions::#v)));
        if p.ty.array {
            checks.push(quote!(if !request.#f.is_empty() { return #found; }));
        } else if p.ty.optional {
            checks.push(quote!(if request.#f.is_some() { return #found; }));
        } else {
            // A required parameter is always set: the older ones no longer matter.
            otherwise = found;
            break;
        }
    }
    let request = if checks.is_empty() { format_ident!("_request") } else { format_ident!("request") };
    quote! {
        fn newest_param_set(#request: &Self::Request<'_>) -> Option<(&'static str, crate::ApiVersion)> {
            #(#checks)*
            #otherwise
        }
    }
}

/// The depth of a data object in the class tree (deeper = more specific).
fn depth(ctx: &Ctx, name: &str) -> usize {
    let mut d = 0;
    let mut cur = ctx.dos.get(name).and_then(|x| x.base.as_deref());
    while let Some(b) = cur {
        d += 1;
        cur = ctx.dos.get(b).and_then(|x| x.base.as_deref());
        if d > 64 {
            break;
        }
    }
    d
}

/// A method's faults: one variant per declared fault (holding its subclasses too), and
/// `Other` for the runtime faults any method may raise. `From<AnyMethodFault>` routes a
/// decoded fault to the most specific declared variant.
fn fault_enum(ctx: &Ctx, me: &Method, cfg: &TokenStream) -> TokenStream {
    let name = fault_enum_ident(&me.name);
    let declared: Vec<&str> = me.faults.iter().map(String::as_str).filter(|f| ctx.dos.contains_key(f)).collect();
    let doc = format!(
        " The faults of [`{0}`](crate::methods::{0}): those it declares, and `Other` for the runtime faults\n any method may raise (`NotAuthenticated`, `NoPermission`, `InvalidArgument`, ...) or that a newer\n server adds.",
        method_type_name(&me.name)
    );
    let variants = declared.iter().map(|f| {
        let d = ctx.dos[f];
        let v = type_ident(&d.wsdl_name);
        let payload = payload(ctx, f);
        let vdoc = format!(" [`{0}`](crate::{0}) or a subclass of it.", d.wsdl_name);
        quote! { #[doc = #vdoc] #v(#payload), }
    });
    let mut order = declared.clone();
    order.sort_by_key(|f| std::cmp::Reverse(depth(ctx, f)));
    let routes = order.iter().map(|f| {
        let d = ctx.dos[f];
        let v = type_ident(&d.wsdl_name);
        let into = into_ident(ctx, f);
        quote! {
            let f = match f.#into() {
                Ok(x) => return Self::#v(x),
                Err(f) => f,
            };
        }
    });
    let type_arms = declared.iter().map(|f| {
        let d = ctx.dos[f];
        let v = type_ident(&d.wsdl_name);
        if ctx.poly.contains(f) {
            quote! { Self::#v(x) => crate::xml::Encode::xsi_type(x), }
        } else {
            quote! { Self::#v(_) => Some(crate::#v::WSDL_NAME), }
        }
    });
    let content_arms = declared.iter().map(|f| {
        let v = type_ident(&ctx.dos[f].wsdl_name);
        if ctx.poly.contains(f) {
            quote! { Self::#v(x) => crate::xml::Encode::encode_content(x, w), }
        } else {
            quote! { Self::#v(x) => crate::xml::Encode::encode_content(&**x, w), }
        }
    });
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A runtime fault, or one the method does not declare.
            Other(crate::AnyMethodFault),
        }

        #cfg
        impl From<crate::AnyMethodFault> for #name {
            fn from(f: crate::AnyMethodFault) -> Self {
                #(#routes)*
                Self::Other(f)
            }
        }

        /// Read as any fault class of the API, then routed to its variant.
        #cfg
        impl crate::xml::Decode for #name {
            fn decode<'a>(
                r: &mut crate::xml::Reader<'a>,
                e: &crate::xml::Elem<'a>,
            ) -> Result<Self, crate::xml::DecodeError> {
                <crate::AnyMethodFault as crate::xml::Decode>::decode(r, e).map(Self::from)
            }
        }

        /// Written as the fault's concrete class (the server's `<detail>`).
        #cfg
        impl crate::xml::Encode for #name {
            fn xsi_type(&self) -> Option<&str> {
                match self {
                    #(#type_arms)*
                    Self::Other(x) => crate::xml::Encode::xsi_type(x),
                }
            }
            fn encode_content(&self, w: &mut crate::xml::Writer) {
                match self {
                    #(#content_arms)*
                    Self::Other(x) => crate::xml::Encode::encode_content(x, w),
                }
            }
        }
    }
}

fn payload(ctx: &Ctx, fault: &str) -> TokenStream {
    let d = ctx.dos[fault];
    if ctx.poly.contains(fault) {
        let a = any_ident(&d.wsdl_name);
        quote!(crate::#a)
    } else {
        let t = type_ident(&d.wsdl_name);
        quote!(Box<crate::#t>)
    }
}

/// `AnyMethodFault::into_invalid_login` / `into_any_file_fault`.
pub fn into_ident(ctx: &Ctx, fault: &str) -> Ident {
    let w = &ctx.dos[fault].wsdl_name;
    if ctx.poly.contains(fault) {
        ident(&format!("into_any_{}", snake(w)))
    } else {
        ident(&format!("into_{}", snake(w)))
    }
}

/// On `AnyMethodFault`, one `into_*` per declared fault: the fault if it is of that class
/// (or a subclass), else the value back.
pub fn fault_routing(ctx: &Ctx) -> TokenStream {
    let Some(root) = ctx.dos.get(super::context::METHOD_FAULT) else { return quote!() };
    let any_root = any_ident(&root.wsdl_name);
    let mut declared: Vec<&str> =
        ctx.mos.values().flat_map(|m| m.methods.iter().flat_map(|me| me.faults.iter().map(String::as_str))).collect();
    declared.sort();
    declared.dedup();
    declared.retain(|f| ctx.dos.contains_key(f) && *f != super::context::METHOD_FAULT);
    let fns = declared.iter().map(|f| {
        let into = into_ident(ctx, f);
        let d = ctx.dos[f];
        let payload = payload(ctx, f);
        let doc = format!(" The fault as a [`{0}`](crate::{0}) (or subclass), or `Err(self)`.", d.wsdl_name);
        let cfg = ctx.cfg(f);
        if ctx.poly.contains(f) {
            let any = any_ident(&d.wsdl_name);
            let mut classes = vec![*f];
            classes.extend(ctx.descendants(f));
            let arms = classes.iter().map(|c| {
                let v = type_ident(&ctx.dos[c].wsdl_name);
                let cfg = ctx.cfg(c);
                quote! { #cfg Self::#v(x) => Ok(crate::#any::#v(x)), }
            });
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #into(self) -> Result<#payload, Self> {
                    match self {
                        #(#arms)*
                        other => Err(other),
                    }
                }
            }
        } else {
            let v = type_ident(&d.wsdl_name);
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #into(self) -> Result<#payload, Self> {
                    match self {
                        Self::#v(x) => Ok(x),
                        other => Err(other),
                    }
                }
            }
        }
    });
    let not_impl = if let Some(ni) = ctx.dos.get("vmodl.fault.NotImplemented") {
        let v = type_ident(&ni.wsdl_name);
        quote!(crate::#any_root::#v(Box::default()))
    } else {
        let v = type_ident(&root.wsdl_name);
        quote!(crate::#any_root::#v(Box::default()))
    };
    quote! {
        impl #any_root {
            #(#fns)*
        }

        /// The fault a server answers for a method it does not implement.
        pub fn not_implemented_fault() -> crate::#any_root {
            #not_impl
        }
    }
}

fn client_trait(ctx: &Ctx, m: &ManagedObject, cfg: &TokenStream) -> TokenStream {
    let name = format_ident!("{}Client", m.wsdl_name);
    let mo = type_ident(&m.wsdl_name);
    let sup = match m.base.as_deref().and_then(|b| ctx.mos.get(b)) {
        Some(b) => {
            let s = format_ident!("{}Client", b.wsdl_name);
            quote!(crate::#s)
        }
        None => quote!(crate::Invoke),
    };
    let methods = m.methods.iter().map(|me| {
        let f = snake_ident(&me.name);
        let marker = method_ident(&me.name);
        let request = request_ident(&me.name);
        let docs = method_docs(ctx, m, me);
        let response = response_type(ctx, me);
        let fault = fault_enum_ident(&me.name);
        let params = me.params.iter().map(|p| {
            let n = snake_ident(&p.name);
            let t = borrowed_type(ctx, p, &quote!('a));
            quote! { #n: #t }
        });
        let names = me.params.iter().map(|p| snake_ident(&p.name));
        let req = if me.params.is_empty() { quote!(()) } else { quote!(methods::#request { #(#names),* }) };
        let allow = (me.params.len() + 2 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let alias = wire_alias(&f, &me.wsdl_name);
        quote! {
            #docs
            #alias
            #allow
            fn #f<'a, T: crate::IsA<crate::#mo>>(
                &'a self,
                this: &'a crate::MoRef<T>,
                #(#params,)*
            ) -> impl std::future::Future<Output = Result<#response, crate::Error<crate::#fault>>> + Send + 'a {
                self.invoke::<methods::#marker>(this.untyped(), #req)
            }
        }
    });
    let doc = format!(
        " Calls the methods of [`{0}`](crate::{0}) (and, through the supertrait, those it inherits).\n Implemented for every [`Invoke`](crate::Invoke).",
        m.wsdl_name
    );
    quote! {
        #[doc = #doc]
        #cfg
        pub trait #name: #sup {
            #(#methods)*
        }

        #cfg
        impl<I: crate::Invoke> #name for I {}
    }
}

fn server_trait(ctx: &Ctx, m: &ManagedObject, server_cfg: &TokenStream) -> TokenStream {
    let name = format_ident!("{}Server", m.wsdl_name);
    let mo = type_ident(&m.wsdl_name);
    let sup = match m.base.as_deref().and_then(|b| ctx.mos.get(b)) {
        Some(b) => {
            let s = format_ident!("{}Server", b.wsdl_name);
            quote!(crate::#s)
        }
        None => quote!(Send + Sync),
    };
    let methods = m.methods.iter().map(|me| {
        let f = snake_ident(&me.name);
        let docs = method_docs(ctx, m, me);
        let response = response_type(ctx, me);
        let fault = fault_enum_ident(&me.name);
        let params = me.params.iter().map(|p| {
            let n = snake_ident(&p.name);
            let t = owned_type(ctx, p);
            quote! { #n: #t }
        });
        let names = me.params.iter().map(|p| snake_ident(&p.name));
        let allow = (me.params.len() + 3 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let alias = wire_alias(&f, &me.wsdl_name);
        quote! {
            #docs
            ///
            /// The default answers `NotImplemented`.
            #alias
            #allow
            fn #f(
                &self,
                ctx: &crate::CallContext,
                this: &crate::MoRef<crate::#mo>,
                #(#params,)*
            ) -> impl std::future::Future<Output = Result<#response, crate::#fault>> + Send {
                let _ = (ctx, this, #(#names,)*);
                async { Err::<#response, crate::#fault>(crate::not_implemented_fault().into()) }
            }
        }
    });
    let doc = format!(
        " Serves the methods of [`{0}`](crate::{0}): implement the ones your server supports; the rest\n answer `NotImplemented`. The dispatcher checks sessions and privileges before calling.",
        m.wsdl_name
    );
    let _ = doc_attrs;
    let arms = m.methods.iter().map(|me| {
        let wire = &me.wsdl_name;
        let f = snake_ident(&me.name);
        let marker = method_ident(&me.name);
        // The arguments by position, not by their names: a parameter may be called `server`,
        // `ctx` or `call` (9.x's RegisterKmipServer has `server`), which would shadow ours.
        let args = (0..me.params.len()).map(proc_macro2::Literal::usize_unsuffixed);
        let pattern = if me.params.is_empty() { quote!(()) } else { quote!(args) };
        quote! {
            #wire => call.run::<methods::#marker, _>(|#pattern| server.#f(ctx, &this, #(args.#args),*)).await,
        }
    });
    let fallback = match m.base.as_deref().and_then(|b| ctx.mos.get(b)) {
        Some(b) => {
            let b = type_ident(&b.wsdl_name);
            quote! { _ => crate::#b::serve(server, ctx, this.upcast(), call).await, }
        }
        None => quote! { _ => call.unknown_method(), },
    };
    let body = match (m.methods.is_empty(), m.base.as_deref().and_then(|b| ctx.mos.get(b))) {
        (false, _) => quote! {
            match call.operation() {
                #(#arms)*
                #fallback
            }
        },
        (true, Some(b)) => {
            let b = type_ident(&b.wsdl_name);
            quote! { crate::#b::serve(server, ctx, this.upcast(), call).await }
        }
        (true, None) => quote! {
            let _ = (server, ctx, this);
            call.unknown_method()
        },
    };
    let serve_doc = format!(
        " Answers `call`, a call of one of [`{0}`](crate::{0})'s methods (its own or inherited), with\n `server`: decodes the parameters, calls the method, encodes its result or fault.\n The dispatcher has checked the session and the privilege.",
        m.wsdl_name
    );
    quote! {
        #[doc = #doc]
        #server_cfg
        pub trait #name: #sup {
            #(#methods)*
        }

        #server_cfg
        impl #mo {
            #[doc = #serve_doc]
            pub async fn serve<S: crate::#name + ?Sized>(
                server: &S,
                ctx: &crate::CallContext,
                this: crate::MoRef<#mo>,
                call: crate::server::Call<'_>,
            ) -> crate::server::Reply {
                #body
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An alias only where the names differ: rustdoc rejects one equal to the item's name.
    #[test]
    fn wire_aliases() {
        let alias = |rust: &str, wire: &str| wire_alias(&ident(rust), wire).map(|t| t.to_string());
        assert_eq!(alias("power_off_vm", "PowerOffVM_Task").as_deref(), Some("# [doc (alias = \"PowerOffVM_Task\")]"));
        assert_eq!(alias("PowerOffVM", "PowerOffVM_Task").as_deref(), Some("# [doc (alias = \"PowerOffVM_Task\")]"));
        assert_eq!(alias("CloneSession", "CloneSession"), None);
        assert_eq!(alias("type", "type"), None);
    }
}

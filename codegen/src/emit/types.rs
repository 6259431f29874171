//! Data objects (structs), enumerations, and the `Any*` enums that carry polymorphism.
//!
//! Polymorphism: a field typed with a base class that has subclasses holds an `Any<Base>`
//! enum with one boxed variant per concrete class (the base included) and an `Unknown`
//! variant for classes a newer server adds. Users `match` on the concrete type. This costs
//! one enum per base actually used as a type (about a hundred for the full API), not a
//! trait object and vtable per class, and nothing is monomorphised per class.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Ctx;
use super::docs::{doc_attrs, doc_paragraphs};
use super::names::*;
use crate::ir::{DataObject, Enum};

/// A data object as a struct with every field, inherited ones first.
pub fn data_object(ctx: &Ctx, d: &DataObject) -> TokenStream {
    let name = type_ident(&d.wsdl_name);
    let wsdl = &d.wsdl_name;
    let mut about = vec![d.description.clone()];
    let mut facts = format!("Wire name `{wsdl}`; VMODL `{}`; since {}.", d.name, ctx.version_name(&d.since));
    if let Some(b) = d.base.as_deref().and_then(|b| ctx.dos.get(b)) {
        facts.push_str(&format!(" Extends [`{0}`](crate::{0}).", b.wsdl_name));
    }
    if ctx.poly.contains(d.name.as_str()) {
        facts.push_str(&format!(" Where the API allows subclasses, it is held as [`{0}`](crate::{0}).", any_ident(wsdl)));
    }
    about.push(facts);
    if d.deprecated {
        about.push("Deprecated.".into());
    }
    let docs = doc_paragraphs(&about, ctx);
    let fields = ctx.all_fields(&d.name).into_iter().map(|(owner, p)| {
        let f = snake_ident(&p.name);
        let t = ctx.field_type(owner, &p.name, &p.ty);
        let mut text = p.description.clone();
        if owner != d.name {
            let from = ctx.dos.get(owner).map_or(owner, |o| o.wsdl_name.as_str());
            text = if text.is_empty() { format!("(From `{from}`.)") } else { format!("{text}\n\n(From `{from}`.)") };
        }
        let fd = doc_attrs(&text, ctx);
        quote! { #fd pub #f: #t, }
    });
    let deprecated = d.deprecated.then(|| quote!(#[doc(alias = "deprecated")]));
    let cfg = ctx.cfg(&d.name);
    quote! {
        #docs
        #deprecated
        #cfg
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name { #(#fields)* }

        #cfg
        impl #name {
            /// The type's name on the wire (`xsi:type`).
            pub const WSDL_NAME: &'static str = #wsdl;
        }
    }
}

/// `Any<Base>`: the base or any of its subclasses, or an unknown subclass.
pub fn any_enum(ctx: &Ctx, d: &DataObject) -> TokenStream {
    let any = any_ident(&d.wsdl_name);
    let base = type_ident(&d.wsdl_name);
    let mut classes = vec![d.name.as_str()];
    classes.extend(ctx.descendants(&d.name));
    let variants = classes.iter().map(|c| {
        let w = &ctx.dos[c].wsdl_name;
        let i = type_ident(w);
        let doc = format!(" A [`{w}`](crate::{w}).");
        let cfg = ctx.cfg(c);
        quote! { #[doc = #doc] #cfg #i(Box<crate::#i>), }
    });
    let names = classes.iter().map(|c| {
        let w = &ctx.dos[c].wsdl_name;
        let i = type_ident(w);
        let cfg = ctx.cfg(c);
        quote! { #cfg Self::#i(_) => #w, }
    });
    let cfg = ctx.cfg(&d.name);
    let as_fields = classes.iter().map(|c| {
        let i = type_ident(&ctx.dos[c].wsdl_name);
        let cfg = ctx.cfg(c);
        quote! { #cfg Self::#i(v) => &**v, }
    });
    // The base's fields, read from whatever class the value is (the base's fields come first,
    // at the same position, in every subclass's table), without a `match` at the call site.
    let accessors = ctx.all_fields(&d.name).into_iter().enumerate().filter_map(|(i, (owner, p))| {
        let f = snake_ident(&p.name);
        // `DynamicData`'s two fields are on every class and rarely read: not worth a pair of
        // accessors on every `Any*` enum.
        if owner == "vmodl.DynamicData" || ["type_name", "as_fields"].contains(&f.to_string().as_str()) {
            return None;
        }
        let t = ctx.field_type(owner, &p.name, &p.ty);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let doc = format!(" `{}`, whatever the class.", p.name);
        Some(quote! {
            #[doc = #doc]
            pub fn #f(&self) -> &#t {
                crate::xml::field_of(self.as_fields(), #i).expect("a base field is at the same position in every subclass")
            }
        })
    });
    let doc = format!(
        " A [`{0}`](crate::{0}) or any of its subclasses: `match` on the concrete type. Values of classes\n these bindings do not know (a newer server's) are kept in `Unknown`.",
        d.wsdl_name
    );
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        pub enum #any {
            #(#variants)*
            /// A subclass these bindings do not know (or whose feature is off), with the
            /// fields its known base has and its XML.
            Unknown(Box<crate::UnknownSubtype<crate::#base>>),
        }

        #cfg
        impl Default for #any {
            fn default() -> Self {
                Self::#base(Box::default())
            }
        }

        #cfg
        impl #any {
            /// The concrete class's wire name (`xsi:type`).
            pub fn type_name(&self) -> &str {
                match self {
                    #(#names)*
                    Self::Unknown(u) => &u.type_name,
                }
            }

            /// The value as its table of fields (its base's fields first).
            pub fn as_fields(&self) -> &dyn crate::xml::Fields {
                match self {
                    #(#as_fields)*
                    Self::Unknown(u) => &u.base,
                }
            }

            #(#accessors)*
        }

        #cfg
        impl From<crate::#base> for #any {
            fn from(v: crate::#base) -> Self {
                Self::#base(Box::new(v))
            }
        }
    }
}

/// An enumeration: one variant per documented value, plus `Unrecognized` for values a
/// newer server sends.
pub fn enumeration(ctx: &Ctx, e: &Enum) -> TokenStream {
    let name = type_ident(&e.wsdl_name);
    let mut used = std::collections::BTreeSet::new();
    let variants: Vec<(proc_macro2::Ident, &String, &String)> = e
        .values
        .iter()
        .zip(&e.value_docs)
        .map(|(v, d)| {
            let mut n = camel(v);
            if n == "Unrecognized" {
                n.push_str("Value");
            }
            while !used.insert(n.clone()) {
                n.push('_');
            }
            (ident(&n), v, d)
        })
        .collect();
    let decl = variants.iter().enumerate().map(|(n, (i, v, d))| {
        let doc = if d.is_empty() { format!("`{v}`") } else { format!("`{v}`: {d}") };
        let doc = doc_attrs(&doc, ctx);
        // The first value is the default (what `Default` gives a struct's required field).
        let default = (n == 0).then(|| quote!(#[default]));
        quote! { #doc #default #i, }
    });
    let to_str = variants.iter().map(|(i, v, _)| quote! { Self::#i => #v, });
    let from_str = variants.iter().map(|(i, v, _)| quote! { #v => Self::#i, });
    let derive_default = (!variants.is_empty()).then(|| quote!(Default,));
    let docs = doc_paragraphs(&[e.description.clone(), format!("Wire name `{}`; VMODL `{}`.", e.wsdl_name, e.name)], ctx);
    let cfg = ctx.cfg(&e.name);
    quote! {
        #docs
        #cfg
        #[derive(Clone, Debug, #derive_default PartialEq, Eq, Hash)]
        pub enum #name {
            #(#decl)*
            /// A value these bindings do not know (from a newer server), kept as sent.
            Unrecognized(String),
        }

        #cfg
        impl #name {
            /// The value as the wire spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unrecognized(s) => s,
                }
            }

            /// The value for a wire string; unknown values are kept in `Unrecognized`.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    #(#from_str)*
                    other => Self::Unrecognized(other.to_string()),
                }
            }
        }
    }
}

/// `AnyData` (every data object, for `anyType` values) and `AnyValue` (what an `anyType`
/// element holds).
pub fn any_value(ctx: &Ctx) -> TokenStream {
    let variants = ctx.dos.values().map(|d| {
        let i = type_ident(&d.wsdl_name);
        let cfg = ctx.cfg(&d.name);
        quote! { #cfg #i(Box<crate::#i>), }
    });
    quote! {
        /// Any data object: what an `anyType` element holds when it is a structure (of a
        /// class whose feature is on; others are `AnyValue::Unknown`).
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyData {
            #(#variants)*
        }

        impl AnyData {
            /// The concrete class's wire name (`xsi:type`).
            pub fn type_name(&self) -> &str {
                crate::xml::Fields::type_name(self.as_fields())
            }
        }

        /// The value of an `anyType` element (`DynamicProperty.val`, `OptionValue.value`):
        /// its `xsi:type` decides the variant.
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyValue {
            Bool(bool),
            Byte(i8),
            Short(i16),
            Int(i32),
            Long(i64),
            Float(f32),
            Double(f64),
            String(String),
            DateTime(crate::DateTime),
            Binary(Vec<u8>),
            /// `xsd:anyURI`.
            Uri(String),
            /// A managed-object reference.
            Reference(crate::ManagedObjectReference),
            /// An enumeration value: its type's wire name and the value.
            Enum { type_name: String, value: String },
            Data(AnyData),
            /// An `ArrayOf*` value: the element type's wire name and the items.
            Array { item_type: String, items: Vec<AnyValue> },
            /// A type these bindings do not know, as received.
            Unknown { type_name: String, xml: String },
        }

        impl Default for AnyValue {
            fn default() -> Self {
                Self::String(String::new())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Model;

    fn data(name: &str, wsdl: &str, base: Option<&str>) -> DataObject {
        DataObject {
            name: name.into(),
            wsdl_name: wsdl.into(),
            base: base.map(Into::into),
            since: String::new(),
            is_fault: false,
            deprecated: false,
            description: String::new(),
            properties: Vec::new(),
        }
    }

    /// The base-class line is an intra-doc link, not escaped brackets (rendered as
    /// `Extends [DynamicData](crate::DynamicData)` text before).
    #[test]
    fn extends_line_is_a_link() {
        let model = Model {
            format: "test",
            api_version: None,
            versions: Vec::new(),
            managed_objects: Vec::new(),
            data_objects: vec![
                data("vim.UserSession", "UserSession", Some("vmodl.DynamicData")),
                data("vmodl.DynamicData", "DynamicData", None),
            ],
            enums: Vec::new(),
        };
        let ctx = Ctx::new(&model);
        let code = data_object(&ctx, &model.data_objects[0]).to_string();
        assert!(code.contains("Extends [`DynamicData`](crate::DynamicData)."), "{code}");
        assert!(!code.contains("\\\\["), "{code}");
    }
}

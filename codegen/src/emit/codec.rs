//! The XML codec, generated per type over `vim_types::xml`: `Decode` and `Encode` for every
//! data object, enum and `Any*` enum, and each method's request encoding and response
//! decoding. Data objects are table-driven (`xml::Fields`): per struct a static table of
//! wire names and two `match`es from a field's position to the field, read and written by
//! loops compiled once (`Reader::fill`, `Writer::fields`); `AnyData` finds a class by binary
//! search in a sorted table. Compile time is the reason (README, "Compile time").

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Ctx;
use super::names::*;
use crate::ir::{DataObject, Enum, Method};

/// `Decode` and `Encode` for a data object's struct, through its table of fields
/// (`xml::Fields`): the reading and writing loops are `Reader::fill` and `Writer::fields`,
/// compiled once; per type there is a static table of wire names and two `match`es from a
/// field's position to the field.
pub fn data_object(ctx: &Ctx, d: &DataObject) -> TokenStream {
    let name = type_ident(&d.wsdl_name);
    let fields = ctx.all_fields(&d.name);
    let table = fields.iter().map(|(_, p)| {
        let wire = &p.name;
        if p.ty.array || p.ty.optional {
            quote! { crate::xml::Field::opt(#wire), }
        } else {
            quote! { crate::xml::Field::req(#wire), }
        }
    });
    let idx = (0..fields.len()).map(proc_macro2::Literal::usize_unsuffixed).collect::<Vec<_>>();
    let f = fields.iter().map(|(_, p)| snake_ident(&p.name)).collect::<Vec<_>>();
    let (decode, encode, slots) = if fields.is_empty() {
        (
            quote! {
                r.skip(e)?;
                Ok(Self::default())
            },
            quote! { let _ = w; },
            quote! {
                fn slot_mut(&mut self, i: usize) -> Option<&mut dyn crate::xml::Slot> {
                    let _ = i;
                    None
                }
                fn slot(&self, i: usize) -> Option<&dyn crate::xml::Slot> {
                    let _ = i;
                    None
                }
            },
        )
    } else {
        (
            quote! {
                r.read_fields(e)
            },
            quote! { w.fields(self); },
            quote! {
                fn slot_mut(&mut self, i: usize) -> Option<&mut dyn crate::xml::Slot> {
                    Some(match i {
                        #(#idx => &mut self.#f,)*
                        _ => return None,
                    })
                }
                fn slot(&self, i: usize) -> Option<&dyn crate::xml::Slot> {
                    Some(match i {
                        #(#idx => &self.#f,)*
                        _ => return None,
                    })
                }
            },
        )
    };
    let cfg = ctx.cfg(&d.name);
    quote! {
        #cfg
        impl crate::xml::Decode for #name {
            fn decode<'a>(r: &mut crate::xml::Reader<'a>, e: &crate::xml::Elem<'a>) -> Result<Self, crate::xml::DecodeError> {
                #decode
            }
        }

        #cfg
        impl crate::xml::Encode for #name {
            fn encode_content(&self, w: &mut crate::xml::Writer) {
                #encode
            }
        }

        #cfg
        impl crate::xml::Fields for #name {
            fn type_name(&self) -> &'static str {
                Self::WSDL_NAME
            }
            fn fields(&self) -> &'static [crate::xml::Field] {
                const FIELDS: &[crate::xml::Field] = &[#(#table)*];
                FIELDS
            }
            #slots
        }
    }
}

/// `Decode`/`Encode` for `Any<Base>`: `xsi:type` picks the class; an unknown class keeps
/// the base's fields and the raw XML.
pub fn any_enum(ctx: &Ctx, d: &DataObject) -> TokenStream {
    let any = any_ident(&d.wsdl_name);
    let base = type_ident(&d.wsdl_name);
    let base_wire = &d.wsdl_name;
    let subs: Vec<&str> = ctx.descendants(&d.name);
    let arms = subs.iter().map(|c| {
        let w = &ctx.dos[c].wsdl_name;
        let i = type_ident(w);
        let cfg = ctx.cfg(c);
        quote! { #cfg Some(#w) => r.read_boxed(e, Self::#i), }
    });
    let mut classes = vec![d.name.as_str()];
    classes.extend(subs.iter().copied());
    let enc = classes.iter().map(|c| {
        let i = type_ident(&ctx.dos[c].wsdl_name);
        let cfg = ctx.cfg(c);
        quote! { #cfg Self::#i(v) => crate::xml::Encode::encode_content(&**v, w), }
    });
    let cfg = ctx.cfg(&d.name);
    quote! {
        #cfg
        impl crate::xml::Decode for #any {
            fn decode<'a>(r: &mut crate::xml::Reader<'a>, e: &crate::xml::Elem<'a>) -> Result<Self, crate::xml::DecodeError> {
                match e.xsi_type.as_deref() {
                    None | Some(#base_wire) => r.read_boxed(e, Self::#base),
                    #(#arms)*
                    Some(other) => {
                        let type_name = other.to_string();
                        r.report.unknown_types += 1;
                        let base: crate::#base = r.read(e)?;
                        let xml = r.raw_since(e.start);
                        Ok(Self::Unknown(Box::new(crate::UnknownSubtype { type_name, base, xml })))
                    }
                }
            }
        }

        #cfg
        impl crate::xml::Encode for #any {
            fn xsi_type(&self) -> Option<&str> {
                Some(self.type_name())
            }
            fn encode_content(&self, w: &mut crate::xml::Writer) {
                match self {
                    #(#enc)*
                    // As received, so that the fields the bindings do not know are kept;
                    // the base's fields for a value that was built, not read.
                    Self::Unknown(u) if !u.xml.is_empty() => w.content_of(&u.xml),
                    Self::Unknown(u) => crate::xml::Encode::encode_content(&u.base, w),
                }
            }
        }
    }
}

/// `Decode`/`Encode` for an enumeration: its wire string.
pub fn enumeration(ctx: &Ctx, e: &Enum) -> TokenStream {
    let name = type_ident(&e.wsdl_name);
    let cfg = ctx.cfg(&e.name);
    quote! {
        #cfg
        impl crate::xml::Decode for #name {
            fn decode<'a>(r: &mut crate::xml::Reader<'a>, e: &crate::xml::Elem<'a>) -> Result<Self, crate::xml::DecodeError> {
                Ok(Self::from_wire(r.text(e)?.trim()))
            }
        }

        #cfg
        impl crate::xml::Encode for #name {
            fn encode_content(&self, w: &mut crate::xml::Writer) {
                w.escaped(self.as_str());
            }
        }
    }
}

/// `AnyData` and `AnyValue`: an `anyType` element's `xsi:type` picks a primitive, a
/// reference, an array (`ArrayOfX`), an enum or a data object.
pub fn any_value(ctx: &Ctx) -> TokenStream {
    // Sorted by wire name, for the binary search of `decode_as`.
    let mut classes: Vec<&DataObject> = ctx.dos.values().copied().collect();
    classes.sort_by(|a, b| a.wsdl_name.cmp(&b.wsdl_name));
    let names = classes.iter().map(|d| d.wsdl_name.as_str());
    let idx = (0..classes.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let variants: Vec<proc_macro2::Ident> = classes.iter().map(|d| type_ident(&d.wsdl_name)).collect();
    // A class whose feature is off keeps its place in `CLASSES` (so the positions do not
    // depend on the features) but has no arm: `decode_as` answers `None`, and the value is
    // kept as `AnyValue::Unknown`.
    let cfgs: Vec<TokenStream> = classes.iter().map(|d| ctx.cfg(&d.name)).collect();
    let mut enum_names: Vec<&str> = ctx.enums.values().map(|e| e.wsdl_name.as_str()).collect();
    enum_names.sort();
    quote! {
        impl AnyData {
            /// The wire name of every data object class, sorted.
            const CLASSES: &'static [&'static str] = &[#(#names),*];

            /// A default value of class `CLASSES[i]`.
            fn default_of(i: usize) -> Option<Self> {
                Some(match i {
                    #(#cfgs #idx => Self::#variants(Box::default()),)*
                    _ => return None,
                })
            }

            /// The value as its table of fields, to read into.
            pub fn as_fields_mut(&mut self) -> &mut dyn crate::xml::Fields {
                match self {
                    #(#cfgs Self::#variants(v) => &mut **v,)*
                }
            }

            /// The value as its table of fields.
            pub fn as_fields(&self) -> &dyn crate::xml::Fields {
                match self {
                    #(#cfgs Self::#variants(v) => &**v,)*
                }
            }

            /// Decodes a data object of class `type_name`; `None` for a class these bindings
            /// do not know.
            pub fn decode_as<'a>(
                r: &mut crate::xml::Reader<'a>,
                e: &crate::xml::Elem<'a>,
                type_name: &str,
            ) -> Option<Result<Self, crate::xml::DecodeError>> {
                let mut v = Self::default_of(Self::CLASSES.binary_search(&type_name).ok()?)?;
                Some(r.fill(v.as_fields_mut(), e).map(|()| v))
            }
        }

        impl crate::xml::Encode for AnyData {
            fn xsi_type(&self) -> Option<&str> {
                Some(self.type_name())
            }
            fn encode_content(&self, w: &mut crate::xml::Writer) {
                w.fields(self.as_fields());
            }
        }

        /// XML Schema types as array items, with the suffix of their `ArrayOf` type:
        /// capitalised (`ArrayOfString`), where the API's own classes keep their name.
        const XSD_ARRAY_ITEMS: [(&str, &str); 11] = [
            ("string", "String"),
            ("boolean", "Boolean"),
            ("byte", "Byte"),
            ("short", "Short"),
            ("int", "Int"),
            ("long", "Long"),
            ("float", "Float"),
            ("double", "Double"),
            ("dateTime", "DateTime"),
            ("base64Binary", "Base64Binary"),
            ("anyURI", "AnyURI"),
        ];

        /// Whether `type_name` is an enumeration of the API.
        fn is_enum(type_name: &str) -> bool {
            const ENUMS: &[&str] = &[#(#enum_names),*];
            ENUMS.binary_search(&type_name).is_ok()
        }

        impl AnyValue {
            /// Decodes an `anyType` value whose type is `type_name` (from `xsi:type`, or the
            /// element type of an enclosing `ArrayOf*`).
            pub fn decode_as<'a>(
                r: &mut crate::xml::Reader<'a>,
                e: &crate::xml::Elem<'a>,
                type_name: &str,
            ) -> Result<Self, crate::xml::DecodeError> {
                Ok(match type_name {
                    "string" => Self::String(r.read(e)?),
                    "boolean" => Self::Bool(r.read(e)?),
                    "byte" => Self::Byte(r.read(e)?),
                    "short" => Self::Short(r.read(e)?),
                    "int" => Self::Int(r.read(e)?),
                    "long" => Self::Long(r.read(e)?),
                    "float" => Self::Float(r.read(e)?),
                    "double" => Self::Double(r.read(e)?),
                    "dateTime" => Self::DateTime(r.read(e)?),
                    "base64Binary" => Self::Binary(r.read(e)?),
                    "anyURI" => Self::Uri(r.read(e)?),
                    "ManagedObjectReference" => Self::Reference(r.read(e)?),
                    t if crate::xml::is_array_type(t) => {
                        let suffix = &t["ArrayOf".len()..];
                        let item = XSD_ARRAY_ITEMS.iter().find(|(_, a)| *a == suffix).map_or(suffix, |(x, _)| x).to_string();
                        let mut items = Vec::new();
                        if !e.empty {
                            while let Some(c) = r.child()? {
                                let t = c.xsi_type.as_deref().unwrap_or(&item);
                                items.push(AnyValue::decode_as(r, &c, t)?);
                            }
                        }
                        Self::Array { item_type: item, items }
                    }
                    t if is_enum(t) => Self::Enum { type_name: t.to_string(), value: r.read(e)? },
                    t => match AnyData::decode_as(r, e, t) {
                        Some(v) => Self::Data(v?),
                        None => {
                            r.report.unknown_types += 1;
                            r.skip(e)?;
                            Self::Unknown { type_name: t.to_string(), xml: r.raw_since(e.start) }
                        }
                    },
                })
            }

            /// The XML Schema or API type to write as `xsi:type`.
            pub fn type_name(&self) -> std::borrow::Cow<'_, str> {
                use std::borrow::Cow;
                match self {
                    Self::Bool(_) => Cow::Borrowed("xsd:boolean"),
                    Self::Byte(_) => Cow::Borrowed("xsd:byte"),
                    Self::Short(_) => Cow::Borrowed("xsd:short"),
                    Self::Int(_) => Cow::Borrowed("xsd:int"),
                    Self::Long(_) => Cow::Borrowed("xsd:long"),
                    Self::Float(_) => Cow::Borrowed("xsd:float"),
                    Self::Double(_) => Cow::Borrowed("xsd:double"),
                    Self::String(_) => Cow::Borrowed("xsd:string"),
                    Self::DateTime(_) => Cow::Borrowed("xsd:dateTime"),
                    Self::Binary(_) => Cow::Borrowed("xsd:base64Binary"),
                    Self::Uri(_) => Cow::Borrowed("xsd:anyURI"),
                    Self::Reference(_) => Cow::Borrowed("ManagedObjectReference"),
                    Self::Enum { type_name, .. } | Self::Unknown { type_name, .. } => Cow::Borrowed(type_name),
                    Self::Data(d) => Cow::Borrowed(d.type_name()),
                    Self::Array { item_type, .. } => {
                        let item = XSD_ARRAY_ITEMS.iter().find(|(x, _)| *x == item_type).map_or(item_type.as_str(), |(_, a)| a);
                        Cow::Owned(format!("ArrayOf{item}"))
                    }
                }
            }
        }

        impl crate::xml::Decode for AnyValue {
            fn decode<'a>(r: &mut crate::xml::Reader<'a>, e: &crate::xml::Elem<'a>) -> Result<Self, crate::xml::DecodeError> {
                match e.xsi_type.as_deref() {
                    Some(t) => AnyValue::decode_as(r, e, t),
                    // No type: the text, as a string.
                    None => Ok(Self::String(r.read(e)?)),
                }
            }
        }

        impl crate::xml::Encode for AnyValue {
            fn encode(&self, w: &mut crate::xml::Writer, name: &str) {
                let t = self.type_name();
                // A reference keeps its `type` attribute beside `xsi:type`.
                let type_attr = match self {
                    Self::Reference(r) => Some(r.type_name.as_str()),
                    _ => None,
                };
                w.open(name, Some(&t), type_attr);
                self.encode_content(w);
                w.close(name);
            }
            fn encode_content(&self, w: &mut crate::xml::Writer) {
                match self {
                    Self::Bool(v) => v.encode_content(w),
                    Self::Byte(v) => v.encode_content(w),
                    Self::Short(v) => v.encode_content(w),
                    Self::Int(v) => v.encode_content(w),
                    Self::Long(v) => v.encode_content(w),
                    Self::Float(v) => v.encode_content(w),
                    Self::Double(v) => v.encode_content(w),
                    Self::String(v) | Self::Uri(v) => v.encode_content(w),
                    Self::DateTime(v) => v.encode_content(w),
                    Self::Binary(v) => v.encode_content(w),
                    Self::Reference(v) => v.encode_content(w),
                    Self::Enum { value, .. } => w.escaped(value),
                    Self::Data(d) => d.encode_content(w),
                    Self::Array { item_type, items } => {
                        for i in items {
                            i.encode(w, item_type);
                        }
                    }
                    Self::Unknown { xml, .. } => w.content_of(xml),
                }
            }
        }
    }
}

/// A method's codec: the client's `encode_request` and `decode_response` (inside its
/// `Method` impl), and the server's `decode_args` and `encode_response` (inside its
/// `ServeMethod` impl).
pub fn method_codec(ctx: &Ctx, me: &Method) -> (TokenStream, TokenStream) {
    let params = me.params.iter().map(|p| {
        let f = snake_ident(&p.name);
        let wire = &p.name;
        if p.ty.array {
            quote! { w.list(#wire, request.#f); }
        } else if p.ty.optional {
            quote! { w.opt(#wire, &request.#f); }
        } else {
            quote! { w.field(#wire, &request.#f); }
        }
    });
    let req_param = if me.params.is_empty() { quote!(_request) } else { quote!(request) };
    let w_param = if me.params.is_empty() { quote!(_w) } else { quote!(w) };
    let (decode, encode) = match &me.returns {
        None => (quote!(crate::xml::no_returnval(r, e)), quote!()),
        Some(r) if r.ty.array => (quote!(crate::xml::returnval_vec(r, e)), quote! { w.list("returnval", response); }),
        Some(r) if r.ty.optional => (quote!(crate::xml::returnval_opt(r, e)), quote! { w.opt("returnval", response); }),
        Some(_) => (quote!(crate::xml::returnval(r, e)), quote! { w.field("returnval", response); }),
    };
    let (resp_param, w_resp) = if me.returns.is_none() { (quote!(_response), quote!(_w)) } else { (quote!(response), quote!(w)) };
    let decode_args = args_decoder(ctx, me);
    let client = quote! {
        fn encode_request(#req_param: &Self::Request<'_>, #w_param: &mut crate::xml::Writer) {
            #(#params)*
        }

        fn decode_response<'a>(
            r: &mut crate::xml::Reader<'a>,
            e: &crate::xml::Elem<'a>,
        ) -> Result<Self::Response, crate::xml::DecodeError> {
            #decode
        }
    };
    let server = quote! {
        #decode_args

        fn encode_response(#resp_param: &Self::Response, #w_resp: &mut crate::xml::Writer) {
            #encode
        }
    };
    (client, server)
}

/// `decode_args`: the parameters of a request, after `_this`, in a tuple. Servers are
/// strict: a required parameter that is missing is an error (not a default value).
fn args_decoder(ctx: &Ctx, me: &Method) -> TokenStream {
    if me.params.is_empty() {
        return quote! {
            fn decode_args<'a>(
                r: &mut crate::xml::Reader<'a>,
                e: &crate::xml::Elem<'a>,
            ) -> Result<Self::Args, crate::xml::DecodeError> {
                crate::xml::no_args(r, e)
            }
        };
    }
    let op = &me.wsdl_name;
    let locals = me.params.iter().map(|p| {
        let f = snake_ident(&p.name);
        let t = ctx.element_type(&p.ty.elem, false);
        if p.ty.array {
            quote! { let mut #f: Vec<#t> = Vec::new(); }
        } else {
            quote! { let mut #f: Option<#t> = None; }
        }
    });
    let arms = me.params.iter().map(|p| {
        let f = snake_ident(&p.name);
        let wire = &p.name;
        if p.ty.array {
            quote! { #wire => #f.push(r.read(&c)?), }
        } else {
            quote! { #wire => #f = Some(r.read(&c)?), }
        }
    });
    let required = me.params.iter().filter(|p| !p.ty.array && !p.ty.optional).map(|p| {
        let f = snake_ident(&p.name);
        let wire = &p.name;
        quote! { let #f = crate::xml::required_arg(r, #f, #op, #wire)?; }
    });
    let names = me.params.iter().map(|p| snake_ident(&p.name));
    quote! {
        fn decode_args<'a>(
            r: &mut crate::xml::Reader<'a>,
            e: &crate::xml::Elem<'a>,
        ) -> Result<Self::Args, crate::xml::DecodeError> {
            #(#locals)*
            if !e.empty {
                while let Some(c) = r.child()? {
                    match c.name {
                        #(#arms)*
                        _ => r.skip_unknown(&c)?,
                    }
                }
            }
            #(#required)*
            Ok((#(#names,)*))
        }
    }
}

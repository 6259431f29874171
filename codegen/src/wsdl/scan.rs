//! One file's XML -> raw declarations ([`Raw`]), with spans.
//!
//! A single streaming pass over quick-xml's [`NsReader`] events. Element names are matched by
//! *namespace URI* and local name, never by prefix text; so are QName-valued attributes
//! (`type="vim25:UserSession"`, `base=`, `message=`, `element=`).
//!
//! The scanner keeps a stack of [`Frame`]s, one per open element. A frame under construction
//! (a complexType, a message, an operation...) lives in the stack and is moved into [`Raw`]
//! when its end tag is read, so nothing half-built is ever visible and a truncated file just
//! loses its unfinished declarations. Elements in unexpected places (or unknown namespaces)
//! become [`Frame::Skip`] and their whole subtree is ignored.
//!
//! Cross-references (messages -> elements -> types) are not resolved here: that needs every
//! file, and is done by `join`.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{NamespaceResolver, QName, ResolveResult};
use quick_xml::NsReader;

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, Span};
use crate::wsdl::model::{ComplexType, Element, EnumType, MaxOccurs, TypeRef};

pub(crate) const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
pub(crate) const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const SOAP_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";

/// A QName attribute value, resolved to a local name, with the span of the attribute value.
#[derive(Clone, Debug)]
pub(crate) struct NameRef {
    pub local: String,
    pub span: Span,
}

/// A top-level `<xsd:element>`: request elements (`type=`), response elements (anonymous
/// complexType holding `returnval`) and fault elements (`type=` the fault type).
#[derive(Debug)]
pub(crate) struct TopElement {
    pub name: String,
    pub ty: Option<(TypeRef, Span)>,
    pub inline: Option<ComplexType>,
    pub span: Span,
}

/// A WSDL `<message>`; only its first part's `element=` matters for document/literal.
#[derive(Debug)]
pub(crate) struct Message {
    pub name: String,
    pub element: Option<NameRef>,
    pub span: Span,
}

/// A `<portType><operation>`.
#[derive(Debug)]
pub(crate) struct PortOp {
    pub name: String,
    pub input: Option<NameRef>,
    pub output: Option<NameRef>,
    pub faults: Vec<NameRef>,
    pub span: Span,
}

/// A `<binding><operation>`.
#[derive(Debug)]
pub(crate) struct BindingOp {
    pub name: String,
    /// The value and the span of the `soapAction` attribute.
    pub soap_action: Option<(String, Span)>,
    pub span: Span,
}

/// A reference to another file: XSD `include`/`import` (`schemaLocation`) or WSDL `import`
/// (`location`). `location` is as written, relative to the referencing file.
#[derive(Debug)]
pub(crate) struct Include {
    pub location: String,
    pub span: Span,
}

/// Every declaration read so far, over all files, in read order.
#[derive(Debug, Default)]
pub(crate) struct Raw {
    /// `targetNamespace` of the first WSDL `<definitions>` read (the entry's, normally).
    pub wsdl_target_namespace: Option<String>,
    /// `targetNamespace` of the first `<schema>`, the fallback when the entry is a bare XSD.
    pub schema_target_namespace: Option<String>,
    pub types: Vec<ComplexType>,
    pub enums: Vec<EnumType>,
    pub elements: Vec<TopElement>,
    pub messages: Vec<Message>,
    pub port_ops: Vec<PortOp>,
    pub binding_ops: Vec<BindingOp>,
    /// Every reference to a named (non-XSD) type: element types and extension bases.
    /// Checked once all files are read.
    pub type_refs: Vec<NameRef>,
    /// Every reference to an XML Schema built-in, checked against the list of built-ins.
    pub xsd_refs: Vec<NameRef>,
    /// `<group name>` definitions (of any namespace read), as element lists.
    pub groups: Vec<ComplexType>,
    /// `<group ref>` uses inside named complexTypes, spliced in by `join::build`.
    pub group_refs: Vec<GroupRef>,
    /// Types and enums of a foreign namespace (see `Scanner::foreign`): `join::build` keeps
    /// those the API's types reach (through spliced groups) and whose names are free.
    pub foreign_types: Vec<ComplexType>,
    pub foreign_enums: Vec<EnumType>,
}

/// `<group ref="vsan:X"/>` at element position `position` of complexType `owner`.
#[derive(Debug)]
pub(crate) struct GroupRef {
    pub owner: String,
    pub position: usize,
    pub group: NameRef,
}

/// What an open element is, in the grammar subset we read.
#[derive(Debug)]
enum Frame {
    /// Ignored element; its whole subtree is ignored too.
    Skip,
    /// An element we pass through without keeping anything (`types`, `portType`,
    /// `complexContent`, `restriction`...), tagged so children can check their context.
    Pass(Ctx),
    Schema,
    /// A complexType being built; `None` destination means it is the anonymous type of the
    /// top-level element just below it on the stack.
    ComplexType(ComplexType, TypeDest),
    Member,
    TopElement(TopElement),
    SimpleType(EnumType, bool),
    Message(Message),
    PortOp(PortOp),
    BindingOp(BindingOp),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    Definitions,
    Types,
    PortType,
    Binding,
    ComplexContent,
    SimpleContent,
    /// `<extension>` under complexContent (true) or simpleContent (false).
    Extension(bool),
    Sequence,
    Restriction,
    Part,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TypeDest {
    Named,
    Inline,
    /// A `<group name>`: its sequence's elements, spliced where a type references it.
    Group,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    Xsd,
    Wsdl,
    Soap,
    Other,
}

fn classify(res: &ResolveResult<'_>) -> Ns {
    match res {
        ResolveResult::Bound(ns) => match ns.0 {
            XSD_NS => Ns::Xsd,
            WSDL_NS => Ns::Wsdl,
            SOAP_NS | SOAP12_NS => Ns::Soap,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

/// Byte offset of `sub` in `text`, when `sub` is a slice of it (quick-xml's slice reader
/// hands out borrowed slices of the input, so spans cost nothing to compute).
fn offset_in(text: &str, sub: &str) -> Option<usize> {
    let base = text.as_ptr() as usize;
    let p = sub.as_ptr() as usize;
    (p >= base && p + sub.len() <= base + text.len()).then(|| p - base)
}

/// One attribute of the current tag.
struct Attr<'e> {
    key: &'e str,
    value: Cow<'e, str>,
    span: Span,
}

/// Reads one file into `raw`; returns the files it references. Errors stop the scan of this
/// file only (what was complete before the error is kept).
pub(crate) fn scan_file(file: FileId, text: &str, raw: &mut Raw, diags: &mut Diagnostics) -> Vec<Include> {
    let mut s = Scanner {
        file,
        text,
        raw,
        diags,
        stack: Vec::new(),
        includes: Vec::new(),
        saw_root: false,
        foreign: false,
        pending_groups: Vec::new(),
    };
    s.run();
    s.includes
}

struct Scanner<'a> {
    file: FileId,
    text: &'a str,
    raw: &'a mut Raw,
    diags: &'a mut Diagnostics,
    stack: Vec<(Frame, Span)>,
    includes: Vec<Include>,
    saw_root: bool,
    /// The current `<schema>` is of another namespace than the API's (9.x's `urn:vsan`,
    /// imported by `vim-types.xsd`): only its `<group>`s are read, its types belong to
    /// another service.
    foreign: bool,
    /// Group references of the complexType being built: (element position, group).
    pending_groups: Vec<(usize, NameRef)>,
}

impl<'a> Scanner<'a> {
    fn span(&self, start: usize, end: usize) -> Span {
        let len = self.text.len();
        Span::new(self.file, start.min(len), end.min(len))
    }

    fn run(&mut self) {
        let text = self.text;
        let mut reader = NsReader::from_str(text);
        loop {
            let before = reader.buffer_position() as usize;
            let step = match reader.read_resolved_event() {
                Ok((res, ev)) => Ok((classify(&res), ev)),
                Err(e) => Err(e),
            };
            let end = reader.buffer_position() as usize;
            match step {
                Err(e) => {
                    let pos = reader.error_position() as usize;
                    self.diags.push(
                        Diagnostic::new(Kind::WsdlXmlSyntax, format!("malformed XML: {e}"))
                            .at(self.span(pos, pos + 1))
                            .label("XML parsing stopped here")
                            .note("declarations after this point in this file are ignored"),
                    );
                    return;
                }
                Ok((_, Event::Start(e) | Event::Empty(e))) if self.stray_lt(&e, before, end) => return,
                Ok((ns, Event::Start(e))) => {
                    let tag = self.tag_span(&e, before, end);
                    let frame = self.open(ns, &e, tag, reader.resolver());
                    self.stack.push((frame, tag));
                }
                Ok((ns, Event::Empty(e))) => {
                    let tag = self.tag_span(&e, before, end);
                    let frame = self.open(ns, &e, tag, reader.resolver());
                    self.close(frame);
                }
                Ok((_, Event::End(_))) => {
                    // quick-xml checks that end names match start names (`check_end_names`).
                    if let Some((frame, _)) = self.stack.pop() {
                        self.close(frame);
                    }
                }
                Ok((_, Event::Eof)) => {
                    let len = text.len();
                    if let Some((_, open)) = self.stack.last() {
                        let name = self.tag_name_at(*open);
                        let open = *open;
                        self.diags.push(
                            Diagnostic::new(Kind::WsdlXmlSyntax, format!("unexpected end of file: `<{name}>` is not closed"))
                                .at(self.span(len, len))
                                .label("file ends here")
                                .note(format!("the unclosed element starts at byte {}", open.start))
                                .note("declarations not closed before the end of the file are ignored"),
                        );
                    } else if !self.saw_root {
                        self.diags.push(
                            Diagnostic::new(Kind::WsdlXmlSyntax, "no root element: the file is empty or holds no XML element")
                                .at(self.span(len, len)),
                        );
                    }
                    return;
                }
                Ok(_) => {}
            }
        }
    }

    /// A `<` inside a tag (forbidden even in attribute values) almost always means the tag's
    /// `>` is missing and quick-xml read on into the next tag. Reports it at the unclosed tag,
    /// where the fix is, and returns true (the scan stops: the structure is no longer known).
    fn stray_lt(&mut self, e: &BytesStart<'_>, before: usize, end: usize) -> bool {
        let content: &str = e;
        let Some(rel) = content.find('<') else { return false };
        let tag = self.tag_span(e, before, end);
        let stray = offset_in(self.text, content).map_or(tag.start as usize, |o| o + rel);
        let name = self.tag_name_at(tag);
        // Underline the tag up to the end of its own line only.
        let start = tag.start as usize;
        let line_end = self.text.get(start..stray).and_then(|t| t.find('\n')).map_or(stray, |n| start + n);
        self.diags.push(
            Diagnostic::new(Kind::WsdlXmlSyntax, format!("`<{name}` is not closed: `<` found before its `>`"))
                .at(self.span(start, line_end))
                .label("this tag has no `>`")
                .note(format!("the next `<` is at byte {stray}"))
                .note("declarations after this point in this file are ignored"),
        );
        true
    }

    /// Span of a start tag, `<` to `>`.
    fn tag_span(&self, e: &BytesStart<'_>, before: usize, end: usize) -> Span {
        let content: &str = e;
        let start = offset_in(self.text, content).map_or(before, |o| o.saturating_sub(1));
        self.span(start, end)
    }

    /// The element name written in the start tag at `span` (for messages).
    fn tag_name_at(&self, span: Span) -> &'a str {
        let text = self.text;
        let rest = text.get(span.start as usize + 1..).unwrap_or("");
        let n = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        &rest[..n]
    }

    /// The attributes of a tag, or `None` (reported) when they are malformed.
    fn attrs<'e>(&mut self, e: &'e BytesStart<'_>, tag: Span) -> Option<Vec<Attr<'e>>> {
        let content: &str = e;
        let content_off = offset_in(self.text, content);
        let mut out = Vec::with_capacity(4);
        for a in e.attributes() {
            match a {
                Ok(a) => {
                    let raw: &str = &a.value;
                    let span = match offset_in(self.text, raw) {
                        Some(o) => self.span(o, o + raw.len()),
                        None => tag,
                    };
                    let key = a.key.0;
                    let value = match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                        Ok(v) => v,
                        Err(err) => {
                            self.diags.push(
                                Diagnostic::new(Kind::WsdlXmlSyntax, format!("bad attribute value: {err}"))
                                    .at(span)
                                    .note("this element and its content are ignored"),
                            );
                            return None;
                        }
                    };
                    out.push(Attr { key, value, span });
                }
                Err(err) => {
                    use quick_xml::events::attributes::AttrError as E;
                    // Positions are relative to the tag content (just after `<`); quick-xml's
                    // own message repeats that relative position, so we word our own.
                    let (rel, msg) = match &err {
                        E::ExpectedEq(p) => (*p, "expected `=` after the attribute name".to_string()),
                        E::ExpectedValue(p) => (*p, "expected an attribute value after `=`".to_string()),
                        E::UnquotedValue(p) => (*p, "attribute value must be enclosed in `\"` or `'`".to_string()),
                        E::ExpectedQuote(p, q) => (*p, format!("attribute value not closed: expected `{}`", char::from(*q))),
                        E::Duplicated(p, _) => (*p, "duplicate attribute".to_string()),
                    };
                    let at = content_off.map_or(tag.start as usize, |o| o + rel);
                    self.diags.push(
                        Diagnostic::new(Kind::WsdlXmlSyntax, format!("malformed attribute: {msg}"))
                            .at(self.span(at, at + 1))
                            .note("this element and its content are ignored"),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// Resolves a QName attribute value (`vim25:Foo`, `xsd:string`, or unprefixed, which takes
    /// the default namespace as XML Schema specifies for QName values).
    fn resolve_type(&mut self, value: &str, span: Span, resolver: &NamespaceResolver) -> TypeRef {
        let value = value.trim();
        let (res, local) = resolver.resolve(QName(value), true);
        let local = local.as_ref().to_string();
        match res {
            ResolveResult::Bound(ns) if ns.0 == XSD_NS => {
                self.raw.xsd_refs.push(NameRef { local: local.clone(), span });
                TypeRef::Xsd(local)
            }
            ResolveResult::Unknown(prefix) => {
                self.diags.push(
                    Diagnostic::new(Kind::WsdlUnknownPrefix, format!("namespace prefix `{prefix}` is not declared"))
                        .at(span)
                        .label("in this qualified name")
                        .help(format!("declare it with `xmlns:{prefix}=\"...\"` on this element or an ancestor")),
                );
                TypeRef::Named(local)
            }
            _ => {
                self.raw.type_refs.push(NameRef { local: local.clone(), span });
                TypeRef::Named(local)
            }
        }
    }

    /// Resolves a QName naming a WSDL message or element (namespace not checked: WSDL 1.1
    /// documents put them in the target namespace, and we key them by local name).
    fn resolve_name(&mut self, value: &str, span: Span, resolver: &NamespaceResolver) -> NameRef {
        let value = value.trim();
        let (res, local) = resolver.resolve(QName(value), true);
        if let ResolveResult::Unknown(prefix) = res {
            self.diags.push(
                Diagnostic::new(Kind::WsdlUnknownPrefix, format!("namespace prefix `{prefix}` is not declared"))
                    .at(span)
                    .label("in this qualified name"),
            );
        }
        NameRef { local: local.as_ref().to_string(), span }
    }

    fn missing_attr(&mut self, what: &str, attr: &str, tag: Span) {
        self.diags.push(
            Diagnostic::new(Kind::WsdlMissingAttribute, format!("`<{what}>` has no `{attr}` attribute"))
                .at(tag)
                .label(format!("`{attr}` expected here")),
        );
    }

    fn unsupported(&mut self, msg: String, tag: Span) {
        self.diags.push(Diagnostic::new(Kind::WsdlUnsupported, msg).at(tag).note("this construct is ignored"));
    }

    fn parent(&self) -> Option<&Frame> {
        self.stack.last().map(|(f, _)| f)
    }

    /// The complexType being built nearest to the top of the stack.
    fn current_type(&mut self) -> Option<&mut ComplexType> {
        self.stack.iter_mut().rev().find_map(|(f, _)| match f {
            Frame::ComplexType(t, _) => Some(t),
            _ => None,
        })
    }

    /// Handles a start tag (or the start of an empty tag); returns its frame.
    fn open(&mut self, ns: Ns, e: &BytesStart<'_>, tag: Span, resolver: &NamespaceResolver) -> Frame {
        let is_root = !self.saw_root;
        self.saw_root = true;
        if matches!(self.parent(), Some(Frame::Skip)) || (self.stack.is_empty() && !is_root) {
            // Inside an ignored subtree, or a second root element (quick-xml allows several).
            return Frame::Skip;
        }
        let qname: &str = e.name().0;
        let local = qname.rsplit_once(':').map_or(qname, |(_, l)| l);
        let Some(attrs) = self.attrs(e, tag) else { return Frame::Skip };
        let get = |k: &str| attrs.iter().find(|a| a.key == k);
        let parent_ctx = match self.parent() {
            None => None,
            Some(Frame::Pass(c)) => Some(Some(*c)),
            Some(_) => Some(None),
        };
        let parent_is = |f: fn(&Frame) -> bool| self.stack.last().is_some_and(|(p, _)| f(p));

        match (ns, local) {
            // ---- WSDL structure ----
            (Ns::Wsdl, "definitions") if self.stack.is_empty() => {
                if self.raw.wsdl_target_namespace.is_none() {
                    self.raw.wsdl_target_namespace = Some(get("targetNamespace").map_or(String::new(), |a| a.value.to_string()));
                }
                Frame::Pass(Ctx::Definitions)
            }
            (Ns::Wsdl, "types") if parent_ctx == Some(Some(Ctx::Definitions)) => Frame::Pass(Ctx::Types),
            (Ns::Wsdl, "import") if parent_ctx == Some(Some(Ctx::Definitions)) => {
                match get("location") {
                    Some(a) => self.includes.push(Include { location: a.value.to_string(), span: a.span }),
                    None => self.missing_attr("import", "location", tag),
                }
                Frame::Skip
            }
            (Ns::Wsdl, "message") if parent_ctx == Some(Some(Ctx::Definitions)) => match get("name") {
                Some(n) => Frame::Message(Message { name: n.value.to_string(), element: None, span: tag }),
                None => {
                    self.missing_attr("message", "name", tag);
                    Frame::Skip
                }
            },
            (Ns::Wsdl, "part") if parent_is(|p| matches!(p, Frame::Message(_))) => {
                let el = get("element").map(|a| (a.value.to_string(), a.span));
                let has_type = get("type").is_some();
                let el = el.map(|(v, sp)| self.resolve_name(&v, sp, resolver));
                if let Some(Frame::Message(m)) = self.stack.last_mut().map(|(f, _)| f) {
                    match el {
                        Some(el) if m.element.is_none() => m.element = Some(el),
                        Some(_) => {
                            self.unsupported("message with several parts: only the first is used (document/literal style)".into(), tag)
                        }
                        None if has_type => {
                            self.unsupported("message part with `type=` (rpc style): only `element=` parts are supported".into(), tag)
                        }
                        None => self.missing_attr("part", "element", tag),
                    }
                }
                Frame::Pass(Ctx::Part)
            }
            (Ns::Wsdl, "portType") if parent_ctx == Some(Some(Ctx::Definitions)) => Frame::Pass(Ctx::PortType),
            (Ns::Wsdl, "operation") if parent_ctx == Some(Some(Ctx::PortType)) => match get("name") {
                Some(n) => Frame::PortOp(PortOp { name: n.value.to_string(), input: None, output: None, faults: Vec::new(), span: tag }),
                None => {
                    self.missing_attr("operation", "name", tag);
                    Frame::Skip
                }
            },
            (Ns::Wsdl, "input" | "output" | "fault") if parent_is(|p| matches!(p, Frame::PortOp(_))) => {
                let msg = get("message").map(|a| (a.value.to_string(), a.span));
                match msg {
                    Some((v, sp)) => {
                        let r = self.resolve_name(&v, sp, resolver);
                        if let Some((Frame::PortOp(op), _)) = self.stack.last_mut() {
                            match local {
                                "input" => op.input = Some(r),
                                "output" => op.output = Some(r),
                                _ => op.faults.push(r),
                            }
                        }
                    }
                    None => self.missing_attr(local, "message", tag),
                }
                Frame::Skip
            }
            (Ns::Wsdl, "binding") if parent_ctx == Some(Some(Ctx::Definitions)) => Frame::Pass(Ctx::Binding),
            (Ns::Wsdl, "operation") if parent_ctx == Some(Some(Ctx::Binding)) => match get("name") {
                Some(n) => Frame::BindingOp(BindingOp { name: n.value.to_string(), soap_action: None, span: tag }),
                None => {
                    self.missing_attr("operation", "name", tag);
                    Frame::Skip
                }
            },
            (Ns::Soap, "operation") if parent_is(|p| matches!(p, Frame::BindingOp(_))) => {
                let action = get("soapAction").map(|a| (a.value.to_string(), a.span));
                if let Some((Frame::BindingOp(op), _)) = self.stack.last_mut() {
                    op.soap_action = action;
                }
                Frame::Skip
            }

            // ---- XML Schema ----
            (Ns::Xsd, "schema") if self.stack.is_empty() || parent_ctx == Some(Some(Ctx::Types)) => {
                if self.raw.schema_target_namespace.is_none() {
                    self.raw.schema_target_namespace = get("targetNamespace").map(|a| a.value.to_string());
                }
                let main = self.raw.wsdl_target_namespace.as_deref().or(self.raw.schema_target_namespace.as_deref());
                let tns = get("targetNamespace").map(|a| a.value.to_string());
                // `urn:reflect` is read with the API's own namespace (its operations are in vim.wsdl).
                self.foreign = match (main, tns.as_deref()) {
                    (Some(main), Some(tns)) => !main.is_empty() && tns != main && tns != "urn:reflect",
                    _ => false,
                };
                Frame::Schema
            }
            (Ns::Xsd, "include" | "import" | "redefine") if parent_is(|p| matches!(p, Frame::Schema)) => {
                if local == "redefine" {
                    self.unsupported("`<redefine>` is not supported; read as `<include>`".into(), tag);
                }
                // An `import` without `schemaLocation` names a namespace the processor is
                // expected to know (e.g. XML Schema itself): nothing to read.
                if let Some(a) = get("schemaLocation") {
                    self.includes.push(Include { location: a.value.to_string(), span: a.span });
                } else if local != "import" {
                    self.missing_attr(local, "schemaLocation", tag);
                }
                Frame::Skip
            }
            (Ns::Xsd, "group") if parent_is(|p| matches!(p, Frame::Schema)) => match get("name") {
                Some(n) => Frame::ComplexType(
                    ComplexType { name: n.value.to_string(), base: None, elements: Vec::new(), is_abstract: false, span: tag },
                    TypeDest::Group,
                ),
                None => {
                    self.missing_attr("group", "name", tag);
                    Frame::Skip
                }
            },
            (Ns::Xsd, "group") if parent_ctx == Some(Some(Ctx::Sequence)) && get("ref").is_some() => {
                let Some((v, sp)) = get("ref").map(|a| (a.value.to_string(), a.span)) else { return Frame::Skip };
                let group = self.resolve_name(&v, sp, resolver);
                let named = self.stack.iter().rev().find_map(|(f, _)| match f {
                    Frame::ComplexType(t, d) => Some((t.elements.len(), *d)),
                    _ => None,
                });
                match named {
                    Some((position, TypeDest::Named)) => self.pending_groups.push((position, group)),
                    _ => self.unsupported("`<group ref>` outside a named complexType".into(), tag),
                }
                Frame::Skip
            }
            // Another namespace's elements (its messages): not the API's (see `foreign`).
            (Ns::Xsd, "element") if self.foreign && parent_is(|p| matches!(p, Frame::Schema)) => Frame::Skip,
            (Ns::Xsd, "complexType") => {
                let dest = match self.parent() {
                    Some(Frame::Schema) => TypeDest::Named,
                    Some(Frame::TopElement(t)) if t.inline.is_none() && t.ty.is_none() => TypeDest::Inline,
                    _ => {
                        self.unsupported("nested anonymous complexType".into(), tag);
                        return Frame::Skip;
                    }
                };
                let name = match (dest, get("name")) {
                    (TypeDest::Named, Some(n)) => n.value.to_string(),
                    (TypeDest::Named, None) => {
                        self.missing_attr("complexType", "name", tag);
                        return Frame::Skip;
                    }
                    (TypeDest::Inline | TypeDest::Group, _) => String::new(),
                };
                let is_abstract = get("abstract").is_some_and(|a| matches!(a.value.trim(), "true" | "1"));
                Frame::ComplexType(ComplexType { name, base: None, elements: Vec::new(), is_abstract, span: tag }, dest)
            }
            (Ns::Xsd, "complexContent" | "simpleContent") if parent_is(|p| matches!(p, Frame::ComplexType(..))) => {
                Frame::Pass(if local == "complexContent" { Ctx::ComplexContent } else { Ctx::SimpleContent })
            }
            (Ns::Xsd, "extension") if matches!(parent_ctx, Some(Some(Ctx::ComplexContent | Ctx::SimpleContent))) => {
                let complex = parent_ctx == Some(Some(Ctx::ComplexContent));
                match get("base").map(|a| (a.value.to_string(), a.span)) {
                    Some((v, sp)) => {
                        let base = self.resolve_type(&v, sp, resolver);
                        if let Some(t) = self.current_type() {
                            t.base = Some(base);
                        }
                    }
                    None => self.missing_attr("extension", "base", tag),
                }
                Frame::Pass(Ctx::Extension(complex))
            }
            (Ns::Xsd, "sequence")
                if parent_is(|p| matches!(p, Frame::ComplexType(..)))
                    || matches!(parent_ctx, Some(Some(Ctx::Extension(true) | Ctx::Sequence))) =>
            {
                Frame::Pass(Ctx::Sequence)
            }
            (Ns::Xsd, "element") if parent_ctx == Some(Some(Ctx::Sequence)) => {
                self.member(&attrs, tag, resolver);
                Frame::Member
            }
            (Ns::Xsd, "element") if parent_is(|p| matches!(p, Frame::Schema)) => {
                let Some(name) = get("name").map(|a| a.value.to_string()) else {
                    self.missing_attr("element", "name", tag);
                    return Frame::Skip;
                };
                let ty = get("type").map(|a| (a.value.to_string(), a.span));
                let ty = ty.map(|(v, sp)| (self.resolve_type(&v, sp, resolver), sp));
                Frame::TopElement(TopElement { name, ty, inline: None, span: tag })
            }
            (Ns::Xsd, "attribute") if parent_ctx == Some(Some(Ctx::Extension(false))) => {
                // simpleContent attributes: only `ManagedObjectReference/@type` in vim25, which
                // the runtime handles by hand. The model has no place for attributes.
                Frame::Skip
            }
            (Ns::Xsd, "simpleType") if parent_is(|p| matches!(p, Frame::Schema)) => match get("name") {
                Some(n) => Frame::SimpleType(EnumType { name: n.value.to_string(), values: Vec::new(), span: tag }, false),
                None => {
                    self.missing_attr("simpleType", "name", tag);
                    Frame::Skip
                }
            },
            (Ns::Xsd, "restriction") if parent_is(|p| matches!(p, Frame::SimpleType(..))) => {
                if let Some((v, sp)) = get("base").map(|a| (a.value.to_string(), a.span)) {
                    // Record the reference so an unknown base is reported; enums restrict xsd:string.
                    let _ = self.resolve_type(&v, sp, resolver);
                }
                if let Some((Frame::SimpleType(_, restricted), _)) = self.stack.last_mut() {
                    *restricted = true;
                }
                Frame::Pass(Ctx::Restriction)
            }
            (Ns::Xsd, "enumeration") if parent_ctx == Some(Some(Ctx::Restriction)) => {
                let value = get("value").map(|a| a.value.to_string());
                match value {
                    Some(v) => {
                        let n = self.stack.len();
                        if let Some((Frame::SimpleType(en, _), _)) = n.checked_sub(2).and_then(|i| self.stack.get_mut(i)) {
                            en.values.push(v);
                        }
                    }
                    None => self.missing_attr("enumeration", "value", tag),
                }
                Frame::Skip
            }
            (Ns::Xsd, "annotation") => Frame::Skip,
            _ if self.stack.is_empty() => {
                self.diags.push(
                    Diagnostic::new(
                        Kind::WsdlUnexpectedRoot,
                        format!("root element `<{qname}>` is neither a WSDL `<definitions>` nor an XML Schema `<schema>`"),
                    )
                    .at(tag)
                    .note("nothing is read from this file")
                    .help("check the namespace declarations: elements are matched by namespace URI, not by prefix"),
                );
                Frame::Skip
            }
            (Ns::Xsd, l @ ("choice" | "all" | "group" | "attributeGroup" | "any" | "anyAttribute" | "attribute" | "list" | "union")) => {
                self.unsupported(format!("XML Schema `<{l}>` is not supported"), tag);
                Frame::Skip
            }
            _ => Frame::Skip,
        }
    }

    /// A `<element>` in a sequence: adds it to the complexType being built.
    fn member(&mut self, attrs: &[Attr<'_>], tag: Span, resolver: &NamespaceResolver) {
        let get = |k: &str| attrs.iter().find(|a| a.key == k);
        let Some(name) = get("name").map(|a| a.value.to_string()) else {
            if get("ref").is_some() {
                self.unsupported("element references (`ref=`) are not supported".into(), tag);
            } else {
                self.missing_attr("element", "name", tag);
            }
            return;
        };
        let ty = match get("type").map(|a| (a.value.to_string(), a.span)) {
            Some((v, sp)) => self.resolve_type(&v, sp, resolver),
            None => {
                self.missing_attr("element", "type", tag);
                TypeRef::Xsd("anyType".to_string())
            }
        };
        let min_occurs = match get("minOccurs") {
            Some(a) => match a.value.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    let (v, sp) = (a.value.to_string(), a.span);
                    self.bad_occurs("minOccurs", &v, sp);
                    1
                }
            },
            None => 1,
        };
        let max_occurs = match get("maxOccurs") {
            Some(a) if a.value.trim() == "unbounded" => MaxOccurs::Unbounded,
            Some(a) => match a.value.trim().parse::<u32>() {
                Ok(n) => MaxOccurs::Bounded(n),
                Err(_) => {
                    let (v, sp) = (a.value.to_string(), a.span);
                    self.bad_occurs("maxOccurs", &v, sp);
                    MaxOccurs::Bounded(1)
                }
            },
            None => MaxOccurs::Bounded(1),
        };
        if let MaxOccurs::Bounded(max) = max_occurs {
            if max < min_occurs {
                self.diags.push(
                    Diagnostic::new(Kind::WsdlBadOccurs, format!("element `{name}` has maxOccurs {max} < minOccurs {min_occurs}")).at(tag),
                );
            }
        }
        let el = Element { name, ty, min_occurs, max_occurs, span: tag };
        if let Some(t) = self.current_type() {
            t.elements.push(el);
        }
    }

    fn bad_occurs(&mut self, attr: &str, value: &str, span: Span) {
        self.diags.push(
            Diagnostic::new(Kind::WsdlBadOccurs, format!("`{attr}=\"{value}\"` is not a non-negative integer"))
                .at(span)
                .help(if attr == "maxOccurs" { "use a number or `unbounded`" } else { "use a number" }),
        );
    }

    /// Handles the end of an element: moves finished declarations into `raw`.
    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::ComplexType(t, TypeDest::Named) if self.foreign => {
                self.pending_groups.clear();
                self.raw.foreign_types.push(t)
            }
            Frame::ComplexType(t, TypeDest::Named) => {
                for (position, group) in self.pending_groups.drain(..) {
                    self.raw.group_refs.push(GroupRef { owner: t.name.clone(), position, group });
                }
                self.raw.types.push(t)
            }
            Frame::ComplexType(t, TypeDest::Group) => self.raw.groups.push(t),
            Frame::ComplexType(t, TypeDest::Inline) => {
                if let Some((Frame::TopElement(el), _)) = self.stack.last_mut() {
                    el.inline = Some(t);
                }
            }
            Frame::TopElement(el) => self.raw.elements.push(el),
            Frame::SimpleType(en, restricted) => {
                if !restricted {
                    self.unsupported(format!("simpleType `{}` is not a restriction (enumeration)", en.name), en.span);
                } else if en.values.is_empty() {
                    // Kept (so references to it resolve), but it is not an enum in our sense.
                    self.unsupported(format!("simpleType `{}` has no enumeration values", en.name), en.span);
                }
                if self.foreign {
                    self.raw.foreign_enums.push(en);
                } else {
                    self.raw.enums.push(en);
                }
            }
            Frame::Message(m) => self.raw.messages.push(m),
            Frame::PortOp(op) => self.raw.port_ops.push(op),
            Frame::BindingOp(op) => self.raw.binding_ops.push(op),
            Frame::Skip | Frame::Pass(_) | Frame::Schema | Frame::Member => {}
        }
    }
}

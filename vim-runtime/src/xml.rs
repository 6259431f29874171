//! The XML codec the generated `Decode`/`Encode` impls are written against: a streaming
//! reader over a byte slice (our own tokenizer, `xml/scan.rs`; no DOM, element names and
//! `xsi:type` borrowed from the input), and a writer into one buffer.
//!
//! Policy for what a server sends that the bindings do not expect (a newer API version):
//! unknown elements are skipped and counted, unknown classes are kept (`Unknown` variants),
//! unknown enum values are kept (`Unrecognized`), and missing required fields get their
//! default value and are listed in the [`DecodeReport`] — unless [`Reader::strict`] is set,
//! when a missing field is an error. Hostile input is bounded: nesting depth and text size.

use std::borrow::Cow;

mod scan;

use scan::{Scanner, Tag, Token};

/// The XML Schema instance namespace (`xsi:type`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Why a body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset in the body.
    pub offset: u64,
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// What decoding met that the bindings did not expect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodeReport {
    /// Elements skipped because the type has no such field (a newer server's fields).
    pub unknown_elements: u64,
    /// Values of classes the bindings do not know, kept as `Unknown`.
    pub unknown_types: u64,
    /// Required fields that were absent (given their default value).
    pub missing: Vec<MissingField>,
}

/// A required field that was absent: `Type.field` (wire names). Both names are the
/// bindings' own, so a report of thousands costs no allocation each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MissingField {
    pub type_name: &'static str,
    pub field: &'static str,
}

impl std::fmt::Display for MissingField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.type_name, self.field)
    }
}

/// An element's start tag, as the decoder needs it.
#[derive(Clone, Debug)]
pub struct Elem<'a> {
    /// Local name (`returnval`, `propSet`).
    pub name: &'a str,
    /// `xsi:type`, local part (`VirtualMachineConfigInfo`, `string`); borrowed unless the
    /// attribute held a character or entity reference.
    pub xsi_type: Option<Cow<'a, str>>,
    /// The plain `type` attribute (a managed-object reference's type).
    pub type_attr: Option<Cow<'a, str>>,
    /// `<x/>`: no content and no end tag.
    pub empty: bool,
    /// Offset of the start tag's `<`.
    pub start: u64,
}

/// Limits for hostile input.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_text: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 128, max_text: 64 << 20 }
    }
}

/// A streaming reader over a whole body.
pub struct Reader<'a> {
    input: &'a str,
    scan: Scanner<'a>,
    limits: Limits,
    /// Prefixes bound to the XSI namespace, with the depth of the element that bound them.
    xsi_prefixes: Vec<(&'a str, usize)>,
    /// Missing required fields are errors, not defaults.
    pub strict: bool,
    pub report: DecodeReport,
}

impl<'a> Reader<'a> {
    /// A reader over a body, which must be UTF-8 (SOAP bodies are).
    pub fn new(input: &'a [u8]) -> Result<Reader<'a>, DecodeError> {
        let input = std::str::from_utf8(input)
            .map_err(|e| DecodeError { offset: e.valid_up_to() as u64, message: "the body is not UTF-8".into() })?;
        // A byte-order mark is no content; offsets count from after it.
        let input = input.strip_prefix('\u{feff}').unwrap_or(input);
        Ok(Reader {
            input,
            scan: Scanner::new(input),
            limits: Limits::default(),
            xsi_prefixes: Vec::new(),
            strict: false,
            report: DecodeReport::default(),
        }
        .with_limits(Limits::default()))
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self.scan.max_depth = limits.max_depth;
        self
    }

    pub fn offset(&self) -> u64 {
        self.scan.offset() as u64
    }

    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError { offset: self.offset(), message: message.into() }
    }

    /// The element of a start tag the scanner has just passed (and, unless it is empty,
    /// entered).
    fn elem(&mut self, tag: Tag<'a>) -> Result<Elem<'a>, DecodeError> {
        let depth = self.scan.depth();
        let mut xsi_type = None;
        let mut type_attr = None;
        if !tag.attributes.is_empty() {
            // The element's own depth: an empty one was not entered.
            let own_depth = depth + usize::from(tag.empty);
            let mut typed: Option<(&'a str, &'a str)> = None;
            for (key, value) in scan::attributes(tag.attributes) {
                if let Some(p) = key.strip_prefix("xmlns:") {
                    if value == XSI {
                        self.xsi_prefixes.push((p, own_depth));
                    }
                    continue;
                }
                match key.split_once(':') {
                    Some((prefix, "type")) => typed = Some((prefix, value)),
                    None if key == "type" => type_attr = Some(unescape(value).map_err(|m| self.error(m))?),
                    _ => {}
                }
            }
            if let Some((p, v)) = typed
                && self.xsi_prefixes.iter().rev().any(|(x, _)| *x == p)
            {
                // The value is a QName (`xsd:string`, `vim25:HostSystem`): keep the local part.
                let local = match unescape(v).map_err(|m| self.error(m))? {
                    Cow::Borrowed(v) => Cow::Borrowed(local_name(v)),
                    Cow::Owned(v) => Cow::Owned(local_name(&v).to_string()),
                };
                // It names a class, and may be written back as one (an unknown class's
                // `xsi:type`, an array's item elements): it must be an XML name.
                if !is_xml_name(&local) {
                    return Err(self.error(format!("xsi:type {v:?} is not a type name")));
                }
                xsi_type = Some(local);
            }
            if tag.empty {
                // An empty element's own bindings end with it.
                self.drop_bindings();
            }
        }
        Ok(Elem { name: local_name(tag.name), xsi_type, type_attr, empty: tag.empty, start: tag.start as u64 })
    }

    /// Forgets the XSI bindings of elements no longer open.
    fn drop_bindings(&mut self) {
        let depth = self.scan.depth();
        while self.xsi_prefixes.last().is_some_and(|(_, d)| *d > depth) {
            self.xsi_prefixes.pop();
        }
    }

    /// The first element of the document (the envelope).
    pub fn root(&mut self) -> Result<Elem<'a>, DecodeError> {
        loop {
            match self.scan.next()? {
                Token::Start(tag) => return self.elem(tag),
                Token::Text { text, .. } if text.bytes().all(|b| b.is_ascii_whitespace()) => {}
                Token::Text { .. } | Token::CData(_) => return Err(self.error("text before the first element")),
                Token::End => return Err(self.error("an end tag before the first element")),
                Token::Eof => return Err(self.error("empty document")),
            }
        }
    }

    /// The next child element of the element being read, or `None` at its end tag.
    /// Text between children is ignored.
    pub fn child(&mut self) -> Result<Option<Elem<'a>>, DecodeError> {
        loop {
            match self.scan.next()? {
                Token::Start(tag) => return self.elem(tag).map(Some),
                Token::End => {
                    self.drop_bindings();
                    return Ok(None);
                }
                Token::Text { .. } | Token::CData(_) => {}
                Token::Eof => return Err(self.error("unexpected end of document")),
            }
        }
    }

    /// Skips an element and everything in it.
    pub fn skip(&mut self, e: &Elem<'a>) -> Result<(), DecodeError> {
        if e.empty {
            return Ok(());
        }
        // The element is open: done when the depth drops below its own.
        let depth = self.scan.depth();
        loop {
            match self.scan.next()? {
                Token::End if self.scan.depth() < depth => {
                    self.drop_bindings();
                    return Ok(());
                }
                Token::Eof => return Err(self.error("unexpected end of document")),
                _ => {}
            }
        }
    }

    /// Skips a child the type does not know (counted in the report).
    pub fn skip_unknown(&mut self, e: &Elem<'a>) -> Result<(), DecodeError> {
        self.report.unknown_elements += 1;
        self.skip(e)
    }

    /// The text content of an element (entity and character references resolved), up to
    /// its end tag. Child elements are an error.
    pub fn text(&mut self, e: &Elem<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if e.empty {
            return Ok(Cow::Borrowed(""));
        }
        let text = match self.scan.plain_text_then_end() {
            Some(text) => Cow::Borrowed(text),
            None => self.text_tokens()?,
        };
        self.drop_bindings();
        // Resolving references only shortens text: bounded by the input, checked once.
        if text.len() > self.limits.max_text {
            return Err(self.error(format!("text longer than {} bytes", self.limits.max_text)));
        }
        Ok(text)
    }

    /// Text, references and CDATA up to the open element's end tag, token by token.
    fn text_tokens(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let mut out = Cow::Borrowed("");
        loop {
            let part = match self.scan.next()? {
                Token::Text { text, refs: false } | Token::CData(text) => Cow::Borrowed(text),
                Token::Text { text, refs: true } => unescape(text).map_err(|m| self.error(m))?,
                Token::End => return Ok(out),
                Token::Start(_) => return Err(self.error("element where text was expected")),
                Token::Eof => return Err(self.error("unexpected end of document")),
            };
            if out.is_empty() {
                out = part;
            } else {
                out.to_mut().push_str(&part);
            }
        }
    }

    /// The raw XML of an element being read, from its start tag (`Elem::start`) to the
    /// reader's position (for `Unknown` values).
    ///
    /// The text is written back inside a document of [`Writer`]'s, which names the XSI
    /// namespace `xsi`: an attribute whose prefix an enclosing element bound to that
    /// namespace under another name (vcsim declares `XMLSchema-instance` on every `<val>`) is
    /// renamed to `xsi:`, or it would be unbound there and its `type` lost.
    pub fn raw_since(&self, start: u64) -> String {
        let raw = self.input.get(start as usize..self.scan.offset()).unwrap_or_default();
        let outside: Vec<&str> = self.xsi_prefixes.iter().map(|(p, _)| *p).filter(|p| *p != "xsi").collect();
        if outside.is_empty() {
            return raw.to_string();
        }
        rename_attribute_prefixes(raw, &outside, "xsi")
    }

    /// Reads a value of a type that implements [`Decode`].
    pub fn read<T: Decode>(&mut self, e: &Elem<'a>) -> Result<T, DecodeError> {
        T::decode(self, e)
    }

    /// Reads a data object: its default value, [filled](Self::fill) from `e`'s children (the
    /// generated `Decode` of every struct is this call). Generic here rather than written out
    /// per struct: the compiler checks this body once, where a local of each struct's type in
    /// each generated body cost a drop check of the API's whole type graph (compile time).
    #[inline]
    pub fn read_fields<T: Fields + Default>(&mut self, e: &Elem<'a>) -> Result<T, DecodeError> {
        let mut v = T::default();
        self.fill(&mut v, e)?;
        Ok(v)
    }

    /// Reads a boxed `T` and wraps it (`wrap` is a variant of a generated `Any` enum: each
    /// class's arm of its `Decode` is this call, for the reason [`read_fields`](Self::read_fields) gives).
    #[inline]
    pub fn read_boxed<T: Decode, U>(&mut self, e: &Elem<'a>, wrap: fn(Box<T>) -> U) -> Result<U, DecodeError> {
        Ok(wrap(self.read(e)?))
    }

    /// Reads the children of `e` into the fields of a data object (what
    /// [`read_fields`](Self::read_fields) does after making the default value). A child names a field by its wire name: the field after
    /// the last one read is tried first (the wire order is the table's order), then the whole
    /// table. Unknown children are skipped and counted; required fields that never came are
    /// listed in the report (or, when strict, are an error).
    pub fn fill(&mut self, v: &mut dyn Fields, e: &Elem<'a>) -> Result<(), DecodeError> {
        let fields = v.fields();
        let mut seen = Seen::new(fields.len());
        if !e.empty {
            let mut next = 0;
            while let Some(c) = self.child()? {
                let at = |i: usize| fields.get(i).is_some_and(|f| f.name == c.name);
                let i = if at(next) {
                    next
                } else if next > 0 && at(next - 1) {
                    // The same array field again.
                    next - 1
                } else if let Some(i) = fields.iter().position(|f| f.name == c.name) {
                    i
                } else {
                    self.skip_unknown(&c)?;
                    continue;
                };
                match v.slot_mut(i) {
                    Some(s) => s.read(self, &c)?,
                    None => self.skip_unknown(&c)?,
                }
                seen.set(i);
                next = i + 1;
            }
        }
        for (i, f) in fields.iter().enumerate() {
            if f.required && !seen.get(i) {
                if self.strict {
                    return Err(self.error(format!("{}.{} is required but absent", v.type_name(), f.name)));
                }
                self.report.missing.push(MissingField { type_name: v.type_name(), field: f.name });
            }
        }
        Ok(())
    }
}

/// What lies between an element's start tag and its end tag (empty for `<x/>`). The start
/// tag ends at the first `>` outside a quoted attribute value; the end tag is the last `</`.
/// `xml` with every attribute named `P:local`, for `P` in `from`, renamed `to:local`; text,
/// element names and attribute values untouched.
fn rename_attribute_prefixes(xml: &str, from: &[&str], to: &str) -> String {
    let b = xml.as_bytes();
    let mut out = String::with_capacity(xml.len());
    let (mut i, mut copied) = (0, 0);
    let (mut in_tag, mut quote) = (false, None);
    while i < b.len() {
        match (in_tag, quote, b[i]) {
            (true, Some(q), c) if c == q => quote = None,
            (true, Some(_), _) => {}
            (true, None, b'"' | b'\'') => quote = Some(b[i]),
            (true, None, b'>') => in_tag = false,
            (true, None, c) if c.is_ascii_whitespace() => {
                // An attribute name starts after whitespace inside a tag.
                let name_at = i + 1;
                if let Some(p) = from.iter().find(|p| xml[name_at..].starts_with(**p) && xml[name_at + p.len()..].starts_with(':')) {
                    out.push_str(&xml[copied..name_at]);
                    out.push_str(to);
                    copied = name_at + p.len();
                    i = copied;
                    continue;
                }
            }
            (false, _, b'<') => in_tag = true,
            _ => {}
        }
        i += 1;
    }
    out.push_str(&xml[copied..]);
    out
}

fn element_content(element: &str) -> &str {
    let mut quote = None;
    let mut start_end = None;
    for (i, b) in element.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                start_end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(gt) = start_end else { return "" };
    if element[..gt].ends_with('/') {
        return "";
    }
    let content = &element[gt + 1..];
    content.rfind("</").map_or(content, |end| &content[..end])
}

/// `ArrayOfX` where `X` is a name (its items are written as `<X>` elements).
pub fn is_array_type(type_name: &str) -> bool {
    type_name.strip_prefix("ArrayOf").is_some_and(is_xml_name)
}

/// An XML name without a prefix (an NCName), as every class name is: a letter or `_`,
/// then letters, digits, `_`, `-` and `.`.
fn is_xml_name(s: &str) -> bool {
    // Class names are ASCII: checked a byte at a time, other characters as characters.
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            && b[1..].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
    }
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Which fields of a struct being read have been seen: a bit each, on the stack up to 128.
enum Seen {
    Small(u128),
    Large(Vec<bool>),
}

impl Seen {
    fn new(n: usize) -> Seen {
        if n <= 128 { Seen::Small(0) } else { Seen::Large(vec![false; n]) }
    }

    fn set(&mut self, i: usize) {
        match self {
            Seen::Small(b) => *b |= 1u128 << i,
            Seen::Large(v) => v[i] = true,
        }
    }

    fn get(&self, i: usize) -> bool {
        match self {
            Seen::Small(b) => *b & (1u128 << i) != 0,
            Seen::Large(v) => v[i],
        }
    }
}

/// One field of a data object, as the codec sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The wire (element) name.
    pub name: &'static str,
    /// Not optional and not an array: absence is reported (or, when strict, an error).
    pub required: bool,
}

impl Field {
    /// A required field.
    pub const fn req(name: &'static str) -> Field {
        Field { name, required: true }
    }

    /// An optional field or an array.
    pub const fn opt(name: &'static str) -> Field {
        Field { name, required: false }
    }
}

/// A data object seen as its table of fields: what the generated `Decode` and `Encode` of
/// every struct hand to [`Reader::fill`] and [`Writer::fields`]. Generated per struct as a
/// static table and two `match`es on the field's position, so that the reading and writing
/// loops are compiled once, not once per type.
pub trait Fields {
    /// The type's wire name (for the report).
    fn type_name(&self) -> &'static str;
    /// Every field, inherited ones first, in wire order.
    fn fields(&self) -> &'static [Field];
    /// Field `i` of [`fields`](Fields::fields), to read into.
    fn slot_mut(&mut self, i: usize) -> Option<&mut dyn Slot>;
    /// Field `i` of [`fields`](Fields::fields), to write.
    fn slot(&self, i: usize) -> Option<&dyn Slot>;
}

/// A field's value as the codec reads and writes it: `T` (a required value), `Option<T>`
/// (absent when `None`) or `Vec<T>` (one element per item), for every `T` that is
/// [`Decode`] and [`Encode`].
pub trait Slot {
    /// Reads one element into the field (an array field gets one more item).
    fn read<'a>(&mut self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError>;
    /// Writes the field as elements named `name` (none for `None` or an empty array).
    fn write(&self, w: &mut Writer, name: &str);
    /// The field's value, to be downcast to its Rust type (`T`, `Option<T>` or `Vec<T>`).
    fn as_any(&self) -> &dyn std::any::Any;
}

/// Field `i` of a data object seen as its table, as its Rust type: how the generated
/// accessors of a polymorphic value (`AnyEvent::created_time()`) read a base-class field
/// without a `match` over every class (base fields come first, at the same position in
/// every subclass). `None` when `i` or `T` does not fit.
pub fn field_of<T: 'static>(v: &dyn Fields, i: usize) -> Option<&T> {
    v.slot(i)?.as_any().downcast_ref()
}

impl<T: Decode + Encode + 'static> Slot for T {
    fn read<'a>(&mut self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
        *self = T::decode(r, e)?;
        Ok(())
    }
    fn write(&self, w: &mut Writer, name: &str) {
        self.encode(w, name);
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl<T: Decode + Encode + 'static> Slot for Option<T> {
    fn read<'a>(&mut self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
        *self = Some(T::decode(r, e)?);
        Ok(())
    }
    fn write(&self, w: &mut Writer, name: &str) {
        if let Some(v) = self {
            v.encode(w, name);
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl<T: Decode + Encode + 'static> Slot for Vec<T> {
    fn read<'a>(&mut self, r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
        self.push(T::decode(r, e)?);
        Ok(())
    }
    fn write(&self, w: &mut Writer, name: &str) {
        for v in self {
            v.encode(w, name);
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Resolves the five predefined entities and character references (in text or an
/// attribute value). A reference to a character XML does not allow (`&#0;`) is an error.
fn unescape(s: &str) -> Result<Cow<'_, str>, String> {
    let Some(first) = s.find('&') else {
        return Ok(Cow::Borrowed(s));
    };
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut i = first;
    loop {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').ok_or("an entity reference without `;`")? + i;
        let ent = &rest[i + 1..end];
        let c = match ent {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match ent.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => ent.strip_prefix('#').and_then(|d| d.parse().ok()),
                };
                match code {
                    Some(code) => {
                        char::from_u32(code).filter(|&c| is_xml_char(c)).ok_or_else(|| format!("&{ent}; is no character XML allows"))?
                    }
                    None => return Err(format!("unknown entity &{ent};")),
                }
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
        match rest.find('&') {
            Some(next) => i = next,
            None => break,
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// A character XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A qualified name's local part (`xsd:string` -> `string`).
fn local_name(qname: &str) -> &str {
    match qname.bytes().position(|b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// A type the decoder can read from an element.
pub trait Decode: Sized {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError>;
}

/// A type the encoder can write as an element.
pub trait Encode {
    /// Writes the element's content (children or text), not its tags.
    fn encode_content(&self, w: &mut Writer);
    /// The `xsi:type` to write on the element: the concrete class of a polymorphic value,
    /// the XML Schema type of an `anyType` value. `None` where the declared type is exact.
    fn xsi_type(&self) -> Option<&str> {
        None
    }
    /// Writes `<name ...>content</name>`.
    fn encode(&self, w: &mut Writer, name: &str) {
        w.open(name, self.xsi_type(), None);
        self.encode_content(w);
        w.close(name);
    }
}

/// Builds a body in one buffer.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer { buf: Vec::with_capacity(1024) }
    }

    /// `<name xsi:type="t" type="a">`.
    pub fn open(&mut self, name: &str, xsi_type: Option<&str>, type_attr: Option<&str>) {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        if let Some(t) = xsi_type {
            self.buf.extend_from_slice(b" xsi:type=\"");
            self.escaped(t);
            self.buf.push(b'"');
        }
        if let Some(t) = type_attr {
            self.buf.extend_from_slice(b" type=\"");
            self.escaped(t);
            self.buf.push(b'"');
        }
        self.buf.push(b'>');
    }

    pub fn close(&mut self, name: &str) {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
    }

    /// The content of an element kept as received (an unknown class's `xml`): what lies
    /// between its start tag and its end tag, written as it came.
    pub fn content_of(&mut self, element: &str) {
        self.buf.extend_from_slice(element_content(element).as_bytes());
    }

    /// Text, escaped.
    pub fn escaped(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut last = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let rep: &[u8] = match b {
                b'<' => b"&lt;",
                b'>' => b"&gt;",
                b'&' => b"&amp;",
                b'"' => b"&quot;",
                b'\r' => b"&#13;",
                _ => continue,
            };
            self.buf.extend_from_slice(&bytes[last..i]);
            self.buf.extend_from_slice(rep);
            last = i + 1;
        }
        self.buf.extend_from_slice(&bytes[last..]);
    }

    /// Every field of a data object, in its table's order (the generated `Encode` of every
    /// struct is this call).
    pub fn fields(&mut self, v: &dyn Fields) {
        for (i, f) in v.fields().iter().enumerate() {
            if let Some(s) = v.slot(i) {
                s.write(self, f.name);
            }
        }
    }

    /// A required field.
    pub fn field<T: Encode + ?Sized>(&mut self, name: &str, v: &T) {
        v.encode(self, name);
    }

    /// An optional field: nothing when `None`.
    pub fn opt<T: Encode>(&mut self, name: &str, v: &Option<T>) {
        if let Some(v) = v {
            v.encode(self, name);
        }
    }

    /// An array field: one element per item.
    pub fn list<T: Encode>(&mut self, name: &str, v: &[T]) {
        for x in v {
            x.encode(self, name);
        }
    }
}

// ---- primitives ----------------------------------------------------------------------

impl Decode for String {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        Ok(r.text(e)?.into_owned())
    }
}

impl Encode for String {
    fn encode_content(&self, w: &mut Writer) {
        w.escaped(self);
    }
}

impl Encode for str {
    fn encode_content(&self, w: &mut Writer) {
        w.escaped(self);
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode_content(&self, w: &mut Writer) {
        (**self).encode_content(w)
    }
    fn xsi_type(&self) -> Option<&str> {
        (**self).xsi_type()
    }
    fn encode(&self, w: &mut Writer, name: &str) {
        (**self).encode(w, name)
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode_content(&self, w: &mut Writer) {
        (**self).encode_content(w)
    }
    fn xsi_type(&self) -> Option<&str> {
        (**self).xsi_type()
    }
    fn encode(&self, w: &mut Writer, name: &str) {
        (**self).encode(w, name)
    }
}

/// Never inlined: the generated decoders of polymorphic values (`AnyEvent`, one arm per class)
/// read each class as a `Box`, and in a debug build every arm's value would otherwise have its
/// own slot in the caller's frame (hundreds of kilobytes for the large class trees, per nesting
/// level); here each class's value lives in this small frame and the caller keeps a pointer.
impl<T: Decode> Decode for Box<T> {
    #[inline(never)]
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        T::decode(r, e).map(Box::new)
    }
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
                let t = r.text(e)?;
                let t = t.trim();
                t.parse().or_else(|_| match t {
                    "INF" => "inf".parse(),
                    "-INF" => "-inf".parse(),
                    other => other.parse(),
                }).map_err(|_| r.error(format!("`{t}` is not a {}", stringify!($t))))
            }
        }
        impl Encode for $t {
            fn encode_content(&self, w: &mut Writer) {
                w.buf.extend_from_slice(self.to_string().as_bytes());
            }
        }
    )*};
}
number!(i8, i16, i32, i64, f32, f64);

impl Decode for bool {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        match r.text(e)?.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(r.error(format!("`{other}` is not a boolean"))),
        }
    }
}

impl Encode for bool {
    fn encode_content(&self, w: &mut Writer) {
        w.buf.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl Decode for crate::DateTime {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        Ok(crate::DateTime(r.text(e)?.trim().to_string()))
    }
}

impl Encode for crate::DateTime {
    fn encode_content(&self, w: &mut Writer) {
        w.escaped(&self.0);
    }
}

impl Decode for Vec<u8> {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        let t = r.text(e)?;
        base64_decode(&t).ok_or_else(|| r.error("invalid base64"))
    }
}

impl Encode for Vec<u8> {
    fn encode_content(&self, w: &mut Writer) {
        base64_encode(self, &mut w.buf);
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(data: &[u8], out: &mut Vec<u8>) {
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 { B64[(n >> 6) as usize & 63] } else { b'=' });
        out.push(if chunk.len() > 2 { B64[n as usize & 63] } else { b'=' });
    }
}

pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

// ---- references ----------------------------------------------------------------------

impl Decode for crate::ManagedObjectReference {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        let type_name = e.type_attr.as_deref().unwrap_or("").to_string();
        Ok(crate::ManagedObjectReference { type_name, value: r.text(e)?.trim().to_string() })
    }
}

impl Encode for crate::ManagedObjectReference {
    fn encode_content(&self, w: &mut Writer) {
        w.escaped(&self.value);
    }
    fn encode(&self, w: &mut Writer, name: &str) {
        w.open(name, None, Some(&self.type_name));
        w.escaped(&self.value);
        w.close(name);
    }
}

impl<T: ?Sized> Decode for crate::MoRef<T> {
    fn decode<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
        crate::ManagedObjectReference::decode(r, e).map(crate::MoRef::from_untyped)
    }
}

impl<T: ?Sized> Encode for crate::MoRef<T> {
    fn encode_content(&self, w: &mut Writer) {
        w.escaped(&self.value);
    }
    fn encode(&self, w: &mut Writer, name: &str) {
        w.open(name, None, Some(&self.type_name));
        w.escaped(&self.value);
        w.close(name);
    }
}

// ---- method results ------------------------------------------------------------------

/// The `returnval` of a response element that must have one.
pub fn returnval<'a, T: Decode>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<T, DecodeError> {
    match returnval_opt(r, e)? {
        Some(v) => Ok(v),
        None => Err(r.error("the response has no returnval")),
    }
}

/// The `returnval` of a response element, if present.
pub fn returnval_opt<'a, T: Decode>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Option<T>, DecodeError> {
    let mut out = None;
    if !e.empty {
        while let Some(c) = r.child()? {
            if c.name == "returnval" && out.is_none() {
                out = Some(r.read(&c)?);
            } else {
                r.skip_unknown(&c)?;
            }
        }
    }
    Ok(out)
}

/// Every `returnval` of a response element (an array result).
pub fn returnval_vec<'a, T: Decode>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::new();
    if !e.empty {
        while let Some(c) = r.child()? {
            if c.name == "returnval" {
                out.push(r.read(&c)?);
            } else {
                r.skip_unknown(&c)?;
            }
        }
    }
    Ok(out)
}

/// A void method's response element.
pub fn no_returnval<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
    r.skip(e)
}

// ---- method requests (the server side) ----------------------------------------------

/// The parameters of a method that takes none: the element must have no other children.
pub fn no_args<'a>(r: &mut Reader<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
    r.skip(e)
}

/// A required parameter the request must have had.
pub fn required_arg<T>(r: &Reader<'_>, v: Option<T>, operation: &str, parameter: &str) -> Result<T, DecodeError> {
    v.ok_or_else(|| r.error(format!("{operation}: the required parameter {parameter} is missing")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0, 255, 128, 7]] {
            let mut enc = Vec::new();
            base64_encode(data, &mut enc);
            assert_eq!(base64_decode(std::str::from_utf8(&enc).unwrap()).unwrap(), data);
        }
        assert_eq!(base64_decode("Zm9v\nYmFy").unwrap(), b"foobar");
    }

    #[test]
    fn raw_xml_starts_at_the_start_tag() {
        let doc = br#"<r><a x="1" y='<'>t</a><b z="<"/><c>u</c></r>"#;
        let mut r = Reader::new(doc).unwrap();
        r.root().unwrap();
        for want in [r#"<a x="1" y='<'>t</a>"#, r#"<b z="<"/>"#, "<c>u</c>"] {
            let e = r.child().unwrap().unwrap();
            r.skip(&e).unwrap();
            assert_eq!(r.raw_since(e.start), want);
        }
        assert_eq!(element_content(r#"<a x="1" y='<'>t</a>"#), "t");
    }

    #[test]
    fn raw_xml_after_a_byte_order_mark() {
        let doc = "\u{feff}<r><a x=\"1\">t</a></r>";
        let mut r = Reader::new(doc.as_bytes()).unwrap();
        r.root().unwrap();
        let e = r.child().unwrap().unwrap();
        r.skip(&e).unwrap();
        assert_eq!(r.raw_since(e.start), r#"<a x="1">t</a>"#);
    }

    /// A fragment kept as XML is written back in a document that binds XSI to `xsi`: the
    /// prefix an ancestor bound to it under another name is renamed, nothing else.
    #[test]
    fn raw_xml_renames_an_outside_xsi_prefix() {
        let doc = br#"<r><val xmlns:X="http://www.w3.org/2001/XMLSchema-instance" X:type="Dev"><b X:type="Back" a='X:type'>X:type="t" <c/></b><d X:nil="true"/></val></r>"#;
        let mut r = Reader::new(doc).unwrap();
        r.root().unwrap();
        let val = r.child().unwrap().unwrap();
        assert_eq!(val.xsi_type.as_deref(), Some("Dev"));
        let b = r.child().unwrap().unwrap();
        r.skip(&b).unwrap();
        assert_eq!(r.raw_since(b.start), r#"<b xsi:type="Back" a='X:type'>X:type="t" <c/></b>"#);
        assert_eq!(rename_attribute_prefixes("<a\n\tX:type='1'/>", &["X"], "xsi"), "<a\n\txsi:type='1'/>");
        assert_eq!(rename_attribute_prefixes("<a XY:type='1'/>", &["X"], "xsi"), "<a XY:type='1'/>");
    }

    #[test]
    fn element_content_is_between_the_tags() {
        assert_eq!(element_content(r#"<val xsi:type="X"><a>1</a><b/></val>"#), "<a>1</a><b/>");
        assert_eq!(element_content(r#"<val a="x>y" b='/>'>t</val>"#), "t");
        assert_eq!(element_content(r#"<val xsi:type="X"/>"#), "");
        assert_eq!(element_content("<val></val>"), "");
        assert_eq!(element_content("<val"), "");
    }

    #[test]
    fn text_and_prefixes() {
        let doc = br#"<a xmlns:X="http://www.w3.org/2001/XMLSchema-instance"><v X:type="xsd:string">a &amp; b&#33;</v><w Y:type="Foo" type="HostSystem">host-1</w><e/></a>"#;
        let mut r = Reader::new(doc).unwrap();
        let root = r.root().unwrap();
        assert_eq!(root.name, "a");
        let v = r.child().unwrap().unwrap();
        assert_eq!(v.xsi_type.as_deref(), Some("string"));
        assert_eq!(r.text(&v).unwrap(), "a & b!");
        let w = r.child().unwrap().unwrap();
        assert_eq!(w.xsi_type, None, "Y is not bound to the XSI namespace");
        assert_eq!(w.type_attr.as_deref(), Some("HostSystem"));
        assert_eq!(r.text(&w).unwrap(), "host-1");
        let e = r.child().unwrap().unwrap();
        assert!(e.empty);
        assert!(r.child().unwrap().is_none());
    }

    #[test]
    fn depth_is_bounded() {
        let mut doc = Vec::new();
        for _ in 0..200 {
            doc.extend_from_slice(b"<a>");
        }
        let mut r = Reader::new(&doc).unwrap();
        let root = r.root().unwrap();
        let err = r.skip(&root).unwrap_err();
        assert!(err.message.contains("nesting"), "{err}");
    }

    /// More fields than `Seen` keeps in bits: 130 strings `f0`..`f129`, every third one
    /// required, then an array `n`.
    #[derive(Default)]
    struct Wide {
        v: Vec<String>,
        n: Vec<i32>,
    }

    impl Fields for Wide {
        fn type_name(&self) -> &'static str {
            "Wide"
        }
        fn fields(&self) -> &'static [Field] {
            static TABLE: std::sync::OnceLock<Vec<Field>> = std::sync::OnceLock::new();
            TABLE.get_or_init(|| {
                let mut t: Vec<Field> = (0..130)
                    .map(|i| {
                        let name: &'static str = Box::leak(format!("f{i}").into_boxed_str());
                        if i % 3 == 0 { Field::req(name) } else { Field::opt(name) }
                    })
                    .collect();
                t.push(Field::opt("n"));
                t
            })
        }
        fn slot_mut(&mut self, i: usize) -> Option<&mut dyn Slot> {
            if i == 130 { Some(&mut self.n) } else { self.v.get_mut(i).map(|s| s as &mut dyn Slot) }
        }
        fn slot(&self, i: usize) -> Option<&dyn Slot> {
            if i == 130 { Some(&self.n) } else { self.v.get(i).map(|s| s as &dyn Slot) }
        }
    }

    fn wide(doc: &[u8], strict: bool) -> (Result<Wide, DecodeError>, DecodeReport) {
        let mut r = Reader::new(doc).unwrap();
        r.strict = strict;
        let root = r.root().unwrap();
        let mut w = Wide { v: vec![String::new(); 130], n: Vec::new() };
        let res = r.fill(&mut w, &root).map(|()| w);
        (res, r.report)
    }

    #[test]
    fn fill_finds_fields_in_any_order_and_reports_the_missing() {
        let doc = b"<w><f129>z</f129><f0>a</f0><n>1</n><n>2</n><bogus><x/></bogus><f3>c</f3><f1/></w>";
        let (w, report) = wide(doc, false);
        let w = w.unwrap();
        assert_eq!((w.v[0].as_str(), w.v[3].as_str(), w.v[129].as_str()), ("a", "c", "z"));
        assert_eq!(w.n, [1, 2]);
        assert_eq!(report.unknown_elements, 1);
        // Required: 0, 3, ..., 129 (44 of them); 0, 3 and 129 came.
        assert_eq!(report.missing.len(), 41, "{:?}", report.missing);
        assert_eq!(report.missing.first().map(ToString::to_string).as_deref(), Some("Wide.f6"));
        assert!(!report.missing.iter().any(|m| m.field == "f129" || m.field == "f1"));

        let (err, _) = wide(doc, true);
        assert!(err.is_err_and(|e| e.message.contains("Wide.f6")));
    }

    #[test]
    fn fields_are_written_in_table_order() {
        let (w, _) = wide(b"<w><n>1</n><f0>a</f0><n>2</n></w>", false);
        let mut out = Writer::new();
        out.fields(&w.unwrap());
        let text = String::from_utf8(out.buf).unwrap();
        assert!(text.starts_with("<f0>a</f0><f1></f1>"), "{text}");
        assert!(text.ends_with("<f129></f129><n>1</n><n>2</n>"), "{text}");
    }

    #[test]
    fn writer_escapes() {
        let mut w = Writer::new();
        w.field("s", "a<b&\"c\"");
        assert_eq!(String::from_utf8(w.buf).unwrap(), "<s>a&lt;b&amp;&quot;c&quot;</s>");
    }
}

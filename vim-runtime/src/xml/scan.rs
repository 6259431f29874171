//! The XML tokenizer under [`Reader`](super::Reader): one pass over a body already known to
//! be UTF-8, cutting it into tokens that borrow it. Every cut is at an ASCII delimiter (`<`,
//! `>`, `&`, a quote, white space), never inside a multi-byte character, so each token is a
//! `&str` of the body with no UTF-8 check of its own (a general-purpose reader re-checks
//! every token, which was the largest single cost of decoding).
//!
//! It knows the XML a SOAP body may hold: elements, attributes, text with references, CDATA
//! sections, comments and processing instructions (both skipped, the XML declaration being
//! one). Tags are checked as they pass (a name, attributes as `name="value"` or
//! `name='value'`, end tags matching their start tags); a document type declaration is
//! refused, as SOAP requires (it is also where entity-expansion attacks live). References
//! are not resolved here: a text token says whether it holds any.

use std::ops::Range;

use memchr::{memchr, memchr2, memmem};

use super::DecodeError;

/// What comes next in the body.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// A start tag, or an empty element (`<x/>`, no end tag follows).
    Start(Tag<'a>),
    /// An end tag (its name matched the open element's).
    End,
    /// Character data, as written; `refs` if it holds `&` (references to resolve).
    Text {
        text: &'a str,
        refs: bool,
    },
    /// A CDATA section's content (taken as it is).
    CData(&'a str),
    Eof,
}

/// A start tag.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Tag<'a> {
    /// The name as written, with its prefix.
    pub name: &'a str,
    /// What follows the name up to `>` or `/>` (attributes, already checked; see
    /// [`attributes`]).
    pub attributes: &'a str,
    /// `<x/>`.
    pub empty: bool,
    /// Offset of the `<`.
    pub start: usize,
}

/// Cuts a body into tokens.
pub(super) struct Scanner<'a> {
    input: &'a str,
    pos: usize,
    /// Names of the open elements, to match end tags against.
    open: Vec<&'a str>,
    /// How many elements may be open at once (hostile input nests without end).
    pub max_depth: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(input: &'a str) -> Scanner<'a> {
        Scanner { input, pos: 0, open: Vec::new(), max_depth: usize::MAX }
    }

    /// Offset of the next token.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> DecodeError {
        DecodeError { offset: offset as u64, message: message.into() }
    }

    pub fn next(&mut self) -> Result<Token<'a>, DecodeError> {
        loop {
            let bytes = self.input.as_bytes();
            let at = self.pos;
            match bytes.get(at) {
                None => return Ok(Token::Eof),
                Some(b'<') => {}
                Some(_) => return Ok(self.text()),
            }
            match bytes.get(at + 1) {
                Some(b'/') => return self.end_tag(),
                Some(b'?') => {
                    if name_end(bytes, at + 2) == at + 2 {
                        return Err(self.error(at, "a processing instruction without a target"));
                    }
                    self.pos = self.past(at + 2, b"?>", "a processing instruction")?;
                }
                Some(b'!') => {
                    let rest = &bytes[at..];
                    if rest.starts_with(b"<!--") {
                        self.pos = self.past(at + 4, b"-->", "a comment")?;
                    } else if rest.starts_with(b"<![CDATA[") {
                        let from = at + b"<![CDATA[".len();
                        self.pos = self.past(from, b"]]>", "a CDATA section")?;
                        return Ok(Token::CData(&self.input[from..self.pos - 3]));
                    } else if rest.starts_with(b"<!DOCTYPE") {
                        return Err(self.error(at, "a document type declaration is not allowed in SOAP"));
                    } else {
                        return Err(self.error(at, "`<!` that starts no comment or CDATA section"));
                    }
                }
                _ => return self.start_tag(),
            }
        }
    }

    /// The common case of an open element's content: text without references (or none)
    /// and straight after it the element's own end tag, `</name>`. Taken whole, as one step;
    /// `None` (nothing taken) for anything else, which [`next`](Self::next) then reads.
    pub fn plain_text_then_end(&mut self) -> Option<&'a str> {
        let bytes = self.input.as_bytes();
        let at = self.pos;
        let name = *self.open.last()?;
        let lt = at + memchr2(b'<', b'&', &bytes[at..])?;
        let close = bytes[lt..].strip_prefix(b"</")?.strip_prefix(name.as_bytes())?;
        if close.first() != Some(&b'>') {
            return None;
        }
        self.open.pop();
        self.pos = lt + "</>".len() + name.len();
        Some(&self.input[at..lt])
    }

    /// Text up to the next `<` (or the end).
    fn text(&mut self) -> Token<'a> {
        let bytes = self.input.as_bytes();
        let at = self.pos;
        let mut end = memchr2(b'<', b'&', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let refs = bytes.get(end) == Some(&b'&');
        if refs {
            end = memchr(b'<', &bytes[end..]).map_or(bytes.len(), |i| end + i);
        }
        self.pos = end;
        Token::Text { text: &self.input[at..end], refs }
    }

    /// The offset just past the first `end` at or after `from`.
    fn past(&self, from: usize, end: &[u8], what: &str) -> Result<usize, DecodeError> {
        match memmem::find(&self.input.as_bytes()[from..], end) {
            Some(i) => Ok(from + i + end.len()),
            None => Err(self.error(self.pos, format!("{what} that never ends"))),
        }
    }

    fn start_tag(&mut self) -> Result<Token<'a>, DecodeError> {
        let bytes = self.input.as_bytes();
        let at = self.pos;
        let name_end = name_end(bytes, at + 1);
        if name_end == at + 1 {
            return Err(self.error(at, "`<` that starts no tag"));
        }
        let name = &self.input[at + 1..name_end];
        // Most tags are the name alone.
        let (attributes_end, empty, end) = match bytes.get(name_end) {
            Some(b'>') => (name_end, false, name_end + 1),
            _ => {
                let mut i = name_end;
                loop {
                    match next_attribute(bytes, i) {
                        Ok(Attribute::Next { end, .. }) => i = end,
                        Ok(Attribute::TagEnd { empty, end }) => break (i, empty, end),
                        Err((offset, message)) => return Err(self.error(offset, format!("in <{name}>: {message}"))),
                    }
                }
            }
        };
        if !empty {
            if self.open.len() >= self.max_depth {
                return Err(self.error(at, format!("nesting deeper than {}", self.max_depth)));
            }
            self.open.push(name);
        }
        self.pos = end;
        Ok(Token::Start(Tag { name, attributes: &self.input[name_end..attributes_end], empty, start: at }))
    }

    fn end_tag(&mut self) -> Result<Token<'a>, DecodeError> {
        let bytes = self.input.as_bytes();
        let at = self.pos;
        let name_end = name_end(bytes, at + 2);
        let name = &self.input[at + 2..name_end];
        let gt = skip_space(bytes, name_end);
        if bytes.get(gt) != Some(&b'>') {
            return Err(self.error(at, format!("end tag </{name} is not closed by `>`")));
        }
        match self.open.pop() {
            Some(open) if open == name => {}
            Some(open) => return Err(self.error(at, format!("end tag </{name}> where </{open}> was expected"))),
            None => return Err(self.error(at, format!("end tag </{name}> with no element open"))),
        }
        self.pos = gt + 1;
        Ok(Token::End)
    }
}

/// The end of a name starting at `from`: the first byte that is markup or white space.
fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if matches!(b, b'>' | b'/' | b'<' | b'=' | b'"' | b'\'' | b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        i += 1;
    }
    i
}

fn skip_space(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
        i += 1;
    }
    i
}

enum Attribute {
    /// `name="value"`: where the name and the value (as written) are; `end` is just past
    /// the closing quote.
    Next { name: Range<usize>, value: Range<usize>, end: usize },
    /// `>` or `/>` (after optional white space); `end` is just past it.
    TagEnd { empty: bool, end: usize },
}

/// Reads what follows offset `i` in a start tag: an attribute or the tag's end. The one
/// parser of attributes: the scanner checks every tag with it, [`attributes`] lists them.
fn next_attribute(bytes: &[u8], i: usize) -> Result<Attribute, (usize, &'static str)> {
    let name_start = skip_space(bytes, i);
    match bytes.get(name_start) {
        None => return Err((i, "the tag never ends")),
        Some(b'>') => return Ok(Attribute::TagEnd { empty: false, end: name_start + 1 }),
        Some(b'/') if bytes.get(name_start + 1) == Some(&b'>') => return Ok(Attribute::TagEnd { empty: true, end: name_start + 2 }),
        Some(_) if name_start == i => return Err((i, "no space before an attribute")),
        Some(_) => {}
    }
    let name_end = name_end(bytes, name_start);
    if name_end == name_start {
        return Err((name_start, "an attribute without a name"));
    }
    let eq = skip_space(bytes, name_end);
    if bytes.get(eq) != Some(&b'=') {
        return Err((eq, "an attribute without `=`"));
    }
    let open = skip_space(bytes, eq + 1);
    let quote = match bytes.get(open) {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return Err((open, "an attribute value without quotes")),
    };
    let Some(len) = memchr(quote, &bytes[open + 1..]) else {
        return Err((open, "an attribute value that never ends"));
    };
    let close = open + 1 + len;
    Ok(Attribute::Next { name: name_start..name_end, value: open + 1..close, end: close + 1 })
}

/// The attributes of a tag ([`Tag::attributes`], already checked by the scanner): name and
/// value as written.
pub(super) fn attributes(tag_attributes: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut i = 0;
    std::iter::from_fn(move || match next_attribute(tag_attributes.as_bytes(), i) {
        Ok(Attribute::Next { name, value, end }) => {
            i = end;
            Some((&tag_attributes[name], &tag_attributes[value]))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(doc: &str) -> Result<Vec<Token<'_>>, DecodeError> {
        let mut s = Scanner::new(doc);
        let mut out = Vec::new();
        loop {
            match s.next()? {
                Token::Eof => return Ok(out),
                t => out.push(t),
            }
        }
    }

    fn start<'a>(name: &'a str, attributes: &'a str, empty: bool, start: usize) -> Token<'a> {
        Token::Start(Tag { name, attributes, empty, start })
    }

    #[test]
    fn tokens_of_a_small_document() {
        let doc = r#"<?xml version="1.0"?><!-- hi --><a x="1" y = 'b>c' ><b/><c z="&lt;" />t&amp;u<![CDATA[<raw>]]></a >"#;
        let t = tokens(doc).unwrap();
        assert_eq!(
            t,
            [
                start("a", r#" x="1" y = 'b>c'"#, false, 32),
                start("b", "", true, 52),
                start("c", r#" z="&lt;""#, true, 56),
                Token::Text { text: "t&amp;u", refs: true },
                Token::CData("<raw>"),
                Token::End,
            ]
        );
        let Token::Start(a) = &t[0] else { unreachable!() };
        assert_eq!(attributes(a.attributes).collect::<Vec<_>>(), [("x", "1"), ("y", "b>c")]);
    }

    #[test]
    fn malformed_markup_is_an_error_at_its_offset() {
        for (doc, offset, message) in [
            ("<a></b>", 3, "where </a> was expected"),
            ("</a>", 0, "no element open"),
            ("<a x=1></a>", 5, "without quotes"),
            ("<a x></a>", 4, "without `=`"),
            (r#"<a x="1"y="2"></a>"#, 8, "no space"),
            (r#"<a x="1></a>"#, 5, "never ends"),
            ("<a", 2, "never ends"),
            ("< a>", 0, "starts no tag"),
            ("<a><!-- x", 3, "comment that never ends"),
            ("<!DOCTYPE a [<!ENTITY x 'y'>]><a/>", 0, "document type"),
            ("<a></a", 3, "not closed"),
        ] {
            let err = tokens(doc).unwrap_err();
            assert!(err.message.contains(message) && err.offset == offset, "{doc}: {err}");
        }
    }

    #[test]
    fn plain_text_then_end_takes_only_the_common_case() {
        let leaf = |doc: &'static str| {
            let mut s = Scanner::new(doc);
            assert!(matches!(s.next(), Ok(Token::Start(_))));
            let at = s.offset();
            let text = s.plain_text_then_end();
            if text.is_none() {
                assert_eq!(s.offset(), at, "{doc}: nothing taken");
            }
            (text, s.depth(), s.next())
        };
        assert_eq!(leaf("<a>t é</a><b/>"), (Some("t é"), 0, Ok(start("b", "", true, 11))));
        assert_eq!(leaf("<p:a></p:a>"), (Some(""), 0, Ok(Token::Eof)));
        assert_eq!(leaf("<a>t&amp;</a>"), (None, 1, Ok(Token::Text { text: "t&amp;", refs: true })));
        assert_eq!(leaf("<a>t</a >"), (None, 1, Ok(Token::Text { text: "t", refs: false })));
        assert_eq!(leaf("<a><b/></a>"), (None, 1, Ok(start("b", "", true, 3))));
        let (text, depth, _) = leaf("<a>t</ab>");
        assert_eq!((text, depth), (None, 1));
        assert_eq!(leaf("<a>t"), (None, 1, Ok(Token::Text { text: "t", refs: false })));
    }

    #[test]
    fn multi_byte_text_is_cut_whole() {
        let doc = "<é a='ü'>€ &#x20AC;</é>";
        let t = tokens(doc).unwrap();
        assert_eq!(t[1], Token::Text { text: "€ &#x20AC;", refs: true });
        assert_eq!(t[2], Token::End);
    }

    /// A token stream both tokenizers can give: tags with their attributes, end tags by
    /// name, text as written (references unresolved, adjacent pieces joined).
    #[derive(Debug, PartialEq)]
    enum Seen {
        Start(String, Vec<(String, String)>, bool),
        End(String),
        Text(String),
        CData(String),
    }

    fn push_text(out: &mut Vec<Seen>, t: &str) {
        match out.last_mut() {
            Some(Seen::Text(s)) => s.push_str(t),
            _ => out.push(Seen::Text(t.to_string())),
        }
    }

    fn ours(doc: &str) -> Result<Vec<Seen>, DecodeError> {
        let mut s = Scanner::new(doc);
        let mut names = Vec::new();
        let mut out = Vec::new();
        loop {
            match s.next()? {
                Token::Eof => return Ok(out),
                Token::Start(t) => {
                    let attrs = attributes(t.attributes).map(|(k, v)| (k.to_string(), v.to_string())).collect();
                    out.push(Seen::Start(t.name.to_string(), attrs, t.empty));
                    if !t.empty {
                        names.push(t.name);
                    }
                }
                Token::End => out.push(Seen::End(names.pop().unwrap_or_default().to_string())),
                Token::Text { text, refs } => {
                    // References are the reader's to check (as quick-xml does in text).
                    if refs {
                        super::super::unescape(text).map_err(|m| s.error(0, m))?;
                    }
                    push_text(&mut out, text)
                }
                Token::CData(t) => out.push(Seen::CData(t.to_string())),
            }
        }
    }

    fn quick_xml(doc: &str) -> Result<Vec<Seen>, String> {
        use quick_xml::events::Event;
        let mut r = quick_xml::Reader::from_str(doc);
        r.config_mut().check_end_names = true;
        let mut out = Vec::new();
        loop {
            let start = |e: &quick_xml::events::BytesStart, empty| -> Result<Seen, String> {
                let mut attrs = Vec::new();
                for a in e.attributes().with_checks(false) {
                    let a = a.map_err(|e| e.to_string())?;
                    attrs.push((a.key.0.to_string(), a.value.to_string()));
                }
                Ok(Seen::Start(e.name().0.to_string(), attrs, empty))
            };
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Eof => return Ok(out),
                Event::Start(e) => out.push(start(&e, false)?),
                Event::Empty(e) => out.push(start(&e, true)?),
                Event::End(e) => out.push(Seen::End(e.name().0.to_string())),
                Event::Text(t) => push_text(&mut out, &t),
                Event::GeneralRef(g) => push_text(&mut out, &format!("&{};", &*g)),
                Event::CData(t) => out.push(Seen::CData(t.to_string())),
                Event::DocType(_) => return Err("doctype".into()),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }

    /// Thousands of damaged SOAP bodies through both tokenizers: where both read a whole
    /// body, they read the same tokens; ours reads none that quick-xml refuses (it refuses
    /// more: `<d/<e/>`, `< a>`, `<a b>` and a reference quick-xml leaves unresolved are
    /// errors here); and ours never panics. `FUZZ_CASES` to run longer.
    #[test]
    fn agrees_with_quick_xml_on_damaged_bodies() {
        let seeds = [
            r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>config</name><val xsi:type='VirtualMachineConfigInfo'><name>a &amp; b&#33;</name><device xsi:type="VirtualDisk"><key>200</key><deviceInfo xsi:type="Description"><label>IDE 0</label><summary>IDE 0</summary></deviceInfo></device><extraConfig/><!-- c --><![CDATA[x<y]]></val></propSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>"#,
            "<a b = \"1\"\t c='2' ><é>€ &#x20AC;</é><?pi x?><d/><e  /></a >",
        ];
        let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n.max(1) as u64) as usize
        };
        let (mut both, mut neither, mut only_quick_xml) = (0, 0, 0);
        for i in 0..cases {
            let mut v = seeds[i % seeds.len()].as_bytes().to_vec();
            for _ in 0..1 + next(3) {
                let at = next(v.len());
                match next(4) {
                    0 => {
                        let markup = b"<>/&\"'=:! ?-[]";
                        v.insert(at, markup[next(markup.len())]);
                    }
                    1 if v.len() > 1 => {
                        v.remove(at.min(v.len() - 1));
                    }
                    2 => v.truncate(at.max(1)),
                    _ => {
                        let end = (at + next(40)).min(v.len());
                        let piece = v[at..end].to_vec();
                        v.splice(at..at, piece);
                    }
                }
            }
            let Ok(doc) = std::str::from_utf8(&v) else { continue };
            match (ours(doc), quick_xml(doc)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{doc}");
                    both += 1;
                }
                (Err(_), Err(_)) => neither += 1,
                (Ok(_), Err(e)) => panic!("only ours reads this; quick-xml: {e}: {doc}"),
                (Err(_), Ok(_)) => only_quick_xml += 1,
            }
        }
        eprintln!("{cases} cases: both read {both}, both refused {neither}, only quick-xml read {only_quick_xml}");
        assert!(both > cases / 10, "the mutations leave enough bodies whole to compare");
    }
}

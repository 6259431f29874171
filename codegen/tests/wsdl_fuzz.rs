//! Robustness of the WSDL/XSD frontend on damaged input: deterministic truncations and byte
//! mutations of real corpus files. Never a panic; every span inside its file; an error
//! wherever the XML certainly became invalid, located at or after the damage.

use codegen::diag::{Diagnostics, Kind, Severity, SourceMap};
use codegen::wsdl::{self, Schema};
use vimgen_test_support::Rng;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec-corpus/wsdl-5.5/vim25");

fn corpus_file(name: &str) -> String {
    let path = format!("{CORPUS}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Outcome {
    schema: Schema,
    diags: Diagnostics,
    /// Start offsets of the `wsdl-xml-syntax` errors in the damaged file.
    syntax_errors: Vec<usize>,
}

/// Reads `text` as `core-types.xsd` and checks the invariants that hold for any input.
fn read(name: &str, text: &str) -> Outcome {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let schema = wsdl::read_in_memory(&[(name, text)], &mut sources, &mut diags);
    for d in &diags.list {
        if let Some(s) = d.span {
            let len = sources.get(s.file).text.len() as u32;
            assert!(s.start <= s.end && s.end <= len, "span {s:?} outside a file of {len} bytes: {}", d.message);
        }
        // Rendering (line/column lookup, snippet) must not panic on any span either.
        let _ = d.render(&sources);
    }
    let syntax_errors = diags
        .list
        .iter()
        .filter(|d| d.kind == Kind::WsdlXmlSyntax && d.severity() == Severity::Error)
        .filter_map(|d| d.span.map(|s| s.start as usize))
        .collect();
    Outcome { schema, diags, syntax_errors }
}

#[test]
fn truncation_at_many_positions() {
    let Some(_) = vimgen_test_support::corpus("truncation_at_many_positions") else { return };
    let text = corpus_file("core-types.xsd");
    let full = read("core-types.xsd", &text);
    assert!(full.diags.list.is_empty());
    let types = full.schema.complex_types.len();
    assert_eq!(types, 37);
    let root_end = text.rfind("</schema>").expect("root end") + "</schema>".len();
    let last_type_end = text.rfind("</complexType>").expect("last type") + "</complexType>".len();
    // Every position in the prologue, the comment and the first declarations, then every
    // fifth one (the rest repeats the same shapes; this keeps the debug-mode test fast).
    let cuts = (0..1200).chain((1200..=text.len()).step_by(5)).chain([root_end - 1, root_end, text.len()]);
    for cut in cuts {
        if cut > text.len() || !text.is_char_boundary(cut) {
            continue;
        }
        let o = read("core-types.xsd", &text[..cut]);
        if cut < root_end {
            assert!(!o.syntax_errors.is_empty(), "no syntax error for truncation at {cut}");
            assert!(o.syntax_errors.iter().all(|&p| p <= cut), "error after the end of the file at cut {cut}");
            // Only complete declarations are kept.
            if cut < last_type_end {
                assert!(o.schema.complex_types.len() < types, "cut {cut}");
            }
        } else {
            assert!(o.diags.list.is_empty(), "cut {cut} leaves a complete document");
        }
    }
}

#[test]
fn two_thousand_mutations() {
    let Some(_) = vimgen_test_support::corpus("two_thousand_mutations") else { return };
    let text = corpus_file("core-types.xsd");
    let bytes = text.as_bytes();
    let gts: Vec<usize> = bytes.iter().enumerate().filter(|&(_, &b)| b == b'>').map(|(i, _)| i).collect();
    // `>` closing an end tag `</name>`: index of the `>` and of the tag's `<`.
    let end_tags: Vec<(usize, usize)> = gts
        .iter()
        .filter_map(|&gt| {
            let lt = text[..gt].rfind('<')?;
            text[lt..].starts_with("</").then_some((lt, gt))
        })
        .collect();
    assert!(end_tags.len() > 50);

    let alphabet = b"<>/\"'=&!?-:x \n;";
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let (mut certain, mut random_with_errors, mut random) = (0, 0, 0);
    for i in 0..2000 {
        let mut m = bytes.to_vec();
        // Which mutations certainly break well-formedness, and where the damage starts.
        let certainly_bad_from: Option<usize> = match i % 5 {
            // An unclosed element right after a tag.
            0 => {
                let at = gts[rng.below(gts.len())] + 1;
                m.splice(at..at, b"<bogus>".iter().copied());
                Some(at)
            }
            // An end tag loses its `>`.
            1 => {
                let (lt, gt) = end_tags[rng.below(end_tags.len())];
                m.remove(gt);
                Some(lt)
            }
            // Random replacement, deletion or insertion of a markup-significant byte.
            2 => {
                let at = rng.below(m.len());
                m[at] = alphabet[rng.below(alphabet.len())];
                None
            }
            3 => {
                m.remove(rng.below(m.len()));
                None
            }
            _ => {
                let at = rng.below(m.len() + 1);
                m.insert(at, alphabet[rng.below(alphabet.len())]);
                None
            }
        };
        let damaged = String::from_utf8_lossy(&m);
        let o = read("core-types.xsd", &damaged);
        match certainly_bad_from {
            Some(from) => {
                certain += 1;
                assert!(!o.syntax_errors.is_empty(), "mutation {i}: no syntax error");
                assert!(
                    o.syntax_errors.iter().all(|&p| p >= from),
                    "mutation {i}: error at {:?}, before the damage at {from}",
                    o.syntax_errors
                );
            }
            None => {
                random += 1;
                random_with_errors += usize::from(o.diags.has_errors());
            }
        }
    }
    assert_eq!(certain, 800);
    // Most random damage to markup is caught (some lands in the comment or in names).
    assert!(random_with_errors * 2 > random, "{random_with_errors}/{random} random mutations reported");
}

/// Damage to the WSDL side (messages, portType, binding) must not break the join either.
#[test]
fn truncated_wsdl_with_includes() {
    let Some(_) = vimgen_test_support::corpus("truncated_wsdl_with_includes") else { return };
    let wsdl = corpus_file("vim.wsdl");
    // A small but complete WSDL: the real header, the PropertyCollector's query schemas
    // included, two real operations.
    let head_end = wsdl.find("<include schemaLocation=\"core-types.xsd\" />").expect("header");
    let mut small = wsdl[..head_end].replace("<include schemaLocation=\"query-messagetypes.xsd\" />", "");
    small.push_str(
        r#"<include schemaLocation="query-messagetypes.xsd" />
         <element name="RetrievePropertiesEx" type="vim25:RetrievePropertiesExRequestType" />
         <element name="RetrievePropertiesExResponse">
            <complexType><sequence><element name="returnval" type="vim25:RetrieveResult" minOccurs="0" /></sequence></complexType>
         </element>
         <element name="InvalidPropertyFault" type="vim25:InvalidProperty"/>
         <element name="RuntimeFaultFault" type="vim25:RuntimeFault"/>
      </schema>
   </types>
   <message name="InvalidPropertyFaultMsg"><part name="fault" element="vim25:InvalidPropertyFault" /></message>
   <message name="RuntimeFaultFaultMsg"><part name="fault" element="vim25:RuntimeFaultFault" /></message>
   <message name="RetrievePropertiesExRequestMsg"><part name="parameters" element="vim25:RetrievePropertiesEx" /></message>
   <message name="RetrievePropertiesExResponseMsg"><part name="parameters" element="vim25:RetrievePropertiesExResponse" /></message>
   <portType name="VimPortType">
      <operation name="RetrievePropertiesEx">
         <input message="vim25:RetrievePropertiesExRequestMsg" />
         <output message="vim25:RetrievePropertiesExResponseMsg" />
         <fault name="InvalidPropertyFault" message="vim25:InvalidPropertyFaultMsg"/>
         <fault name="RuntimeFault" message="vim25:RuntimeFaultFaultMsg"/>
      </operation>
   </portType>
   <binding name="VimBinding" type="vim25:VimPortType">
      <operation name="RetrievePropertiesEx"><soap:operation soapAction="urn:vim25/5.5" style="document" /></operation>
   </binding>
</definitions>
"#,
    );
    let includes: Vec<(String, String)> =
        ["query-messagetypes.xsd", "core-types.xsd", "query-types.xsd"].iter().map(|n| (format!("w/{n}"), corpus_file(n))).collect();
    let run = |entry: &str| {
        let mut files: Vec<(&str, &str)> = vec![("w/vim.wsdl", entry)];
        files.extend(includes.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        let mut sources = SourceMap::new();
        let mut diags = Diagnostics::new();
        let schema = wsdl::read_in_memory(&files, &mut sources, &mut diags);
        for d in &diags.list {
            let _ = d.render(&sources);
        }
        (schema, diags)
    };
    let (schema, diags) = run(&small);
    assert_eq!(diags.list.len(), 0, "{:?}", diags.list);
    let op = schema.operation("RetrievePropertiesEx").expect("op");
    assert_eq!(op.faults, ["InvalidProperty", "RuntimeFault"]);
    assert_eq!(op.params.len(), 2);

    let root_end = small.rfind("</definitions>").expect("end") + "</definitions>".len();
    for cut in (0..root_end).step_by(7) {
        let (_, diags) = run(&small[..cut]);
        assert!(diags.list.iter().any(|d| d.kind == Kind::WsdlXmlSyntax && d.severity() == Severity::Error), "cut {cut}: no syntax error");
    }
}

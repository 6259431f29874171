//! Mutation fuzzing of both frontends and the merge, deterministic (xorshift) so every
//! failure reproduces from its seed. Inputs: markdown-ish text built from corpus fragments,
//! and mutations (truncate, delete/duplicate a range, insert `<`, `|`, `\n---\n`, random
//! bytes made valid UTF-8, ...) of real pages and of `spec/wsdl/vim.wsdl`.
//!
//! For any input: no panic, and every diagnostic's span lies inside its file, on character
//! boundaries, and renders. The default case counts keep this test to a few seconds in
//! debug; `FUZZ_CASES=N` sets the number of cases of each campaign (run it with
//! `--release` for long campaigns) and `FUZZ_SEED=S` changes the seed.
//!
//! The crashing inputs found by `fuzz/` (cargo-fuzz) or by this test are kept in
//! [`regressions`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use vimgen_test_support::Rng;

use codegen::diag::{Diagnostics, FileId, Kind, SourceMap};
use codegen::markdown;
use codegen::merge;
use codegen::overrides::Overrides;
use codegen::wsdl;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
const CORPUS_MD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec-corpus/pyvmomi-docs-5.5");

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn cases(default: usize) -> usize {
    env_usize("FUZZ_CASES").unwrap_or(default)
}

fn base_seed() -> u64 {
    std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x005E_ED0F_F00D)
}

/// Pieces that mean something to one of the frontends.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "|",
    "||",
    "\\|",
    "\n---\n",
    "\n===\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "(",
    ")",
    "[",
    "]",
    "](",
    "`",
    "``",
    "\\",
    "&",
    "&amp;",
    "&#",
    "&#x;",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "<?xml ?>",
    "\"",
    "'",
    "#",
    "## ",
    "### Faults\n",
    "### DEPRECATED\n",
    "| service name | X |\n|:--|:--|\n",
    "| property | type | optional |\n|:-|:-|:-|\n",
    "inherits from ",
    "as of ",
    " raises ",
    "xmlns:",
    ":",
    "=",
    "é",
    "\u{FEFF}",
    "\u{10FFFF}",
    "\u{0}",
    "𝄞",
    "<br>",
    "<a href='x'>",
    "</a>",
    "[vim.Foo](vim.Foo.md \"vim.Foo\")",
    "urn:vim25/",
    "minOccurs=\"0\"",
    "maxOccurs=\"unbounded\"",
    "<element name=\"x\" type=\"xsd:string\"/>",
    "<complexType name=\"T\">",
    "</complexType>",
    "<operation name=\"Op\">",
    "</operation>",
    "schemaLocation=\"nope.xsd\"",
    "type=\"vim25:Nope\"",
];

/// Applies 1–4 random mutations; the result is made valid UTF-8 (lossily).
fn mutate(rng: &mut Rng, input: &[u8], donors: &[&[u8]]) -> String {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = b.len();
        match rng.below(10) {
            0 => b.truncate(rng.below(len + 1)),
            1 => {
                let at = rng.below(len + 1);
                let n = rng.len(len - at);
                b.drain(at..at + n);
            }
            2 => {
                let at = rng.below(len + 1);
                let n = rng.len(len - at);
                let piece = b[at..at + n].to_vec();
                let to = rng.below(len + 1);
                b.splice(to..to, piece);
            }
            3 | 4 => {
                let at = rng.below(len + 1);
                let t = rng.pick(TOKENS).as_bytes();
                b.splice(at..at, t.iter().copied());
            }
            5 => {
                let at = rng.below(len + 1);
                let n = 1 + rng.below(8);
                let junk: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
                b.splice(at..at, junk);
            }
            6 => {
                if len > 0 {
                    let at = rng.below(len);
                    b[at] = rng.next_u64() as u8;
                }
            }
            7 => {
                // Swap two lines.
                let lines: Vec<usize> = b.iter().enumerate().filter(|&(_, &c)| c == b'\n').map(|(i, _)| i).collect();
                if lines.len() > 3 {
                    let i = rng.below(lines.len() - 2);
                    let j = i + 1 + rng.below(lines.len() - i - 2);
                    let (a0, a1) = (lines[i] + 1, lines[i + 1] + 1);
                    let (b0, b1) = (lines[j] + 1, lines[j + 1] + 1);
                    if a1 <= b0 {
                        let mut out = b[..a0].to_vec();
                        out.extend_from_slice(&b[b0..b1]);
                        out.extend_from_slice(&b[a1..b0]);
                        out.extend_from_slice(&b[a0..a1]);
                        out.extend_from_slice(&b[b1..]);
                        b = out;
                    }
                }
            }
            8 => {
                // Splice in a piece of another input.
                let d = rng.pick(donors);
                let from = rng.below(d.len() + 1);
                let n = rng.len(d.len() - from);
                let at = rng.below(b.len() + 1);
                b.splice(at..at, d[from..from + n].iter().copied());
            }
            _ => {
                // Delete one character class everywhere (every `|`, `-`, `>` ...).
                let c = *rng.pick(b"|->=<\n`[]()\"");
                b.retain(|&x| x != c);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Markdown-ish text: lines of real pages and tokens, in random order.
fn fragments(rng: &mut Rng, lines: &[&str]) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(60) {
        match rng.below(4) {
            0 => s.push_str(rng.pick::<&str>(TOKENS)),
            _ => {
                s.push_str(rng.pick::<&str>(lines));
                s.push('\n');
            }
        }
    }
    s
}

/// The invariants: every span inside its file and on character boundaries; every
/// diagnostic renders with its location.
fn check(sources: &SourceMap, diags: &Diagnostics) {
    for d in &diags.list {
        if let Some(s) = d.span {
            let text = &sources.get(s.file).text;
            assert!(
                s.start <= s.end && s.end as usize <= text.len(),
                "`{}` span {}..{} outside a file of {} bytes: {}",
                d.kind,
                s.start,
                s.end,
                text.len(),
                d.message
            );
            // The rendering names the same file and line (annotate-snippets counts columns
            // its own way, e.g. a lone `\r` is no column for it).
            let loc = sources.location(s);
            let line = &loc[..loc.rfind(':').unwrap_or(loc.len()) + 1];
            let r = d.render(sources);
            assert!(r.contains(line), "rendering lacks {line}:\n{r}");
            // The column is computed from the start: it must not split a character.
            assert!(
                text.is_char_boundary(s.start as usize),
                "`{}` span {}..{} starts inside a character: {}",
                d.kind,
                s.start,
                s.end,
                d.message
            );
        } else {
            let _ = d.render(sources);
        }
    }
}

/// One file through the markdown frontend.
fn markdown_one(name: &str, text: &str) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let id = sources.add(name, text.to_string());
    let _ = markdown::parse_files(&sources, &[id], &mut diags);
    check(&sources, &diags);
}

/// One file through the WSDL frontend (as the entry file).
fn wsdl_one(name: &str, text: &str) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let _ = wsdl::read_in_memory(&[(name, text)], &mut sources, &mut diags);
    check(&sources, &diags);
}

/// A whole spec in memory.
#[derive(Clone)]
struct Spec {
    /// (file name, text)
    pages: Vec<(String, String)>,
    wsdl: String,
    overrides: String,
}

fn read_spec() -> Spec {
    let mut pages = Vec::new();
    for e in std::fs::read_dir(SPEC).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            pages.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    pages.sort();
    Spec {
        pages,
        wsdl: std::fs::read_to_string(Path::new(SPEC).join("wsdl/vim.wsdl")).unwrap(),
        overrides: std::fs::read_to_string(Path::new(SPEC).join("overrides.toml")).unwrap(),
    }
}

/// Both frontends, the overrides and the merge, on a spec held in memory.
fn whole(spec: &Spec) -> Diagnostics {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let ids: Vec<FileId> = spec.pages.iter().map(|(n, t)| sources.add(format!("spec/{n}"), t.clone())).collect();
    let pages = markdown::parse_files(&sources, &ids, &mut diags);
    let schema = wsdl::read_in_memory(&[("spec/wsdl/vim.wsdl", &spec.wsdl)], &mut sources, &mut diags);
    let oid = sources.add("spec/overrides.toml", spec.overrides.clone());
    let ov = Overrides::parse(&sources, oid, &mut diags);
    let _ = merge::merge(&sources, &pages, &schema, &ov, &mut diags);
    diags.sort(&sources);
    check(&sources, &diags);
    diags
}

/// Every `step`th page of the corpus, plus enums.md and vim.version.md.
fn corpus_sample(step: usize) -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(CORPUS_MD)
        .unwrap_or_else(|e| panic!("{CORPUS_MD}: {e}"))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let mut pick: Vec<String> = names.iter().step_by(step).cloned().collect();
    for special in ["enums.md", "vim.version.md", "vim.VirtualMachine.md", "vim.vApp.PropertyInfo.md"] {
        if !pick.iter().any(|n| n == special) {
            pick.push(special.to_string());
        }
    }
    pick.into_iter()
        .map(|n| {
            let t = std::fs::read_to_string(Path::new(CORPUS_MD).join(&n)).unwrap();
            (n, t)
        })
        .collect()
}

/// Runs `case` under `catch_unwind`; on a panic, saves the input and fails with the seed.
fn run_case(campaign: &str, seed: u64, input: &str, case: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(case)).is_err() {
        let path = std::env::temp_dir().join(format!("vimgen-fuzz-{campaign}-{seed:x}.txt"));
        let _ = std::fs::write(&path, input);
        panic!("{campaign}: case with seed {seed:#x} panicked; input saved to {}", path.display());
    }
}

#[test]
fn markdown_from_fragments() {
    let Some(_) = vimgen_test_support::corpus("markdown_from_fragments") else { return };
    let spec = read_spec();
    let corpus = corpus_sample(50);
    let lines: Vec<&str> = spec.pages.iter().chain(&corpus).flat_map(|(_, t)| t.lines()).collect();
    let names = ["vim.Fuzz.md", "enums.md", "vim.version.md"];
    let base = base_seed();
    let n = cases(2000);
    for i in 0..n {
        let seed = base ^ (i as u64).wrapping_mul(0x1000_0000_01B3) ^ 0xA;
        let mut rng = Rng::new(seed);
        let text = fragments(&mut rng, &lines);
        let name = names[i % names.len()];
        run_case("fragments", seed, &text, || {
            markdown_one(name, &text);
            wsdl_one("vim.wsdl", &text);
        });
    }
}

#[test]
fn arbitrary_bytes() {
    let base = base_seed();
    for i in 0..cases(3000) {
        let seed = base ^ (i as u64).wrapping_mul(0x1000_0000_01B3) ^ 0xB;
        let mut rng = Rng::new(seed);
        let n = rng.len(2000);
        // Bytes from a small alphabet of markup characters half of the time.
        let bytes: Vec<u8> = if i % 2 == 0 {
            (0..n).map(|_| rng.next_u64() as u8).collect()
        } else {
            (0..n).map(|_| *rng.pick(b"<>/|-=#()[]`\\\"'&;: \n\rax1")).collect()
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        run_case("bytes", seed, &text, || {
            markdown_one("vim.Fuzz.md", &text);
            wsdl_one("vim.wsdl", &text);
        });
    }
}

#[test]
fn mutated_pages_through_both_frontends() {
    let Some(_) = vimgen_test_support::corpus("mutated_pages_through_both_frontends") else { return };
    let spec = read_spec();
    let mut inputs = corpus_sample(25);
    inputs.extend(spec.pages.iter().cloned());
    let donors: Vec<&[u8]> = inputs.iter().map(|(_, t)| t.as_bytes()).chain([spec.wsdl.as_bytes()]).collect();
    let base = base_seed();
    for i in 0..cases(2000) {
        let seed = base ^ (i as u64).wrapping_mul(0x1000_0000_01B3) ^ 0xC;
        let mut rng = Rng::new(seed);
        let (name, text) = rng.pick(&inputs);
        let m = mutate(&mut rng, text.as_bytes(), &donors);
        run_case("pages", seed, &m, || {
            markdown_one(name, &m);
            wsdl_one("vim.wsdl", &m);
        });
    }
}

#[test]
fn mutated_wsdl_through_both_frontends() {
    let spec = read_spec();
    let donors: Vec<&[u8]> = spec.pages.iter().map(|(_, t)| t.as_bytes()).chain([spec.wsdl.as_bytes()]).collect();
    let base = base_seed();
    for i in 0..cases(1000) {
        let seed = base ^ (i as u64).wrapping_mul(0x1000_0000_01B3) ^ 0xD;
        let mut rng = Rng::new(seed);
        let m = mutate(&mut rng, spec.wsdl.as_bytes(), &donors);
        run_case("wsdl", seed, &m, || {
            wsdl_one("spec/wsdl/vim.wsdl", &m);
            markdown_one("vim.Fuzz.md", &m);
        });
    }
}

#[test]
fn mutated_spec_through_the_merge() {
    let Some(_) = vimgen_test_support::corpus("mutated_spec_through_the_merge") else { return };
    let spec = read_spec();
    let clean = whole(&spec);
    assert!(!clean.has_errors(), "spec/ itself has errors: {:?}", clean.list.iter().map(|d| (d.kind, &d.message)).collect::<Vec<_>>());
    let corpus = corpus_sample(100);
    let donors: Vec<&[u8]> =
        spec.pages.iter().chain(&corpus).map(|(_, t)| t.as_bytes()).chain([spec.wsdl.as_bytes(), spec.overrides.as_bytes()]).collect();
    let base = base_seed();
    for i in 0..cases(100) {
        let seed = base ^ (i as u64).wrapping_mul(0x1000_0000_01B3) ^ 0xE;
        let mut rng = Rng::new(seed);
        let mut s = spec.clone();
        // Damage one to three inputs: a page, a corpus page added to the spec, the WSDL,
        // the overrides.
        let mut damaged = String::new();
        for _ in 0..1 + rng.below(3) {
            match rng.below(5) {
                0 | 1 => {
                    let k = rng.below(s.pages.len());
                    s.pages[k].1 = mutate(&mut rng, s.pages[k].1.as_bytes(), &donors);
                    damaged.push_str(&format!("--- {}\n{}\n", s.pages[k].0, s.pages[k].1));
                }
                2 => {
                    let (n, t) = rng.pick(&corpus).clone();
                    let t = if rng.below(2) == 0 { t } else { mutate(&mut rng, t.as_bytes(), &donors) };
                    damaged.push_str(&format!("--- {n}\n{t}\n"));
                    s.pages.retain(|(m, _)| *m != n);
                    s.pages.push((n, t));
                }
                3 => {
                    s.wsdl = mutate(&mut rng, s.wsdl.as_bytes(), &donors);
                    damaged.push_str(&format!("--- vim.wsdl\n{}\n", s.wsdl));
                }
                _ => {
                    s.overrides = mutate(&mut rng, s.overrides.as_bytes(), &donors);
                    damaged.push_str(&format!("--- overrides.toml\n{}\n", s.overrides));
                }
            }
        }
        run_case("merge", seed, &damaged, || {
            whole(&s);
        });
    }
}

/// Inputs that once crashed a frontend, the merge or the rendering.
#[test]
fn regressions() {
    let spec = read_spec();
    let cases: &[(&str, &str)] = &[];
    for (name, text) in cases {
        markdown_one(name, text);
        wsdl_one(name, text);
        let mut s = spec.clone();
        if name.ends_with(".wsdl") {
            s.wsdl = text.to_string();
        } else {
            s.pages.retain(|(n, _)| n != name);
            s.pages.push((name.to_string(), text.to_string()));
        }
        whole(&s);
    }
}

/// A byte-order mark before the XML: quick-xml does not count it in its positions, so every
/// WSDL span used to be 3 bytes early (this error was reported on line 2, and a span could
/// start inside the BOM, which made the renderer panic).
#[test]
fn wsdl_with_byte_order_mark() {
    for text in ["\u{feff}<a>\n<b>\n</c>\n</a>\n", "<a>\n<b>\n</c>\n</a>\n"] {
        let mut sources = SourceMap::new();
        let mut diags = Diagnostics::new();
        let _ = wsdl::read_in_memory(&[("vim.wsdl", text)], &mut sources, &mut diags);
        check(&sources, &diags);
        let d = diags.of_kind(Kind::WsdlXmlSyntax).next().expect("a syntax error");
        let loc = sources.location(d.span.unwrap());
        assert!(loc.starts_with("vim.wsdl:3:"), "{loc}\n{}", d.render(&sources));
    }
    for text in ["\u{feff}\n\n</operation>", "\u{feff}<a x=1/>", "\u{feff}"] {
        wsdl_one("vim.wsdl", text);
        markdown_one("vim.Fuzz.md", text);
    }
}

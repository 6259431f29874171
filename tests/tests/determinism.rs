//! The IR JSON is a function of the input: byte-identical across loads and whatever order the
//! markdown files are read in. Plus a committed snapshot of the IR of `spec/`.

use codegen::diag::{Diagnostics, SourceMap};
use codegen::{markdown, merge, overrides, wsdl, SpecPaths};
use vimgen_test_support::Rng;
use vimgen_tests::{assert_no_errors, corpus, corpus_paths, read, spec_paths};

/// The IR JSON of `paths`, with the markdown files added to the source map (and handed to
/// the parser) in an order shuffled by `seed`.
fn json_shuffled(paths: &SpecPaths, seed: u64) -> String {
    let mut files: Vec<_> = std::fs::read_dir(paths.markdown.as_ref().expect("pages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let sorted = files.clone();
    Rng::new(seed).shuffle(&mut files);
    assert!(files.len() < 3 || files != sorted, "the shuffle did not change the order");

    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let ids: Vec<_> = files.iter().map(|p| sources.add(p.clone(), read(p))).collect();
    let pages = markdown::parse_files(&sources, &ids, &mut diags);
    let schema = wsdl::read_dir(&paths.wsdl, &mut sources, &mut diags);
    let ov = match &paths.overrides {
        Some(p) => {
            let id = sources.add(p.clone(), read(p));
            overrides::Overrides::parse(&sources, id, &mut diags)
        }
        None => overrides::Overrides::default(),
    };
    let out = merge::merge(&sources, &pages, &schema, &ov, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render_all(&sources));
    out.model.to_json()
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(a.lines().count().min(b.lines().count()));
    format!(
        "first difference at line {}: {:?} vs {:?}",
        line + 1,
        a.lines().nth(line).unwrap_or("<end>"),
        b.lines().nth(line).unwrap_or("<end>")
    )
}

#[test]
fn spec_ir_is_identical_across_loads_and_orders() {
    let a = codegen::load(&spec_paths());
    assert_no_errors(&a);
    let a = a.model.to_json();
    let b = codegen::load(&spec_paths()).model.to_json();
    assert!(a == b, "two loads differ: {}", first_difference(&a, &b));
    for seed in [1, 2, 3] {
        let s = json_shuffled(&spec_paths(), seed);
        assert!(a == s, "seed {seed}: {}", first_difference(&a, &s));
    }
}

#[test]
fn corpus_ir_is_identical_across_loads_and_orders() {
    let Some(_) = vimgen_test_support::corpus("corpus_ir_is_identical_across_loads_and_orders") else { return };
    let first = corpus();
    assert_no_errors(first);
    let a = first.model.to_json();
    let b = codegen::load(&corpus_paths()).model.to_json();
    assert!(a == b, "two loads differ: {}", first_difference(&a, &b));
    let s = json_shuffled(&corpus_paths(), 0x5eed);
    assert!(a == s, "shuffled: {}", first_difference(&a, &s));
}

#[test]
fn spec_ir_snapshot() {
    let l = codegen::load(&spec_paths());
    assert_no_errors(&l);
    insta::assert_snapshot!("spec_ir", l.model.to_json());
}

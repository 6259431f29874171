//! The emitter's output for `spec/`: a snapshot of the SessionManager module, generation is
//! a function of the model (two runs are byte-identical), and the committed
//! `vim-types/src/` is what `spec/` generates today (`cargo xtask gen --check` as a
//! test). Review a changed snapshot with `cargo insta review` (see README.md).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use codegen::emit::{generate, GeneratedFile};
use codegen::Loaded;
use vimgen_tests::{assert_no_errors, crate_dir, spec_paths};

/// `spec/`, loaded once per test binary.
fn spec() -> &'static Loaded {
    static CELL: OnceLock<Loaded> = OnceLock::new();
    CELL.get_or_init(|| {
        let loaded = codegen::load(&spec_paths());
        assert_no_errors(&loaded);
        loaded
    })
}

/// The generated files of `spec/`, or a panic with the emitter's diagnostics.
fn generated(loaded: &Loaded) -> Vec<GeneratedFile> {
    match generate(&loaded.model) {
        Ok(files) => files,
        Err(diags) => panic!(
            "the emitter failed on spec/ ({} error(s)):\n{}\n{}",
            diags.error_count(),
            diags.render_all(&loaded.sources),
            diags.summary()
        ),
    }
}

/// Whether `contents` declares the type `name` (`pub struct Name`, `pub enum Name {}`, ...).
fn declares(contents: &str, name: &str) -> bool {
    contents.lines().any(|l| {
        ["pub struct ", "pub enum "].iter().any(|kw| {
            l.trim_start()
                .strip_prefix(kw)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
    })
}

/// The module of the SessionManager marker, whatever its path (`vim/session_manager.rs`).
#[test]
fn session_manager_module_snapshot() {
    let files = generated(spec());
    let holders: Vec<&GeneratedFile> = files.iter().filter(|f| declares(&f.contents, "SessionManager")).collect();
    let [file] = holders.as_slice() else {
        panic!(
            "expected exactly one generated file declaring `pub struct|enum SessionManager`, found {:?}",
            holders.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
    };
    // The path is part of the snapshot: moving the module is a change to review too.
    insta::assert_snapshot!("session_manager", format!("// path: {}\n{}", file.path, file.contents));
}

#[test]
fn generation_is_deterministic() {
    let loaded = spec();
    let (a, b) = (generated(loaded), generated(loaded));
    assert_eq!(a.len(), b.len(), "two runs produced a different number of files");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path, "two runs produced files in a different order or with other paths");
        assert!(x.contents == y.contents, "two runs produced different contents for {}", x.path);
    }
    // A fresh load of the same spec, too: nothing may depend on addresses or hash order.
    let again = codegen::load(&spec_paths());
    assert!(generated(&again) == a, "a second load of spec/ generated other files");
}

#[test]
fn paths_are_sorted_relative_and_unique() {
    let files = generated(spec());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(paths, sorted, "generate must return unique paths sorted by path");
    for p in paths {
        assert!(
            p.ends_with(".rs") && !p.starts_with('/') && !p.contains('\\') && p.split('/').all(|c| !c.is_empty() && c != "." && c != ".."),
            "bad generated path {p:?}"
        );
    }
    assert!(files.iter().any(|f| f.path == "lib.rs"), "no lib.rs");
    assert!(files.iter().any(|f| f.path == "generated/mod.rs"), "no generated/mod.rs");
    assert!(files.iter().all(|f| f.path == "lib.rs" || f.path.starts_with("generated/")), "a file outside lib.rs and generated/");
}

/// Every `.rs` file under `dir`, by `/`-separated path relative to it.
fn rs_files_on_disk(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
    let here = dir.join(rel);
    let Ok(entries) = std::fs::read_dir(&here) else { return };
    for entry in entries {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if entry.file_type().unwrap().is_dir() {
            rs_files_on_disk(dir, &path, out);
        } else if name.ends_with(".rs") {
            out.insert(path, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
}

#[test]
fn committed_generated_code_is_up_to_date() {
    // The crate's src/: the generated lib.rs and everything under generated/ (no other file
    // may be there: the crate holds only generated code).
    let dir = crate_dir().join("../vim-types/src");
    let mut on_disk = BTreeMap::new();
    rs_files_on_disk(&dir, "", &mut on_disk);
    let want: BTreeMap<String, String> = generated(spec()).into_iter().map(|f| (f.path, f.contents)).collect();
    let missing: Vec<&String> = want.keys().filter(|p| !on_disk.contains_key(*p)).collect();
    let stale: Vec<&String> = on_disk.keys().filter(|p| !want.contains_key(*p)).collect();
    let changed: Vec<&String> = want.iter().filter(|(p, c)| on_disk.get(*p).is_some_and(|d| d != *c)).map(|(p, _)| p).collect();
    assert!(
        missing.is_empty() && stale.is_empty() && changed.is_empty(),
        "vim-types/src/ is out of date (run `cargo xtask gen`; `cargo xtask gen --check` shows the diff):\n  \
         missing: {missing:?}\n  stale: {stale:?}\n  changed: {changed:?}"
    );
}

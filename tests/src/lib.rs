//! Shared helpers for vimgen's integration tests: where the specs are, loading them once,
//! and a reader for pyVmomi's type tables (`_typeinfo_*.py`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::{Loaded, SpecPaths};

/// The tests crate's folder.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's default spec (`spec/`).
pub fn spec_dir() -> PathBuf {
    crate_dir().join("../spec")
}

/// The shared vSphere 5.5 corpus (`../shared/spec-corpus` beside the project).
pub fn corpus_dir() -> PathBuf {
    crate_dir().join("../../shared/spec-corpus")
}

/// The paths of the full 5.5 corpus with the reviewed overrides.
pub fn corpus_paths() -> SpecPaths {
    let c = corpus_dir();
    assert!(
        c.join("pyvmomi-docs-5.5").is_dir(),
        "the vSphere 5.5 corpus is expected at {} (../shared/spec-corpus beside the project)",
        c.display()
    );
    SpecPaths {
        markdown: Some(c.join("pyvmomi-docs-5.5")),
        wsdl: c.join("wsdl-5.5/vim25"),
        overrides: Some(crate_dir().join("../corpus/vsphere-5.5.overrides.toml")),
        pyvmomi: None,
    }
}

pub fn spec_paths() -> SpecPaths {
    SpecPaths::in_folder(&spec_dir())
}

/// The corpus, loaded once per test binary.
pub fn corpus() -> &'static Loaded {
    static CELL: OnceLock<Loaded> = OnceLock::new();
    CELL.get_or_init(|| codegen::load(&corpus_paths()))
}

/// Panics with every rendered error if `loaded` has errors.
pub fn assert_no_errors(loaded: &Loaded) {
    if loaded.diags.has_errors() {
        panic!(
            "{} error(s) loading the spec:\n{}\n{}",
            loaded.diags.error_count(),
            loaded.diags.render_all(&loaded.sources),
            loaded.diags.summary()
        );
    }
}

pub mod pyvmomi;

/// Reads a file or panics with its path.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

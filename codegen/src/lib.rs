//! vimgen's library: the vSphere spec (pyVmomi-style markdown + vim25 WSDL) -> one merged
//! IR -> Rust tokens. Data flows one way:
//!
//! ```text
//! markdown/ ─┐
//! wsdl/    ──┼─> merge/ ──> ir/ ──> emit/
//! pyvmomi/ ──┘      └──> diag (one type for every stage)
//! ```
//!
//! (`pyvmomi/`, pyVmomi's type registry, is read and checked; the merge does not use it yet.)
//!
//! No stage prints or exits: the CLI (`xtask`) decides what to do with diagnostics.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod markdown;
pub mod merge;
pub mod overrides;
pub mod pyvmomi;
pub mod wsdl;

use std::path::{Path, PathBuf};

use diag::{Diagnostic, Diagnostics, SourceMap};

/// Where a spec lives.
#[derive(Clone, Debug)]
pub struct SpecPaths {
    /// Folder of markdown pages.
    pub markdown: PathBuf,
    /// Folder holding `vim.wsdl` and its XSDs.
    pub wsdl: PathBuf,
    /// The reviewed overrides file, if any.
    pub overrides: Option<PathBuf>,
    /// pyVmomi's package folder (its type registry), if any. Read and checked; the merge
    /// does not use it yet.
    pub pyvmomi: Option<PathBuf>,
}

impl SpecPaths {
    /// The project's default spec: `spec/` with `spec/wsdl/` and `spec/overrides.toml`.
    pub fn in_folder(spec: &Path) -> SpecPaths {
        SpecPaths { markdown: spec.to_path_buf(), wsdl: spec.join("wsdl"), overrides: Some(spec.join("overrides.toml")), pyvmomi: None }
    }
}

/// The result of reading and merging a spec.
pub struct Loaded {
    pub sources: SourceMap,
    pub diags: Diagnostics,
    pub model: ir::Model,
    /// Overrides entries a heuristic proposes (`cargo xtask ir --propose`).
    pub proposals: std::collections::BTreeMap<String, Vec<String>>,
    /// pyVmomi's registry when [`SpecPaths::pyvmomi`] is given.
    pub registry: Option<pyvmomi::Registry>,
}

/// Reads both frontends and the overrides, merges them. Never fails: problems are
/// diagnostics (sorted by file and position), and the model holds what could be joined.
pub fn load(paths: &SpecPaths) -> Loaded {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let pages = markdown::read_dir(&paths.markdown, &mut sources, &mut diags);
    let schema = wsdl::read_dir(&paths.wsdl, &mut sources, &mut diags);
    let ov = match &paths.overrides {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(text) => {
                let id = sources.add(p.clone(), text);
                overrides::Overrides::parse(&sources, id, &mut diags)
            }
            Err(e) => {
                diags.push(Diagnostic::error("overrides-read", format!("cannot read overrides file {}: {e}", p.display())));
                overrides::Overrides::default()
            }
        },
        None => overrides::Overrides::default(),
    };
    let registry = paths.pyvmomi.as_ref().map(|dir| pyvmomi::read_dir(dir, &mut sources, &mut diags));
    // The registry will be filtered to the WSDL's version: say now when it has no such version.
    if let (Some(reg), Some(api)) = (&registry, schema.api_version()) {
        if reg.version_by_id("vim25", api).is_none() {
            let d = Diagnostic::warning("py-no-wsdl-version", format!("pyVmomi's registry has no version `vim25/{api}`, the WSDL's version"))
                .help("use a pyVmomi release at least as new as the WSDL");
            diags.push(d);
        }
    }
    let out = merge::merge(&sources, &pages, &schema, &ov, &mut diags);
    diags.sort(&sources);
    Loaded { sources, diags, model: out.model, proposals: out.proposals, registry }
}

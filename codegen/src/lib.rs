//! vimgen's library: the vSphere spec (pyVmomi-style markdown + vim25 WSDL) -> one merged
//! IR -> Rust tokens. Data flows one way:
//!
//! ```text
//! markdown/ ─┐
//! wsdl/    ──┼─> merge/ ──> ir/ ──> emit/
//! pyvmomi/ ──┘      └──> diag (one type for every stage)
//! ```
//!
//! With `pyvmomi/` (pyVmomi's type registry) the merge is WSDL-first (`merge::registry`);
//! without it, pages-first (`merge`). Both build the model with type names and resolve them
//! once, at their end, into `ir::TypeRef`s: the emitter meets no name it must look up.
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

use diag::{Diagnostic, Diagnostics, Kind, SourceMap};

/// Where a spec lives.
#[derive(Clone, Debug)]
pub struct SpecPaths {
    /// Folder of markdown pages, if any. Without pyVmomi's registry the pages give the facts
    /// the WSDL lacks and are needed; with it they give prose only, and may be left out.
    pub markdown: Option<PathBuf>,
    /// Folder holding `vim.wsdl` and its XSDs.
    pub wsdl: PathBuf,
    /// The reviewed overrides file, if any.
    pub overrides: Option<PathBuf>,
    /// pyVmomi's package folder (its type registry), if any. With it the merge is WSDL-first
    /// (`merge::registry`) and the overrides file is not read.
    pub pyvmomi: Option<PathBuf>,
}

impl SpecPaths {
    /// The project's default spec: `spec/` with `spec/wsdl/` and `spec/overrides.toml`.
    pub fn in_folder(spec: &Path) -> SpecPaths {
        SpecPaths {
            markdown: Some(spec.to_path_buf()),
            wsdl: spec.join("wsdl"),
            overrides: Some(spec.join("overrides.toml")),
            pyvmomi: None,
        }
    }
}

/// The result of reading and merging a spec.
pub struct Loaded {
    pub sources: SourceMap,
    pub diags: Diagnostics,
    pub model: ir::Model,
    /// The model as merged, with its type names, when some resolved to nothing (errors; see
    /// [`merge::MergeOutput::as_merged`]). [`Loaded::ir_json`] writes it then.
    pub as_merged: Option<ir::named::Model>,
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
    let pages = paths.markdown.as_ref().map(|dir| markdown::read_dir(dir, &mut sources, &mut diags)).unwrap_or_default();
    let schema = wsdl::read_dir(&paths.wsdl, &mut sources, &mut diags);
    let ov = match &paths.overrides {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(text) => {
                let id = sources.add(p.clone(), text);
                overrides::Overrides::parse(&sources, id, &mut diags)
            }
            Err(e) => {
                diags.push(Diagnostic::new(Kind::OverridesRead, format!("cannot read overrides file {}: {e}", p.display())));
                overrides::Overrides::default()
            }
        },
        None => overrides::Overrides::default(),
    };
    let registry = paths.pyvmomi.as_ref().map(|dir| pyvmomi::read_dir(dir, &mut sources, &mut diags));
    // The registry is filtered to the WSDL's version: an error when it has no such version.
    if let Some(reg) = &registry {
        let known = schema.api_version().and_then(|api| reg.version_by_id("vim25", api));
        if known.is_none() {
            let what = schema
                .api_version()
                .map_or("no single version (its soapActions disagree or are missing)".to_string(), |a| format!("`vim25/{a}`"));
            let span = schema.operations.iter().find_map(|o| o.soap_action_span);
            let message = match schema.api_version() {
                Some(api) => format!("pyVmomi's registry has no version `vim25/{api}`, the WSDL's version"),
                None => format!("the WSDL names {what}: pyVmomi's registry cannot be filtered to it"),
            };
            diags.push(
                Diagnostic::new(Kind::PyNoWsdlVersion, message).at_opt(span).help("use a pyVmomi release at least as new as the WSDL"),
            );
        }
    }
    // With the registry the WSDL leads (merge::registry); without it, the pages (merge).
    let out = match &registry {
        Some(reg) => {
            if paths.overrides.is_some() {
                diags.push(Diagnostic::new(
                    Kind::OverridesIgnored,
                    "the overrides file is not read with --pyvmomi: the registry states what it held",
                ));
            }
            merge::registry::merge(&sources, &pages, &schema, reg, &mut diags)
        }
        None => merge::merge(&sources, &pages, &schema, &ov, &mut diags),
    };
    diags.sort(&sources);
    Loaded { sources, diags, model: out.model, as_merged: out.as_merged, proposals: out.proposals, registry }
}

impl Loaded {
    /// The IR as JSON (`vimgen-ir/1`): the resolved model's, or, when some type names
    /// resolved to nothing, the merged model's with those names, so the output of a run with
    /// errors still shows them.
    pub fn ir_json(&self) -> String {
        match &self.as_merged {
            Some(m) => m.to_json(),
            None => self.model.to_json(),
        }
    }
}

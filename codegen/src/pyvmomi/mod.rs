//! The pyVmomi frontend: pyVmomi's type registry, read as data -> [`Registry`], with spans.
//!
//! pyVmomi describes every type, method and version it knows in Python files made of literal
//! calls (`CreateManagedType(...)`, `CreateDataType(...)`, `CreateEnumType(...)`,
//! `AddVersion(...)`, `AddVersionParent(...)`). `syntax` reads the small Python subset those
//! files use (nothing is imported or run), `read` checks the calls' shapes and builds the
//! model (`model`). Two layouts exist: `_typeinfo_*.py` (pyVmomi 7.0.3 and later) and
//! `ServerObjects.py` + `CoreTypes.py` + `QueryTypes.py` (6.x to 7.0.2); the calls are the same.

pub mod model;
mod read;
pub mod syntax;

use std::path::{Path, PathBuf};

pub use model::*;
pub use read::BUILTIN_TYPES;

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, SourceMap};

/// Every diagnostic kind this frontend emits (severity and meaning: [`Kind`]). Errors: the
/// registry read is incomplete (a file, call or member was not understood and is missing).
/// Warnings: something was ignored that does not change the model.
pub const KINDS: &[Kind] = &[
    Kind::PyRead,
    Kind::PyNoRegistry,
    Kind::PySyntax,
    Kind::PyUnsupported,
    Kind::PyBadArgs,
    Kind::PyUnknownFlag,
    Kind::PyUnknownVersion,
    Kind::PyDuplicateType,
    Kind::PyDuplicateVersion,
    Kind::PyUnknownType,
    Kind::PyNoWsdlVersion,
    Kind::PyUnknownCall,
];

/// The registry files of the pre-7.0.3 layout; the first three are required.
const LEGACY: [&str; 6] = ["CoreTypes.py", "QueryTypes.py", "ServerObjects.py", "EamObjects.py", "PbmObjects.py", "SmsObjects.py"];

/// A registry read on its own, with the files it came from and what was found wrong.
pub struct Loaded {
    pub registry: Registry,
    pub sources: SourceMap,
    pub diags: Diagnostics,
}

/// Reads the registry of `dir` (the `pyVmomi` package folder, or a folder holding it: an
/// unpacked wheel or sdist). Never fails: problems are diagnostics, sorted by position.
pub fn load(dir: &Path) -> Loaded {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let registry = read_dir(dir, &mut sources, &mut diags);
    diags.sort(&sources);
    Loaded { registry, sources, diags }
}

/// Which files of `dir` hold the registry, and in which layout; `None` when neither.
pub fn registry_files(dir: &Path) -> std::io::Result<Option<(Layout, Vec<PathBuf>)>> {
    let nested = dir.join("pyVmomi");
    let dir = if !dir.join("ServerObjects.py").exists() && !has_typeinfo(dir)? && nested.is_dir() { nested } else { dir.to_path_buf() };
    if has_typeinfo(&dir)? {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| is_typeinfo(p)).collect();
        // Sorted by bytes: the result must not depend on directory order. No release checked
        // defines a name in two files, so the order decides nothing else.
        files.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        return Ok(Some((Layout::TypeInfo, files)));
    }
    if dir.join("ServerObjects.py").exists() {
        let files = LEGACY.iter().enumerate().map(|(i, f)| (i, dir.join(f))).filter(|(i, p)| *i < 3 || p.exists()).map(|(_, p)| p);
        return Ok(Some((Layout::Legacy, files.collect())));
    }
    Ok(None)
}

fn is_typeinfo(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("_typeinfo_") && n.ends_with(".py"))
}

fn has_typeinfo(dir: &Path) -> std::io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries.filter_map(|e| e.ok()).any(|e| is_typeinfo(&e.path()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Reads the registry files of `dir` into `sources` and builds the registry.
pub fn read_dir(dir: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Registry {
    let (layout, paths) = match registry_files(dir) {
        Ok(Some(found)) => found,
        Ok(None) => {
            let d = Diagnostic::new(Kind::PyNoRegistry, format!("{} holds no pyVmomi type registry", dir.display())).help(
                "give the `pyVmomi` package folder: it holds `_typeinfo_*.py` (7.0.3 and later) or `ServerObjects.py` (6.x to 7.0.2)",
            );
            diags.push(d);
            return Registry::default();
        }
        Err(e) => {
            diags.push(Diagnostic::new(Kind::PyRead, format!("cannot read pyVmomi folder {}: {e}", dir.display())));
            return Registry::default();
        }
    };
    let mut ids = Vec::new();
    for p in paths {
        match std::fs::read(&p).map(String::from_utf8) {
            Ok(Ok(text)) => ids.push(sources.add(p, text)),
            Ok(Err(e)) => diags.push(Diagnostic::new(Kind::PyRead, format!("{} is not UTF-8: {e}", p.display()))),
            Err(e) => diags.push(Diagnostic::new(Kind::PyRead, format!("cannot read {}: {e}", p.display()))),
        }
    }
    parse_files(sources, &ids, layout, diags)
}

/// Builds the registry from files already in `sources`, in the order given (the first
/// definition of a name wins).
pub fn parse_files(sources: &SourceMap, files: &[FileId], layout: Layout, diags: &mut Diagnostics) -> Registry {
    let mut b = read::Builder::new(layout);
    for &id in files {
        for call in syntax::parse_file(id, &sources.get(id).text, diags) {
            b.call(&call, diags);
        }
    }
    let mut reg = b.finish(diags);
    reg.files = files.to_vec();
    reg
}

/// Builds a registry from text (tests, fuzzing): each `(path, text)` becomes a file.
pub fn read_in_memory(files: &[(&str, &str)], layout: Layout, sources: &mut SourceMap, diags: &mut Diagnostics) -> Registry {
    let ids: Vec<FileId> = files.iter().map(|(p, t)| sources.add(*p, t.to_string())).collect();
    parse_files(sources, &ids, layout, diags)
}

#[cfg(test)]
mod tests;

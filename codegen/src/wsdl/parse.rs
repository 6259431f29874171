//! Entry points of the WSDL/XSD frontend: find the entry WSDL, read it and every schema it
//! references (each file once), and build the [`Schema`].
//!
//! File access goes through a loader callback so tests (and other tools) can feed in-memory
//! files; [`read_dir`] is the file-system flavour.

use std::collections::{HashSet, VecDeque};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, SourceMap};
use crate::wsdl::join;
use crate::wsdl::model::Schema;
use crate::wsdl::scan::{scan_file, Raw};

/// Reads `dir/vim.wsdl` (or, failing that, the one `*.wsdl` in `dir` that declares a
/// `portType`, so that service-only files like `vimService.wsdl` are skipped) and everything
/// it includes or imports.
///
/// Problems are reported to `diags`; the returned schema holds whatever could be read.
pub fn read_dir(dir: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Schema {
    let entry = match find_entry(dir) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return Schema::default();
        }
    };
    let text = match std::fs::read_to_string(&entry) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::new(Kind::WsdlReadError, format!("cannot read {}: {e}", entry.display())));
            return Schema::default();
        }
    };
    let id = sources.add(entry, without_bom(text));
    read_entry(id, sources, &mut |p: &Path| std::fs::read_to_string(p), diags)
}

/// Reads the entry file `entry` (already in `sources`) and, recursively, every file it
/// references through `schemaLocation` (XSD `include`/`import`) or `location` (WSDL
/// `import`), resolved relative to the referencing file's path and read with `load`. Each
/// file is read once (paths are compared after lexical normalization of `.` and `..`).
/// A loader error of kind `NotFound` is reported as `wsdl-missing-include`.
pub fn read_entry(
    entry: FileId,
    sources: &mut SourceMap,
    load: &mut dyn FnMut(&Path) -> io::Result<String>,
    diags: &mut Diagnostics,
) -> Schema {
    let mut raw = Raw::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    seen.insert(normalize(sources.path(entry)));
    let mut queue = VecDeque::from([entry]);
    let mut files = Vec::new();
    while let Some(id) = queue.pop_front() {
        files.push(id);
        let includes = scan_file(id, &sources.get(id).text, &mut raw, diags);
        let dir = sources.path(id).parent().map(Path::to_path_buf).unwrap_or_default();
        for inc in includes {
            if inc.location.contains("://") {
                diags.push(
                    Diagnostic::new(Kind::WsdlRemoteInclude, format!("remote schema `{}` is not fetched", inc.location)).at(inc.span),
                );
                continue;
            }
            let path = normalize(&dir.join(&inc.location));
            if !seen.insert(path.clone()) {
                continue;
            }
            match load(&path) {
                Ok(text) => queue.push_back(sources.add(path, without_bom(text))),
                Err(e) if e.kind() == io::ErrorKind::NotFound => diags.push(
                    Diagnostic::new(Kind::WsdlMissingInclude, format!("included file `{}` not found", inc.location))
                        .at(inc.span)
                        .label(format!("looked for {}", path.display())),
                ),
                Err(e) => diags.push(Diagnostic::new(Kind::WsdlReadError, format!("cannot read `{}`: {e}", path.display())).at(inc.span)),
            }
        }
    }
    join::build(raw, files, sources, diags)
}

/// Reads in-memory files: `files[0]` is the entry, the others are found by the path the
/// entry's references resolve to (e.g. `("dir/vim.wsdl", ..)` including `"a.xsd"` finds
/// `("dir/a.xsd", ..)`). For tests and tools that hold the spec in memory.
pub fn read_in_memory(files: &[(&str, &str)], sources: &mut SourceMap, diags: &mut Diagnostics) -> Schema {
    let Some((entry_path, entry_text)) = files.first() else {
        diags.push(Diagnostic::new(Kind::WsdlNoEntry, "no WSDL file given"));
        return Schema::default();
    };
    let id = sources.add(*entry_path, without_bom(entry_text.to_string()));
    let mut load = |p: &Path| -> io::Result<String> {
        files
            .iter()
            .find(|(name, _)| normalize(Path::new(name)) == p)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    };
    read_entry(id, sources, &mut load, diags)
}

/// Drops a leading byte-order mark. quick-xml skips it but does not count it in the
/// positions it reports, which would put every span 3 bytes early (errors on the wrong
/// line); an editor does not show it as a column either.
fn without_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// `dir/vim.wsdl`, else the single `*.wsdl` declaring a `portType`.
fn find_entry(dir: &Path) -> Result<PathBuf, Diagnostic> {
    let vim = dir.join("vim.wsdl");
    if vim.is_file() {
        return Ok(vim);
    }
    let listing = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::new(Kind::WsdlNoEntry, format!("cannot list the WSDL directory {}: {e}", dir.display())))?;
    let mut wsdls: Vec<PathBuf> = listing
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("wsdl")) && p.is_file())
        .collect();
    wsdls.sort();
    // A service-only WSDL (`vimService.wsdl`) just imports the interface WSDL and declares a
    // `<service>`; the interface is the one with a portType. A text search is enough to choose.
    let candidates: Vec<PathBuf> = wsdls.into_iter().filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("portType"))).collect();
    match candidates.len() {
        1 => Ok(candidates.into_iter().next().unwrap_or_default()),
        0 => Err(Diagnostic::new(
            Kind::WsdlNoEntry,
            format!("no entry WSDL in {}: no vim.wsdl, and no *.wsdl declares a portType", dir.display()),
        )),
        _ => Err(Diagnostic::new(
            Kind::WsdlAmbiguousEntry,
            format!(
                "several WSDL files in {} declare a portType: {}",
                dir.display(),
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        )
        .help("name the entry file vim.wsdl")),
    }
}

/// Lexically removes `.` and `..` components (no file-system access, no symlink resolution).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;

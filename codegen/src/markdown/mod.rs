//! Markdown frontend: pyVmomi-style pages -> [`Pages`], with source spans.
//!
//! Every page is first folded into blocks (`blocks.rs`, over pulldown-cmark), then read by
//! the interpreter for its form: type pages (`page.rs`), `enums.md` (`enums.rs`) and
//! `vim.version.md` (`versions.rs`). HTML in cells becomes doc text (`doc.rs`).

pub mod blocks;
pub mod doc;
pub mod enums;
pub mod model;
pub mod page;
pub mod versions;

use std::path::Path;

pub use model::*;

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, SourceMap};

/// Pages that are neither types, enums nor versions.
const SKIPPED: [&str; 3] = ["INDEX.md", "README.md", "vmodl.md"];

/// Reads every `*.md` file of `dir` (not recursive) into `sources` and parses them.
pub fn read_dir(dir: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Pages {
    let mut ids = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::new(Kind::MdRead, format!("cannot read markdown folder {}: {e}", dir.display())));
            return Pages::default();
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
    // By bytes: `Path`'s component-wise ordering is needlessly slow for 2,500 names.
    paths.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    for p in paths {
        match std::fs::read(&p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => ids.push(sources.add(p, text)),
                Err(e) => diags.push(Diagnostic::new(Kind::MdRead, format!("{} is not UTF-8: {e}", p.display()))),
            },
            Err(e) => diags.push(Diagnostic::new(Kind::MdRead, format!("cannot read {}: {e}", p.display()))),
        }
    }
    parse_files(sources, &ids, diags)
}

/// Parses files already in `sources`. The result does not depend on the order of `files`.
/// Pages are independent, so they are parsed on every core; the results are put in name
/// order afterwards, and diagnostics are sorted by the caller.
pub fn parse_files(sources: &SourceMap, files: &[FileId], diags: &mut Diagnostics) -> Pages {
    let mut files = files.to_vec();
    files.sort_by(|a, b| sources.path(*a).as_os_str().cmp(sources.path(*b).as_os_str()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = files.len().div_ceil(threads).max(64);
    let parts: Vec<(Pages, Diagnostics)> = std::thread::scope(|s| {
        let handles: Vec<_> = files.chunks(chunk).map(|c| s.spawn(move || parse_some(sources, c))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    let mut pages = Pages::default();
    for (p, d) in parts {
        pages.types.extend(p.types);
        pages.enums.extend(p.enums);
        pages.versions.extend(p.versions);
        pages.version_file = pages.version_file.or(p.version_file);
        diags.extend(d);
    }
    pages.types.sort_by(|a, b| a.name.cmp(&b.name));
    pages.types.dedup_by(|later, first| {
        let dup = later.name == first.name;
        if dup {
            diags.push(
                Diagnostic::new(Kind::MdDuplicatePage, format!("type `{}` is described by two pages", later.name))
                    .at(later.name_span)
                    .note(format!("also at {}", sources.location(first.name_span))),
            );
        }
        dup
    });
    pages.enums.sort_by(|a, b| a.name.cmp(&b.name));
    pages.enums.dedup_by(|later, first| {
        let dup = later.name == first.name;
        if dup {
            diags.push(Diagnostic::new(Kind::MdDuplicateEnum, format!("enum `{}` is described twice", later.name)).at(later.span));
        }
        dup
    });
    pages
}

/// Parses some of the files, in the order given.
fn parse_some(sources: &SourceMap, files: &[FileId]) -> (Pages, Diagnostics) {
    let mut diags = Diagnostics::new();
    let diags = &mut diags;
    let mut pages = Pages::default();
    for &id in files {
        let f = sources.get(id);
        let file_name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if SKIPPED.contains(&file_name) {
            continue;
        }
        let blocks = blocks::parse_blocks(id, &f.text);
        match file_name {
            "enums.md" => pages.enums.extend(enums::parse_enums(&blocks, diags)),
            "vim.version.md" => {
                pages.versions.extend(versions::parse_versions(&blocks, diags));
                pages.version_file = Some(id);
            }
            _ => {
                if let Some(p) = page::parse_type_page(sources, id, &blocks, diags) {
                    let stem = file_name.trim_end_matches(".md");
                    if stem != p.name {
                        diags.push(
                            Diagnostic::new(Kind::MdTitleMismatch, format!("page `{}` is in file `{file_name}`", p.name)).at(p.name_span),
                        );
                    }
                    pages.types.push(p);
                }
            }
        }
    }
    (pages, std::mem::take(diags))
}

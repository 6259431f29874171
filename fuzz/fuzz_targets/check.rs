// Shared by the frontend targets (included with `include!`): the invariants every run must keep.

use codegen::diag::{Diagnostics, SourceMap};

/// Every span inside its file, starting on a character boundary; every diagnostic renders.
#[allow(dead_code)]
fn check(sources: &SourceMap, diags: &Diagnostics) {
    check_rendering(sources, diags, usize::MAX);
}

/// As [`check`], rendering only the first `render` diagnostics (a registry line can be tens
/// of kilobytes, and rendering it for each of hundreds of warnings took seconds a run).
fn check_rendering(sources: &SourceMap, diags: &Diagnostics, render: usize) {
    for (i, d) in diags.list.iter().enumerate() {
        if let Some(s) = d.span {
            let text = &sources.get(s.file).text;
            assert!(s.start <= s.end && s.end as usize <= text.len(), "`{}` span {s:?} outside its file", d.kind);
            assert!(text.is_char_boundary(s.start as usize), "`{}` span {s:?} starts inside a character", d.kind);
            let _ = sources.location(s);
        }
        if i < render {
            let _ = d.render(sources);
        }
    }
}

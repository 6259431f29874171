// Shared by both targets (included with `include!`): the invariants every run must keep.

use codegen::diag::{Diagnostics, SourceMap};

/// Every span inside its file, starting on a character boundary; every diagnostic renders.
fn check(sources: &SourceMap, diags: &Diagnostics) {
    for d in &diags.list {
        if let Some(s) = d.span {
            let text = &sources.get(s.file).text;
            assert!(s.start <= s.end && s.end as usize <= text.len(), "`{}` span {s:?} outside its file", d.kind);
            assert!(text.is_char_boundary(s.start as usize), "`{}` span {s:?} starts inside a character", d.kind);
            let _ = sources.location(s);
        }
        let _ = d.render(sources);
    }
}

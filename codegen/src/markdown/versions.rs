//! `vim.version.md`: `| identifier | official name | name space | version number |`.

use super::blocks::{Block, Inline};
use super::model::VersionRow;
use crate::diag::{Diagnostic, Diagnostics, Kind};

pub fn parse_versions(blocks: &[Block], diags: &mut Diagnostics) -> Vec<VersionRow> {
    let mut out = Vec::new();
    for b in blocks {
        let Block::Table { header, rows, .. } = b else { continue };
        let cols: Vec<String> = header.cells.iter().map(|c| c.inl.plain().trim().to_ascii_lowercase()).collect();
        if cols.first().map(String::as_str) != Some("identifier") || cols.len() < 4 {
            diags.push(Diagnostic::new(Kind::MdUnknownTable, "unrecognised table in the version page").at(header.span));
            continue;
        }
        for row in rows {
            let cell = |i: usize| row.cells.get(i).map(|c| c.inl.plain().trim().to_string()).unwrap_or_default();
            // The identifier cell is `<a name='vim.version.version2'>vim.version.version2</a>`.
            let id = row
                .cells
                .first()
                .and_then(|c| c.inl.items.iter().find_map(|(i, _)| if let Inline::Text(t) = i { Some(t.trim().to_string()) } else { None }))
                .unwrap_or_default();
            if id.is_empty() || row.source_cells != header.cells.len() {
                diags.push(Diagnostic::new(Kind::MdBadTableRow, "broken version row").at(row.span));
                continue;
            }
            out.push(VersionRow { id, official_name: cell(1), namespace: cell(2), version: cell(3), span: row.span });
        }
    }
    out
}

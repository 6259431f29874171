//! `enums.md`: many enums per page. Each is a level-1 heading
//! `<a name='vim.cluster.Action.ActionType'>ActionType</a> - vim.cluster.Action` (anchor = VMODL
//! name, link text = WSDL name), a description, and a `| name | description |` table.

use super::blocks::{Block, Inline};
use super::doc::to_doc;
use super::model::{EnumPage, EnumValue};
use crate::diag::{Diagnostic, Diagnostics, Kind};

pub fn parse_enums(blocks: &[Block], diags: &mut Diagnostics) -> Vec<EnumPage> {
    let mut out: Vec<EnumPage> = Vec::new();
    let mut current: Option<EnumPage> = None;
    for b in blocks {
        match b {
            Block::Heading { level: 1, inl, span } => {
                out.extend(current.take());
                let anchor = inl.items.iter().find_map(|(i, _)| match i {
                    Inline::Html(h) if h.trim_start().starts_with("<a") => html_name(h),
                    _ => None,
                });
                let Some(name) = anchor else {
                    // The page title ("vSphere API enumerated types") carries no anchor.
                    if !out.is_empty() {
                        diags.push(Diagnostic::new(Kind::MdEnumHeading, "enum heading without `<a name='...'>`").at(*span));
                    }
                    continue;
                };
                let plain = inl.plain();
                let wsdl_name = plain.split(" - ").next().unwrap_or("").trim().to_string();
                current = Some(EnumPage { name, wsdl_name, span: *span, description: String::new(), values: Vec::new() });
            }
            Block::Para { inl, .. } => {
                if let Some(e) = current.as_mut() {
                    if !e.description.is_empty() {
                        e.description.push_str("\n\n");
                    }
                    e.description.push_str(&to_doc(inl));
                }
            }
            Block::Table { header, rows, span } => {
                let Some(e) = current.as_mut() else {
                    diags.push(Diagnostic::new(Kind::MdUnexpectedBlock, "table outside any enum").at(*span));
                    continue;
                };
                let want = header.cells.len();
                for row in rows {
                    if row.source_cells != want {
                        diags.push(
                            Diagnostic::new(Kind::MdBadTableRow, format!("row has {} cells where the header has {want}", row.source_cells))
                                .at(row.span),
                        );
                    }
                    let name = row.cells.first().map(|c| c.inl.plain().trim().to_string()).unwrap_or_default();
                    if name.is_empty() {
                        continue;
                    }
                    if e.values.iter().any(|v| v.name == name) {
                        diags.push(
                            Diagnostic::new(Kind::MdDuplicateEnumValue, format!("value `{name}` is listed twice in `{}`", e.name))
                                .at(row.span),
                        );
                        continue;
                    }
                    let mut description = row.cells.get(1).map(|c| to_doc(&c.inl)).unwrap_or_default();
                    if description == name {
                        description.clear();
                    }
                    e.values.push(EnumValue { name, description, span: row.span });
                }
            }
            other => diags.push(Diagnostic::new(Kind::MdUnexpectedBlock, "unexpected block in enums page").at(other.span())),
        }
    }
    out.extend(current);
    out
}

/// The `name` attribute of `<a name='x'>`.
fn html_name(tag: &str) -> Option<String> {
    let at = tag.find("name=")? + 5;
    let rest = &tag[at..];
    let q = rest.chars().next()?;
    let end = rest[1..].find(q)?;
    Some(rest[1..1 + end].to_string())
}

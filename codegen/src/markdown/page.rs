//! Type pages: managed objects, data objects and faults.
//!
//! A page is: a level-1 title; a paragraph of `inherits from` / `as of` lines; an optional
//! `### DEPRECATED` heading; description paragraphs; the property table; then one section
//! per method, each a level-2 heading `Name(params)`, an optional ` raises ...` paragraph,
//! a rule, an optional `### Deprecated` block, the service-name table and a `### Faults`
//! table.

use super::blocks::{parse_blocks_at, source_cell_ranges, Block, Cell, Inline, Inlines, Row};
use super::doc::to_doc;
use super::model::*;
use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, SourceMap, Span};

/// Parses one type page. Returns `None` when the page has no usable title.
pub fn parse_type_page(sources: &SourceMap, file: FileId, blocks: &[Block], diags: &mut Diagnostics) -> Option<TypePage> {
    let text = &sources.get(file).text;
    let mut it = blocks.iter().peekable();
    let (name, name_span) = match it.next() {
        Some(Block::Heading { level: 1, inl, span }) => (inl.plain().trim().to_string(), *span),
        other => {
            let span = other.map_or(Span::new(file, 0, 0), Block::span);
            diags.push(
                Diagnostic::new(Kind::MdMissingTitle, "page does not start with a title (`Name` underlined with `===`)")
                    .at(span)
                    .label("expected the type's name here"),
            );
            return None;
        }
    };
    if name.is_empty() || name.contains(char::is_whitespace) {
        diags.push(Diagnostic::new(Kind::MdMissingTitle, format!("`{name}` is not a type name")).at(name_span));
        return None;
    }
    let mut page = TypePage {
        file,
        name,
        name_span,
        base: None,
        since: None,
        deprecated: false,
        description: String::new(),
        table: TableForm::Missing,
        properties: Vec::new(),
        methods: Vec::new(),
    };

    // Header: inherits / as of / DEPRECATED / description, up to the property table.
    let mut description = Vec::new();
    while let Some(b) = it.peek() {
        match b {
            Block::Para { inl, .. } => {
                for line in inl.lines() {
                    let plain = line.plain();
                    let plain = plain.trim();
                    if let Some(rest) = plain.strip_prefix("inherits from") {
                        let span = line_span(file, &line);
                        page.base = Some(TypeCell { name: rest.trim().to_string(), span });
                    } else if plain.starts_with("as of") && page.since.is_none() && description.is_empty() {
                        page.since = Some(version_ref(file, &line, plain.trim_start_matches("as of").trim()));
                    } else {
                        description.push(to_doc(&line));
                    }
                }
                it.next();
            }
            Block::Heading { level: 3, inl, .. } if inl.plain().trim().eq_ignore_ascii_case("deprecated") => {
                page.deprecated = true;
                it.next();
            }
            _ => break,
        }
    }
    page.description = description.join(" ");

    if let Some(Block::Table { header, rows, span }) = it.peek() {
        let cols: Vec<String> = header.cells.iter().map(|c| c.inl.plain().trim().to_ascii_lowercase()).collect();
        let form = match cols.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["property", "type", "optional", "priv", "desc"] => Some(TableForm::Full),
            ["property", "type", "optional"] => Some(TableForm::Fault),
            _ => None,
        };
        match form {
            Some(form) => {
                page.table = form;
                for row in rows {
                    if let Some(p) = property_row(sources, file, text, header, row, form, diags) {
                        if page.properties.iter().any(|q| q.name == p.name) {
                            diags.push(
                                Diagnostic::new(Kind::MdDuplicateProperty, format!("property `{}` is listed twice", p.name)).at(p.span),
                            );
                            continue;
                        }
                        page.properties.push(p);
                    }
                }
            }
            None => diags.push(
                Diagnostic::new(Kind::MdUnknownTable, "unrecognised table where the property table belongs")
                    .at(header.span)
                    .note("expected `| property | type | optional | priv | desc |` or `| property | type | optional |`")
                    .note(format!("table spans {}", sources.location(*span))),
            ),
        }
        it.next();
    }

    // Methods.
    let rest: Vec<&Block> = it.collect();
    let mut i = 0;
    while i < rest.len() {
        let section_end = |i: usize| (i + 1..rest.len()).find(|&j| starts_section(&rest, j)).unwrap_or(rest.len());
        match rest[i] {
            Block::Heading { level: 2, inl, span } => {
                let end = section_end(i);
                let m = parse_method(file, inl, *span, &rest[i + 1..end], diags);
                add_method(sources, &mut page, m, diags);
                i = end;
            }
            Block::Para { inl, span } if starts_section(&rest, i) => {
                // A method heading whose `---` underline is missing: report it, then read the
                // section as if it were underlined (the paragraph's later lines, e.g.
                // ` raises ...`, stay in the section).
                let end = section_end(i);
                let mut lines = inl.lines().into_iter();
                let first = lines.next().unwrap_or_default();
                let heading_span = first.range().map_or(*span, |r| Span::new(file, r.start, r.end));
                diags.push(
                    Diagnostic::new(Kind::MdMissingHeading, format!("method heading `{}` is not underlined", first.plain().trim()))
                        .at(heading_span)
                        .label("expected a `---` line under this")
                        .help("a method starts with `Name(params)` underlined with `---`"),
                );
                let more = Block::Para { inl: Inlines { items: lines.flat_map(|l| l.items).collect() }, span: *span };
                let mut body: Vec<&Block> = Vec::with_capacity(end - i);
                if matches!(&more, Block::Para { inl, .. } if !inl.items.is_empty()) {
                    body.push(&more);
                }
                body.extend_from_slice(&rest[i + 1..end]);
                let m = parse_method(file, &first, heading_span, &body, diags);
                add_method(sources, &mut page, m, diags);
                i = end;
            }
            Block::Table { header, .. } if is_method_table(header) => {
                diags.push(
                    Diagnostic::new(Kind::MdMissingHeading, "method table without a method heading")
                        .at(header.span)
                        .help("a method starts with `Name(params)` underlined with `---`"),
                );
                i += 1;
            }
            b => {
                diags.push(Diagnostic::new(Kind::MdUnexpectedBlock, "text outside any section is ignored").at(b.span()));
                i += 1;
            }
        }
    }
    Some(page)
}

fn add_method(sources: &SourceMap, page: &mut TypePage, m: Option<PageMethod>, diags: &mut Diagnostics) {
    let Some(m) = m else { return };
    if let Some(first) = page.methods.iter().find(|x| x.name == m.name) {
        diags.push(
            Diagnostic::new(Kind::MdDuplicateMethod, format!("method `{}` is described twice", m.name))
                .at(m.span)
                .note(format!("first described at {}", sources.location(first.span))),
        );
    } else {
        page.methods.push(m);
    }
}

/// Whether `rest[i]` starts a method section: a level-2 heading, or a paragraph whose first
/// line reads `Name(...)` followed (after an optional rule) by a `service name` table, which
/// is a heading that lost its `---` underline.
fn starts_section(rest: &[&Block], i: usize) -> bool {
    match rest[i] {
        Block::Heading { level: 2, .. } => true,
        Block::Para { inl, .. } => {
            let mut first = String::new();
            for (item, _) in inl.items.iter().take_while(|(x, _)| *x != Inline::Break) {
                if let Inline::Text(t) | Inline::Code(t) = item {
                    first.push_str(t);
                }
            }
            let mut next = rest[i + 1..].iter().skip_while(|b| matches!(b, Block::Rule { .. }));
            is_method_heading(&first) && next.next().is_some_and(|b| matches!(b, Block::Table { header, .. } if is_method_table(header)))
        }
        _ => false,
    }
}

/// `Name(...)` with `Name` made of ASCII letters, digits and `_`.
fn is_method_heading(plain: &str) -> bool {
    let name = plain.split('(').next().unwrap_or("").trim();
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && plain.trim_end().ends_with(')')
}

fn is_method_table(header: &Row) -> bool {
    header.cells.first().is_some_and(|c| c.inl.plain().trim() == "service name")
}

fn line_span(file: FileId, line: &Inlines) -> Span {
    line.range().map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end))
}

/// `[vSphere API 4.0](vim.version.md#vim.version.version5)` or `[vim.version.version5](docs/vim.version.md)`.
fn version_ref(file: FileId, line: &Inlines, fallback_text: &str) -> VersionRef {
    let span = line_span(file, line);
    match line.links().into_iter().next() {
        Some(link) => {
            let anchor = link.dest.split_once('#').map(|(_, a)| a.to_string()).filter(|a| !a.is_empty() && a != "None");
            VersionRef { text: link.text.trim().to_string(), anchor, span }
        }
        None => VersionRef { text: fallback_text.to_string(), anchor: None, span },
    }
}

fn cell_type(c: &Cell) -> TypeCell {
    TypeCell { name: c.inl.plain().trim().to_string(), span: c.span }
}

fn property_row(
    sources: &SourceMap,
    file: FileId,
    text: &str,
    header: &Row,
    row: &Row,
    form: TableForm,
    diags: &mut Diagnostics,
) -> Option<PageProperty> {
    let want = header.cells.len();
    let mut description = row.cells.get(4).map(|c| to_doc(&c.inl)).unwrap_or_default();
    if row.source_cells > want && form == TableForm::Full {
        // A pipe inside the description split it: keep the whole text, say so.
        let line = &text[row.span.start as usize..row.span.end as usize];
        let ranges = source_cell_ranges(line);
        if let Some(first) = ranges.get(want - 1) {
            let last = ranges.last().map_or(first.end, |r| r.end);
            let start = row.span.start as usize + first.start;
            let piece = &text[start..row.span.start as usize + last];
            let blocks = parse_blocks_at(file, piece, start);
            description = blocks
                .iter()
                .filter_map(|b| if let Block::Para { inl, .. } = b { Some(to_doc(inl)) } else { None })
                .collect::<Vec<_>>()
                .join(" ");
        }
        diags.push(
            Diagnostic::new(Kind::MdTableExtraCell, format!("row has {} cells where the header has {want}", row.source_cells))
                .at(row.span)
                .note("the extra cells were read as part of the description (an unescaped `|` in the text?)"),
        );
    } else if row.source_cells != want {
        diags.push(
            Diagnostic::new(Kind::MdBadTableRow, format!("row has {} cells where the header has {want}", row.source_cells))
                .at(row.span)
                .label("broken table row"),
        );
        if row.source_cells < 2 {
            return None;
        }
    }
    let name = row.cells.first().map(|c| c.inl.plain().trim().to_string()).unwrap_or_default();
    let ty = row.cells.get(1).map(cell_type);
    let ty = match ty {
        Some(t) if !name.is_empty() && !t.name.is_empty() => t,
        _ => {
            diags.push(Diagnostic::new(Kind::MdBadTableRow, "property row without a name or a type").at(row.span));
            return None;
        }
    };
    let optional_cell = row.cells.get(2).map(|c| c.inl.plain().trim().to_string()).unwrap_or_default();
    let optional = match optional_cell.as_str() {
        "true" => true,
        "None" | "false" | "" => false,
        other => {
            diags.push(
                Diagnostic::new(Kind::MdBadOptional, format!("optional column says `{other}`; read as not optional")).at(row.cells[2].span),
            );
            false
        }
    };
    let privilege = row.cells.get(3).map(|c| c.inl.plain().trim().to_string()).filter(|p| is_privilege(p));
    let _ = sources;
    Some(PageProperty { name, ty, optional, privilege, description, span: row.span })
}

/// `None`, `dynamic` and empty cells mean "no fixed privilege".
fn is_privilege(p: &str) -> bool {
    !(p.is_empty() || p == "None" || p == "dynamic")
}

fn parse_method(file: FileId, heading: &Inlines, span: Span, body: &[&Block], diags: &mut Diagnostics) -> Option<PageMethod> {
    let plain = heading.plain();
    let name = plain.split('(').next().unwrap_or("").trim().to_string();
    if !is_method_heading(&plain) {
        diags.push(
            Diagnostic::new(Kind::MdBadMethodHeading, format!("`{}` is not a method heading", plain.trim()))
                .at(span)
                .help("a method heading reads `Name([param](#type \"type\"), ...)`"),
        );
        return None;
    }
    let params = heading
        .links()
        .into_iter()
        .map(|l| {
            let ty = if l.title.is_empty() { l.dest.trim_start_matches('#').trim_end_matches(".md").to_string() } else { l.title };
            HeadingParam { name: l.text.trim().to_string(), ty: TypeCell { name: ty, span: Span::new(file, l.range.start, l.range.end) } }
        })
        .collect();
    let mut m = PageMethod {
        name,
        span,
        params,
        raises: Vec::new(),
        service_name: None,
        since: None,
        privilege: None,
        returns: None,
        faults: Vec::new(),
        deprecated: None,
        description: String::new(),
    };
    let mut saw_table = false;
    let mut in_deprecated = false;
    let mut in_faults = false;
    let mut description = Vec::new();
    for b in body {
        match b {
            Block::Para { inl, .. } => {
                let plain = inl.plain();
                if plain.trim_start().starts_with("raises") && m.raises.is_empty() && !saw_table {
                    m.raises = inl
                        .links()
                        .into_iter()
                        .map(|l| TypeCell { name: l.text.trim().to_string(), span: Span::new(file, l.range.start, l.range.end) })
                        .collect();
                } else if in_deprecated {
                    let d = m.deprecated.get_or_insert_with(String::new);
                    if !d.is_empty() {
                        d.push_str("\n\n");
                    }
                    d.push_str(&to_doc(inl));
                } else {
                    description.push(to_doc(inl));
                }
            }
            Block::Rule { .. } => {}
            Block::Heading { level: 3, inl, .. } => {
                let h = inl.plain();
                let h = h.trim();
                in_deprecated = h.eq_ignore_ascii_case("deprecated");
                if in_deprecated {
                    m.deprecated.get_or_insert_with(String::new);
                }
                in_faults = h == "Faults";
            }
            Block::Table { header, .. } if is_method_table(header) && saw_table => {
                diags.push(
                    Diagnostic::new(Kind::MdMissingHeading, format!("a second `service name` table in method `{}`", m.name))
                        .at(header.span)
                        .label("this table has no method heading")
                        .help("a method starts with `Name(params)` underlined with `---`"),
                );
            }
            Block::Table { header, rows, .. } if is_method_table(header) => {
                in_deprecated = false;
                saw_table = true;
                m.service_name = header.cells.get(1).map(|c| c.inl.plain().trim().to_string());
                for row in rows {
                    let key = row.cells.first().map(|c| c.inl.plain().trim().to_string()).unwrap_or_default();
                    let Some(val) = row.cells.get(1) else { continue };
                    match key.as_str() {
                        "since version" => {
                            let line = &val.inl;
                            m.since = Some(version_ref(file, line, line.plain().trim()));
                        }
                        "privilege" => m.privilege = Some(val.inl.plain().trim().to_string()).filter(|p| is_privilege(p)),
                        "return type" => {
                            let t = cell_type(val);
                            if !t.name.is_empty() && t.name != "None" {
                                m.returns = Some(t);
                            }
                        }
                        _ => diags.push(Diagnostic::new(Kind::MdUnknownRow, format!("unknown method table row `{key}`")).at(row.span)),
                    }
                }
            }
            Block::Table { header, rows, .. } if in_faults => {
                let _ = header;
                for row in rows {
                    let Some(first) = row.cells.first() else { continue };
                    let fname = first.inl.plain().trim().to_string();
                    if fname.is_empty() {
                        diags.push(Diagnostic::new(Kind::MdBadTableRow, "fault row without a fault name").at(row.span));
                        continue;
                    }
                    let mut description = row.cells.get(1).map(|c| to_doc(&c.inl)).unwrap_or_default();
                    if description == fname {
                        description.clear();
                    }
                    m.faults.push(DocumentedFault { name: fname, description, span: row.span });
                }
            }
            other => diags.push(Diagnostic::new(Kind::MdUnexpectedBlock, "unexpected block in a method section").at(other.span())),
        }
    }
    m.description = description.join("\n\n");
    if !saw_table {
        diags.push(
            Diagnostic::new(Kind::MdMethodIncomplete, format!("method `{}` has no `service name` table (truncated page?)", m.name))
                .at(span),
        );
        return None;
    }
    if let Some(s) = &m.service_name {
        if *s != m.name {
            diags.push(
                Diagnostic::new(Kind::MdServiceNameMismatch, format!("heading says `{}` but the service name is `{s}`", m.name)).at(span),
            );
        }
    }
    Some(m)
}

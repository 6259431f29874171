//! First pass over a page: pulldown-cmark events folded into a flat list of blocks
//! (headings, paragraphs, tables, rules) whose inline content keeps its source spans.
//! The page interpreters (`page.rs`, `enums.rs`, `versions.rs`) work on these blocks.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::{FileId, Span};

/// Inline content, flattened: links are bracketed by `LinkStart`/`LinkEnd`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline<'a> {
    Text(CowStr<'a>),
    Code(CowStr<'a>),
    /// Raw inline HTML (`<a href='x'>`, `<br>`): turned into doc text later.
    Html(CowStr<'a>),
    LinkStart {
        dest: CowStr<'a>,
        title: CowStr<'a>,
    },
    LinkEnd,
    /// A line break inside a paragraph.
    Break,
}

/// Inline content with the byte range of each piece.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inlines<'a> {
    pub items: Vec<(Inline<'a>, std::ops::Range<usize>)>,
}

impl<'a> Inlines<'a> {
    /// The visible text, links included, HTML dropped, breaks as `\n`.
    pub fn plain(&self) -> String {
        let mut s = String::new();
        for (i, _) in &self.items {
            match i {
                Inline::Text(t) | Inline::Code(t) => s.push_str(t),
                Inline::Break => s.push('\n'),
                _ => {}
            }
        }
        s
    }

    /// Markdown links: `(dest, title, text, span of the whole link)`.
    pub fn links(&self) -> Vec<Link> {
        let mut out = Vec::new();
        let mut open: Option<(String, String, String, usize)> = None;
        for (i, r) in &self.items {
            match i {
                Inline::LinkStart { dest, title } => open = Some((dest.to_string(), title.to_string(), String::new(), r.start)),
                Inline::Text(t) | Inline::Code(t) => {
                    if let Some(o) = open.as_mut() {
                        o.2.push_str(t);
                    }
                }
                Inline::LinkEnd => {
                    if let Some((dest, title, text, start)) = open.take() {
                        out.push(Link { dest, title, text, range: start..r.end });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Splits at line breaks (a paragraph like `inherits from ...` / `as of ...`).
    pub fn lines(&self) -> Vec<Inlines<'a>> {
        let mut out = vec![Inlines::default()];
        for (i, r) in &self.items {
            if *i == Inline::Break {
                out.push(Inlines::default());
            } else if let Some(last) = out.last_mut() {
                last.items.push((i.clone(), r.clone()));
            }
        }
        out.retain(|l| !l.items.is_empty());
        out
    }

    pub fn range(&self) -> Option<std::ops::Range<usize>> {
        let first = self.items.first()?.1.start;
        let last = self.items.iter().map(|(_, r)| r.end).max()?;
        Some(first..last)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub title: String,
    pub text: String,
    pub range: std::ops::Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'a> {
    pub inl: Inlines<'a>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub cells: Vec<Cell<'a>>,
    pub span: Span,
    /// Cells in the source line, counted by its unescaped pipes. pulldown-cmark pads short
    /// rows and drops the cells of long ones; this lets the interpreter notice.
    pub source_cells: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block<'a> {
    Heading { level: u8, inl: Inlines<'a>, span: Span },
    Para { inl: Inlines<'a>, span: Span },
    Table { header: Row<'a>, rows: Vec<Row<'a>>, span: Span },
    Rule { span: Span },
}

impl Block<'_> {
    pub fn span(&self) -> Span {
        match self {
            Block::Heading { span, .. } | Block::Para { span, .. } | Block::Table { span, .. } | Block::Rule { span } => *span,
        }
    }
}

/// Where inline events currently go.
enum Sink {
    None,
    Heading(u8, usize),
    Para(usize),
    Cell(usize),
}

/// Parses `text` (the contents of `file`) into blocks.
pub fn parse_blocks(file: FileId, text: &str) -> Vec<Block<'_>> {
    parse_blocks_at(file, text, 0)
}

/// As [`parse_blocks`], for a piece of a file starting at byte `base`.
pub fn parse_blocks_at<'t>(file: FileId, text: &'t str, base: usize) -> Vec<Block<'t>> {
    let span = |r: &std::ops::Range<usize>| Span::new(file, base + r.start, base + r.end);
    let mut blocks = Vec::new();
    let mut sink = Sink::None;
    let mut inl = Inlines::default();
    let mut table: Option<(Option<Row>, Vec<Row>, usize)> = None;
    let mut row_cells: Vec<Cell<'t>> = Vec::new();
    let mut row_start = 0usize;
    // An implicit paragraph for inline content outside any paragraph (HTML blocks, list
    // items written without blank lines).
    let mut implicit: Option<usize> = None;

    let flush_implicit = |implicit: &mut Option<usize>, inl: &mut Inlines<'t>, blocks: &mut Vec<Block<'t>>, end: usize| {
        if let Some(start) = implicit.take() {
            let items = std::mem::take(inl);
            if !items.items.is_empty() {
                blocks.push(Block::Para { inl: items, span: Span::new(file, base + start, base + end) });
            }
        }
    };

    for (ev, r) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        let push_inline = |inl: &mut Inlines<'t>, implicit: &mut Option<usize>, sink: &Sink, i: Inline<'t>| {
            if matches!(sink, Sink::None) && implicit.is_none() {
                *implicit = Some(r.start);
            }
            inl.items.push((i, base + r.start..base + r.end));
        };
        match ev {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    flush_implicit(&mut implicit, &mut inl, &mut blocks, r.start);
                    let l = match level {
                        HeadingLevel::H1 => 1,
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        HeadingLevel::H4 => 4,
                        HeadingLevel::H5 => 5,
                        HeadingLevel::H6 => 6,
                    };
                    sink = Sink::Heading(l, r.start);
                }
                Tag::Paragraph => {
                    if matches!(sink, Sink::None) {
                        flush_implicit(&mut implicit, &mut inl, &mut blocks, r.start);
                        sink = Sink::Para(r.start);
                    }
                }
                Tag::Table(_) => {
                    flush_implicit(&mut implicit, &mut inl, &mut blocks, r.start);
                    table = Some((None, Vec::new(), r.start));
                }
                Tag::TableHead | Tag::TableRow => {
                    row_cells.clear();
                    row_start = r.start;
                }
                Tag::TableCell => {
                    sink = Sink::Cell(r.start);
                    inl = Inlines::default();
                }
                Tag::Link { dest_url, title, .. } => {
                    push_inline(&mut inl, &mut implicit, &sink, Inline::LinkStart { dest: dest_url, title })
                }
                Tag::Item => push_inline(&mut inl, &mut implicit, &sink, Inline::Html(CowStr::Borrowed("<li>"))),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) => {
                    if let Sink::Heading(level, start) = sink {
                        blocks.push(Block::Heading {
                            level,
                            inl: std::mem::take(&mut inl),
                            span: span(&(start - base..r.end - base).clone()),
                        });
                    }
                    sink = Sink::None;
                }
                TagEnd::Paragraph => {
                    if let Sink::Para(start) = sink {
                        blocks.push(Block::Para { inl: std::mem::take(&mut inl), span: Span::new(file, base + start, base + r.end) });
                        sink = Sink::None;
                    }
                }
                TagEnd::TableCell => {
                    if let Sink::Cell(start) = sink {
                        row_cells.push(Cell { inl: std::mem::take(&mut inl), span: Span::new(file, base + start, base + r.end) });
                    }
                    sink = Sink::None;
                }
                TagEnd::TableHead | TagEnd::TableRow => {
                    let line = &text[row_start..r.end];
                    let row = Row {
                        cells: std::mem::take(&mut row_cells),
                        span: Span::new(file, base + row_start, base + r.end),
                        source_cells: count_source_cells(line),
                    };
                    if let Some(t) = table.as_mut() {
                        if matches!(tag, TagEnd::TableHead) {
                            t.0 = Some(row);
                        } else {
                            t.1.push(row);
                        }
                    }
                }
                TagEnd::Table => {
                    if let Some((header, rows, start)) = table.take() {
                        let header =
                            header.unwrap_or(Row { cells: vec![], span: Span::new(file, base + start, base + start), source_cells: 0 });
                        blocks.push(Block::Table { header, rows, span: Span::new(file, base + start, base + r.end) });
                    }
                }
                TagEnd::Link => push_inline(&mut inl, &mut implicit, &sink, Inline::LinkEnd),
                TagEnd::Item => push_inline(&mut inl, &mut implicit, &sink, Inline::Html(CowStr::Borrowed("</li>"))),
                _ => {}
            },
            Event::Text(t) => push_inline(&mut inl, &mut implicit, &sink, Inline::Text(t)),
            Event::Code(t) => push_inline(&mut inl, &mut implicit, &sink, Inline::Code(t)),
            Event::Html(t) | Event::InlineHtml(t) => push_inline(&mut inl, &mut implicit, &sink, Inline::Html(t)),
            Event::SoftBreak | Event::HardBreak => push_inline(&mut inl, &mut implicit, &sink, Inline::Break),
            Event::Rule => {
                flush_implicit(&mut implicit, &mut inl, &mut blocks, r.start);
                blocks.push(Block::Rule { span: span(&r) });
            }
            _ => {}
        }
    }
    flush_implicit(&mut implicit, &mut inl, &mut blocks, text.len());
    blocks
}

/// Cells in one source table row, by unescaped pipes outside code spans.
fn count_source_cells(line: &str) -> usize {
    let line = line.trim_end_matches(['\n', '\r']).trim();
    let pipes = pipe_positions(line);
    let mut cells = pipes.len() + 1;
    if pipes.first() == Some(&0) {
        cells -= 1;
    }
    if line.len() > 1 && pipes.last() == Some(&(line.len() - 1)) {
        cells -= 1;
    }
    cells
}

/// Byte offsets of the pipes that separate cells: not escaped, not inside a code span.
/// A backtick opens a code span only if a closing one follows (as in GFM), so a stray
/// backtick in a description does not hide the row's last pipe.
fn pipe_positions(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => {
                if let Some(close) = line[i + 1..].find('`') {
                    i += close + 1;
                }
            }
            b'|' => out.push(i),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Byte ranges of the cells of a source row, by the same rule as `count_source_cells`.
pub fn source_cell_ranges(line: &str) -> Vec<std::ops::Range<usize>> {
    let trimmed = line.trim_end_matches(['\n', '\r']).trim_end();
    pipe_positions(trimmed).windows(2).map(|w| w[0] + 1..w[1]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cells() {
        assert_eq!(count_source_cells("| a | b | c |"), 3);
        assert_eq!(count_source_cells("| a | b | c"), 3);
        assert_eq!(count_source_cells("| a | `x|y` | c |"), 3);
        assert_eq!(count_source_cells("| a | b \\| c |"), 2);
        assert_eq!(count_source_cells("| a | b | c | d |"), 4);
        assert_eq!(count_source_cells("| a | stray ` tick | c |"), 3);
    }

    #[test]
    fn blocks_of_a_method() {
        let text = "T\n=\n\nLogin([a](#string \"string\"))\n---\n raises [x](x.md \"x\")\n\n---\n| service name | Login |\n|:--|:--|\n| privilege | P |\n";
        let b = parse_blocks(FileId(0), text);
        assert!(matches!(b[0], Block::Heading { level: 1, .. }));
        assert!(matches!(b[1], Block::Heading { level: 2, .. }));
        assert!(matches!(b[2], Block::Para { .. }));
        assert!(matches!(b[3], Block::Rule { .. }));
        match &b[4] {
            Block::Table { header, rows, .. } => {
                assert_eq!(header.cells.len(), 2);
                assert_eq!(rows[0].cells[1].inl.plain(), "P");
            }
            other => panic!("{other:?}"),
        }
    }
}

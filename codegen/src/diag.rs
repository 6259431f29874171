//! Diagnostics shared by every stage: source files, spans, and rustc-style rendering.
//!
//! Frontends record byte spans into files held by a [`SourceMap`]; line and column are
//! computed only when a diagnostic is rendered, so parsing pays nothing for them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end.max(start) as u32 }
    }
}

/// One input file: its display path and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self.text.get(start..end).map_or(end - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1] as usize;
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Every file read in one run. Files are referred to by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let mut line_starts = vec![0u32];
        line_starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i as u32 + 1));
        self.files.push(SourceFile { path: path.into(), text, line_starts });
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// `file:line:col` of a span's start.
    /// `path:line` of a span: no column, so no walk along the line (pyVmomi's registry has
    /// lines of hundreds of kilobytes).
    pub fn line_location(&self, span: Span) -> String {
        let f = self.get(span.file);
        let line = f.line_starts.partition_point(|&s| s <= span.start);
        format!("{}:{}", f.path.display(), line)
    }

    pub fn location(&self, span: Span) -> String {
        let f = self.get(span.file);
        let (line, col) = f.line_col(span.start);
        format!("{}:{}:{}", f.path.display(), line, col)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding. `kind` is a stable, kebab-case identifier (e.g. `md-bad-table-row`) used
/// for the per-kind summary and by tests; `message` is for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: &'static str,
    pub message: String,
    pub span: Option<Span>,
    /// Shown under the caret (rustc's "label").
    pub label: Option<String>,
    /// Extra lines: `= note: ...` / `= help: ...`.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(kind: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, kind, message: message.into(), span: None, label: None, notes: vec![] }
    }
    pub fn warning(kind: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(kind, message) }
    }
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }
    pub fn at_opt(mut self, span: Option<Span>) -> Diagnostic {
        self.span = span;
        self
    }
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(format!("note: {}", note.into()));
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.notes.push(format!("help: {}", help.into()));
        self
    }

    /// Renders like rustc: header, `--> file:line:col`, the source line and a caret.
    pub fn render(&self, sources: &SourceMap) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str()).id(self.kind);
        let mut group: Group = Group::with_title(title);
        if let Some(span) = self.span {
            let f = sources.get(span.file);
            let (line, _) = f.line_col(span.start);
            // Show the span's first line only: enough context, and cheap for 1 MB files.
            let line_start = f.line_starts[line - 1] as usize;
            let line_end = f.line_starts.get(line).map_or(f.text.len(), |&e| e as usize);
            let src = f.text[line_start..line_end].trim_end_matches(['\n', '\r']);
            let mut start = (span.start as usize - line_start).min(src.len());
            // A span may start or end inside a multi-byte character (a frontend that
            // marks "one byte" at an error position): widen it to whole characters.
            while !src.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (span.end as usize).saturating_sub(line_start).clamp(start, src.len());
            while !src.is_char_boundary(end) {
                end += 1;
            }
            if end == start {
                // Point at one character at least.
                end = src[start..].chars().next().map_or(start, |c| start + c.len_utf8());
            }
            let mut ann = AnnotationKind::Primary.span(start..end);
            if let Some(l) = &self.label {
                ann = ann.label(l.as_str());
            }
            let path = f.path.display().to_string();
            group = group.element(Snippet::source(src).line_start(line).path(path).annotation(ann));
        }
        for n in &self.notes {
            let (lvl, text) = match n.split_once(": ") {
                Some(("help", t)) => (Level::HELP, t),
                Some((_, t)) => (Level::NOTE, t),
                None => (Level::NOTE, n.as_str()),
            };
            group = group.element(lvl.message(text));
        }
        Renderer::plain().render(&[group]).to_string()
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }
    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|d| d.severity == Severity::Error).count()
    }
    pub fn warning_count(&self) -> usize {
        self.list.iter().filter(|d| d.severity == Severity::Warning).count()
    }
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.list.iter().filter(move |d| d.kind == kind)
    }

    /// Sorts by file path, position, then kind and message, so output does not depend on
    /// the order files were read in.
    pub fn sort(&mut self, sources: &SourceMap) {
        self.list.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.span.map(|s| (sources.path(s.file).to_path_buf(), s.start, s.end));
            key(a).cmp(&key(b)).then(a.kind.cmp(b.kind)).then(a.message.cmp(&b.message))
        });
    }

    /// Counts per (severity, kind), sorted.
    pub fn counts(&self) -> BTreeMap<(Severity, &'static str), usize> {
        let mut m = BTreeMap::new();
        for d in &self.list {
            *m.entry((d.severity, d.kind)).or_insert(0) += 1;
        }
        m
    }

    /// The closing summary: one line per kind, then the totals.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for ((sev, kind), n) in self.counts() {
            let s = match sev {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("{s:>7} {kind:<32} {n:>6}\n"));
        }
        out.push_str(&format!("{} error(s), {} warning(s)\n", self.error_count(), self.warning_count()));
        out
    }

    pub fn render_all(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        for d in &self.list {
            out.push_str(&d.render(sources));
            out.push_str("\n\n");
        }
        out
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

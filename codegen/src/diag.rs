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

/// Declares [`Kind`]: each variant with its doc comment, its stable id and its severity.
macro_rules! kinds {
    ($($(#[doc = $doc:expr])+ $name:ident = $id:literal, $severity:ident;)+) => {
        /// What a [`Diagnostic`] is about. Each kind has one stable, kebab-case [`id`](Kind::id)
        /// (shown as `error[id]`, counted per id in the summary and in
        /// `xtask/expected-warnings.toml`) and one [`severity`](Kind::severity): errors mean the
        /// model would be wrong or incomplete; warnings mean the inputs disagree or hold
        /// something ignored, and a documented rule decided.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Kind {
            /// Every kind, in declaration order (grouped by the stage that reports it).
            pub const ALL: &'static [Kind] = &[$(Kind::$name),+];

            /// The stable, kebab-case identifier.
            pub const fn id(self) -> &'static str {
                match self {
                    $(Kind::$name => $id,)+
                }
            }

            pub const fn severity(self) -> Severity {
                match self {
                    $(Kind::$name => Severity::$severity,)+
                }
            }
        }
    };
}

kinds! {
    // The WSDL/XSD reader (`wsdl`).
    /// The folder has no vim.wsdl and no other *.wsdl with a portType.
    WsdlNoEntry = "wsdl-no-entry", Error;
    /// Several *.wsdl files with a portType and no vim.wsdl.
    WsdlAmbiguousEntry = "wsdl-ambiguous-entry", Error;
    /// A file exists but cannot be read (permissions, not UTF-8).
    WsdlReadError = "wsdl-read-error", Error;
    /// A schemaLocation/location names a file that does not exist.
    WsdlMissingInclude = "wsdl-missing-include", Error;
    /// Malformed XML; the rest of that file is not read.
    WsdlXmlSyntax = "wsdl-xml-syntax", Error;
    /// A file's root is neither wsdl:definitions nor xsd:schema.
    WsdlUnexpectedRoot = "wsdl-unexpected-root", Error;
    /// A QName value uses an undeclared namespace prefix.
    WsdlUnknownPrefix = "wsdl-unknown-prefix", Error;
    /// A declaration lacks a required attribute (name, type, message...).
    WsdlMissingAttribute = "wsdl-missing-attribute", Error;
    /// `minOccurs`/`maxOccurs` is not a number (or unbounded), or max < min.
    WsdlBadOccurs = "wsdl-bad-occurs", Error;
    /// A type name declared twice (the first is kept).
    WsdlDuplicateType = "wsdl-duplicate-type", Error;
    /// A top-level element declared twice (the first is kept).
    WsdlDuplicateElement = "wsdl-duplicate-element", Error;
    /// A message declared twice (the first is kept).
    WsdlDuplicateMessage = "wsdl-duplicate-message", Error;
    /// A portType operation declared twice (the first is kept).
    WsdlDuplicateOperation = "wsdl-duplicate-operation", Error;
    /// An operation's input/output/fault names no message.
    WsdlUnknownMessage = "wsdl-unknown-message", Error;
    /// A message part names no top-level element, or a fault element has no type.
    WsdlUnknownElement = "wsdl-unknown-element", Error;
    /// An operation's request type is missing (operation dropped).
    WsdlMissingRequestType = "wsdl-missing-request-type", Error;
    /// A request type does not start with `_this`.
    WsdlMissingThis = "wsdl-missing-this", Error;
    /// A `<group ref>` names no `<group name>` of the schemas read (its elements are missing).
    WsdlUnknownGroup = "wsdl-unknown-group", Error;
    /// A type reference (element type, base) resolves to nothing declared.
    WsdlUnknownType = "wsdl-unknown-type", Warning;
    /// A response element without a type, or with more than `returnval`.
    WsdlBadResponse = "wsdl-bad-response", Warning;
    /// A portType operation has no binding (no soapAction).
    WsdlUnboundOperation = "wsdl-unbound-operation", Warning;
    /// A binding operation is not in the portType.
    WsdlUnknownBindingOperation = "wsdl-unknown-binding-operation", Warning;
    /// An operation bound twice (the first binding is used).
    WsdlDuplicateBinding = "wsdl-duplicate-binding", Warning;
    /// An XML Schema/WSDL construct outside the subset vim25 uses (ignored).
    WsdlUnsupported = "wsdl-unsupported", Warning;
    /// A schemaLocation that is a URL (not fetched).
    WsdlRemoteInclude = "wsdl-remote-include", Warning;
    // The markdown pages' reader (`markdown`).
    /// The markdown folder or a page cannot be read (missing, permissions, not UTF-8).
    MdRead = "md-read", Error;
    /// Two pages describe the same type (the first is kept).
    MdDuplicatePage = "md-duplicate-page", Error;
    /// `enums.md` describes an enum twice (the first is kept).
    MdDuplicateEnum = "md-duplicate-enum", Error;
    /// A page's title is not the type its file name says.
    MdTitleMismatch = "md-title-mismatch", Warning;
    /// A page does not start with its type's name underlined with `===`, or the title is not a type
    /// name.
    MdMissingTitle = "md-missing-title", Error;
    /// A method's heading is not underlined, or a method table has no heading of its own.
    MdMissingHeading = "md-missing-heading", Error;
    /// A method heading is not `Name([param](#type "type"), ...)`.
    MdBadMethodHeading = "md-bad-method-heading", Error;
    /// A method section has no `service name` table (a truncated page); the method is dropped.
    MdMethodIncomplete = "md-method-incomplete", Error;
    /// A page describes a method twice (the first is kept).
    MdDuplicateMethod = "md-duplicate-method", Error;
    /// A page lists a property twice (the first is kept).
    MdDuplicateProperty = "md-duplicate-property", Error;
    /// A table row with the wrong number of cells, or without the cells a row needs.
    MdBadTableRow = "md-bad-table-row", Error;
    /// A property row with more cells than its header (the extra cells are read as part of the
    /// description).
    MdTableExtraCell = "md-table-extra-cell", Warning;
    /// An optional column that is neither `true` nor `false`, `None` or empty (read as not
    /// optional).
    MdBadOptional = "md-bad-optional", Warning;
    /// A table of a form the page reader does not know (ignored).
    MdUnknownTable = "md-unknown-table", Warning;
    /// A method table row whose key the reader does not know (ignored).
    MdUnknownRow = "md-unknown-row", Warning;
    /// Text or a block outside any section the reader knows (ignored).
    MdUnexpectedBlock = "md-unexpected-block", Warning;
    /// An enum heading without its `<a name='...'>` anchor (the enum is skipped).
    MdEnumHeading = "md-enum-heading", Warning;
    /// An enum lists a value twice.
    MdDuplicateEnumValue = "md-duplicate-enum-value", Error;
    /// A method heading and its `service name` row name different methods.
    MdServiceNameMismatch = "md-service-name-mismatch", Warning;
    // The overrides file (`overrides`).
    /// The overrides file cannot be read.
    OverridesRead = "overrides-read", Error;
    /// The overrides file is not valid TOML of the expected shape.
    OverridesSyntax = "overrides-syntax", Error;
    // pyVmomi's registry reader (`pyvmomi`).
    /// The folder or a registry file cannot be read (missing, permissions, not UTF-8).
    PyRead = "py-read", Error;
    /// The folder holds neither _typeinfo_*.py nor ServerObjects.py.
    PyNoRegistry = "py-no-registry", Error;
    /// Text that is not Python (unterminated string, unbalanced bracket...); the statement is
    /// dropped.
    PySyntax = "py-syntax", Error;
    /// Python outside the registry subset (assignment, string prefix, triple quotes...); dropped.
    PyUnsupported = "py-unsupported", Error;
    /// A registry call or member with the wrong number or kind of arguments; dropped.
    PyBadArgs = "py-bad-args", Error;
    /// A flag other than F_OPTIONAL, F_LINK, F_LINKABLE, F_SECRET; the member is dropped.
    PyUnknownFlag = "py-unknown-flag", Error;
    /// A since-version, parent or version set naming no AddVersion.
    PyUnknownVersion = "py-unknown-version", Error;
    /// A type defined twice (the first definition is kept, as pyVmomi does).
    PyDuplicateType = "py-duplicate-type", Warning;
    /// A version declared again with another namespace or id (the first is kept).
    PyDuplicateVersion = "py-duplicate-version", Warning;
    /// A type name that the registry neither defines nor has built in (`BUILTIN_TYPES`); the
    /// merge decides whether the model misses it ([`Kind::PyPropertyTypeUnknown`]).
    PyUnknownType = "py-unknown-type", Warning;
    /// The registry has no version for the WSDL's soapAction version, or the WSDL names none
    /// (codegen::load); the registry is used unfiltered.
    PyNoWsdlVersion = "py-no-wsdl-version", Error;
    /// A call that is not a registry call (AddBreakingChangesInfo...); ignored.
    PyUnknownCall = "py-unknown-call", Warning;
    // The merge (`merge`).
    /// A data-object page has no WSDL type (flattened name or alias).
    UnjoinedType = "unjoined-type", Error;
    /// A joined WSDL type shares no property name with the page.
    JoinMismatch = "join-mismatch", Error;
    /// Two pages join the same WSDL type.
    DuplicateJoin = "duplicate-join", Error;
    /// A type name resolves to no page, enum or primitive.
    UnknownType = "unknown-type", Error;
    /// `inherits from` names no page.
    UnknownBase = "unknown-base", Error;
    /// A page's method has no WSDL operation.
    MethodNotOnWire = "method-not-on-wire", Error;
    /// An overrides entry names something that does not exist.
    OverrideUnknown = "override-unknown", Error;
    /// The WSDL's API version is not the newest of vim.version.md.
    WsdlVersionMismatch = "wsdl-version-mismatch", Error;
    /// An enum of enums.md has no WSDL enumeration.
    UnjoinedEnum = "unjoined-enum", Error;
    /// A page lists a property the WSDL type lacks (dropped).
    PropertyNotOnWire = "property-not-on-wire", Warning;
    /// The WSDL type has an element the page does not list (kept).
    PropertyUndocumented = "property-undocumented", Warning;
    /// The page's type differs from the wire type (wire kept).
    TypeMismatch = "type-mismatch", Warning;
    /// The page says optional, the XSD says required (page kept).
    OptionalMismatch = "optional-mismatch", Warning;
    /// `inherits from` differs from the XSD extension base (page kept).
    BaseMismatch = "base-mismatch", Warning;
    /// A heading names a parameter the request type lacks.
    ParamNotOnWire = "param-not-on-wire", Warning;
    /// The page's return row differs from the wire's returnval.
    ReturnMismatch = "return-mismatch", Warning;
    /// A reference whose managed object neither input names.
    MoRefUntyped = "mo-ref-untyped", Warning;
    /// A managed object without `wsdl_name` in the overrides.
    MoWireNameGuessed = "mo-wire-name-guessed", Warning;
    /// A WSDL operation no page describes.
    OperationUnowned = "operation-unowned", Warning;
    /// A WSDL data type no page describes.
    WsdlTypeUnused = "wsdl-type-unused", Warning;
    /// `enums.md` and the WSDL list different values (wire kept).
    EnumValuesMismatch = "enum-values-mismatch", Warning;
    /// A version reference that resolves to no id.
    UnknownVersion = "unknown-version", Warning;
    /// A managed object's page repeats a property of its base (dropped).
    PropertyShadowsBase = "property-shadows-base", Warning;
    /// A description links to a type or member that does not exist.
    DocLinkUnresolved = "doc-link-unresolved", Warning;
    /// A version link's text is newer than its anchor (the text is kept).
    SinceDisagrees = "since-disagrees", Warning;
    /// A `_Task` operation whose page does not return vim.Task, or the reverse.
    TaskSuffixMismatch = "task-suffix-mismatch", Warning;
    // The WSDL-first merge with pyVmomi's registry (`merge::registry`).
    /// A WSDL element type that is not declared (the WSDL reader reports it too).
    PyWireTypeUnknown = "py-wire-type-unknown", Error;
    /// A managed object's property whose registry type is not in the model (the WSDL lacks
    /// it): the generated property would name nothing.
    PyPropertyTypeUnknown = "py-property-type-unknown", Error;
    /// A WSDL type or enum no registry version knows: kept under its wire name, since the WSDL's
    /// version.
    PyWireUnregistered = "py-wire-unregistered", Warning;
    /// A WSDL operation no managed type of the registry has (dropped: its owner is unknown).
    PyOperationUnowned = "py-operation-unowned", Warning;
    /// A WSDL item the registry adds only in a later version (or another package's version): kept.
    PyNewerThanWsdl = "py-newer-than-wsdl", Warning;
    /// A registry method of this version with no WSDL operation (dropped).
    PyMethodNotOnWire = "py-method-not-on-wire", Warning;
    /// A registry property of this version the WSDL type lacks (dropped).
    PyPropertyNotOnWire = "py-property-not-on-wire", Warning;
    /// A WSDL element the registry's type lacks at this version (kept, XSD optionality).
    PyPropertyUnregistered = "py-property-unregistered", Warning;
    /// The registry's type differs from the wire's (wire kept).
    PyTypeMismatch = "py-type-mismatch", Warning;
    /// The registry and the wire disagree on array-ness (wire kept).
    PyArrayMismatch = "py-array-mismatch", Warning;
    /// The registry's base differs from the XSD extension base (wire kept).
    PyBaseMismatch = "py-base-mismatch", Warning;
    /// The registry's declared faults differ from the WSDL operation's (WSDL kept).
    PyFaultsMismatch = "py-faults-mismatch", Warning;
    /// The registry's enum values differ from the WSDL's (wire kept).
    PyEnumValuesMismatch = "py-enum-values-mismatch", Warning;
    /// A reference whose managed object the registry does not name (vmodl.ManagedObject).
    PyRefUntyped = "py-ref-untyped", Warning;
    /// An overrides file given with the registry is not read (codegen::load).
    OverridesIgnored = "overrides-ignored", Warning;
    // The emitter (`emit`).
    /// Two managed objects would get the same Cargo feature name.
    EmitFeatureCollision = "emit-feature-collision", Error;
    /// Two items would get the same Rust name in one module.
    EmitNameCollision = "emit-name-collision", Error;
    /// The emitter produced tokens that do not parse as Rust (an emitter bug).
    EmitInvalidTokens = "emit-invalid-tokens", Error;
    /// A model built by hand (not by the merge or `Model::from_json`) whose type reference
    /// names no type of the model: the emitter refuses it.
    EmitDanglingType = "emit-dangling-type", Error;
    /// The model has methods but no fault root (`vmodl.MethodFault`), which every method's
    /// fault enum needs.
    EmitNoFaultRoot = "emit-no-fault-root", Error;
}

/// Ordered by id, so sorted diagnostics and summaries read alphabetically.
impl Ord for Kind {
    fn cmp(&self, other: &Kind) -> std::cmp::Ordering {
        self.id().cmp(other.id())
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Kind) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The id; width and alignment apply (`{:<32}`).
impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

/// One finding: its [`Kind`] (which fixes its severity) and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: Kind,
    pub message: String,
    pub span: Option<Span>,
    /// Shown under the caret (rustc's "label").
    pub label: Option<String>,
    /// Extra lines: `= note: ...` / `= help: ...`.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, message: impl Into<String>) -> Diagnostic {
        Diagnostic { kind, message: message.into(), span: None, label: None, notes: vec![] }
    }
    /// The kind's severity.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
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
        let level = match self.severity() {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str()).id(self.kind.id());
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
        self.list.iter().filter(|d| d.severity() == Severity::Error).count()
    }
    pub fn warning_count(&self) -> usize {
        self.list.iter().filter(|d| d.severity() == Severity::Warning).count()
    }
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.list.iter().filter(move |d| d.kind == kind)
    }

    /// Sorts by file path, position, then kind and message, so output does not depend on
    /// the order files were read in.
    pub fn sort(&mut self, sources: &SourceMap) {
        self.list.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.span.map(|s| (sources.path(s.file).to_path_buf(), s.start, s.end));
            key(a).cmp(&key(b)).then(a.kind.cmp(&b.kind)).then(a.message.cmp(&b.message))
        });
    }

    /// Counts per (severity, kind), sorted.
    pub fn counts(&self) -> BTreeMap<(Severity, Kind), usize> {
        let mut m = BTreeMap::new();
        for d in &self.list {
            *m.entry((d.severity(), d.kind)).or_insert(0) += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are what output, `expected-warnings.toml` and the summary show: each must be
    /// unique, kebab-case (lowercase ASCII words joined by single hyphens), and the
    /// variant's name in upper camel case.
    #[test]
    fn kind_ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for k in Kind::ALL {
            let id = k.id();
            assert!(seen.insert(id), "`{id}` is the id of two kinds");
            let words: Vec<&str> = id.split('-').collect();
            assert!(
                words.iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "`{id}` is not kebab-case"
            );
            let camel: String = words.iter().map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect();
            assert_eq!(format!("{k:?}"), camel, "variant and id differ");
        }
        assert!(Kind::ALL.len() > 90, "{} kinds", Kind::ALL.len());
    }

    #[test]
    fn a_diagnostic_takes_its_severity_and_id_from_its_kind() {
        let e = Diagnostic::new(Kind::UnknownType, "x");
        let w = Diagnostic::new(Kind::DocLinkUnresolved, "y");
        assert_eq!((e.severity(), w.severity()), (Severity::Error, Severity::Warning));
        let mut sources = SourceMap::new();
        let _ = sources.add("f", String::new());
        assert!(e.render(&sources).starts_with("error[unknown-type]: x"), "{}", e.render(&sources));
        let diags = Diagnostics { list: vec![w.clone(), e, w] };
        assert_eq!(diags.of_kind(Kind::DocLinkUnresolved).count(), 2);
        assert_eq!(
            diags.summary(),
            format!(
                "{:>7} {:<32} {:>6}\n{:>7} {:<32} {:>6}\n1 error(s), 2 warning(s)\n",
                "error", "unknown-type", 1, "warning", "doc-link-unresolved", 2
            )
        );
    }
}

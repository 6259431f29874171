//! Damaged input, one mutation at a time: copy `spec/` into a fresh temporary folder, break
//! one file, load it, and check that the run reports a diagnostic of the expected kind in
//! the broken file at the broken line (and never panics). Expected lines are found by
//! searching the pristine text, so the cases keep working when `spec/` is edited.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::diag::{Diagnostic, Kind, Severity};
use codegen::{load, Loaded, SpecPaths};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");

/// A copy of `spec/` in its own temporary folder, removed on drop.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(case: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("vimgen-bad-input-{}-{n}-{case}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(Path::new(SPEC), &dir);
        Scratch { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Rewrites one file with `f`; panics if `f` changed nothing (the case would test nothing).
    fn mutate(&self, rel: &str, f: impl FnOnce(&str) -> String) {
        let old = self.read(rel);
        let new = f(&old);
        assert_ne!(old, new, "mutation of {rel} changed nothing");
        std::fs::write(self.path(rel), new).unwrap();
    }

    fn load(&self) -> Loaded {
        let loaded = load(&SpecPaths::in_folder(&self.dir));
        check_spans(&loaded);
        loaded
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not found"));
    text[..at].matches('\n').count() + 1
}

/// 1-based line of the `nth` (0-based) occurrence of `needle`.
fn nth_line_of(text: &str, needle: &str, nth: usize) -> usize {
    let (at, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("`{needle}` #{nth} not found"));
    text[..at].matches('\n').count() + 1
}

/// Byte offset just after the line holding the first occurrence of `needle`.
fn after_line(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not found"));
    text[at..].find('\n').map_or(text.len(), |n| at + n + 1)
}

/// Invariants of every run: spans inside their files, every diagnostic renders.
fn check_spans(l: &Loaded) {
    for d in &l.diags.list {
        if let Some(s) = d.span {
            let len = l.sources.get(s.file).text.len() as u32;
            assert!(s.start <= s.end && s.end <= len, "span {s:?} outside a file of {len} bytes: {}", d.message);
        }
        let _ = d.render(&l.sources);
    }
}

fn all(l: &Loaded) -> String {
    l.diags.render_all(&l.sources)
}

/// The diagnostic of `kind` located in `file` at `line`; panics with every diagnostic
/// rendered if there is none. Also checks severity and the rendered form.
fn expect<'a>(l: &'a Loaded, kind: Kind, severity: Severity, file: &Path, line: usize) -> &'a Diagnostic {
    let at = |d: &&Diagnostic| d.span.is_some_and(|s| l.sources.path(s.file) == file && l.sources.get(s.file).line_col(s.start).0 == line);
    let Some(d) = l.diags.of_kind(kind).find(at) else {
        panic!("expected `{kind}` at {}:{line}; got:\n{}", file.display(), all(l));
    };
    assert_eq!(d.severity(), severity, "{}", d.render(&l.sources));
    let span = d.span.unwrap();
    let loc = l.sources.location(span);
    let prefix = format!("{}:{line}:", file.display());
    assert!(loc.starts_with(&prefix), "location {loc} is not at {prefix}");
    let text = d.render(&l.sources);
    assert!(text.contains(&loc), "rendered diagnostic lacks `{loc}`:\n{text}");
    assert!(text.contains('^'), "rendered diagnostic lacks a caret:\n{text}");
    assert!(text.contains(kind.id()), "rendered diagnostic lacks its kind:\n{text}");
    d
}

#[test]
fn pristine_spec_has_no_errors() {
    let s = Scratch::new("pristine");
    let l = s.load();
    assert!(!l.diags.has_errors(), "{}", all(&l));
}

#[test]
fn truncated_page() {
    let s = Scratch::new("truncated");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let heading = "SetLocale([locale](#string \"string\"))";
    let line = line_of(&text, heading);
    // Cut in the middle of the section: after its `raises` line, before the rule and table.
    let cut = after_line(&text[text.find(heading).unwrap()..], " raises") + text.find(heading).unwrap();
    s.mutate(rel, |t| t[..cut].to_string());
    let l = s.load();
    let d = expect(&l, Kind::MdMethodIncomplete, Severity::Error, &s.path(rel), line);
    assert!(d.message.contains("SetLocale"), "{}", d.message);
}

#[test]
fn broken_table_row() {
    let s = Scratch::new("table-row");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let row = "| <a href='message'>message</a> | string | true | System.View |";
    let line = line_of(&text, row);
    s.mutate(rel, |t| t.replacen(row, "| <a href='message'>message</a> | string | System.View |", 1));
    let l = s.load();
    let d = expect(&l, Kind::MdBadTableRow, Severity::Error, &s.path(rel), line);
    assert!(d.message.contains("4 cells") && d.message.contains("has 5"), "{}", d.message);
}

/// After a lost underline the method is still read: one error, and nothing cascades (no
/// WSDL operation left unowned, no method joined to another's operation).
fn assert_recovered(l: &Loaded) {
    assert_eq!(l.diags.error_count(), 1, "{}", all(l));
    for kind in [Kind::OperationUnowned, Kind::ParamNotOnWire, Kind::MdServiceNameMismatch, Kind::MdUnexpectedBlock] {
        assert_eq!(l.diags.of_kind(kind).count(), 0, "{kind}:\n{}", all(l));
    }
}

#[test]
fn missing_heading_underline_mid_page() {
    // `Logout()` loses its `---` line: it becomes a paragraph inside the previous method's
    // section, followed by a second `service name` table.
    let s = Scratch::new("underline-mid");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let line = line_of(&text, "\nLogout()\n") + 1;
    s.mutate(rel, |t| t.replacen("\nLogout()\n--------\n", "\nLogout()\n", 1));
    let l = s.load();
    expect(&l, Kind::MdMissingHeading, Severity::Error, &s.path(rel), line);
    assert_recovered(&l);
}

#[test]
fn missing_heading_underline_first_method() {
    // The first method loses its underline: its heading text follows the property table.
    let s = Scratch::new("underline-first");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let heading = "UpdateServiceMessage([message](#string \"string\"))";
    let line = line_of(&text, heading);
    s.mutate(rel, |t| {
        let at = t.find(heading).unwrap() + heading.len() + 1;
        let underline_end = at + t[at..].find('\n').unwrap() + 1;
        format!("{}{}", &t[..at], &t[underline_end..])
    });
    let l = s.load();
    expect(&l, Kind::MdMissingHeading, Severity::Error, &s.path(rel), line);
    assert_recovered(&l);
}

#[test]
fn missing_heading_underline_before_raises() {
    // Without its underline, `Login(...)` and its ` raises ...` line make one paragraph,
    // then a rule and the `service name` table. The method is still read (recovered).
    let s = Scratch::new("underline-raises");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let heading = "Login([userName](#string \"string\"), [password](#string \"string\"), [locale](#string \"string\"))\n";
    let line = line_of(&text, heading);
    s.mutate(rel, |t| {
        let at = t.find(heading).unwrap() + heading.len();
        let underline_end = at + t[at..].find('\n').unwrap() + 1;
        format!("{}{}", &t[..at], &t[underline_end..])
    });
    let l = s.load();
    expect(&l, Kind::MdMissingHeading, Severity::Error, &s.path(rel), line);
    assert_recovered(&l);
    let sm = l.model.managed_objects.iter().find(|m| m.name == "vim.SessionManager").unwrap();
    assert!(sm.methods.iter().any(|m| m.name == "Login"));
}

#[test]
fn unknown_property_type() {
    let s = Scratch::new("unknown-type");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let row = "| <a href='currentSession'>currentSession</a> | [vim.UserSession](vim.UserSession.md \"vim.UserSession\") |";
    let line = line_of(&text, row);
    s.mutate(rel, |t| {
        t.replacen(row, "| <a href='currentSession'>currentSession</a> | [vim.NoSuchType](vim.NoSuchType.md \"vim.NoSuchType\") |", 1)
    });
    let l = s.load();
    let d = expect(&l, Kind::UnknownType, Severity::Error, &s.path(rel), line);
    assert!(d.message.contains("vim.NoSuchType"), "{}", d.message);
}

/// The `Logout()` section of vim.SessionManager.md, heading to the blank lines after it.
fn logout_section(text: &str) -> &str {
    let start = text.find("\nLogout()\n").unwrap() + 1;
    let end = start + text[start..].find("\nAcquireLocalTicket(").unwrap() + 1;
    &text[start..end]
}

#[test]
fn duplicate_method() {
    let s = Scratch::new("dup-method");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let section = logout_section(&text).to_string();
    s.mutate(rel, |t| format!("{t}\n{section}"));
    let line = nth_line_of(&s.read(rel), "\nLogout()\n", 1) + 1;
    let l = s.load();
    let d = expect(&l, Kind::MdDuplicateMethod, Severity::Error, &s.path(rel), line);
    assert!(d.notes.iter().any(|n| n.contains(&format!(":{}:", line_of(&text, "\nLogout()\n") + 1))), "{:?}", d.notes);
}

#[test]
fn method_not_on_wire() {
    let s = Scratch::new("method-not-on-wire");
    let rel = "vim.SessionManager.md";
    let text = s.read(rel);
    let section = logout_section(&text).replace("Logout", "LogoutEverywhere").replace("--------", "------------------");
    s.mutate(rel, |t| format!("{t}\n{section}"));
    let line = line_of(&s.read(rel), "\nLogoutEverywhere()\n") + 1;
    let l = s.load();
    let d = expect(&l, Kind::MethodNotOnWire, Severity::Error, &s.path(rel), line);
    assert!(d.message.contains("LogoutEverywhere"), "{}", d.message);
}

#[test]
fn page_missing_title() {
    let s = Scratch::new("no-title");
    let rel = "vim.AboutInfo.md";
    s.mutate(rel, |t| t.replacen("vim.AboutInfo\n=============\n", "", 1));
    // The first block is now the `inherits from` paragraph.
    let line = line_of(&s.read(rel), "inherits from");
    let l = s.load();
    expect(&l, Kind::MdMissingTitle, Severity::Error, &s.path(rel), line);
}

#[test]
fn property_not_on_wire() {
    let s = Scratch::new("property-not-on-wire");
    let rel = "vim.AboutInfo.md";
    let text = s.read(rel);
    let anchor = "| build | string |";
    let row = "| bogusField | string | true | None | A property the WSDL type does not have. |\n";
    let at = after_line(&text, anchor);
    s.mutate(rel, |t| format!("{}{row}{}", &t[..at], &t[at..]));
    let line = line_of(&s.read(rel), "| bogusField |");
    let l = s.load();
    let d = expect(&l, Kind::PropertyNotOnWire, Severity::Warning, &s.path(rel), line);
    assert!(d.message.contains("bogusField"), "{}", d.message);
}

#[test]
fn wsdl_xml_syntax_error() {
    let s = Scratch::new("xml-syntax");
    let rel = "wsdl/vim.wsdl";
    let text = s.read(rel);
    // Misspell the closing tag of the `Login` operation of the portType.
    let open = text.find("<operation name=\"Login\">").unwrap();
    let close = open + text[open..].find("</operation>").unwrap();
    let line = text[..close].matches('\n').count() + 1;
    s.mutate(rel, |t| format!("{}</operatoin>{}", &t[..close], &t[close + "</operation>".len()..]));
    let l = s.load();
    expect(&l, Kind::WsdlXmlSyntax, Severity::Error, &s.path(rel), line);
}

#[test]
fn wsdl_unclosed_tag() {
    let s = Scratch::new("xml-unclosed");
    let rel = "wsdl/vim.wsdl";
    let text = s.read(rel);
    let needle = "<operation name=\"Logout\">";
    let line = line_of(&text, needle);
    s.mutate(rel, |t| t.replacen(needle, "<operation name=\"Logout\"", 1));
    let l = s.load();
    expect(&l, Kind::WsdlXmlSyntax, Severity::Error, &s.path(rel), line);
}

#[test]
fn wsdl_of_another_version() {
    let s = Scratch::new("wsdl-version");
    let rel = "wsdl/vim.wsdl";
    let text = s.read(rel);
    let soap_lines: Vec<usize> =
        text.match_indices("soapAction=\"urn:vim25/5.5\"").map(|(i, _)| text[..i].matches('\n').count() + 1).collect();
    assert!(!soap_lines.is_empty());
    s.mutate(rel, |t| t.replace("urn:vim25/5.5", "urn:vim25/6.0"));
    let l = s.load();
    let d = l.diags.of_kind(Kind::WsdlVersionMismatch).next().unwrap_or_else(|| panic!("no wsdl-version-mismatch:\n{}", all(&l)));
    assert_eq!(d.severity(), Severity::Error);
    assert!(d.message.contains("6.0") && d.message.contains("5.5"), "{}", d.message);
    let span = d.span.expect("wsdl-version-mismatch has a span");
    assert_eq!(l.sources.path(span.file), s.path(rel));
    let line = l.sources.get(span.file).line_col(span.start).0;
    // It points at a soapAction that names the other version.
    expect(&l, Kind::WsdlVersionMismatch, Severity::Error, &s.path(rel), line);
    assert!(soap_lines.contains(&line), "line {line} is not a soapAction line:\n{}", d.render(&l.sources));
}

#[test]
fn overrides_syntax_error() {
    let s = Scratch::new("overrides-syntax");
    let rel = "overrides.toml";
    let text = s.read(rel);
    let needle = "wsdl_name = \"AuthorizationManager\"";
    let line = line_of(&text, needle);
    s.mutate(rel, |t| t.replacen(needle, "wsdl_name = \"AuthorizationManager", 1));
    let l = s.load();
    expect(&l, Kind::OverridesSyntax, Severity::Error, &s.path(rel), line);
}

#[test]
fn overrides_unknown_field() {
    // A shape error (serde), not a TOML one: still at the offending line.
    let s = Scratch::new("overrides-shape");
    let rel = "overrides.toml";
    let text = s.read(rel);
    let needle = "wsdl_name = \"AuthorizationManager\"";
    let line = line_of(&text, needle);
    s.mutate(rel, |t| t.replacen(needle, "wsdl_nmae = \"AuthorizationManager\"", 1));
    let l = s.load();
    expect(&l, Kind::OverridesSyntax, Severity::Error, &s.path(rel), line);
}

#[test]
fn override_of_unknown_type() {
    let s = Scratch::new("override-unknown");
    let rel = "overrides.toml";
    s.mutate(rel, |t| format!("{t}\n[managed_objects.\"vim.NoSuchManager\"]\nwsdl_name = \"NoSuchManager\"\n"));
    let line = line_of(&s.read(rel), "[managed_objects.\"vim.NoSuchManager\"]");
    let l = s.load();
    let d = expect(&l, Kind::OverrideUnknown, Severity::Error, &s.path(rel), line);
    assert!(d.message.contains("vim.NoSuchManager"), "{}", d.message);
}

#[test]
fn override_of_unknown_property() {
    let s = Scratch::new("override-unknown-prop");
    let rel = "overrides.toml";
    s.mutate(rel, |t| format!("{t}\n[managed_objects.\"vim.SessionManager\".property_types]\nnoSuchProperty = \"vim.Folder\"\n"));
    let l = s.load();
    let d = l.diags.of_kind(Kind::OverrideUnknown).next().unwrap_or_else(|| panic!("no override-unknown:\n{}", all(&l)));
    assert!(d.message.contains("noSuchProperty"), "{}", d.message);
    let span = d.span.expect("override-unknown has a span");
    assert_eq!(l.sources.path(span.file), s.path(rel));
}

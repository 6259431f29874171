//! Golden tests: one small folder per merge rule or diagnostic, input beside output.
//!
//! Every folder `tests/golden/<case>/` holds `input/` (markdown pages, `vim.wsdl` and any
//! XSD it includes, optionally `overrides.toml` and a pyVmomi registry in `input/pyVmomi/`)
//! and what the generator makes of it:
//!
//! - `expected.diag`: every diagnostic rendered (paths relative to the case folder), then
//!   the per-kind summary;
//! - `expected.ir.json`: the merged IR (`vimgen-ir/1`);
//! - `expected.rs` (optional): one emitted file, named by its first line
//!   (`// file: generated/vim/widget.rs`);
//! - `expected.emit.diag` (optional): the emitter's diagnostics, for a model it refuses.
//!
//! A difference fails the test with a diff per file and names the command that accepts the
//! new output: `VIMGEN_BLESS=1 cargo test -p vimgen-codegen --test golden`, which rewrites
//! the expected files (review them with `git diff`). `VIMGEN_GOLDEN=substring` runs only the
//! cases whose name contains it.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{load, Loaded, SpecPaths};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
const BLESS_CMD: &str = "VIMGEN_BLESS=1 cargo test -p vimgen-codegen --test golden";
/// Optional: the emitter's diagnostics, for a case whose model it refuses.
const EMIT_REFUSED: &str = "expected.emit.diag";
/// The first line of `expected.rs`: which emitted file it holds.
const FILE_TAG: &str = "// file: ";

struct Case {
    name: String,
    dir: PathBuf,
}

impl Case {
    fn input(&self) -> PathBuf {
        self.dir.join("input")
    }

    fn load(&self) -> Loaded {
        let input = self.input();
        // Pages, WSDL and overrides side by side in `input/`; pyVmomi's registry, when the
        // case has one, in `input/pyVmomi/`.
        let mut paths = SpecPaths::in_folder(&input);
        paths.wsdl = input.clone();
        paths.overrides = paths.overrides.filter(|p| p.is_file());
        let registry = input.join("pyVmomi");
        paths.pyvmomi = registry.is_dir().then_some(registry);
        load(&paths)
    }

    /// Paths as the case folder sees them (`input/vim.Widget.md`), on any machine.
    fn relative(&self, text: &str) -> String {
        let prefix = format!("{}{}", self.dir.display(), std::path::MAIN_SEPARATOR);
        text.replace(&prefix, "").replace('\\', "/")
    }
}

fn blessing() -> bool {
    std::env::var_os("VIMGEN_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Every case folder, by name; `VIMGEN_GOLDEN` keeps those whose name contains it.
fn cases() -> Vec<Case> {
    let filter = std::env::var("VIMGEN_GOLDEN").unwrap_or_default();
    let mut out: Vec<Case> = std::fs::read_dir(ROOT)
        .unwrap_or_else(|e| panic!("{ROOT}: {e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("input").is_dir())
        .map(|e| Case { name: e.file_name().to_string_lossy().into_owned(), dir: e.path() })
        .filter(|c| c.name.contains(&filter))
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The outputs of one case: (expected file name, actual contents).
fn outputs(case: &Case) -> Result<Vec<(String, String)>, String> {
    let loaded = case.load();
    let mut diag = loaded.diags.render_all(&loaded.sources);
    diag.push_str(&loaded.diags.summary());
    let mut out = vec![("expected.diag".to_string(), case.relative(&diag)), ("expected.ir.json".to_string(), loaded.ir_json())];
    let rs = case.dir.join("expected.rs");
    if rs.is_file() {
        let text = std::fs::read_to_string(&rs).map_err(|e| format!("{}: {e}", rs.display()))?;
        let first = text.lines().next().unwrap_or("");
        let Some(wanted) = first.strip_prefix(FILE_TAG) else {
            return Err(format!("expected.rs must start with `{FILE_TAG}<path of an emitted file>`"));
        };
        let files =
            codegen::emit::generate(&loaded.model).map_err(|d| format!("the emitter failed:\n{}", d.render_all(&loaded.sources)))?;
        let Some(f) = files.iter().find(|f| f.path == wanted.trim()) else {
            let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
            return Err(format!("no emitted file `{}`; the emitter wrote: {}", wanted.trim(), names.join(", ")));
        };
        out.push(("expected.rs".to_string(), format!("{first}\n{}", f.contents)));
    }
    // A case whose model the emitter refuses shows the emitter's diagnostics instead.
    if case.dir.join(EMIT_REFUSED).is_file() {
        let refused = match codegen::emit::generate(&loaded.model) {
            Ok(_) => "the emitter accepted the model\n".to_string(),
            Err(d) => format!("{}{}", d.render_all(&loaded.sources), d.summary()),
        };
        out.push((EMIT_REFUSED.to_string(), refused));
    }
    Ok(out)
}

/// Compares one expected file with the output (rewriting it when blessing); `None` when
/// they agree.
fn compare(case: &Case, file: &str, actual: &str, bless: bool) -> Option<String> {
    let path = case.dir.join(file);
    let expected = std::fs::read_to_string(&path).ok();
    if expected.as_deref() == Some(actual) {
        return None;
    }
    if bless {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("blessed {}/{file}", case.name);
        return None;
    }
    let old = expected.as_deref().unwrap_or("");
    let what = if expected.is_some() { "differs from the output" } else { "is missing" };
    let diff = similar::TextDiff::from_lines(old, actual)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}/{file}", case.name), &format!("b/{}/{file}", case.name))
        .to_string();
    let shown: Vec<&str> = diff.lines().take(120).collect();
    let more = diff.lines().count().saturating_sub(shown.len());
    let tail = if more > 0 { format!("\n... {more} more diff lines") } else { String::new() };
    Some(format!("{}/{file} {what}:\n{}{tail}", case.name, shown.join("\n")))
}

/// Runs every case; returns one message per failing file.
fn run(cases: &[Case], bless: bool) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        match outputs(case) {
            Err(e) => failures.push(format!("{}: {e}", case.name)),
            Ok(files) => failures.extend(files.iter().filter_map(|(file, actual)| compare(case, file, actual, bless))),
        }
    }
    failures
}

#[test]
fn golden_cases() {
    let cases = cases();
    assert!(!cases.is_empty() || std::env::var_os("VIMGEN_GOLDEN").is_some(), "no case folder under {ROOT}");
    let failures = run(&cases, blessing());
    assert!(
        failures.is_empty(),
        "{} golden file(s) of {} case(s) differ:\n\n{}\n\nIf the new output is right, accept it with\n    {BLESS_CMD}\nand review `git diff codegen/tests/golden`.",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The harness itself: a case whose expected file is wrong fails, names the file and shows
/// the diff; blessing rewrites it, after which it passes.
#[test]
fn a_wrong_expected_file_fails_and_blessing_fixes_it() {
    let src = Path::new(ROOT).join("join-by-flattened-name");
    let dir = std::env::temp_dir().join(format!("vimgen-golden-self-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&src, &dir);
    let case = Case { name: "copy".into(), dir: dir.clone() };
    let diag = dir.join("expected.diag");
    let good = std::fs::read_to_string(&diag).unwrap();
    std::fs::write(&diag, format!("{good}an extra line\n")).unwrap();
    let failures = run(std::slice::from_ref(&case), false);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].starts_with("copy/expected.diag differs"), "{}", failures[0]);
    assert!(failures[0].contains("-an extra line"), "{}", failures[0]);
    assert!(run(std::slice::from_ref(&case), true).is_empty());
    assert_eq!(std::fs::read_to_string(&diag).unwrap(), good);
    assert!(run(std::slice::from_ref(&case), false).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every diagnostic kind of the merge (both modes: pages-first and, with pyVmomi's registry,
/// WSDL-first) and of the registry's frontend has a case whose `expected.diag` shows it.
#[test]
fn every_merge_kind_has_a_case() {
    let all: String = cases().iter().filter_map(|c| std::fs::read_to_string(c.dir.join("expected.diag")).ok()).collect();
    if std::env::var_os("VIMGEN_GOLDEN").is_some() {
        return;
    }
    let missing: Vec<&str> = codegen::merge::KINDS
        .iter()
        .chain(codegen::merge::registry::KINDS)
        .chain(codegen::pyvmomi::KINDS)
        .map(|k| k.id())
        .filter(|k| !all.contains(&format!("[{k}]")))
        .collect();
    assert!(missing.is_empty(), "merge and registry diagnostic kinds no golden case shows: {missing:?}\nadd a case under {ROOT}");
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

/// A case folder holding this file shows a known bug: its emitted crate does not compile
/// yet. The file says what is wrong; [`known_bugs_compile`] fails until it is fixed.
const KNOWN_BUG: &str = "KNOWN-BUG";

/// The emitted crates of the cases with an `expected.rs`, each written as a crate depending
/// on `vim-runtime` by path, are `cargo check`ed (with the `server` feature, warnings
/// denied) in one workspace under the target folder (reused by later runs).
#[test]
fn emitted_rust_compiles() {
    let cases: Vec<Case> =
        cases().into_iter().filter(|c| c.dir.join("expected.rs").is_file() && !c.dir.join(KNOWN_BUG).is_file()).collect();
    if let Err(e) = check_emitted(&cases, "golden-check") {
        panic!("{e}");
    }
}

/// The cases marked [`KNOWN_BUG`]: fails while their emitted crates do not compile
/// (`cargo test -p vimgen-codegen --test golden -- --ignored`).
#[test]
#[ignore = "known bugs: fails until they are fixed"]
fn known_bugs_compile() {
    let cases: Vec<Case> = cases().into_iter().filter(|c| c.dir.join(KNOWN_BUG).is_file()).collect();
    if let Err(e) = check_emitted(&cases, "golden-check-bugs") {
        panic!("{e}");
    }
}

fn check_emitted(cases: &[Case], folder: &str) -> Result<(), String> {
    if cases.is_empty() {
        return Ok(());
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.parent().unwrap();
    // A relative CARGO_TARGET_DIR is taken as relative to the workspace.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(workspace.join("target"), |t| workspace.join(t));
    let root = target.join(folder);
    let mut members = Vec::new();
    for case in cases {
        let loaded = case.load();
        if loaded.diags.has_errors() {
            return Err(format!("{}: a case with expected.rs must load without errors", case.name));
        }
        let files = codegen::emit::generate(&loaded.model).map_err(|d| format!("{}: {}", case.name, d.render_all(&loaded.sources)))?;
        let dir = root.join(&case.name);
        let _ = std::fs::remove_dir_all(dir.join("src"));
        for f in &files {
            let p = dir.join("src").join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &f.contents).unwrap();
        }
        let runtime = workspace.join("vim-runtime");
        let toml = format!(
            "[package]\nname = \"golden-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nvim-runtime = {{ path = {:?} }}\n\n{}",
            case.name,
            runtime.display().to_string(),
            codegen::emit::cargo_features(&loaded.model)
        );
        std::fs::write(dir.join("Cargo.toml"), toml).unwrap();
        members.push(format!("{:?}", case.name));
    }
    let ws = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(root.join("Cargo.toml"), ws).unwrap();
    let _ = std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = std::time::Instant::now();
    let out = Command::new(cargo)
        .args(["check", "--offline", "--workspace", "--all-features", "--quiet"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUSTFLAGS", "-Dwarnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    eprintln!("cargo check of {} emitted crate(s): {:.1} s", cases.len(), started.elapsed().as_secs_f64());
    if !out.status.success() {
        return Err(format!("the emitted Rust does not compile:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

//! `cargo xtask gen`: run the emitter and put its files on disk (or compare them with it).
//!
//! Two destinations share one mechanism, a [`Tree`]: a set of files under a root folder plus
//! the folders whose `.rs` files the tree owns (a `.rs` file there that is not in the set is
//! stale and removed):
//!
//! - the project's `vim-types/src/generated/` (owns all of it);
//! - a standalone crate written with `--out DIR` (`Cargo.toml`, the hand-written files of
//!   `vim-types/src/` and `src/generated/`; it owns `src/`).
//!
//! Files whose contents are unchanged are not rewritten, so their mtimes stay and cargo
//! does not rebuild the crate for nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use codegen::diag::Severity;
use codegen::emit::GeneratedFile;
use codegen::Loaded;

/// Runs the emitter on a loaded spec. Its diagnostics, if it fails, are rendered against
/// the spec's sources. Checks the paths it returns before anything touches the disk.
pub fn generate(loaded: &Loaded) -> Result<Vec<GeneratedFile>> {
    let files = match codegen::emit::generate(&loaded.model) {
        Ok(files) => files,
        Err(diags) => {
            for d in &diags.list {
                eprintln!("{}\n", d.render(&loaded.sources));
            }
            if diags.list.is_empty() {
                bail!("the emitter failed without a diagnostic (codegen::emit::generate is still a stub?)");
            }
            eprint!("{}", diags.summary());
            let errors = diags.list.iter().filter(|d| d.severity() == Severity::Error).count();
            bail!("the emitter failed with {errors} error(s)");
        }
    };
    let mut seen = BTreeSet::new();
    for f in &files {
        check_relative_path(&f.path).with_context(|| format!("the emitter returned a bad path {:?}", f.path))?;
        if !f.path.ends_with(".rs") {
            bail!("the emitter returned {:?}, which is not a .rs file", f.path);
        }
        if !seen.insert(f.path.as_str()) {
            bail!("the emitter returned {:?} twice", f.path);
        }
    }
    for needed in ["lib.rs", "generated/mod.rs"] {
        if !seen.contains(needed) {
            bail!("the emitter returned no {needed}");
        }
    }
    Ok(files)
}

/// A `/`-separated path that stays below its root: no empty, `.` or `..` part, not absolute.
fn check_relative_path(p: &str) -> Result<()> {
    if p.is_empty() || p.starts_with('/') || p.contains('\\') {
        bail!("not a relative /-separated path");
    }
    if p.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
        bail!("has an empty, '.' or '..' component");
    }
    Ok(())
}

/// Files to put under `root`, by `/`-separated relative path.
pub struct Tree {
    pub root: PathBuf,
    pub files: BTreeMap<String, String>,
    /// Relative folders (`""` is the root itself) whose `.rs` files belong to the tree: any
    /// not in `files` is stale.
    pub owned: Vec<String>,
}

impl Tree {
    /// The project's `vim-types/`: `src/lib.rs`, all of `src/generated/`, and the
    /// `[features]` table at the end of `Cargo.toml`, below [`FEATURES_MARKER`] (what is
    /// above it is hand-written and kept).
    pub fn in_tree(root: &Path, generated: Vec<GeneratedFile>, features: &str) -> Result<Tree> {
        let krate = root.join("vim-types");
        let manifest = krate.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
        let Some(at) = text.find(FEATURES_MARKER) else {
            bail!("{} has no line `{FEATURES_MARKER}`: the generated [features] table goes below it", manifest.display());
        };
        let mut files: BTreeMap<String, String> = generated.into_iter().map(|f| (format!("src/{}", f.path), f.contents)).collect();
        files.insert(
            "Cargo.toml".to_string(),
            format!(
                "{}{FEATURES_MARKER}
{features}",
                &text[..at]
            ),
        );
        Ok(Tree { root: krate, files, owned: vec!["src/generated".to_string()] })
    }

    /// A standalone crate at `dir`: a manifest that depends on the runtime as `runtime`
    /// says (with the generated `[features]` table), and the generated sources. Builds on
    /// its own (`[workspace]`).
    pub fn standalone(dir: &Path, generated: Vec<GeneratedFile>, runtime: &RuntimeDep, features: &str) -> Result<Tree> {
        // The tree owns src/ whole, so refuse a folder that holds some other crate.
        let manifest = dir.join("Cargo.toml");
        if let Ok(existing) = std::fs::read_to_string(&manifest) {
            if !existing.starts_with(MANIFEST_HEADER) {
                bail!("{} exists and was not written by `cargo xtask gen --out`: not overwriting that crate", manifest.display());
            }
        }
        let mut files = BTreeMap::new();
        files.insert("Cargo.toml".to_string(), standalone_manifest(dir, runtime, features)?);
        for f in generated {
            files.insert(format!("src/{}", f.path), f.contents);
        }
        Ok(Tree { root: dir.to_path_buf(), files, owned: vec!["src".to_string()] })
    }

    /// Compares the tree with the disk.
    pub fn plan(&self) -> Result<Plan> {
        let mut plan = Plan::default();
        for (path, contents) in &self.files {
            let full = self.root.join(path);
            match std::fs::read(&full) {
                Ok(old) if old == contents.as_bytes() => plan.unchanged += 1,
                Ok(old) => plan.changed.push((path.clone(), String::from_utf8_lossy(&old).into_owned())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.added.push(path.clone()),
                Err(e) => return Err(e).with_context(|| format!("reading {}", full.display())),
            }
        }
        for dir in &self.owned {
            let mut found = Vec::new();
            rs_files(&self.root, dir, &mut found)?;
            for path in found {
                if !self.files.contains_key(&path) {
                    let old = std::fs::read(self.root.join(&path)).with_context(|| format!("reading {path}"))?;
                    plan.removed.push((path, String::from_utf8_lossy(&old).into_owned()));
                }
            }
        }
        plan.removed.sort();
        Ok(plan)
    }

    /// Writes what differs, removes what is stale (and folders that become empty under the
    /// owned ones).
    pub fn apply(&self, plan: &Plan) -> Result<()> {
        let writes = plan.added.iter().chain(plan.changed.iter().map(|(p, _)| p));
        for path in writes {
            let full = self.root.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&full, &self.files[path]).with_context(|| format!("writing {}", full.display()))?;
        }
        for (path, _) in &plan.removed {
            let full = self.root.join(path);
            std::fs::remove_file(&full).with_context(|| format!("removing {}", full.display()))?;
        }
        for dir in &self.owned {
            remove_empty_dirs(&self.root.join(dir), false)?;
        }
        Ok(())
    }
}

/// `.rs` files under `root/rel`, recursively, as `/`-separated paths relative to `root`.
fn rs_files(root: &Path, rel: &str, out: &mut Vec<String>) -> Result<()> {
    let dir = root.join(rel);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        let ty = entry.file_type()?;
        if ty.is_dir() {
            rs_files(root, &path, out)?;
        } else if ty.is_file() && name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Removes the empty folders below `dir` (and `dir` itself when `this` is set).
fn remove_empty_dirs(dir: &Path, this: bool) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_dirs(&entry.path(), true)?;
        }
    }
    if this && std::fs::read_dir(dir)?.next().is_none() {
        std::fs::remove_dir(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
}

/// The most diff lines `--check` prints of one file.
const PER_FILE_DIFF_LINES: usize = 80;

/// How the disk differs from a [`Tree`]. Old contents are kept for the diff.
#[derive(Default)]
pub struct Plan {
    pub added: Vec<String>,
    pub changed: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
    pub unchanged: usize,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// A unified diff (`--- a/… +++ b/…`), at most `max_lines` lines, then a note of what
    /// was left out.
    pub fn diff(&self, tree: &Tree, max_lines: usize) -> String {
        let mut out = String::new();
        let mut lines = 0usize;
        let mut left_out = Vec::new();
        // (path, old, new, a-side header, b-side header)
        let mut entries: Vec<(&str, &str, &str, String, String)> = Vec::new();
        for p in &self.added {
            entries.push((p, "", &tree.files[p], "/dev/null".into(), format!("b/{p}")));
        }
        for (p, old) in &self.changed {
            entries.push((p, old, &tree.files[p], format!("a/{p}"), format!("b/{p}")));
        }
        for (p, old) in &self.removed {
            entries.push((p, old, "", format!("a/{p}"), "/dev/null".into()));
        }
        entries.sort_by(|x, y| x.0.cmp(y.0));
        for (path, old, new, a, b) in entries {
            let text = similar::TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(&a, &b).to_string();
            let n = text.lines().count();
            // A whole new file of a thousand lines says little: each file gets a share.
            let room = max_lines.saturating_sub(lines).min(PER_FILE_DIFF_LINES);
            if lines >= max_lines {
                left_out.push(path.to_string());
                continue;
            }
            for l in text.lines().take(room) {
                out.push_str(l);
                out.push('\n');
            }
            if n > room {
                out.push_str(&format!("... ({} more diff lines of {path})\n", n - room));
            }
            lines += n.min(room);
        }
        if !left_out.is_empty() {
            out.push_str(&format!("... diff cut at {max_lines} lines; {} more file(s) differ:\n", left_out.len()));
            for p in left_out {
                out.push_str(&format!("    {p}\n"));
            }
        }
        out
    }

    pub fn summary(&self) -> String {
        format!("{} added, {} changed, {} removed, {} unchanged", self.added.len(), self.changed.len(), self.removed.len(), self.unchanged)
    }
}

/// The first line of a manifest `--out` wrote.
const MANIFEST_HEADER: &str = "# Written by `cargo xtask gen --out`: a crate of vimgen's generated vSphere bindings.";

/// How a `--out` crate depends on `vim-runtime` (`--runtime`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeDep {
    /// This checkout's `vim-runtime/` (the default), written relative to the crate.
    Local,
    /// `path=DIR`: a copy of the runtime elsewhere, relative to the crate or absolute.
    Path(String),
    /// `git=URL` or `git=URL#REV`.
    Git { url: String, rev: Option<String> },
    /// `version=REQ`: from a registry.
    Version(String),
}

impl std::str::FromStr for RuntimeDep {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}`: expected path=DIR, git=URL[#REV] or version=REQ");
        let (kind, value) = s.split_once('=').ok_or_else(bad)?;
        if value.is_empty() {
            return Err(bad());
        }
        Ok(match kind {
            "path" => RuntimeDep::Path(value.to_string()),
            "git" => match value.split_once('#') {
                Some((url, rev)) => RuntimeDep::Git { url: url.to_string(), rev: Some(rev.to_string()) },
                None => RuntimeDep::Git { url: value.to_string(), rev: None },
            },
            "version" => RuntimeDep::Version(value.to_string()),
            _ => return Err(bad()),
        })
    }
}

impl RuntimeDep {
    /// The dependency's TOML value, for a crate written at `dir`.
    fn toml(&self, dir: &Path) -> Result<String> {
        let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
        Ok(match self {
            RuntimeDep::Local => {
                let runtime = crate::root().join("vim-runtime");
                format!("{{ path = {} }}", quoted(&relative_path(dir, &runtime)?))
            }
            RuntimeDep::Path(p) => format!("{{ path = {} }}", quoted(p)),
            RuntimeDep::Git { url, rev: None } => format!("{{ git = {} }}", quoted(url)),
            RuntimeDep::Git { url, rev: Some(rev) } => format!("{{ git = {}, rev = {} }}", quoted(url), quoted(rev)),
            RuntimeDep::Version(v) => quoted(v),
        })
    }
}

/// `to` as seen from `from` (both made absolute): `../../vim-runtime`. Falls back to the
/// absolute path when they share no prefix.
fn relative_path(from: &Path, to: &Path) -> Result<String> {
    let absolute = |p: &Path| -> Result<PathBuf> {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
        // Lexically: `from` may not exist yet.
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        Ok(out)
    };
    let (from, to) = (absolute(from)?, absolute(to)?);
    let common = from.components().zip(to.components()).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return Ok(to.display().to_string());
    }
    let mut rel = PathBuf::new();
    for _ in from.components().skip(common) {
        rel.push("..");
    }
    for c in to.components().skip(common) {
        rel.push(c);
    }
    Ok(rel.display().to_string().replace('\\', "/"))
}

/// The line of vim-types/Cargo.toml below which `cargo xtask gen` writes the `[features]` table.
pub const FEATURES_MARKER: &str = "# @generated by `cargo xtask gen` below this line: the [features] table.";

/// The manifest of a `--out` crate. The package is `vim-types`, like the workspace's: code
/// written against one builds against the other. Its own `[workspace]` lets it build
/// anywhere, `target/` of this repository included; to make it a member of your workspace,
/// delete that table and copy the profile into your workspace's manifest.
pub fn standalone_manifest(dir: &Path, runtime: &RuntimeDep, features: &str) -> Result<String> {
    let runtime = runtime.toml(dir)?;
    Ok(format!(
        r#"{MANIFEST_HEADER}
# Regenerate it with `cargo xtask gen ... --out DIR` rather than editing it.

[package]
name = "vim-types"
version = "0.1.0"
description = "Typed VMware vSphere API bindings, generated by vimgen"
edition = "2024"
rust-version = "1.85"
publish = false

[dependencies]
# The hand-written runtime the generated code is written against (XML codec, SOAP, metadata).
vim-runtime = {runtime}

{features}
[package.metadata.docs.rs]
all-features = true

# A generated crate is large and never edited: incremental compilation costs a clean build a
# third of its time and line tables are enough for backtraces (measured in docs/compile-time.md).
# Profiles apply only at a workspace's root: copy this table into yours.
[profile.dev.package.vim-types]
incremental = false
debug = "line-tables-only"

[workspace]
"#
    ))
}

/// Figures of one generation, for the summary line and `bench-build`.
pub struct Stats {
    pub files: usize,
    pub lines: usize,
    pub bytes: usize,
}

pub fn stats(files: &[GeneratedFile]) -> Stats {
    Stats {
        files: files.len(),
        lines: files.iter().map(|f| f.contents.lines().count()).sum(),
        bytes: files.iter().map(|f| f.contents.len()).sum(),
    }
}

/// What `cargo xtask gen` does once the spec is loaded without errors: write (or, with
/// `check`, compare) the tree. `shown` is how the destination is named in messages; `fix` is
/// the command that brings the disk in line.
pub fn write_or_check(
    loaded: &Loaded,
    tree_of: impl FnOnce(Vec<GeneratedFile>) -> Result<Tree>,
    check: bool,
    shown: &str,
    fix: &str,
    started: Instant,
) -> Result<bool> {
    let generated = generate(loaded)?;
    let tree = tree_of(generated)?;
    let lines: usize = tree.files.values().map(|c| c.lines().count()).sum();
    let plan = tree.plan()?;
    let m = &loaded.model;
    if check {
        if plan.is_clean() {
            eprintln!(
                "gen --check: {shown} is up to date ({} files, {} lines) in {} ms",
                tree.files.len(),
                lines,
                started.elapsed().as_millis()
            );
            return Ok(true);
        }
        print!("{}", plan.diff(&tree, 400));
        eprintln!("gen --check: {shown} differs from the generator's output ({})", plan.summary());
        eprintln!("gen --check: run `{fix}` to update it");
        return Ok(false);
    }
    tree.apply(&plan)?;
    if plan.is_clean() {
        eprintln!("gen: {shown} is unchanged ({} files, {lines} lines) in {} ms", tree.files.len(), started.elapsed().as_millis());
        return Ok(true);
    }
    eprintln!(
        "gen: wrote {} files ({} lines) for {} managed objects, {} data objects, {} enums into {shown} in {} ms ({})",
        tree.files.len(),
        lines,
        m.managed_objects.len(),
        m.data_objects.len(),
        m.enums.len(),
        started.elapsed().as_millis(),
        plan.summary()
    );
    Ok(true)
}

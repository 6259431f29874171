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

// The hand-written part of `vim-types` (`HAND_WRITTEN`: every file of vim-types/src/ but
// generated/), embedded by build.rs so that `--out` needs no checkout.
include!(concat!(env!("OUT_DIR"), "/hand_written.rs"));
const VIM_TYPES_MANIFEST: &str = include_str!("../../vim-types/Cargo.toml");
const WORKSPACE_MANIFEST: &str = include_str!("../../Cargo.toml");
/// Seeds a standalone crate's Cargo.lock (cargo prunes what it does not use), so that it
/// builds with the versions the workspace tested rather than the newest ones.
const WORKSPACE_LOCK: &str = include_str!("../../Cargo.lock");

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
            let errors = diags.list.iter().filter(|d| d.severity == Severity::Error).count();
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
    if !seen.contains("mod.rs") {
        bail!("the emitter returned no mod.rs (vim-types/src/lib.rs declares `mod generated;`)");
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
    /// The project's `vim-types/src/generated/`.
    pub fn in_tree(root: &Path, generated: Vec<GeneratedFile>) -> Tree {
        Tree {
            root: root.join("vim-types/src/generated"),
            files: generated.into_iter().map(|f| (f.path, f.contents)).collect(),
            owned: vec![String::new()],
        }
    }

    /// A standalone `vim-types` crate at `dir`: builds on its own (`[workspace]`), with the
    /// project's hand-written sources (`src/lib.rs`, `src/runtime.rs`, ...) and the generated
    /// ones.
    pub fn standalone(dir: &Path, generated: Vec<GeneratedFile>) -> Result<Tree> {
        // The tree owns src/ whole (a hand-written module dropped from the project goes too), so
        // refuse a folder that holds some other crate.
        let manifest = dir.join("Cargo.toml");
        if let Ok(existing) = std::fs::read_to_string(&manifest) {
            if !existing.starts_with(MANIFEST_HEADER) {
                bail!("{} exists and was not written by `cargo xtask gen --out`: not overwriting that crate", manifest.display());
            }
        }
        let mut files = BTreeMap::new();
        files.insert("Cargo.toml".to_string(), standalone_manifest()?);
        for (path, contents) in HAND_WRITTEN {
            files.insert(format!("src/{path}"), contents.to_string());
        }
        for f in generated {
            files.insert(format!("src/generated/{}", f.path), f.contents);
        }
        Ok(Tree { root: dir.to_path_buf(), files, owned: vec!["src".to_string()] })
    }

    /// A standalone crate without a Cargo.lock gets the workspace's (not part of the tree:
    /// cargo rewrites it, and `--check` does not look at it).
    pub fn seed_lock(&self) -> Result<()> {
        let lock = self.root.join("Cargo.lock");
        if self.files.contains_key("Cargo.toml") && !lock.exists() {
            std::fs::write(&lock, WORKSPACE_LOCK).with_context(|| format!("writing {}", lock.display()))?;
        }
        Ok(())
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
        format!(
            "{} added, {} changed, {} removed, {} unchanged",
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.unchanged
        )
    }
}

/// The first line of a manifest `--out` wrote.
const MANIFEST_HEADER: &str = "# Written by `cargo xtask gen --out`: the vim-types crate of vimgen, generated from a";

/// `vim-types/Cargo.toml` made standalone: `x.workspace = true` entries resolved from the
/// workspace manifest, its release profile, and an empty `[workspace]` so that cargo does not
/// look for one above it (the crate may be written inside this workspace's `target/`).
pub fn standalone_manifest() -> Result<String> {
    let ws: toml::Table = WORKSPACE_MANIFEST.parse().context("parsing the workspace Cargo.toml")?;
    let krate: toml::Table = VIM_TYPES_MANIFEST.parse().context("parsing vim-types/Cargo.toml")?;
    let ws_table = ws.get("workspace").and_then(|v| v.as_table()).cloned().unwrap_or_default();
    let ws_package = ws_table.get("package").and_then(|v| v.as_table()).cloned().unwrap_or_default();
    let ws_deps = ws_table.get("dependencies").and_then(|v| v.as_table()).cloned().unwrap_or_default();
    let inherits = |v: &toml::Value| v.as_table().and_then(|t| t.get("workspace")).and_then(|w| w.as_bool()) == Some(true);

    let mut out = String::from(MANIFEST_HEADER);
    out.push_str("\n# vSphere API spec. Standalone: it is a workspace of its own.\n\n");
    let mut sections: Vec<(String, toml::Value)> = Vec::new();
    for (key, value) in krate {
        let value = match key.as_str() {
            "package" => {
                let mut package = value.as_table().cloned().unwrap_or_default();
                for (k, v) in package.iter_mut() {
                    if inherits(v) {
                        *v = ws_package.get(k).cloned().with_context(|| format!("package.{k} inherits from [workspace.package], which lacks it"))?;
                    }
                }
                toml::Value::Table(package)
            }
            "dependencies" | "dev-dependencies" | "build-dependencies" => {
                let mut deps = value.as_table().cloned().unwrap_or_default();
                for (name, v) in deps.iter_mut() {
                    if inherits(v) {
                        let mut resolved = match ws_deps.get(name) {
                            Some(toml::Value::String(version)) => {
                                let mut t = toml::Table::new();
                                t.insert("version".into(), toml::Value::String(version.clone()));
                                t
                            }
                            Some(toml::Value::Table(t)) => t.clone(),
                            _ => bail!("{key}.{name} inherits from [workspace.dependencies], which lacks it"),
                        };
                        for (k, extra) in v.as_table().into_iter().flatten() {
                            if k == "workspace" {
                                continue;
                            }
                            if k == "features" {
                                let mut all = resolved.get("features").and_then(|f| f.as_array()).cloned().unwrap_or_default();
                                all.extend(extra.as_array().cloned().unwrap_or_default());
                                resolved.insert("features".into(), toml::Value::Array(all));
                            } else {
                                resolved.insert(k.clone(), extra.clone());
                            }
                        }
                        *v = toml::Value::Table(resolved);
                    }
                    if v.as_table().is_some_and(|t| t.contains_key("path")) {
                        bail!("{key}.{name} is a path dependency; the standalone crate cannot carry it");
                    }
                }
                toml::Value::Table(deps)
            }
            "lints" if inherits(&value) => {
                ws_table.get("lints").cloned().context("[lints] inherits from [workspace.lints], which is missing")?
            }
            "target" | "patch" => bail!("vim-types/Cargo.toml has a [{key}] table, which `gen --out` does not carry over yet"),
            _ => value,
        };
        sections.push((key, value));
    }
    // [package] first, then the crate's other tables as cargo reads them.
    sections.sort_by_key(|(k, _)| (k != "package", k.clone()));
    for (key, value) in sections {
        let mut t = toml::Table::new();
        t.insert(key, value);
        out.push_str(&toml::to_string(&t).context("writing Cargo.toml")?);
        out.push('\n');
    }
    if let Some(profile) = ws.get("profile") {
        out.push_str("# The workspace's profiles, so that builds match the in-tree crate's.\n");
        let mut t = toml::Table::new();
        t.insert("profile".into(), profile.clone());
        out.push_str(&toml::to_string(&t).context("writing Cargo.toml")?);
        out.push('\n');
    }
    out.push_str("[workspace]\n");
    Ok(out)
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
pub fn write_or_check(loaded: &Loaded, tree_of: impl FnOnce(Vec<GeneratedFile>) -> Result<Tree>, check: bool, shown: &str, fix: &str, started: Instant) -> Result<bool> {
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
    tree.seed_lock()?;
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

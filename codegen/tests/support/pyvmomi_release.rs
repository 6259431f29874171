//! Fetches a pyVmomi release for tests and benches: `pip download --no-deps pyvmomi==V` into
//! `<target>/pyvmomi/V/`, unpacked, cached. Nothing of pyVmomi is committed to the project.
//! Shared by codegen's tests and by xtask (`#[path]`-included there), so both read the same
//! files. Returns the `pyVmomi` package folder, or why it could not (no pip, no network).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace's target folder (CARGO_TARGET_DIR when set), from a crate's manifest folder.
pub fn target_dir(manifest_dir: &Path) -> PathBuf {
    let root = manifest_dir.parent().unwrap_or(manifest_dir);
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The unpacked `pyVmomi` folder of release `version` under `target`, fetched when missing.
pub fn fetch(target: &Path, version: &str) -> Result<PathBuf, String> {
    let dir = target.join("pyvmomi").join(version);
    if let Some(p) = find_package(&dir) {
        return Ok(p);
    }
    let dl = dir.join("download");
    std::fs::create_dir_all(&dl).map_err(|e| format!("cannot create {}: {e}", dl.display()))?;
    let spec = format!("pyvmomi=={version}");
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check", &spec, "-d"])
        .arg(&dl)
        .status()
        .map_err(|e| format!("cannot run python3 -m pip: {e}"))?;
    if !status.success() {
        return Err(format!("pip download {spec} failed ({status})"));
    }
    for entry in std::fs::read_dir(&dl).map_err(|e| e.to_string())?.flatten() {
        let (path, name) = (entry.path(), entry.file_name().to_string_lossy().into_owned());
        // Wheels and zip sdists are zips; python's zipfile unpacks them wherever pip runs.
        let mut cmd = if name.ends_with(".tar.gz") {
            let mut c = Command::new("tar");
            c.arg("xzf").arg(&path).arg("-C").arg(&dir);
            c
        } else {
            let mut c = Command::new("python3");
            c.args(["-m", "zipfile", "-e"]).arg(&path).arg(&dir);
            c
        };
        let ok = cmd.status().map_err(|e| format!("cannot unpack {name}: {e}"))?.success();
        if !ok {
            return Err(format!("unpacking {name} failed"));
        }
    }
    find_package(&dir).ok_or_else(|| format!("no pyVmomi folder in the unpacked {spec} at {}", dir.display()))
}

/// `dir/pyVmomi` (a wheel) or `dir/pyvmomi-V/pyVmomi` (an sdist).
fn find_package(dir: &Path) -> Option<PathBuf> {
    let direct = dir.join("pyVmomi");
    if direct.is_dir() {
        return Some(direct);
    }
    std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path().join("pyVmomi")).find(|p| p.is_dir())
}

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
    // Tests run in parallel and may fetch the same release at once: each fetches into a
    // folder of its own, renamed into place when complete; a fetch that finds the place
    // taken uses the winner's.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tmp = target.join("pyvmomi").join(format!(".{version}-{}-{nanos}", std::process::id()));
    let result = fetch_into(&tmp, version);
    let placed = result.and_then(|_| match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(()),
        Err(_) if find_package(&dir).is_some() => Ok(()),
        Err(e) => Err(format!("cannot move {} into place: {e}", tmp.display())),
    });
    let _ = std::fs::remove_dir_all(&tmp);
    placed?;
    find_package(&dir).ok_or_else(|| format!("no pyVmomi folder in the unpacked pyvmomi=={version} at {}", dir.display()))
}

/// Downloads and unpacks release `version` into `dir`.
fn fetch_into(dir: &Path, version: &str) -> Result<(), String> {
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
            c.arg("xzf").arg(&path).arg("-C").arg(dir);
            c
        } else {
            let mut c = Command::new("python3");
            c.args(["-m", "zipfile", "-e"]).arg(&path).arg(dir);
            c
        };
        let ok = cmd.status().map_err(|e| format!("cannot unpack {name}: {e}"))?.success();
        if !ok {
            return Err(format!("unpacking {name} failed"));
        }
    }
    Ok(())
}

/// `dir/pyVmomi` (a wheel) or `dir/pyvmomi-V/pyVmomi` (an sdist).
fn find_package(dir: &Path) -> Option<PathBuf> {
    let direct = dir.join("pyVmomi");
    if direct.is_dir() {
        return Some(direct);
    }
    std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path().join("pyVmomi")).find(|p| p.is_dir())
}

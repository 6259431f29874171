//! Installs the real peers the tests use when they are missing, so that `cargo xtask test`
//! is all the set-up a fresh machine needs.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The pyVmomi release the conformance tests read (its type tables are a third, independent
/// statement of the API's wire names, arrays and reference classes).
const PYVMOMI: &str = "pyvmomi==9.1.1.0";

/// Ensures `.venv` holds pyVmomi; returns the folder of its package (`.../pyVmomi`).
pub fn pyvmomi(root: &Path) -> Result<PathBuf> {
    let venv = root.join(".venv");
    let python = venv.join("bin/python");
    let locate = || -> Option<PathBuf> {
        let out = Command::new(&python)
            .args(["-c", "import os, pyVmomi; print(os.path.dirname(pyVmomi.__file__))"])
            .output()
            .ok()?;
        out.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
    };
    if let Some(dir) = locate() {
        return Ok(dir);
    }
    eprintln!("--- installing {PYVMOMI} into {}", venv.display());
    if !python.exists() {
        let ok = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().context("running python3 -m venv")?.success();
        if !ok {
            bail!("python3 -m venv {} failed", venv.display());
        }
    }
    let ok = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", PYVMOMI])
        .status()
        .context("running pip")?
        .success();
    if !ok {
        bail!("pip install {PYVMOMI} failed");
    }
    locate().context("pyVmomi is installed but cannot be imported")
}

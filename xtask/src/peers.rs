//! Installs the real peers the tests use when they are missing, so that `cargo xtask test`
//! is all the set-up a fresh machine needs.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The pyVmomi release the conformance tests read (its type tables are a third, independent
/// statement of the API's wire names, arrays and reference classes).
const PYVMOMI: &str = "pyvmomi==9.1.1.0";

/// The interpreter of `.venv`, where [`pyvmomi`] installs pyVmomi.
pub fn venv_python(root: &Path) -> PathBuf {
    root.join(".venv/bin/python")
}

/// Ensures `.venv` holds pyVmomi; returns the folder of its package (`.../pyVmomi`).
pub fn pyvmomi(root: &Path) -> Result<PathBuf> {
    let venv = root.join(".venv");
    let python = venv_python(root);
    let locate = || -> Option<PathBuf> {
        let out = Command::new(&python).args(["-c", "import os, pyVmomi; print(os.path.dirname(pyVmomi.__file__))"]).output().ok()?;
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

/// The Debian packages the Go peers are built from: the Go toolchain and govmomi's library
/// (`/usr/share/gocode/src/github.com/vmware/govmomi`, with its dependencies as packages).
const VCSIM_DEBS: [&str; 2] = ["golang-go", "golang-github-vmware-govmomi-dev"];

/// The GOPATH the Debian Go library packages install into.
const DEBIAN_GOPATH: &str = "/usr/share/gocode";

/// Ensures `target/peers/vcsim` (under CARGO_TARGET_DIR when set) is built from
/// `tests/vcsim/*.go`; returns its path. See [`go_peer`].
pub fn vcsim(root: &Path) -> Result<PathBuf> {
    go_peer(root, "vcsim", "tests/vcsim")
}

/// Ensures `target/peers/govmomi-session` is built from `tests/peers/govmomi-session/*.go`
/// (the SessionManager scenario with govmomi's client); returns its path. See [`go_peer`].
pub fn govmomi_session(root: &Path) -> Result<PathBuf> {
    go_peer(root, "govmomi-session", "tests/peers/govmomi-session")
}

/// Ensures `target/peers/govmomi-decode` is built from `tests/bench-decode/*.go` (govmomi's
/// decoder for `cargo xtask bench-decode`); returns its path. See [`go_peer`].
pub fn govmomi_decode(root: &Path) -> Result<PathBuf> {
    go_peer(root, "govmomi-decode", "tests/bench-decode")
}

/// Ensures `target/peers/NAME` (under CARGO_TARGET_DIR when set) is built from the Go
/// program in `root/src` (one `main` package against Debian's govmomi); returns its path.
/// Does nothing, silently, when the binary exists and was built from the current sources (a
/// copy of them is kept beside it as `NAME.src`, so a fresh clone with a kept `target/` does
/// not rebuild for a mere mtime change). Otherwise installs the Debian packages when `dpkg`
/// says they are missing (`apt-get update` and `apt-get install`, which needs root) and builds
/// in GOPATH mode with the Go cache in `target/peers/gocache`, shared by every Go peer (the
/// second one builds in seconds: govmomi is compiled once).
fn go_peer(root: &Path, name: &str, src: &str) -> Result<PathBuf> {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    };
    let peers = target.join("peers");
    let bin = peers.join(name);
    let stamp = peers.join(format!("{name}.src"));
    let sources = go_sources(&root.join(src))?;
    if bin.is_file() && std::fs::read(&stamp).is_ok_and(|built| built == sources) {
        return Ok(bin);
    }

    let missing: Vec<&str> = VCSIM_DEBS.iter().copied().filter(|p| !deb_installed(p)).collect();
    if !missing.is_empty() {
        eprintln!(
            "--- {name} needs Debian packages {}: apt-get update && apt-get install -y --no-install-recommends {}",
            missing.join(", "),
            VCSIM_DEBS.join(" ")
        );
        run_apt(&["update"])?;
        let mut args = vec!["install", "-y", "--no-install-recommends"];
        args.extend(VCSIM_DEBS);
        run_apt(&args)?;
    }
    let simulator = Path::new(DEBIAN_GOPATH).join("src/github.com/vmware/govmomi/simulator");
    if !simulator.is_dir() {
        bail!("{} is missing although {} is installed", simulator.display(), VCSIM_DEBS[1]);
    }

    eprintln!("--- building {name}: GOPATH={DEBIAN_GOPATH} GO111MODULE=off go build -o {} ./{src}", bin.display());
    let started = std::time::Instant::now();
    std::fs::create_dir_all(&peers).with_context(|| format!("creating {}", peers.display()))?;
    // Built beside the binary and renamed over it: an interrupted build never leaves a
    // binary that looks current.
    let partial = peers.join(format!("{name}.partial"));
    // Debian's own go (a newer Go from PATH could also build in GOPATH mode, but the packages
    // were made for this one).
    let go = if Path::new("/usr/bin/go").exists() { "/usr/bin/go" } else { "go" };
    let out = Command::new(go)
        .args(["build", "-o"])
        .arg(&partial)
        .arg(format!("./{src}"))
        .current_dir(root)
        .env("GOPATH", DEBIAN_GOPATH)
        .env("GO111MODULE", "off")
        .env("GOCACHE", peers.join("gocache"))
        // No C compiler needed (gcc is only recommended by golang-go); the binary is static.
        .env("CGO_ENABLED", "0")
        // Settings from the environment that GOPATH mode refuses or that would change the build.
        .env_remove("GOFLAGS")
        .env_remove("GOROOT")
        .env_remove("GOOS")
        .env_remove("GOARCH")
        .output()
        .with_context(|| format!("running {go} (from the golang-go package)"))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&partial);
        bail!(
            "building {name} failed ({go} build, GOPATH={DEBIAN_GOPATH} GO111MODULE=off):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::rename(&partial, &bin).with_context(|| format!("moving the build to {}", bin.display()))?;
    std::fs::write(&stamp, &sources).with_context(|| format!("writing {}", stamp.display()))?;
    eprintln!("--- {name} built in {:.1} s", started.elapsed().as_secs_f64());
    Ok(bin)
}

/// The `.go` files of `dir`, in name order, concatenated with their names: what a Go peer
/// is built from.
fn go_sources(dir: &Path) -> Result<Vec<u8>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "go") && path.is_file() {
            names.push(path);
        }
    }
    if names.is_empty() {
        bail!("no .go files in {}", dir.display());
    }
    names.sort();
    let mut all = Vec::new();
    for path in names {
        all.extend_from_slice(format!("// == {}\n", path.file_name().unwrap_or_default().to_string_lossy()).as_bytes());
        all.extend(std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?);
    }
    Ok(all)
}

/// Whether dpkg lists `package` as installed.
fn deb_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "install ok installed")
}

/// Runs `apt-get ARGS` non-interactively; fails with what to do by hand.
fn run_apt(args: &[&str]) -> Result<()> {
    let status =
        Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive").status().context(
            "running apt-get (vcsim is built from Debian packages; on another system install Go and govmomi's GOPATH tree by hand)",
        )?;
    if !status.success() {
        bail!("apt-get {} failed (it needs root): install {} and rerun", args.join(" "), VCSIM_DEBS.join(" "));
    }
    Ok(())
}

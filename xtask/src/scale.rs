//! The full 5.5 API used the way a user uses a generated crate, in a workspace of its own,
//! `target/full-api/scale/`: the generated `vim-types` (written by `gen --out` into
//! `target/full-api/vim-types/`, depending on this checkout's `vim-runtime`) and the project's
//! `vim-client` are plain path dependencies of the scale test `vim-scale` (`tests/scale/`) and
//! the decode benchmark `vim-bench` (`tests/bench-decode/`). The manifests are written here;
//! the test's and benchmark's sources stay in the project (named by absolute path).
//!
//! Why a workspace of its own: the tests must build against the full API, while the project's
//! workspace has `spec/`'s `vim-types` (a few types). vim-client depends on `vim-runtime` only,
//! so the same vim-client works with both. Everything shares one target folder,
//! `target/full-api/target/`, kept between runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

/// The project's manifests, read when the scale workspace is written (the dependency lists
/// are the project's, not copies that could drift).
const WORKSPACE_MANIFEST: &str = include_str!("../../Cargo.toml");

/// First line of every manifest this module writes.
const HEADER: &str = "# Written by `cargo xtask scale` (xtask/src/scale.rs); rewritten on every run.\n";

/// Where things are.
pub struct Layout {
    /// `target/full-api/vim-types/`, the full API's crate (`gen --out`).
    pub vim_types: PathBuf,
    /// `target/full-api/scale/`, the workspace.
    pub workspace: PathBuf,
    /// `target/full-api/target/`, the target folder every full-API build uses.
    pub target: PathBuf,
}

impl Layout {
    pub fn new(target_dir: &Path) -> Layout {
        let full = target_dir.join("full-api");
        Layout { vim_types: full.join("vim-types"), workspace: full.join("scale"), target: full.join("target") }
    }
}

/// Writes the scale workspace's manifests (the full API's crate must already be generated in
/// `layout.vim_types`). Files whose contents are unchanged are not rewritten.
pub fn assemble(root: &Path, layout: &Layout) -> Result<()> {
    let ws = &layout.workspace;
    let abs = |p: &str| -> Result<String> {
        let path = root.join(p);
        let path = path.canonicalize().with_context(|| format!("{} is missing", path.display()))?;
        path.to_str().map(str::to_string).with_context(|| format!("{} is not UTF-8", path.display()))
    };
    let vim_types = "../../vim-types";

    // The workspace: its members, and the project's profiles (so that builds match).
    let project: toml::Table = WORKSPACE_MANIFEST.parse().context("parsing Cargo.toml")?;
    let mut root_manifest = String::from(HEADER);
    root_manifest.push_str("# The full 5.5 API's workspace: vim-client built on it, the scale test and the decode benchmark.\n\n");
    root_manifest.push_str("[workspace]\nmembers = [\"vim-scale\", \"vim-bench\"]\nresolver = \"2\"\n\n");
    if let Some(profile) = project.get("profile") {
        let mut t = toml::Table::new();
        t.insert("profile".into(), profile.clone());
        root_manifest.push_str(&toml::to_string(&t).context("writing the profiles")?);
    }
    write_if_changed(&ws.join("Cargo.toml"), &root_manifest)?;

    // The scale test and the benchmark: their sources are in tests/.
    let scale = format!(
        r#"{HEADER}# The scale test: tests/scale/ (see its README).

[package]
name = "vim-scale"
version = "0.1.0"
edition = "2021"
publish = false
autobins = false
autotests = false
autoexamples = false
autobenches = false

[[test]]
name = "scale"
path = "{test}"

[dependencies]
vim-types = {{ path = "{vim_types}" }}
vim-client = {{ path = "{client}" }}
tokio = {{ version = "1", default-features = false, features = ["rt", "net", "time"] }}
"#,
        test = abs("tests/scale/scale.rs")?,
        client = abs("vim-client")?,
    );
    write_if_changed(&ws.join("vim-scale/Cargo.toml"), &scale)?;
    let bench = format!(
        r#"{HEADER}# The decode benchmark: tests/bench-decode/ (see its README).

[package]
name = "vim-bench"
version = "0.1.0"
edition = "2021"
publish = false
autobins = false
autotests = false
autoexamples = false
autobenches = false

[[bin]]
name = "vim-bench"
path = "{main}"

[dependencies]
vim-types = {{ path = "{vim_types}" }}
vim-client = {{ path = "{client}" }}
tokio = {{ version = "1", default-features = false, features = ["rt", "net", "time"] }}
# The floor: a bare event scan with the quick-xml vim-types decodes with (same version).
quick-xml = "0.42.0"
"#,
        main = abs("tests/bench-decode/main.rs")?,
        client = abs("vim-client")?,
    );
    write_if_changed(&ws.join("vim-bench/Cargo.toml"), &bench)?;
    Ok(())
}

fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// Options of `cargo xtask scale`.
pub struct Options {
    /// VMs per resource pool (vcsim's `-vm`; the VPX model has two pools holding VMs).
    pub vm_per_pool: u32,
    /// Hosts per cluster (vcsim's `-host`).
    pub hosts_per_cluster: u32,
    /// RetrievePropertiesEx's maxObjects.
    pub page: u32,
}

/// Runs the scale test: `cargo test -p vim-scale` in the workspace (debug, warnings denied),
/// with vcsim's path and the model's size in the environment.
pub fn run_test(layout: &Layout, vcsim: &Path, options: &Options) -> Result<()> {
    let started = Instant::now();
    let deny = std::ffi::OsStr::new("-Dwarnings");
    let vm = options.vm_per_pool.to_string();
    let host = options.hosts_per_cluster.to_string();
    let page = options.page.to_string();
    crate::cargo(
        &layout.workspace,
        &["test", "-p", "vim-scale", "--test", "scale", "--", "--nocapture"],
        &[
            ("CARGO_TARGET_DIR", layout.target.as_os_str()),
            ("RUSTFLAGS", deny),
            ("VCSIM_BIN", vcsim.as_os_str()),
            ("SCALE_VM_PER_POOL", vm.as_ref()),
            ("SCALE_HOSTS_PER_CLUSTER", host.as_ref()),
            ("SCALE_PAGE", page.as_ref()),
        ],
        "full 5.5 API at scale against vcsim",
    )?;
    eprintln!("--- scale: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

//! `cargo xtask`: the project's command line. See README.md.

mod api_diff;
mod bench;
mod bench_build;
mod bench_decode;
mod bench_server;
mod expected;
mod gen;
mod peers;
// Fetches pyVmomi releases into target/pyvmomi/; shared with codegen's tests (its
// `target_dir` is the tests' copy of ours).
#[allow(dead_code)]
#[path = "../../codegen/tests/support/pyvmomi_release.rs"]
mod pyvmomi_release;
mod scale;
mod versions;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use codegen::diag::Severity;
use codegen::{load, Loaded, SpecPaths};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "vimgen: the vSphere spec -> typed Rust bindings")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Read and merge the spec (default: spec/), emit Rust into vim-types/src/generated/
    /// (or a standalone crate with --out); --check compares instead of writing.
    Gen {
        #[command(flatten)]
        spec: SpecArgs,
        /// Write nothing: compare the generated files with the disk (added, changed and
        /// stale files), print a diff and fail if they differ.
        #[arg(long)]
        check: bool,
        /// Write a standalone crate at DIR (Cargo.toml, src/lib.rs, src/generated/) instead
        /// of vim-types/src/. Required for a spec other than spec/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// With --out: how the crate depends on vim-runtime: path=DIR, git=URL[#REV] or
        /// version=REQ (default: this checkout's vim-runtime/, by a relative path).
        #[arg(long, value_name = "SPEC", requires = "out")]
        runtime: Option<gen::RuntimeDep>,
    },
    /// Print, as markdown for a pull request, what changed between two versions of the API:
    /// types, fields, enum values, methods, parameters, return types, faults, privileges,
    /// since-versions. OLD and NEW are each an IR JSON file (`cargo xtask ir -o FILE`), a
    /// spec folder laid out like spec/ (pages, wsdl/, overrides.toml when present), or
    /// `wsdl=DIR[,markdown=DIR][,pyvmomi=DIR][,overrides=FILE]` (pages, a registry or both).
    ApiDiff {
        old: String,
        new: String,
        /// Output file (default: standard output).
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
        /// The heading's title (default: `OLD → NEW` by their folder or file names).
        #[arg(long)]
        title: Option<String>,
    },
    /// Write the merged IR as JSON (format vimgen-ir/1).
    Ir {
        #[command(flatten)]
        spec: SpecArgs,
        /// Output file (default: standard output).
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
        /// Print overrides entries that heuristics propose, for a person to check.
        #[arg(long)]
        propose: bool,
    },
    /// Run every test: gen --check, the workspace's cargo tests, the IR of spec/ and of the
    /// corpus, `versions` (every corpus WSDL with pyVmomi's registry), clippy and rustdoc on
    /// vim-types, then the full 5.5 API generated into
    /// target/full-api/ (vim-types built with default features and clippy'd with all of them,
    /// warnings denied) with vim-client and the scale test on it, the user guide, the
    /// automation example and the features test against vcsim, `scale`, the 9.1 API built
    /// and clippy'd with its client's version gate run against vcsim, and a 30 s soak of
    /// vimsim.
    Test,
    /// Soak vimsim: a mixed load (login/read/logout churn, property reads, faulting calls,
    /// malformed and cut requests) for --duration seconds, then no unexpected answer, no
    /// session left behind, and the RSS slope printed (vim-server's tests/soak.rs).
    Soak {
        /// Seconds of load.
        #[arg(long, default_value_t = 600.0)]
        duration: f64,
        /// Build vimsim and the soak in release (default: the test profile `cargo test`
        /// shares).
        #[arg(long)]
        release: bool,
    },
    /// The full 5.5 API at scale: generate it, build vim-client and the scale test on it
    /// (target/full-api/scale/), and read every VM's config and summary and every host's
    /// config from vcsim with a large model through paged RetrievePropertiesEx.
    Scale {
        /// vcsim's -vm: VMs per resource pool (the model has two pools holding VMs).
        #[arg(long, default_value_t = 2000)]
        vm: u32,
        /// vcsim's -host: hosts per cluster (the model adds one standalone host).
        #[arg(long, default_value_t = 19)]
        host: u32,
        /// RetrievePropertiesEx's maxObjects.
        #[arg(long, default_value_t = 500)]
        page: u32,
    },
    /// Every corpus WSDL (5.5 to 9.1) merged WSDL-first with the 5.5 pages and pyVmomi
    /// 9.1.1.0's registry: 0 errors each, and the IR's agreement with that version's own
    /// pyVmomi release printed (6.0.0, 6.7.1, 7.0.2, 9.1.1.0; fetched with pip).
    Versions {
        /// Also generate the 9.1 API crate into target/full-api-9.1/, build and clippy it,
        /// and run its client's version gate against vcsim (VCSIM_BIN, else built).
        #[arg(long = "crate")]
        full: bool,
        /// With --crate: also the scale test on the 9.1 crate (vcsim's large model).
        #[arg(long, requires = "full")]
        scale: bool,
    },
    /// Benchmark parse + merge of the full 5.5 corpus, then of 9.1 with all three inputs
    /// (pages, WSDL, pyVmomi's registry), against the bare parse floor.
    Bench {
        /// Iterations (the median is reported).
        #[arg(long, default_value_t = 15)]
        iterations: usize,
    },
    /// Generate the full 5.5 API as a standalone crate and time cargo build (debug and
    /// release, clean target dirs): wall time, peak RSS, --timings report. Asserts nothing.
    BenchBuild {
        /// Only the debug builds (full API and the subset of eight managed objects).
        #[arg(long)]
        debug_only: bool,
    },
    /// The features step of `cargo xtask test` alone: the full 5.5 API generated into
    /// target/full-api/vim-types, tests/features-subset built with eight managed objects'
    /// features, run against vcsim, and its rewrite checked with the full API.
    FeaturesSubset,
    /// Decode one large vcsim payload (every VM's config and summary) side by side: a bare
    /// quick-xml scan (floor), our decoder and encoder (release), govmomi's and pyVmomi's
    /// decoders; MB/s, objects/s, peak memory and ratios. Asserts nothing.
    BenchDecode {
        /// Folder of saved response bodies (default: target/full-api/bench-decode/payload,
        /// fetched from vcsim when empty).
        #[arg(long, value_name = "DIR")]
        payload: Option<PathBuf>,
        /// Fetch the payload from vcsim again.
        #[arg(long)]
        refetch: bool,
        /// vcsim's -vm for the fetch: VMs per resource pool (two pools hold VMs).
        #[arg(long, default_value_t = 2000)]
        vm: u32,
        /// Passes (median reported) for the floor, our decoder and our encoder.
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Passes for govmomi (pyVmomi gets one).
        #[arg(long, default_value_t = 3)]
        slow_runs: usize,
    },
    /// Load vcsim and vimsim side by side on loopback (the loadgen example, release build):
    /// req/s and p50/p99 latency per mode, and the ratio vimsim/vcsim. Asserts nothing.
    BenchServer {
        /// The vimsim binary (default: target/release/vimsim when it exists; without it only
        /// vcsim is measured).
        #[arg(long, value_name = "PATH")]
        vimsim: Option<PathBuf>,
        /// Concurrent clients, each on its own keep-alive connection.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Seconds each measured run lasts.
        #[arg(long, default_value_t = 5.0)]
        duration: f64,
        /// Seconds of load before each measured run, not counted (0: none).
        #[arg(long, default_value_t = 1.0)]
        warmup: f64,
        /// loadgen's threads (each a single-threaded tokio runtime).
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Modes, comma-separated: content (RetrieveServiceContent), read (an authenticated
        /// currentSession read), churn (login / read / logout).
        #[arg(long, value_delimiter = ',', default_value = "content,read,churn")]
        modes: Vec<String>,
        /// Run every mode twice against each server: as is, and while a slow-client flood
        /// holds connections (--flood-headers that never finish their headers, --flood-bodies
        /// that trickle a body a byte a second, each reconnecting when closed).
        #[arg(long)]
        hostile: bool,
        /// Hostile mode: connections that send half a request's headers, then nothing.
        #[arg(long, default_value_t = 2000)]
        flood_headers: usize,
        /// Hostile mode: connections that trickle a body one byte a second.
        #[arg(long, default_value_t = 200)]
        flood_bodies: usize,
    },
}

#[derive(Args, Clone, Default)]
struct SpecArgs {
    /// Folder of markdown pages (default: spec/).
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Folder holding vim.wsdl and its XSDs (default: spec/wsdl).
    #[arg(long)]
    wsdl: Option<PathBuf>,
    /// Reviewed overrides file (default: spec/overrides.toml when reading spec/).
    #[arg(long)]
    overrides: Option<PathBuf>,
    /// pyVmomi's package folder (`_typeinfo_*.py`, or `ServerObjects.py` + `CoreTypes.py` +
    /// `QueryTypes.py`): with it the merge is WSDL-first (the registry gives owners, privileges,
    /// since-versions...; the pages prose only) and --overrides is not read.
    #[arg(long, value_name = "DIR")]
    pyvmomi: Option<PathBuf>,
    /// Render every warning, not only a count per kind.
    #[arg(long)]
    warnings: bool,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

impl SpecArgs {
    /// Whether this is the project's own spec/ (no folder or overrides given).
    fn is_default(&self) -> bool {
        self.markdown.is_none() && self.wsdl.is_none() && self.overrides.is_none() && self.pyvmomi.is_none()
    }

    fn paths(&self) -> SpecPaths {
        let default = SpecPaths::in_folder(&root().join("spec"));
        match (&self.markdown, &self.wsdl) {
            (None, None) => SpecPaths { overrides: self.overrides.clone().or(default.overrides), pyvmomi: self.pyvmomi.clone(), ..default },
            (md, wsdl) => SpecPaths {
                markdown: md.clone().or(default.markdown),
                wsdl: wsdl.clone().unwrap_or(default.wsdl),
                overrides: self.overrides.clone(),
                pyvmomi: self.pyvmomi.clone(),
            },
        }
    }
}

/// Loads the spec and prints its diagnostics to stderr: every error, warnings rendered
/// only on request, and a summary per kind. Returns the load and whether it had errors.
fn load_and_report(spec: &SpecArgs) -> (Loaded, bool) {
    let (loaded, failed, _) = load_report_expected(spec);
    (loaded, failed)
}

/// The reviewed warning counts (`xtask/expected-warnings.toml`).
fn expected_sets() -> Result<Vec<expected::Set>> {
    let path = root().join(expected::FILE);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    expected::parse(&text, &root(), &target_dir()).with_context(|| format!("reading {}", path.display()))
}

/// [`load_and_report`], whose summary also says whether the warning counts are the reviewed
/// ones of `xtask/expected-warnings.toml`; returns that too: `Some(true)` as expected,
/// `Some(false)` moved, `None` no reviewed set for these inputs.
fn load_report_expected(spec: &SpecArgs) -> (Loaded, bool, Result<Option<bool>>) {
    let paths = spec.paths();
    let loaded = load(&paths);
    for d in &loaded.diags.list {
        if d.severity() == Severity::Error || spec.warnings {
            eprintln!("{}\n", d.render(&loaded.sources));
        }
    }
    if let Some(reg) = &loaded.registry {
        eprintln!("pyvmomi registry ({} files): {}", reg.files.len(), reg.counts());
        if let Some(v) = loaded.model.api_version.as_deref().and_then(|api| reg.version_by_id("vim25", api)) {
            eprintln!("  at the WSDL's version {} ({}): {}", v.version_id, v.name, reg.filter(&v.name).counts());
        }
    }
    eprint!("{}", loaded.diags.summary());
    let verdict = expected_sets().map(|sets| {
        let (line, verdict) = expected::verdict(&sets, &paths, &loaded.diags);
        eprint!("{line}");
        verdict
    });
    if let Err(e) = &verdict {
        eprintln!("warning counts: {e:#}");
    }
    let failed = loaded.diags.has_errors();
    (loaded, failed, verdict)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    match Cli::parse().cmd {
        Cmd::Gen { spec, check, out, runtime } => {
            let ok = gen_cmd(&spec, check, out.as_deref(), &runtime.unwrap_or(gen::RuntimeDep::Local))?;
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Cmd::Ir { spec, out, propose } => {
            let (loaded, failed) = load_and_report(&spec);
            if propose {
                for (section, lines) in &loaded.proposals {
                    println!("[{section}]");
                    for l in lines {
                        println!("{l}");
                    }
                    println!();
                }
            }
            let json = loaded.ir_json();
            match out {
                Some(path) => std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?,
                None if !propose => print!("{json}"),
                None => {}
            }
            Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Cmd::ApiDiff { old, new, out, title } => {
            let (old_model, old_label) = api_diff::load_side(&old)?;
            let (new_model, new_label) = api_diff::load_side(&new)?;
            let title = title.unwrap_or_else(|| format!("{old_label} → {new_label}"));
            let md = codegen::ir::diff::diff(&old_model, &new_model).to_markdown(&title);
            match out {
                Some(path) => std::fs::write(&path, md).with_context(|| format!("writing {}", path.display()))?,
                None => print!("{md}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Test => {
            test()?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Scale { vm, host, page } => {
            if vm == 0 || page == 0 {
                bail!("--vm and --page must be at least 1");
            }
            let layout = full_api(false)?;
            scale::run_test(&layout, &peers::vcsim(&root())?, &scale::Options { vm_per_pool: vm, hosts_per_cluster: host, page })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Versions { full, scale } => {
            versions::run(&versions::corpus(&root())?, &target_dir(), &root().join("corpus/vsphere-5.5.overrides.toml"))?;
            if full {
                let vcsim = match std::env::var_os("VCSIM_BIN") {
                    Some(p) => PathBuf::from(p),
                    None => peers::vcsim(&root())?,
                };
                versions::full_api_91(&root(), &target_dir(), &vcsim)?;
                if scale {
                    versions::scale_91(&root(), &target_dir(), &vcsim)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench { iterations } => {
            bench::run(&corpus_args()?.paths(), iterations)?;
            // 9.1: the newest WSDL with all three inputs (WSDL-first).
            println!();
            let corpus = versions::corpus(&root())?;
            let py = pyvmomi_release::fetch(&target_dir(), versions::INPUT_RELEASE).map_err(anyhow::Error::msg)?;
            let paths = SpecPaths {
                markdown: Some(corpus.join("pyvmomi-docs-5.5")),
                wsdl: corpus.join("wsdl-9.1/vim25"),
                overrides: None,
                pyvmomi: Some(py),
            };
            bench::run(&paths, iterations)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::BenchBuild { debug_only } => {
            bench_build::run(&corpus_args()?, debug_only)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::FeaturesSubset => {
            let layout = scale::Layout::new(&target_dir());
            if !gen_cmd(&corpus_args()?, false, Some(&layout.vim_types), &gen::RuntimeDep::Local)? {
                bail!("generating the full 5.5 API failed");
            }
            features_subset(&layout, &peers::vcsim(&root())?)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::BenchDecode { payload, refetch, vm, runs, slow_runs } => {
            if vm == 0 || runs == 0 || slow_runs == 0 {
                bail!("--vm, --runs and --slow-runs must be at least 1");
            }
            bench_decode::run(&bench_decode::Options { payload, refetch, vm, runs, slow_runs })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Soak { duration, release } => {
            if !(duration.is_finite() && duration > 0.0) {
                bail!("--duration must be positive");
            }
            soak(duration, release)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::BenchServer { vimsim, clients, duration, warmup, threads, modes, hostile, flood_headers, flood_bodies } => {
            // Written so that NaN fails too.
            let positive = duration.is_finite() && duration > 0.0;
            let non_negative = warmup.is_finite() && warmup >= 0.0;
            if clients == 0 || threads == 0 || !positive || !non_negative {
                bail!("--clients and --threads must be at least 1, --duration positive, --warmup not negative");
            }
            let flood = hostile.then_some(bench_server::Flood { headers: flood_headers, bodies: flood_bodies });
            bench_server::run(&bench_server::Options { vimsim, clients, duration, warmup, threads, modes, flood })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The full vSphere 5.5 corpus beside the project, with the project's overrides for it.
fn corpus_args() -> Result<SpecArgs> {
    let corpus = root().join("../shared/spec-corpus");
    if !corpus.is_dir() {
        bail!("the spec corpus is not at {} (it is expected beside the project)", corpus.display());
    }
    Ok(SpecArgs {
        markdown: Some(corpus.join("pyvmomi-docs-5.5")),
        wsdl: Some(corpus.join("wsdl-5.5/vim25")),
        overrides: Some(root().join("corpus/vsphere-5.5.overrides.toml")),
        pyvmomi: None,
        warnings: false,
    })
}

/// `cargo xtask gen [--check] [--out DIR]`. Returns false when the spec has errors or
/// `--check` found a difference.
fn gen_cmd(spec: &SpecArgs, check: bool, out: Option<&Path>, runtime: &gen::RuntimeDep) -> Result<bool> {
    let started = Instant::now();
    if out.is_none() && !spec.is_default() {
        bail!(
            "vim-types/src/generated/ is generated from spec/ only (gen --check compares it with spec/); \
             give --out DIR to write a crate for another spec"
        );
    }
    let (loaded, failed) = load_and_report(spec);
    if failed {
        eprintln!("gen: the spec has errors; nothing was generated");
        return Ok(false);
    }
    let features = codegen::emit::cargo_features(&loaded.model);
    match out {
        None => gen::write_or_check(
            &loaded,
            |files| gen::Tree::in_tree(&root(), files, &features),
            check,
            "vim-types",
            "cargo xtask gen",
            started,
        ),
        Some(dir) => {
            let fix = "the same command without --check";
            gen::write_or_check(
                &loaded,
                |files| gen::Tree::standalone(dir, files, runtime, &features),
                check,
                &dir.display().to_string(),
                fix,
                started,
            )
        }
    }
}

/// The workspace's target folder (CARGO_TARGET_DIR when set).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Runs `cargo ARGS` in `dir` with `envs`; fails with `what` when it does. Flags in the
/// encoded forms cargo passes down would override RUSTFLAGS/RUSTDOCFLAGS: they are dropped.
fn cargo(dir: &Path, args: &[&str], envs: &[(&str, &std::ffi::OsStr)], what: &str) -> Result<()> {
    eprintln!("--- {what}: cargo {}", args.join(" "));
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(args).current_dir(dir).env_remove("CARGO_ENCODED_RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTDOCFLAGS");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let status = cmd.status().with_context(|| format!("running cargo for {what}"))?;
    if !status.success() {
        bail!("{what} failed (cargo {})", args.join(" "));
    }
    eprintln!("--- {what}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The sources are in rustfmt's form (rustfmt.toml): the workspace, and the projects of their
/// own (examples, the features test, fuzz/) and the files other workspaces include by path,
/// through rustfmt itself (their manifests name the full API crate, which `cargo fmt` would
/// need to exist). The generated modules are `#[rustfmt::skip]`; the generated lib.rs is
/// written in rustfmt's form.
fn fmt_check(root: &Path) -> Result<()> {
    cargo(root, &["fmt", "--all", "--check"], &[], "rustfmt on the workspace").context("run `cargo fmt --all`")?;
    let mut files = Vec::new();
    for dir in ["examples", "tests/features-subset", "fuzz/fuzz_targets", "tests/scale", "tests/versions", "tests/bench-decode"] {
        rust_files(&root.join(dir), &mut files)?;
    }
    files.sort();
    eprintln!("--- rustfmt on {} files outside the workspace", files.len());
    let status = Command::new("rustfmt").args(["--edition", "2021", "--check"]).args(&files).current_dir(root).status()?;
    if !status.success() {
        bail!("rustfmt --check failed: run `rustfmt --edition 2021` on the files it names");
    }
    Ok(())
}

/// The `.rs` files below `dir` (none when it does not exist), `target` folders left out.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                rust_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// `cargo xtask test`.
fn test() -> Result<()> {
    let root = root();
    // Fail fast: the committed generated code is what spec/ generates.
    eprintln!("--- cargo xtask gen --check");
    if !gen_cmd(&SpecArgs::default(), true, None, &gen::RuntimeDep::Local)? {
        bail!("vim-types/src/generated/ is out of date: run `cargo xtask gen` and commit the result");
    }
    fmt_check(&root)?;

    let pyvmomi = peers::pyvmomi(&root)?;
    let python = peers::venv_python(&root);
    let vcsim = peers::vcsim(&root)?;
    let govmomi_session = peers::govmomi_session(&root)?;
    // vimsim for vim-client's session tests (tests/sessions.rs): another package's binary,
    // so built here and passed by path (a package's own tests have CARGO_BIN_EXE_*).
    cargo(&root, &["build", "-p", "vim-server", "--bin", "vimsim"], &[], "vimsim (for vim-client's tests)")?;
    let vimsim = target_dir().join("debug/vimsim");
    cargo(
        &root,
        &["test", "--workspace"],
        &[
            ("VIMSIM_BIN", vimsim.as_os_str()),
            ("PYVMOMI_DIR", pyvmomi.as_os_str()),
            // The venv's interpreter, for the peer scenario tests/peers/pyvmomi_session.py.
            ("PYVMOMI_PYTHON", python.as_os_str()),
            ("VCSIM_BIN", vcsim.as_os_str()),
            ("GOVMOMI_SESSION_BIN", govmomi_session.as_os_str()),
            // Nothing is skipped here: a test that finds no peer or corpus fails.
            ("VIMGEN_REQUIRE_PEERS", std::ffi::OsStr::new("1")),
        ],
        "cargo tests",
    )?;
    for (label, spec) in [("spec/", SpecArgs::default()), ("corpus", corpus_args()?)] {
        eprintln!("--- cargo xtask ir on {label}");
        let (_, failed, verdict) = load_report_expected(&spec);
        if failed {
            bail!("the IR of {label} has errors");
        }
        match verdict? {
            Some(true) => {}
            Some(false) => bail!(
                "the warnings of {label} moved from the reviewed counts: review them (`cargo xtask ir ... --warnings`) and update {}",
                expected::FILE
            ),
            None => bail!("{} has no set for {label}'s inputs", expected::FILE),
        }
    }
    // Every corpus version WSDL-first with pyVmomi's registry: 0 errors, and the agreement
    // with each version's own pyVmomi release (both registry layouts read) printed.
    eprintln!("--- cargo xtask versions");
    versions::run(&versions::corpus(&root)?, &target_dir(), &root.join("corpus/vsphere-5.5.overrides.toml"))?;

    clippy_available()?;
    let deny = std::ffi::OsStr::new("-Dwarnings");
    // The bindings and the crates built on them (clippy's -D warnings denies rustc's warnings
    // too, so no separate RUSTFLAGS build: that would rebuild the workspace with other flags).
    let bindings = [
        "clippy",
        "-p",
        "vim-runtime",
        "-p",
        "vim-types",
        "-p",
        "vim-client",
        "-p",
        "vim-server",
        "-p",
        "vimgen-test-support",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    cargo(&root, &bindings, &[], "clippy on vim-runtime, vim-types, vim-client, vim-server, test-support")?;
    // vim-server turns on vim-types' `server` feature above; a client's build has it off.
    let client_only = ["clippy", "-p", "vim-types", "--all-targets", "--", "-D", "warnings"];
    cargo(&root, &client_only, &[], "clippy on vim-types without the server feature")?;
    // vim-server without vimsim: the dispatcher on the runtime alone, for any generated API.
    let generic_server = ["clippy", "-p", "vim-server", "--no-default-features", "--all-targets", "--", "-D", "warnings"];
    cargo(&root, &generic_server, &[], "clippy on vim-server without the vimsim feature")?;
    server_depends_on_runtime_only(&root)?;
    // Both feature sets: without `server` no doc may link to what only it defines.
    cargo(&root, &["doc", "-p", "vim-runtime", "--no-deps"], &[("RUSTDOCFLAGS", deny)], "rustdoc on vim-runtime")?;
    let libraries = ["doc", "-p", "vim-client", "-p", "vim-server", "-p", "vimgen-codegen", "--no-deps"];
    cargo(&root, &libraries, &[("RUSTDOCFLAGS", deny)], "rustdoc on vim-client, vim-server and vimgen-codegen")?;
    cargo(&root, &["doc", "-p", "vim-types", "--no-deps"], &[("RUSTDOCFLAGS", deny)], "rustdoc on vim-types")?;
    cargo(
        &root,
        &["doc", "-p", "vim-types", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", deny)],
        "rustdoc on vim-types (all features)",
    )?;
    // A subset of the per-object features (docs/generated-crate.md, "Features"): what is
    // compiled holds together, warning-free, and its docs build.
    let subset = ["--no-default-features", "--features", SUBSET_FEATURES];
    let clippy_subset = [&["clippy", "-p", "vim-types", "--lib"][..], &subset, &["--", "-D", "warnings"]].concat();
    cargo(&root, &clippy_subset, &[], "clippy on vim-types with a subset of features")?;
    let doc_subset = [&["doc", "-p", "vim-types", "--no-deps"][..], &subset].concat();
    cargo(&root, &doc_subset, &[("RUSTDOCFLAGS", deny)], "rustdoc on vim-types with a subset of features")?;

    // The full 5.5 API, with vim-client and the scale test built on it, in a target dir of its
    // own that later runs reuse; then the scale test against vcsim.
    let layout = full_api(true)?;
    user_guide(&layout, &vcsim)?;
    automation(&layout, &vcsim)?;
    features_subset(&layout, &vcsim)?;
    scale::run_test(&layout, &vcsim, &scale::Options { vm_per_pool: 2000, hosts_per_cluster: 19, page: 500 })?;
    // The 9.1 API (WSDL-first), built and clippy'd, its client's version gate against vcsim.
    versions::full_api_91(&root, &target_dir(), &vcsim)?;
    // Last: a short soak of vimsim (the test is ignored in the workspace run above).
    soak(30.0, false)?;
    eprintln!("--- all tests passed");
    Ok(())
}

/// `cargo tree -p vim-server --no-default-features` (normal and build dependencies: the tests'
/// own dev-dependencies do include vim-types) shows no generated crate: the dispatcher is
/// written on vim-runtime alone.
fn server_depends_on_runtime_only(root: &Path) -> Result<()> {
    eprintln!("--- cargo tree -p vim-server --no-default-features: no vim-types");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["tree", "-p", "vim-server", "--no-default-features", "-e", "normal,build", "--prefix", "none"])
        .output()
        .context("running cargo tree")?;
    if !out.status.success() {
        bail!("cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    if let Some(line) = tree.lines().find(|l| l.starts_with("vim-types ")) {
        bail!("vim-server without its `vimsim` feature depends on a generated crate ({line}): the dispatcher must use vim-runtime only");
    }
    if !tree.lines().any(|l| l.starts_with("vim-runtime ")) {
        bail!("cargo tree -p vim-server shows no vim-runtime: is the tree empty?\n{tree}");
    }
    Ok(())
}

/// Runs vim-server's soak test (tests/soak.rs) for `seconds`.
fn soak(seconds: f64, release: bool) -> Result<()> {
    let secs = seconds.to_string();
    let mut args = vec!["test", "-p", "vim-server", "--test", "soak"];
    if release {
        args.push("--release");
    }
    args.extend(["--", "--ignored", "--nocapture"]);
    cargo(&root(), &args, &[("SOAK_SECONDS", std::ffi::OsStr::new(&secs))], &format!("soak of vimsim ({seconds} s)"))
}

/// Generates the full 5.5 API into `target/full-api/vim-types/`, writes the scale workspace
/// (`target/full-api/scale/`, see scale.rs) and builds it in debug with warnings denied (the
/// full API is compiled once, as a dependency of vim-client and the tests). With `lint`, also
/// clippy with `-D warnings` on the full API's crate and on the workspace's members. (Not
/// rustdoc on the full API: measured here it takes over 15 minutes on this 2-core machine; the
/// crate's docs are checked on vim-types, which has the same emitter.)
fn full_api(lint: bool) -> Result<scale::Layout> {
    let layout = scale::Layout::new(&target_dir());
    eprintln!("--- cargo xtask gen --out {} (the full 5.5 API)", layout.vim_types.display());
    if !gen_cmd(&corpus_args()?, false, Some(&layout.vim_types), &gen::RuntimeDep::Local)? {
        bail!("generating the full 5.5 API failed");
    }
    scale::assemble(&root(), &layout)?;
    let deny = std::ffi::OsStr::new("-Dwarnings");
    let envs = [("CARGO_TARGET_DIR", layout.target.as_os_str()), ("RUSTFLAGS", deny)];
    cargo(
        &layout.workspace,
        &["build", "--workspace", "--all-targets"],
        &envs,
        "full 5.5 API: build (vim-types, vim-client, vim-scale, vim-bench)",
    )?;
    if lint {
        clippy_available()?;
        // Every feature: the server side (feature `server`) is checked here.
        let clippy = ["clippy", "--all-targets", "--all-features", "--", "-D", "warnings"];
        cargo(&layout.vim_types, &clippy, &envs, "full 5.5 API: clippy on vim-types (all features)")?;
        let members = ["clippy", "-p", "vim-scale", "-p", "vim-bench", "--all-targets", "--", "-D", "warnings"];
        cargo(&layout.workspace, &members, &envs, "full 5.5 API: clippy on vim-scale, vim-bench")?;
    }
    Ok(layout)
}

/// The user guide's program (`examples/user-guide/`, a project of its own on the full API
/// generated into `target/full-api/vim-types/`): built with warnings denied and clippy'd, in
/// the full API's target folder (so the full API is not compiled again), then run against
/// vcsim; it must succeed and print every step.
fn user_guide(layout: &scale::Layout, vcsim: &Path) -> Result<()> {
    let dir = root().join("examples/user-guide");
    let deny = std::ffi::OsStr::new("-Dwarnings");
    let envs = [("CARGO_TARGET_DIR", layout.target.as_os_str()), ("RUSTFLAGS", deny)];
    cargo(&dir, &["clippy", "--all-targets", "--", "-D", "warnings"], &envs, "user guide: build and clippy")?;
    let logs = target_dir().join("user-guide");
    std::fs::create_dir_all(&logs)?;
    let server = bench_server::Server::start("vcsim", vcsim, &[], "VCSIM_URL=", &logs.join("vcsim.log"), ("user", "pass"))?;
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["run", "--quiet", "--", &server.url, &server.user, &server.password]).current_dir(&dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().context("running the user guide")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprint!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        bail!("the user guide failed against vcsim ({})", out.status);
    }
    let steps = [
        "logged in as",
        "poweredOn",
        "powered off",
        "powered on",
        "failed: InvalidPowerState",
        "folder scratch exists",
        "and back",
        "event ",
        "logged out",
    ];
    for step in steps {
        if !stdout.contains(step) {
            bail!("the user guide's output lacks {step:?}");
        }
    }
    eprintln!("--- user guide against vcsim: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// vim-client's helpers on the full API (`examples/automation/`, built like the user guide):
/// its check program against vcsim (every step asserts), then the govc-like CLI's commands,
/// whose output must show what they did.
fn automation(layout: &scale::Layout, vcsim: &Path) -> Result<()> {
    let dir = root().join("examples/automation");
    let deny = std::ffi::OsStr::new("-Dwarnings");
    let envs = [("CARGO_TARGET_DIR", layout.target.as_os_str()), ("RUSTFLAGS", deny)];
    cargo(&dir, &["clippy", "--all-targets", "--", "-D", "warnings"], &envs, "automation example: build and clippy")?;
    let logs = target_dir().join("automation");
    std::fs::create_dir_all(&logs)?;
    let server = bench_server::Server::start("vcsim", vcsim, &[], "VCSIM_URL=", &logs.join("vcsim.log"), ("user", "pass"))?;
    let started = Instant::now();
    let run = |bin: &str, args: &[&str]| -> Result<String> {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["run", "--quiet", "--bin", bin, "--", &server.url, &server.user, &server.password]).args(args).current_dir(&dir);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.output().with_context(|| format!("running the automation example's {bin}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        eprint!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            bail!("automation {bin} {args:?} failed against vcsim ({})", out.status);
        }
        Ok(stdout)
    };
    let out = run("check", &[])?;
    if !out.contains("all checks passed") {
        bail!("the automation check did not finish");
    }
    let vm = "/DC0/vm/DC0_H0_VM0";
    let expect = [
        (vec!["ls", "/DC0/vm"], "/DC0/vm/DC0_H0_VM0\tVirtualMachine"),
        (vec!["info", vm], "Power:    poweredOn"),
        (vec!["power", "off", vm], "powered off"),
        (vec!["info", vm], "Power:    poweredOff"),
        (vec!["power", "on", vm], ": Success"),
        (vec!["watch", "--seconds", "2", vm, "runtime.powerState"], "runtime.powerState = Some(Enum"),
    ];
    for (args, wanted) in expect {
        let out = run("automation", &args)?;
        if !out.contains(wanted) {
            bail!("automation {args:?} printed no {wanted:?}");
        }
    }
    eprintln!("--- automation against vcsim: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The features of vim-types (spec/) that `cargo xtask test` checks alone.
const SUBSET_FEATURES: &str = "session-manager,property-collector,service-instance";

/// `tests/features-subset/` (a project of its own on the full API of
/// `target/full-api/vim-types/`): built and clippy'd with its default, eight managed objects'
/// features, it reads VMs and hosts from vcsim and writes back what it decoded; built with
/// `--features full` it decodes the response and that rewrite and checks they are equal
/// (docs/generated-crate.md, "Features"). Both builds use the full API's target folder.
fn features_subset(layout: &scale::Layout, vcsim: &Path) -> Result<()> {
    let dir = root().join("tests/features-subset");
    let deny = std::ffi::OsStr::new("-Dwarnings");
    let envs = [("CARGO_TARGET_DIR", layout.target.as_os_str()), ("RUSTFLAGS", deny)];
    cargo(&dir, &["clippy", "--all-targets", "--", "-D", "warnings"], &envs, "features subset: build and clippy (8 managed objects)")?;
    cargo(
        &dir,
        &["clippy", "--all-targets", "--features", "full", "--", "-D", "warnings"],
        &envs,
        "features subset: build and clippy (full)",
    )?;
    let out = target_dir().join("features-subset");
    std::fs::create_dir_all(&out)?;
    let server = bench_server::Server::start("vcsim", vcsim, &[], "VCSIM_URL=", &out.join("vcsim.log"), ("user", "pass"))?;
    let out_arg = out.display().to_string();
    let run = |args: &[&str], full: bool| -> Result<String> {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["run", "--quiet"]);
        if full {
            cmd.args(["--features", "full"]);
        }
        cmd.arg("--").args(args).current_dir(&dir);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let o = cmd.output().context("running tests/features-subset")?;
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        eprint!("{stdout}{}", String::from_utf8_lossy(&o.stderr));
        if !o.status.success() {
            bail!("features-subset {} failed ({})", args[0], o.status);
        }
        Ok(stdout)
    };
    run(&["fetch", &server.url, &server.user, &server.password, &out_arg], false)?;
    let verdict = run(&["compare", &out_arg], true)?;
    if !verdict.contains("objects equal") {
        bail!("features-subset compare did not report equal objects");
    }
    eprintln!("--- features subset against vcsim: ok");
    Ok(())
}

/// Fails with a hint when `cargo clippy` is not installed.
fn clippy_available() -> Result<()> {
    let ok = Command::new(env!("CARGO")).args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        bail!("cargo clippy is not installed (rustup component add clippy)");
    }
    Ok(())
}

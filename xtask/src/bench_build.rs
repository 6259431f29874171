//! `cargo xtask bench-build`: what the full 5.5 API costs. Loads and generates it (timed),
//! writes it as a standalone crate under `target/bench-build/`, then builds that crate in
//! debug and in release, each from a clean target folder, under `/usr/bin/time -v` when it is
//! there (for the peak RSS). Prints figures; asserts nothing. Besides the whole API, the same
//! crate with only the features of eight managed objects ([`SUBSET`]: sessions, property
//! collector, views, tasks, VirtualMachine, HostSystem), debug and release.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{gen, load_and_report, SpecArgs};

const GNU_TIME: &str = "/usr/bin/time";

/// The managed objects of the subset build (WSDL names).
pub const SUBSET: [&str; 8] =
    ["SessionManager", "PropertyCollector", "ViewManager", "ContainerView", "Task", "ServiceInstance", "VirtualMachine", "HostSystem"];

struct Build {
    what: &'static str,
    profile: &'static str,
    wall: Duration,
    /// Peak resident set size of the largest single process of the build (rustc, as a rule),
    /// in KiB: what `time -v` reads from the children's rusage.
    max_rss_kib: Option<u64>,
    /// User + system time of the build's processes (from `time -v`).
    cpu_s: Option<f64>,
    timings: Option<PathBuf>,
}

pub fn run(corpus: &SpecArgs, debug_only: bool) -> Result<()> {
    let bench = crate::target_dir().join("bench-build");
    let krate = bench.join("vim-types");

    let t = Instant::now();
    let (loaded, failed) = load_and_report(corpus);
    let t_load = t.elapsed();
    if failed {
        bail!("the corpus has errors");
    }
    let t = Instant::now();
    let files = gen::generate(&loaded)?;
    let t_gen = t.elapsed();
    let st = gen::stats(&files);
    let features = codegen::emit::cargo_features(&loaded.model);
    let tree = gen::Tree::standalone(&krate, files, &gen::RuntimeDep::Local, &features)?;
    let plan = tree.plan()?;
    tree.apply(&plan)?;

    let time_v = Path::new(GNU_TIME).is_file() && gnu_time_works();
    if !time_v {
        eprintln!("bench-build: {GNU_TIME} -v is missing: reporting wall time only (apt-get install time)");
    }
    let (in_subset, all) = codegen::emit::feature_closure(&loaded.model, &SUBSET).map_err(anyhow::Error::msg)?;
    eprintln!("--- bench-build: the subset compiles {in_subset} of {all} data objects");
    let subset_features: Vec<String> = SUBSET.iter().map(|m| codegen::emit::feature_of(m)).collect();
    let subset_features = subset_features.join(",");
    let mut runs = vec![("full", "debug"), ("subset", "debug")];
    if !debug_only {
        runs.extend([("subset", "release"), ("full", "release")]);
    }
    let mut builds = Vec::new();
    for (what, profile) in runs {
        let features = (what == "subset").then_some(subset_features.as_str());
        let b = build(&krate, &bench.join(format!("target-{what}-{profile}")), what, profile, features, time_v)?;
        // As it comes, so that a long run interrupted keeps what it measured.
        eprintln!(
            "--- bench-build: {what} {profile}: {:.1} s wall, {}",
            b.wall.as_secs_f64(),
            b.cpu_s.map_or("n/a".into(), |c| format!("{c:.1} s CPU"))
        );
        builds.push(b);
    }

    println!();
    println!(
        "full vSphere 5.5 API ({} managed objects, {} data objects, {} enums)",
        loaded.model.managed_objects.len(),
        loaded.model.data_objects.len(),
        loaded.model.enums.len()
    );
    println!("  load (parse + merge)   {:>10.1} ms", ms(t_load));
    println!("  generate               {:>10.1} ms", ms(t_gen));
    println!("  generated              {:>10} files, {} lines, {:.1} MiB", st.files, st.lines, st.bytes as f64 / (1024.0 * 1024.0));
    println!("  crate                  {}", krate.display());
    println!("  subset                 {} data objects of {all} (features {subset_features}, their bases' and the core)", in_subset);
    println!();
    println!("  {:<16} {:>12} {:>12} {:>12}  timings", "build", "wall", "CPU", "peak RSS");
    for b in &builds {
        let rss = b.max_rss_kib.map_or("n/a".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
        let cpu = b.cpu_s.map_or("n/a".to_string(), |c| format!("{c:.1} s"));
        let timings = b.timings.as_ref().map_or("n/a".to_string(), |p| p.display().to_string());
        let name = format!("{} {}", b.what, b.profile);
        println!("  {name:<16} {:>10.1} s {cpu:>12} {rss:>12}  {timings}", b.wall.as_secs_f64());
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "  (load average now: {}; the machine is shared, wall times follow it)",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    println!();
    println!("  (peak RSS is of the largest single process, as getrusage reports it; clean target dirs under {})", bench.display());
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Debian's `time` package installs GNU time at /usr/bin/time; busybox's lacks `-v`.
fn gnu_time_works() -> bool {
    Command::new(GNU_TIME).args(["-v", "true"]).output().is_ok_and(|o| o.status.success())
}

fn build(krate: &Path, target: &Path, what: &'static str, profile: &'static str, features: Option<&str>, time_v: bool) -> Result<Build> {
    if target.exists() {
        std::fs::remove_dir_all(target).with_context(|| format!("removing {}", target.display()))?;
    }
    std::fs::create_dir_all(target)?;
    let report = target.join("time-v.txt");
    let mut args: Vec<&str> = vec!["build", "--timings"];
    if profile == "release" {
        args.push("--release");
    }
    if let Some(f) = features {
        args.extend(["--no-default-features", "--features", f]);
    }
    let cargo = env!("CARGO");
    let mut cmd = if time_v {
        let mut c = Command::new(GNU_TIME);
        c.arg("-v").arg("-o").arg(&report).arg(cargo);
        c
    } else {
        Command::new(cargo)
    };
    cmd.args(&args).current_dir(krate).env("CARGO_TARGET_DIR", target);
    eprintln!("--- bench-build: cargo {} (clean {})", args.join(" "), target.display());
    let t = Instant::now();
    let status = cmd.status().context("running cargo build")?;
    let wall = t.elapsed();
    if !status.success() {
        bail!("cargo {} of the full API failed", args.join(" "));
    }
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let field = |name: &str| text.lines().find_map(|l| l.trim().strip_prefix(name)).map(str::trim);
    let max_rss_kib = field("Maximum resident set size (kbytes):").and_then(|v| v.parse().ok());
    let secs = |name: &str| field(name).and_then(|v| v.parse::<f64>().ok());
    let cpu_s = secs("User time (seconds):").zip(secs("System time (seconds):")).map(|(u, s)| u + s);
    Ok(Build { what, profile, wall, cpu_s, max_rss_kib, timings: newest_html(&target.join("cargo-timings")) })
}

/// The report `--timings` wrote (cargo-timing-<stamp>.html, beside a cargo-timing.html copy).
fn newest_html(dir: &Path) -> Option<PathBuf> {
    let latest = dir.join("cargo-timing.html");
    if latest.is_file() {
        return Some(latest);
    }
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

//! `cargo xtask bench-build`: what the full 5.5 API costs. Loads and generates it (timed),
//! writes it as a standalone crate under `target/bench-build/`, then builds that crate in
//! debug and in release, each from a clean target folder, under `/usr/bin/time -v` when it is
//! there (for the peak RSS). Prints figures; asserts nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{gen, load_and_report, SpecArgs};

const GNU_TIME: &str = "/usr/bin/time";

struct Build {
    profile: &'static str,
    wall: Duration,
    /// Peak resident set size of the largest single process of the build (rustc, as a rule),
    /// in KiB: what `time -v` reads from the children's rusage.
    max_rss_kib: Option<u64>,
    timings: Option<PathBuf>,
}

pub fn run(corpus: &SpecArgs) -> Result<()> {
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
    let tree = gen::Tree::standalone(&krate, files, &gen::RuntimeDep::Local)?;
    let plan = tree.plan()?;
    tree.apply(&plan)?;

    let time_v = Path::new(GNU_TIME).is_file() && gnu_time_works();
    if !time_v {
        eprintln!("bench-build: {GNU_TIME} -v is missing: reporting wall time only (apt-get install time)");
    }
    let mut builds = Vec::new();
    for profile in ["debug", "release"] {
        builds.push(build(&krate, &bench.join(format!("target-{profile}")), profile, time_v)?);
    }

    println!();
    println!("full vSphere 5.5 API ({} managed objects, {} data objects, {} enums)", loaded.model.managed_objects.len(), loaded.model.data_objects.len(), loaded.model.enums.len());
    println!("  load (parse + merge)   {:>10.1} ms", ms(t_load));
    println!("  generate               {:>10.1} ms", ms(t_gen));
    println!("  generated              {:>10} files, {} lines, {:.1} MiB", st.files, st.lines, st.bytes as f64 / (1024.0 * 1024.0));
    println!("  crate                  {}", krate.display());
    println!();
    println!("  {:<8} {:>12} {:>16}  timings", "build", "wall", "peak RSS");
    for b in &builds {
        let rss = b.max_rss_kib.map_or("n/a".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
        let timings = b.timings.as_ref().map_or("n/a".to_string(), |p| p.display().to_string());
        println!("  {:<8} {:>10.1} s {:>16}  {timings}", b.profile, b.wall.as_secs_f64(), rss);
    }
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

fn build(krate: &Path, target: &Path, profile: &'static str, time_v: bool) -> Result<Build> {
    if target.exists() {
        std::fs::remove_dir_all(target).with_context(|| format!("removing {}", target.display()))?;
    }
    std::fs::create_dir_all(target)?;
    let report = target.join("time-v.txt");
    let mut args: Vec<&str> = vec!["build", "--timings"];
    if profile == "release" {
        args.push("--release");
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
    let max_rss_kib = std::fs::read_to_string(&report).ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse().ok())
    });
    Ok(Build { profile, wall, max_rss_kib, timings: newest_html(&target.join("cargo-timings")) })
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

//! `cargo xtask bench-decode`: decoding one large vcsim payload (every VirtualMachine's
//! `config` and `summary`, the raw RetrievePropertiesEx / ContinueRetrievePropertiesEx response
//! bodies) side by side in one run: a bare quick-xml event scan (the floor), our generated
//! decoder and encoder (`vim-bench`, release, in the full-API workspace of [`crate::scale`]),
//! govmomi's decoder (`tests/bench-decode/govmomi_decode.go`, Debian's govmomi) and pyVmomi's
//! (`tests/bench-decode/pyvmomi_decode.py`, the `.venv`'s pyVmomi). Prints figures; asserts
//! nothing.
//!
//! Each measurement is a process of its own: `speed` (every body in memory, RUNS passes over
//! all of them, the median reported) and `memory` (the peak RSS reset through
//! `/proc/self/clear_refs`, then each page read, decoded and kept in turn, as a client keeps
//! its results; the growth of `VmHWM` over the RSS before the first page is the peak).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{cargo, peers, root, scale};

pub struct Options {
    /// Saved payload folder (default: target/full-api/bench-decode/payload, fetched when empty).
    pub payload: Option<PathBuf>,
    /// Fetch the payload again even when it is there.
    pub refetch: bool,
    /// vcsim's -vm for the fetch (VMs per pool; the model has two pools).
    pub vm: u32,
    /// Passes for the floor, ours and the encoder.
    pub runs: usize,
    /// Passes for govmomi (pyVmomi gets one: about 15 s a pass here).
    pub slow_runs: usize,
}

/// One RESULT line: key=value pairs.
type Figures = BTreeMap<String, f64>;

fn result_line(what: &str, out: &std::process::Output) -> Result<Figures> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("{what} failed ({}):\n{stdout}{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    let line =
        stdout.lines().find_map(|l| l.strip_prefix("RESULT ")).with_context(|| format!("{what} printed no RESULT line:\n{stdout}"))?;
    let mut figures = Figures::new();
    for pair in line.split_whitespace() {
        let (k, v) = pair.split_once('=').with_context(|| format!("{what}: {pair:?} is not key=value"))?;
        figures.insert(k.to_string(), v.parse().with_context(|| format!("{what}: {pair:?} is not a number"))?);
    }
    Ok(figures)
}

fn run_one(what: &str, mut cmd: Command) -> Result<Figures> {
    eprintln!("--- {what}");
    let out = cmd.output().with_context(|| format!("starting {what}"))?;
    result_line(what, &out)
}

fn get(f: &Figures, key: &str) -> Result<f64> {
    f.get(key).copied().with_context(|| format!("no {key} in a RESULT line"))
}

pub fn run(options: &Options) -> Result<()> {
    let root = root();
    // The full API's workspace, and vim-bench in release (about 20 minutes the first time on
    // this 2-core machine: the full API's crate in release; later runs reuse target/full-api/target).
    let layout = scale::Layout::new(&crate::target_dir());
    eprintln!("--- cargo xtask gen --out {} (the full 5.5 API)", layout.vim_types.display());
    if !crate::gen_cmd(&crate::corpus_args()?, false, Some(&layout.vim_types), &crate::gen::RuntimeDep::Local)? {
        bail!("generating the full 5.5 API failed");
    }
    scale::assemble(&root, &layout)?;
    let deny = std::ffi::OsStr::new("-Dwarnings");
    cargo(
        &layout.workspace,
        &["build", "--release", "-p", "vim-bench"],
        &[("CARGO_TARGET_DIR", layout.target.as_os_str()), ("RUSTFLAGS", deny)],
        "vim-bench (release, full 5.5 API)",
    )?;
    let bench = layout.target.join("release/vim-bench");
    let vcsim = peers::vcsim(&root)?;
    let govmomi = peers::govmomi_decode(&root)?;
    peers::pyvmomi(&root)?;
    let python = peers::venv_python(&root);
    let script = root.join("tests/bench-decode/pyvmomi_decode.py");

    let payload = options.payload.clone().unwrap_or_else(|| crate::target_dir().join("full-api/bench-decode/payload"));
    let list = |dir: &Path| -> Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "xml")).collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        Ok(files)
    };
    let mut files = list(&payload)?;
    if files.is_empty() || options.refetch {
        for f in &files {
            std::fs::remove_file(f).with_context(|| format!("removing {}", f.display()))?;
        }
        let mut cmd = Command::new(&bench);
        cmd.arg("fetch").arg(&payload).arg(options.vm.to_string()).env("VCSIM_BIN", &vcsim);
        eprintln!("--- fetching the payload from vcsim (-vm {}) into {}", options.vm, payload.display());
        let status = cmd.status().context("running vim-bench fetch")?;
        if !status.success() {
            bail!("vim-bench fetch failed");
        }
        files = list(&payload)?;
    }
    if files.is_empty() {
        bail!("no payload in {}", payload.display());
    }
    let payload_bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();

    let runs = options.runs.to_string();
    let slow = options.slow_runs.to_string();
    let ours = |args: &[&str]| {
        let mut c = Command::new(&bench);
        c.args(args).args(&files);
        c
    };
    let go = |args: &[&str]| {
        let mut c = Command::new(&govmomi);
        c.args(args).args(&files);
        c
    };
    let py = |args: &[&str]| {
        let mut c = Command::new(&python);
        c.arg(&script).args(args).args(&files);
        c
    };

    let floor = run_one("floor: quick-xml event scan (speed)", ours(&["speed", "floor", &runs]))?;
    let floor_mem = run_one("floor: quick-xml event scan (memory)", ours(&["memory", "floor"]))?;
    let tok = run_one("ours: tokenizer alone (speed)", ours(&["speed", "tokenizer", &runs]))?;
    let our = run_one("ours: generated decoder (speed)", ours(&["speed", "ours", &runs]))?;
    let our_mem = run_one("ours: generated decoder (memory)", ours(&["memory", "ours"]))?;
    let kept = run_one("ours: decoding alone, values freed off the clock (speed)", ours(&["speed", "ours-kept", &runs]))?;
    let enc = run_one("ours: generated encoder (speed)", ours(&["speed", "encode", &runs]))?;
    let gov = run_one("govmomi: vim25/xml + types (speed)", go(&["speed", &slow]))?;
    let gov_mem = run_one("govmomi: vim25/xml + types (memory)", go(&["memory"]))?;
    let pyv = run_one("pyVmomi: SoapResponseDeserializer (speed)", py(&["speed", "1"]))?;
    let pyv_mem = run_one("pyVmomi: SoapResponseDeserializer (memory)", py(&["memory"]))?;

    let objects = get(&our, "objects")?;
    for (name, f) in [("govmomi", &gov), ("pyVmomi", &pyv)] {
        if get(f, "objects")? != objects {
            eprintln!("warning: {name} decoded {} objects, ours {objects}", get(f, "objects")?);
        }
    }
    let mbps = |f: &Figures| -> Result<f64> { Ok(get(f, "bytes")? / get(f, "median")? / 1e6) };
    let peak = |f: &Figures| -> Result<f64> { Ok((get(f, "peak_kb")? - get(f, "base_kb")?) * 1024.0) };
    let (floor_mbps, our_mbps) = (mbps(&floor)?, mbps(&our)?);
    let mb = payload_bytes as f64 / 1e6;

    println!();
    println!(
        "payload: {} response bodies, {mb:.1} MB, {objects} VirtualMachine objects (config + summary), from {}",
        files.len(),
        payload.display()
    );
    println!(
        "speed: median of {} passes ({} for govmomi, 1 for pyVmomi); peak: RSS growth while reading, decoding and keeping every page",
        options.runs, options.slow_runs
    );
    println!();
    println!("| decoder | MB/s | objects/s | floor / this | this / ours | peak MB | peak / payload |");
    println!("|---|---|---|---|---|---|---|");
    let rows: [(&str, &Figures, Option<&Figures>); 7] = [
        ("bare quick-xml event scan (floor)", &floor, Some(&floor_mem)),
        ("ours: tokenizer alone (the reader skipping each body)", &tok, None),
        ("ours: generated decoder", &our, Some(&our_mem)),
        ("ours: decoding alone (values freed off the clock)", &kept, None),
        ("ours: generated encoder (MB written)", &enc, None),
        ("govmomi (vim25/xml + types)", &gov, Some(&gov_mem)),
        ("pyVmomi (SoapResponseDeserializer)", &pyv, Some(&pyv_mem)),
    ];
    for (name, speed, mem) in rows {
        let rate = mbps(speed)?;
        let objs = if std::ptr::eq(speed, &floor) || std::ptr::eq(speed, &tok) {
            "-".to_string()
        } else {
            format!("{:.0}", objects / get(speed, "median")?)
        };
        let (peak_mb, ratio) = match mem {
            Some(m) => {
                let p = peak(m)?;
                (format!("{:.1}", p / 1e6), format!("{:.2}x", p / payload_bytes as f64))
            }
            None => ("-".into(), "-".into()),
        };
        println!("| {name} | {rate:.1} | {objs} | {:.1}x | {:.2}x | {peak_mb} | {ratio} |", floor_mbps / rate, rate / our_mbps);
    }
    println!();
    println!(
        "ours: {:.1}x the floor's time (goal: within 3x), {:.1}x govmomi's speed, {:.0}x pyVmomi's; peak {:.2}x the payload (goal: under 3x); encoder {:.1}x the decoder's MB/s",
        floor_mbps / our_mbps,
        our_mbps / mbps(&gov)?,
        our_mbps / mbps(&pyv)?,
        peak(&our_mem)? / payload_bytes as f64,
        mbps(&enc)? / our_mbps
    );
    println!(
        "ours, decoding alone: {:.1}x the floor's time; freeing a pass's values takes {:.1} ms more ({:.0}% of the decoding), \
         freeing each page's values as soon as it is decoded (the row above it, and the peers) costs {:.1} ms a pass",
        floor_mbps / mbps(&kept)?,
        get(&kept, "free_median")? * 1e3,
        get(&kept, "free_median")? / get(&kept, "median")? * 100.0,
        (get(&our, "median")? - get(&kept, "median")?) * 1e3
    );
    // Where ours goes, from vim-bench's counting allocator (bytes requested, not the
    // allocator's rounding and headers, which the RSS includes).
    if let (Ok(live), Ok(heap_peak), Ok(blocks)) = (get(&our_mem, "heap_live"), get(&our_mem, "heap_peak"), get(&our_mem, "heap_blocks")) {
        println!(
            "ours, heap: {:.1} MB live after the last page in {blocks:.0} blocks ({:.0} bytes each on average, {:.2}x the payload), {:.1} MB at the peak (the decoded values plus the page being decoded)",
            live / 1e6,
            live / blocks.max(1.0),
            live / payload_bytes as f64,
            heap_peak / 1e6
        );
    }
    Ok(())
}

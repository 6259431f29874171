//! The decode benchmark's Rust side (`cargo xtask bench-decode`, which builds it in release in
//! the full-API workspace `target/full-api/scale/` and runs it): fetches the payload from vcsim
//! once, and measures the floor (a bare quick-xml event scan), our generated decoder and our
//! encoder on it. govmomi's and pyVmomi's decoders are the programs beside this file.
//!
//! ```text
//! vim-bench fetch DIR [VM_PER_POOL]     vcsim (VCSIM_BIN, -paging): every VM's config and summary,
//!                                       pages of 500, each response body saved as
//!                                       DIR/NNN-RetrievePropertiesEx.xml (or ...-Continue...)
//! vim-bench speed floor|tokenizer|ours|ours-kept|encode RUNS FILE...
//! vim-bench memory floor|ours FILE...
//! ```
//!
//! `speed` holds every body in memory and times RUNS passes over all of them; `memory` resets
//! the process's peak RSS (`/proc/self/clear_refs`), then reads, decodes and keeps each page in
//! turn as a client keeps its results (the body is dropped after its page), and reports the peak
//! (`VmHWM`) against the RSS before the first page. Each prints one line, `RESULT key=value ...`.

#[path = "../scale/common.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use vim_types::xml::{Reader, Writer};
use vim_types::{methods, soap, RetrieveResult};

/// The system allocator, counting (in `memory` mode only) the bytes and blocks live and the
/// peak of live bytes: where the memory goes, next to the RSS.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);
static BLOCKS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if COUNTING.load(Relaxed) && !p.is_null() {
            let live = LIVE.fetch_add(layout.size() as u64, Relaxed) + layout.size() as u64;
            PEAK.fetch_max(live, Relaxed);
            BLOCKS.fetch_add(1, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as u64, Relaxed);
            BLOCKS.fetch_sub(1, Relaxed);
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if COUNTING.load(Relaxed) && !p.is_null() {
            let live = if new_size >= layout.size() {
                LIVE.fetch_add((new_size - layout.size()) as u64, Relaxed) + (new_size - layout.size()) as u64
            } else {
                LIVE.fetch_sub((layout.size() - new_size) as u64, Relaxed) - (layout.size() - new_size) as u64
            };
            PEAK.fetch_max(live, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> ExitCode {
    // Decoding recurses per nesting level; give it the main thread's usual room on any thread.
    let worker = std::thread::Builder::new().stack_size(8 << 20).spawn(run).expect("a thread");
    match worker.join() {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("vim-bench: {e}");
            ExitCode::FAILURE
        }
        Err(_) => ExitCode::FAILURE,
    }
}

const USAGE: &str =
    "usage: vim-bench fetch DIR [VM_PER_POOL] | speed floor|tokenizer|ours|ours-kept|encode RUNS FILE... | memory floor|ours FILE...";

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("fetch") => {
            let dir = args.get(1).ok_or(USAGE)?;
            let vm = args.get(2).map(|v| v.parse::<u32>().map_err(|_| format!("VM_PER_POOL {v:?} is not a number"))).transpose()?;
            fetch(Path::new(dir), vm.unwrap_or(2000))
        }
        Some("speed") if args.len() >= 4 => {
            let runs: usize = args[2].parse().map_err(|_| format!("RUNS {:?} is not a number", args[2]))?;
            if runs == 0 {
                return Err("RUNS must be at least 1".into());
            }
            speed(&args[1], runs, &args[3..])
        }
        Some("memory") if args.len() >= 3 => memory(&args[1], &args[2..]),
        _ => Err(USAGE.into()),
    }
}

/// Saves the response bodies of a paged retrieval of every VM's config and summary.
fn fetch(dir: &Path, vm_per_pool: u32) -> Result<(), String> {
    let bin = std::env::var("VCSIM_BIN").map_err(|_| "VCSIM_BIN is not set (cargo xtask bench-decode sets it)")?;
    let sim = common::Vcsim::start(&bin, common::Model { vm_per_pool, hosts_per_cluster: 3 })?;
    let pages = common::runtime().block_on(async {
        let s = common::session(&sim, &["VirtualMachine"]).await?;
        let spec = common::view_filter(&s.view, &[("VirtualMachine", &["config", "summary"])]);
        common::retrieve_paged(&s, &spec, 500).await
    })?;
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let mut bytes = 0;
    for (i, p) in pages.iter().enumerate() {
        let method = if i == 0 { "RetrievePropertiesEx" } else { "ContinueRetrievePropertiesEx" };
        let path = dir.join(format!("{:03}-{method}.xml", i + 1));
        std::fs::write(&path, &p.body).map_err(|e| format!("writing {}: {e}", path.display()))?;
        bytes += p.body.len();
    }
    let objects: usize = pages.iter().map(|p| p.result.objects.len()).sum();
    println!("fetched {objects} VMs ({} in the model) in {} pages, {bytes} bytes, into {}", sim.vms, pages.len(), dir.display());
    Ok(())
}

fn read_all(files: &[String]) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    files.iter().map(|f| std::fs::read(f).map(|b| (PathBuf::from(f), b)).map_err(|e| format!("reading {f}: {e}"))).collect()
}

/// Our decoder on one saved body: the method is in the file's name.
fn decode(path: &Path, body: &[u8]) -> Result<RetrieveResult, String> {
    let options = soap::DecodeOptions::default();
    let continued = path.file_name().is_some_and(|n| n.to_string_lossy().contains("Continue"));
    let result = if continued {
        soap::decode_response::<methods::ContinueRetrievePropertiesEx>(body, &options).map_err(|e| format!("{e:?}"))?
    } else {
        soap::decode_response::<methods::RetrievePropertiesEx>(body, &options).map_err(|e| format!("{e:?}"))?.unwrap_or_default()
    };
    Ok(result)
}

/// The floor: every event of the body, borrowed, nothing decoded. Returns the event count.
fn scan(body: &[u8]) -> Result<usize, String> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(events),
            Ok(e) => {
                black_box(&e);
                events += 1;
            }
            Err(e) => return Err(format!("at {}: {e}", reader.buffer_position())),
        }
    }
}

/// Our tokenizer alone: the reader skips each body's root element (every tag checked,
/// nothing decoded).
fn skim(body: &[u8]) -> Result<(), String> {
    let mut r = Reader::new(body).map_err(|e| e.to_string())?;
    let root = r.root().map_err(|e| e.to_string())?;
    r.skip(&root).map_err(|e| e.to_string())
}

/// What `encode` writes per page: the result as the `returnval` of a response.
fn encode(result: &RetrieveResult) -> usize {
    let mut w = Writer::new();
    w.field("returnval", result);
    black_box(&w.buf);
    w.buf.len()
}

fn speed(what: &str, runs: usize, files: &[String]) -> Result<(), String> {
    let bodies = read_all(files)?;
    let bytes: usize = bodies.iter().map(|(_, b)| b.len()).sum();
    let decoded = if what == "encode" { bodies.iter().map(|(p, b)| decode(p, b)).collect::<Result<Vec<_>, _>>()? } else { Vec::new() };
    let mut times = Vec::with_capacity(runs);
    let mut free_times = Vec::new();
    let (mut objects, mut out_bytes) = (0usize, 0usize);
    for _ in 0..runs {
        let started = Instant::now();
        (objects, out_bytes) = (0, 0);
        match what {
            "floor" => {
                for (p, b) in &bodies {
                    objects += scan(b).map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
            "tokenizer" => {
                for (p, b) in &bodies {
                    skim(b).map_err(|e| format!("{}: {e}", p.display()))?;
                    objects += 1;
                }
            }
            "ours" => {
                for (p, b) in &bodies {
                    let r = decode(p, b).map_err(|e| format!("{}: {e}", p.display()))?;
                    objects += r.objects.len();
                    black_box(r);
                }
            }
            "ours-kept" => {
                // Decoding alone: the pass's values are kept and freed after the clock stops
                // (the freeing is timed apart), where "ours" frees each page's values at once,
                // as govmomi's and pyVmomi's loops do.
                let mut kept = Vec::with_capacity(bodies.len());
                for (p, b) in &bodies {
                    let r = decode(p, b).map_err(|e| format!("{}: {e}", p.display()))?;
                    objects += r.objects.len();
                    kept.push(r);
                }
                times.push(started.elapsed().as_secs_f64());
                let freeing = Instant::now();
                drop(black_box(kept));
                free_times.push(freeing.elapsed().as_secs_f64());
                continue;
            }
            "encode" => {
                for r in &decoded {
                    out_bytes += encode(r);
                    objects += r.objects.len();
                }
            }
            other => return Err(format!("unknown decoder {other:?}: floor, tokenizer, ours, ours-kept or encode")),
        }
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    // For the floor "objects" are events; for encode, bytes are what was written.
    let bytes = if what == "encode" { out_bytes } else { bytes };
    let free = if free_times.is_empty() {
        String::new()
    } else {
        free_times.sort_by(f64::total_cmp);
        format!(" free_median={:.6}", free_times[free_times.len() / 2])
    };
    println!("RESULT bytes={bytes} objects={objects} runs={runs} best={:.6} median={:.6}{free}", times[0], times[runs / 2]);
    Ok(())
}

/// A field of /proc/self/status, in kB.
fn status(field: &str) -> Result<u64, String> {
    let text = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("reading /proc/self/status: {e}"))?;
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':')?.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/self/status"))
}

fn memory(what: &str, files: &[String]) -> Result<(), String> {
    if what != "floor" && what != "ours" {
        return Err(format!("unknown decoder {what:?}: floor or ours"));
    }
    std::fs::write("/proc/self/clear_refs", "5").map_err(|e| format!("resetting the peak RSS: {e}"))?;
    let base = status("VmRSS")?;
    // Counted from here: blocks freed later that were allocated before would make LIVE wrap,
    // so nothing from before is freed while counting (the arguments live on).
    COUNTING.store(true, Relaxed);
    let mut kept = Vec::new();
    let (mut bytes, mut objects) = (0, 0);
    for f in files {
        let body = std::fs::read(f).map_err(|e| format!("reading {f}: {e}"))?;
        bytes += body.len();
        if what == "floor" {
            objects += scan(&body)?;
        } else {
            let r = decode(Path::new(f), &body)?;
            drop(body);
            objects += r.objects.len();
            kept.push(r);
        }
    }
    let peak = status("VmHWM")?;
    let (live, heap_peak, blocks) = (LIVE.load(Relaxed), PEAK.load(Relaxed), BLOCKS.load(Relaxed));
    println!(
        "RESULT bytes={bytes} objects={objects} pages={} base_kb={base} peak_kb={peak} heap_live={live} heap_peak={heap_peak} heap_blocks={blocks}",
        files.len()
    );
    black_box(kept);
    Ok(())
}

//! `cargo xtask bench`: parse + merge of a whole spec, beside the floor of merely parsing the
//! same bytes (a pulldown-cmark event walk over every page + a quick-xml event scan over
//! every WSDL/XSD file). Prints medians; asserts nothing about time.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;
use codegen::SpecPaths;

fn files(dir: &std::path::Path, ext: &[&str]) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|x| x.to_str()).is_some_and(|x| ext.contains(&x)))
        .collect();
    v.sort();
    Ok(v)
}

/// The pages' files (none without pages).
fn pages(paths: &SpecPaths) -> Result<Vec<PathBuf>> {
    paths.markdown.as_deref().map_or(Ok(Vec::new()), |d| files(d, &["md"]))
}

/// Reads the same files and walks them with the two parsers, doing nothing else.
fn floor(paths: &SpecPaths) -> Result<usize> {
    let mut events = 0usize;
    for p in pages(paths)? {
        let text = std::fs::read_to_string(p)?;
        let opts = pulldown_cmark::Options::ENABLE_TABLES;
        events += pulldown_cmark::Parser::new_ext(&text, opts).into_offset_iter().count();
    }
    for p in files(&paths.wsdl, &["wsdl", "xsd"])? {
        let text = std::fs::read_to_string(p)?;
        let mut r = quick_xml::Reader::from_str(&text);
        loop {
            match r.read_event()? {
                quick_xml::events::Event::Eof => break,
                _ => events += 1,
            }
        }
    }
    // The registry's files through the frontend's own Python-subset reader (its parse, before
    // any registry call is interpreted).
    if let Some(dir) = &paths.pyvmomi {
        if let Ok(Some((_, files))) = codegen::pyvmomi::registry_files(dir) {
            let mut diags = codegen::diag::Diagnostics::new();
            for (i, p) in files.iter().enumerate() {
                let text = std::fs::read_to_string(p)?;
                events += codegen::pyvmomi::syntax::parse_file(codegen::diag::FileId(i as u32), &text, &mut diags).len();
            }
        }
    }
    Ok(events)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn run(paths: &SpecPaths, iterations: usize) -> Result<()> {
    let iterations = iterations.max(1);
    let bytes: u64 = pages(paths)?
        .iter()
        .chain(files(&paths.wsdl, &["wsdl", "xsd"])?.iter())
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Warm the page cache and the allocator once.
    floor(paths)?;
    let loaded = codegen::load(paths);
    let (mut t_floor, mut t_full) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(floor(paths)?);
        t_floor.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(codegen::load(paths));
        t_full.push(t.elapsed());
    }
    // Where the time goes, stage by stage.
    let (mut t_md, mut t_wsdl, mut t_merge) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..iterations {
        let mut sources = codegen::diag::SourceMap::new();
        let mut diags = codegen::diag::Diagnostics::new();
        let t = Instant::now();
        let pages = paths.markdown.as_ref().map(|d| codegen::markdown::read_dir(d, &mut sources, &mut diags)).unwrap_or_default();
        t_md.push(t.elapsed());
        let t = Instant::now();
        let schema = codegen::wsdl::read_dir(&paths.wsdl, &mut sources, &mut diags);
        t_wsdl.push(t.elapsed());
        let reg = paths.pyvmomi.as_ref().map(|d| codegen::pyvmomi::read_dir(d, &mut sources, &mut diags));
        let ov = match &paths.overrides {
            Some(p) => {
                let id = sources.add(p.clone(), std::fs::read_to_string(p)?);
                codegen::overrides::Overrides::parse(&sources, id, &mut diags)
            }
            None => codegen::overrides::Overrides::default(),
        };
        let t = Instant::now();
        match &reg {
            Some(reg) => std::hint::black_box(codegen::merge::registry::merge(&sources, &pages, &schema, reg, &mut diags)),
            None => std::hint::black_box(codegen::merge::merge(&sources, &pages, &schema, &ov, &mut diags)),
        };
        t_merge.push(t.elapsed());
    }
    let (f, m) = (median(t_floor), median(t_full));
    let py_bytes: u64 = match &paths.pyvmomi {
        Some(dir) => codegen::pyvmomi::registry_files(dir)
            .ok()
            .flatten()
            .map(|(_, f)| f.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum())
            .unwrap_or(0),
        None => 0,
    };
    let bytes = bytes + py_bytes;
    let registry_note = paths.pyvmomi.as_ref().map_or(String::new(), |d| format!(" + {}", d.display()));
    let md = paths.markdown.as_ref().map_or_else(|| "no pages".to_string(), |d| d.display().to_string());
    println!("spec: {md} + {}{registry_note} ({:.1} MB)", paths.wsdl.display(), bytes as f64 / 1e6);
    println!(
        "model: {} managed objects, {} data objects, {} enums; {} errors, {} warnings",
        loaded.model.managed_objects.len(),
        loaded.model.data_objects.len(),
        loaded.model.enums.len(),
        loaded.diags.error_count(),
        loaded.diags.warning_count()
    );
    println!("iterations: {iterations} (medians)");
    println!(
        "parse floor (read + pulldown-cmark walk + quick-xml scan{}): {:>8.1} ms",
        if paths.pyvmomi.is_some() { " + registry tokenize" } else { "" },
        f.as_secs_f64() * 1e3
    );
    println!("parse + merge (cargo xtask ir):                          {:>8.1} ms", m.as_secs_f64() * 1e3);
    println!(
        "  of which: markdown {:.1} ms, wsdl {:.1} ms, merge {:.1} ms (rest: overrides or the registry read, sorting diagnostics)",
        median(t_md).as_secs_f64() * 1e3,
        median(t_wsdl).as_secs_f64() * 1e3,
        median(t_merge).as_secs_f64() * 1e3
    );
    println!(
        "ratio: {:.2}x the floor (goal: within 3x, under {} ms)",
        m.as_secs_f64() / f.as_secs_f64(),
        if paths.pyvmomi.is_some() { 500 } else { 300 }
    );
    if paths.pyvmomi.is_none() {
        registry(iterations);
    }
    Ok(())
}

/// Parse time of pyVmomi 9.1.1.0's registry (fetched into target/pyvmomi/ when missing),
/// beside the bytes it reads. A figure, not a check: without pip or network it says why.
fn registry(iterations: usize) {
    let dir = match crate::pyvmomi_release::fetch(&crate::target_dir(), "9.1.1.0") {
        Ok(dir) => dir,
        Err(why) => {
            println!("pyvmomi 9.1.1.0 registry: not measured ({why})");
            return;
        }
    };
    let first = codegen::pyvmomi::load(&dir);
    let bytes: usize = first.sources.files().map(|(_, f)| f.text.len()).sum();
    let mut times = Vec::new();
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(codegen::pyvmomi::load(&dir));
        times.push(t.elapsed());
    }
    println!(
        "pyvmomi 9.1.1.0 registry ({} files, {:.1} MB; {}; {} diagnostics): {:.1} ms",
        first.registry.files.len(),
        bytes as f64 / 1e6,
        first.registry.counts(),
        first.diags.list.len(),
        median(times).as_secs_f64() * 1e3
    );
}

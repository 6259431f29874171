//! The full 5.5 API at scale, against vcsim with a large model (`cargo xtask scale`, which
//! builds this in the workspace `target/full-api/scale/` and passes `VCSIM_BIN`).
//!
//! Every VirtualMachine's `config` and `summary` and every HostSystem's `config`, read through a
//! ContainerView with RetrievePropertiesEx and ContinueRetrievePropertiesEx (vcsim `-paging`);
//! every object must decode (vcsim speaks API 6.5: unknown fields are skipped and counted,
//! required fields it leaves out are listed, neither is fatal), the objects must be the model's,
//! and encoding every decoded result and decoding it again must give equal values. The figures
//! (payload, pages, what the decoder met) are printed.

#[path = "common.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use common::{Model, Vcsim};
use vim_types::xml::{Encode, MissingField, Reader, Writer, XSI};
use vim_types::*;

fn env_u32(name: &str, default: u32) -> u32 {
    match std::env::var(name) {
        Ok(v) => v.parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

/// `result` encoded as `<returnval>` and decoded again, in a root element declaring the
/// namespaces a response envelope declares.
fn round_trip(result: &RetrieveResult) -> Result<(RetrieveResult, usize), String> {
    let mut w = Writer::new();
    w.buf.extend_from_slice(
        format!(r#"<wrap xmlns="urn:vim25" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="{XSI}">"#).as_bytes(),
    );
    result.encode(&mut w, "returnval");
    w.close("wrap");
    let len = w.buf.len();
    let mut r = Reader::new(&w.buf).map_err(|e| format!("re-reading: {e:?}"))?;
    let root = r.root().map_err(|e| format!("{e:?}"))?;
    if root.name != "wrap" {
        return Err(format!("root <{}>", root.name));
    }
    let e = r.child().map_err(|e| format!("{e:?}"))?.ok_or("no <returnval> in the encoding")?;
    let again: RetrieveResult = r.read(&e).map_err(|e| format!("decoding the encoding: {e:?}"))?;
    if r.report.unknown_elements != 0 || r.report.unknown_types != 0 {
        return Err(format!("our own encoding decoded with surprises: {:?}", r.report));
    }
    Ok((again, len))
}

#[test]
fn full_api_at_scale_against_vcsim() {
    // The decoder recurses once per nesting level, and in a debug build the generated decode
    // functions of the large data objects (VirtualMachineConfigInfo, HostConfigInfo) have frames
    // big enough to overflow the 2 MiB stack of a test thread; the main thread's 8 MiB is what
    // a program gets. SCALE_STACK_MIB to probe.
    let mib = env_u32("SCALE_STACK_MIB", 8) as usize;
    let worker = std::thread::Builder::new().stack_size(mib << 20).spawn(at_scale).expect("a thread");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}

fn at_scale() {
    let bin = std::env::var("VCSIM_BIN").expect("VCSIM_BIN is not set: run `cargo xtask scale`, which builds vcsim and sets it");
    let model = Model { vm_per_pool: env_u32("SCALE_VM_PER_POOL", 2000), hosts_per_cluster: env_u32("SCALE_HOSTS_PER_CLUSTER", 19) };
    let page_size = env_u32("SCALE_PAGE", 500);
    assert!(page_size > 0, "SCALE_PAGE must be at least 1");
    let started = Instant::now();
    let sim = Vcsim::start(&bin, model).unwrap_or_else(|e| panic!("{e}"));
    let model_ready = started.elapsed();

    let (pages, fetched) = common::runtime().block_on(async {
        let s = common::session(&sim, &["VirtualMachine", "HostSystem"]).await.unwrap_or_else(|e| panic!("{e}"));
        let spec = common::view_filter(&s.view, &[("VirtualMachine", &["config", "summary"]), ("HostSystem", &["config"])]);
        let t = Instant::now();
        let pages = common::retrieve_paged(&s, &spec, page_size as i32).await.unwrap_or_else(|e| panic!("{e}"));
        let fetched = t.elapsed();

        // A retrieval cancelled after its first page: its token is no longer accepted.
        let one = RetrieveOptions { max_objects: Some(1), ..Default::default() };
        let first = s.client.retrieve_properties_ex(&s.collector, std::slice::from_ref(&spec), &one).await.expect("RetrievePropertiesEx");
        let first = first.expect("a result");
        assert_eq!(first.objects.len(), 1, "maxObjects 1");
        let token = first.token.expect("a token: more objects are left");
        s.client.cancel_retrieve_properties_ex(&s.collector, &token).await.expect("CancelRetrievePropertiesEx");
        let after = s.client.continue_retrieve_properties_ex(&s.collector, &token).await;
        assert!(
            matches!(after, Err(Error::Fault(ContinueRetrievePropertiesExFault::Other(AnyMethodFault::InvalidArgument(_))))),
            "ContinueRetrievePropertiesEx with a cancelled token: {after:?}"
        );
        (pages, fetched)
    });

    // A program decodes on whatever thread it has: a tokio worker or a test thread has 2 MiB
    // of stack, and a debug build's frames are large. Every page (VMs' config and summary,
    // hosts' config: the largest objects of the API) decodes on a 2 MiB thread.
    let bodies: Vec<Vec<u8>> = pages.iter().map(|p| p.body.clone()).collect();
    let small = std::thread::Builder::new().stack_size(2 << 20).spawn(move || {
        bodies
            .iter()
            .map(|b| {
                soap::decode_response::<methods::ContinueRetrievePropertiesEx>(b, &soap::DecodeOptions::default()).map(|r| r.objects.len())
            })
            .collect::<Vec<_>>()
    });
    let decoded = small.expect("a thread").join().expect("decoding every page on a 2 MiB stack");
    for (i, (d, p)) in decoded.iter().zip(&pages).enumerate() {
        assert_eq!(d.as_ref().ok(), Some(&p.result.objects.len()), "page {} on a 2 MiB stack: {d:?}", i + 1);
    }

    // Paging: every page but the last is full, and the count of pages is what it should be.
    let total: usize = pages.iter().map(|p| p.result.objects.len()).sum();
    let expected = (sim.vms + sim.hosts) as usize;
    assert_eq!(total, expected, "objects retrieved vs the model's {} VMs and {} hosts", sim.vms, sim.hosts);
    for (i, p) in pages.iter().enumerate() {
        let last = i + 1 == pages.len();
        assert_eq!(p.result.token.is_none(), last, "page {} of {}: token {:?}", i + 1, pages.len(), p.result.token);
        if !last {
            assert_eq!(p.result.objects.len(), page_size as usize, "page {} is not full", i + 1);
        }
    }
    assert_eq!(pages.len(), total.div_ceil(page_size as usize), "pages");

    // Every object is one of the model's, once, with its properties decoded to their types.
    let mut seen = BTreeSet::new();
    let (mut vms, mut hosts) = (0u64, 0u64);
    for o in pages.iter().flat_map(|p| &p.result.objects) {
        assert!(seen.insert((o.obj.type_name.clone(), o.obj.value.clone())), "{:?} came twice", o.obj);
        assert!(o.missing_set.is_empty(), "{:?}: missingSet {:?}", o.obj, o.missing_set);
        let prop = |name: &str| o.prop_set.iter().find(|p| p.name == name).map(|p| &p.val);
        match o.obj.type_name.as_str() {
            "VirtualMachine" => {
                vms += 1;
                assert!(
                    matches!(prop("config"), Some(AnyValue::Data(AnyData::VirtualMachineConfigInfo(_)))),
                    "{:?} config: {:?}",
                    o.obj,
                    prop("config")
                );
                assert!(matches!(prop("summary"), Some(AnyValue::Data(AnyData::VirtualMachineSummary(_)))), "{:?} summary", o.obj);
                assert_eq!(o.prop_set.len(), 2, "{:?}: properties {:?}", o.obj, o.prop_set.iter().map(|p| &p.name).collect::<Vec<_>>());
            }
            "HostSystem" => {
                hosts += 1;
                assert!(
                    matches!(prop("config"), Some(AnyValue::Data(AnyData::HostConfigInfo(_)))),
                    "{:?} config: {:?}",
                    o.obj,
                    prop("config")
                );
                assert_eq!(o.prop_set.len(), 1, "{:?}", o.obj);
            }
            other => panic!("{:?}: a {other} through a view of VirtualMachine and HostSystem", o.obj),
        }
    }
    assert_eq!((vms, hosts), (sim.vms, sim.hosts), "(VMs, hosts) decoded vs the model's");

    // What the decoder met: vcsim's newer fields (skipped and counted) and the required
    // fields it leaves out (listed).
    let bytes: usize = pages.iter().map(|p| p.body.len()).sum();
    let unknown_elements: u64 = pages.iter().map(|p| p.report.unknown_elements).sum();
    let unknown_types: u64 = pages.iter().map(|p| p.report.unknown_types).sum();
    let mut missing: BTreeMap<MissingField, u64> = BTreeMap::new();
    for m in pages.iter().flat_map(|p| &p.report.missing) {
        *missing.entry(*m).or_default() += 1;
    }

    // Encode every decoded result and decode it again: equal values.
    let t = Instant::now();
    let mut encoded = 0usize;
    for (i, p) in pages.iter().enumerate() {
        let (again, len) = round_trip(&p.result).unwrap_or_else(|e| panic!("page {}: {e}", i + 1));
        encoded += len;
        if again != p.result {
            let first = p.result.objects.iter().zip(&again.objects).position(|(a, b)| a != b);
            panic!(
                "page {}: the round trip changed the result (first differing object: {:?})",
                i + 1,
                first.map(|k| &p.result.objects[k].obj)
            );
        }
    }
    let round_trip_time = t.elapsed();

    let mb = |b: usize| b as f64 / 1e6;
    println!("scale: vcsim model {} VMs, {} hosts (built in {:.1} s)", sim.vms, sim.hosts, model_ready.as_secs_f64());
    println!(
        "scale: {} objects in {} pages of at most {page_size} (RetrievePropertiesEx + {} ContinueRetrievePropertiesEx), {:.1} MB of response bodies, fetched and decoded in {:.1} s",
        total,
        pages.len(),
        pages.len() - 1,
        mb(bytes),
        fetched.as_secs_f64()
    );
    println!("scale: decode report: {unknown_elements} unknown elements skipped, {unknown_types} values of unknown classes kept, {} required fields missing", missing.values().sum::<u64>());
    for (field, n) in &missing {
        println!("scale:   missing {field}: {n}");
    }
    println!(
        "scale: round trip: all {total} objects encoded ({:.1} MB) and decoded again to equal values in {:.1} s (this build's profile: {})",
        mb(encoded),
        round_trip_time.as_secs_f64(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
}

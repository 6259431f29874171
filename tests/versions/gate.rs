//! The 9.1 crate's client against vcsim (`cargo xtask test`, which builds this on the crate
//! generated into `target/full-api-9.1/vim-types/` and passes `VCSIM_BIN`): vcsim announces
//! API 6.5, the client negotiates it, and a method of 7.0 is refused before anything is sent,
//! naming both versions; a method 6.5 has still works. Likewise a 9.0 parameter of an old
//! method and a 7.0 property are refused, naming them. Then every VM's `config` and `summary`
//! and every host's `config` of a small model are read: the 9.1 crate knows every element vcsim
//! sends (the 5.5 crate skips thousands at scale, see tests/scale/).

#[path = "../scale/common.rs"]
mod common;

use common::{Model, Vcsim};
use vim_types::*;

#[test]
fn a_7_0_method_parameter_or_property_is_refused_against_a_6_5_server() {
    let bin = std::env::var("VCSIM_BIN").expect("VCSIM_BIN: the vcsim binary (cargo xtask test sets it)");
    let sim = Vcsim::start(&bin, Model { vm_per_pool: 1, hosts_per_cluster: 1 }).expect("vcsim starts");
    common::runtime().block_on(async {
        let s = common::session(&sim, &["VirtualMachine", "HostSystem"]).await.expect("a session");
        assert_eq!(s.client.api_version(), versions::VERSION11, "vcsim speaks 6.5");
        assert_eq!(s.client.api_version().version(), "6.5");
        // A 7.0 method: refused by the client, before sending.
        let ds = MoRef::<Datastore>::new("datastore-1");
        let err = s.client.is_clustered_vmdk_enabled(&ds).await.expect_err("a 7.0 method against 6.5");
        let text = err.to_string();
        match err {
            Error::VersionTooOld { method, since, negotiated } => {
                assert_eq!(method, "IsClusteredVmdkEnabled");
                assert_eq!(since, versions::V7_0);
                assert_eq!(negotiated, versions::VERSION11);
                assert!(text.contains("7.0.0.0") && text.contains("6.5"), "{text}");
                eprintln!("refused before sending: {text}");
            }
            other => panic!("expected VersionTooOld, got {other:?}"),
        }
        assert!(versions::V7_0 > versions::VERSION11 && versions::V9_1_0_0 == *versions::ALL.last().expect("versions"));
        // A 6.5 call on the same client still goes through.
        let time = s.client.current_time(&MoRef::<ServiceInstance>::new("ServiceInstance")).await;
        assert!(time.is_ok(), "CurrentTime: {time:?}");

        // A 9.0 parameter of a 2.0 method: refused before sending, naming the parameter; the
        // same call without it goes through.
        let content = s.client.retrieve_service_content(&MoRef::<ServiceInstance>::new("ServiceInstance")).await.expect("content");
        let events = content.event_manager.clone().expect("an EventManager");
        let filter = EventFilterSpec { max_count: Some(5), ..Default::default() };
        let view = AnyEventManagerEventViewSpec::EventManagerEventViewSpec(Box::default());
        let err = s.client.query_events(&events, &filter, Some(&view)).await.expect_err("a 9.0 parameter against 6.5");
        let text = err.to_string();
        match err {
            Error::ParameterTooNew { method, parameter, since, negotiated } => {
                assert_eq!((method, parameter), ("QueryEvents", "eventViewSpec"));
                assert_eq!((since, negotiated), (versions::V9_0_0_0, versions::VERSION11));
                assert!(text.contains("eventViewSpec") && text.contains("9.0.0.0") && text.contains("6.5"), "{text}");
                eprintln!("refused before sending: {text}");
            }
            other => panic!("expected ParameterTooNew, got {other:?}"),
        }
        let found = s.client.query_events(&events, &filter, None).await.expect("QueryEvents without eventViewSpec");
        assert!(!found.is_empty(), "vcsim has events");

        // A 7.0 property (`Folder.namespace`): the typed read refuses it, naming it; a 2.0
        // property of the same folder is read.
        let root = content.root_folder.clone();
        let err = s.client.read(&root, &Folder::namespace()).await.expect_err("a 7.0 property against 6.5");
        let text = err.to_string();
        match err {
            vim_client::Error::PropertyTooNew { owner, path, since, negotiated } => {
                assert_eq!((owner, path.as_str(), since.as_str(), negotiated.as_str()), ("Folder", "namespace", "7.0.0.0", "6.5"));
                eprintln!("refused before sending: {text}");
            }
            other => panic!("expected PropertyTooNew, got {other:?}"),
        }
        let kinds = s.client.read(&root, &Folder::child_type()).await.expect("Folder.childType");
        assert!(kinds.iter().any(|k| k == "Datacenter"), "{kinds:?}");

        let spec = common::view_filter(&s.view, &[("VirtualMachine", &["config", "summary"]), ("HostSystem", &["config"])]);
        let pages = common::retrieve_paged(&s, &spec, 100).await.expect("RetrievePropertiesEx");
        let objects: usize = pages.iter().map(|p| p.result.objects.len()).sum();
        let unknown_elements: u64 = pages.iter().map(|p| p.report.unknown_elements).sum();
        let unknown_types: u64 = pages.iter().map(|p| p.report.unknown_types).sum();
        println!(
            "gate: {objects} objects ({} VMs, {} hosts): {unknown_elements} unknown elements, {unknown_types} values of unknown classes",
            sim.vms, sim.hosts
        );
        assert_eq!(objects as u64, sim.vms + sim.hosts);
        assert_eq!((unknown_elements, unknown_types), (0, 0), "the 9.1 crate meets elements vcsim 6.5 sends that it does not know");
    });
}

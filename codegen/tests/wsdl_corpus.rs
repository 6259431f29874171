//! The real vSphere 5.5 WSDL/XSD (`../shared/spec-corpus/wsdl-5.5/vim25`), read end to end.

use std::path::Path;

use codegen::diag::{Diagnostics, SourceMap};
use codegen::wsdl::{self, Element, MaxOccurs, Schema, TypeRef};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec-corpus/wsdl-5.5/vim25");

fn read() -> (Schema, SourceMap, Diagnostics) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let schema = wsdl::read_dir(Path::new(CORPUS), &mut sources, &mut diags);
    (schema, sources, diags)
}

fn named(n: &str) -> TypeRef {
    TypeRef::Named(n.to_string())
}
fn xsd(n: &str) -> TypeRef {
    TypeRef::Xsd(n.to_string())
}
/// (name, type, minOccurs, maxOccurs) of elements, for compact comparisons.
fn shape(els: &[Element]) -> Vec<(&str, TypeRef, u32, MaxOccurs)> {
    els.iter().map(|e| (e.name.as_str(), e.ty.clone(), e.min_occurs, e.max_occurs)).collect()
}
const ONE: MaxOccurs = MaxOccurs::Bounded(1);

#[test]
fn no_diagnostics_and_all_files_read() {
    let Some(_) = vimgen_test_support::corpus("no_diagnostics_and_all_files_read") else { return };
    let (schema, sources, diags) = read();
    assert!(diags.list.is_empty(), "{}\n{}", diags.render_all(&sources), diags.summary());
    let names: Vec<_> =
        schema.files.iter().map(|&f| sources.path(f).file_name().and_then(|n| n.to_str()).unwrap_or("").to_string()).collect();
    assert_eq!(names[0], "vim.wsdl");
    let mut sorted = names.clone();
    sorted.sort();
    // Every XSD once; vimService.wsdl is not part of the interface.
    assert_eq!(
        sorted,
        [
            "core-types.xsd",
            "query-messagetypes.xsd",
            "query-types.xsd",
            "reflect-messagetypes.xsd",
            "reflect-types.xsd",
            "vim-messagetypes.xsd",
            "vim-types.xsd",
            "vim.wsdl"
        ]
    );
    assert_eq!(schema.target_namespace, "urn:vim25");
    assert_eq!(schema.api_version(), Some("5.5"));
}

#[test]
fn counts_match_the_corpus_readme() {
    let Some(_) = vimgen_test_support::corpus("counts_match_the_corpus_readme") else { return };
    let (schema, _, _) = read();
    assert_eq!(schema.operations.len(), 615);
    assert_eq!(schema.operations.iter().filter(|o| o.name.ends_with("_Task")).count(), 132);
    // `complex_types` holds every NAMED complexType (the README's 3,417); the anonymous types of
    // the `*Response` elements are not types of their own.
    assert_eq!(schema.complex_types.len(), 3417);
    let arrays = schema.complex_types.iter().filter(|t| t.name.starts_with("ArrayOf")).count();
    let requests = schema.complex_types.iter().filter(|t| t.name.ends_with("RequestType")).count();
    assert_eq!((arrays, requests), (420, 615));
    assert_eq!(schema.complex_types.len() - arrays - requests, 2382);
    assert_eq!(schema.enums.len(), 261);
    assert_eq!(schema.enums.iter().map(|e| e.values.len()).sum::<usize>(), 1247);
    // Void operations and operations returning arrays.
    assert_eq!(schema.operations.iter().filter(|o| o.returns.is_none()).count(), 248);
    assert_eq!(schema.operations.iter().filter(|o| o.returns.as_ref().is_some_and(Element::is_array)).count(), 83);
    // Every operation declares RuntimeFault, last.
    assert!(schema.operations.iter().all(|o| o.faults.last().map(String::as_str) == Some("RuntimeFault")));
    // Sorted (lookups binary-search).
    assert!(schema.complex_types.windows(2).all(|w| w[0].name < w[1].name));
    assert!(schema.enums.windows(2).all(|w| w[0].name < w[1].name));
    assert!(schema.operations.windows(2).all(|w| w[0].name < w[1].name));
}

#[test]
fn login() {
    let Some(_) = vimgen_test_support::corpus("login") else { return };
    let (schema, sources, _) = read();
    let login = schema.operation("Login").expect("Login");
    assert_eq!(login.request_type, "LoginRequestType");
    assert_eq!(
        shape(&login.params),
        [("userName", xsd("string"), 1, ONE), ("password", xsd("string"), 1, ONE), ("locale", xsd("string"), 0, ONE)]
    );
    assert_eq!(login.returns.as_ref().map(|r| r.ty.clone()), Some(named("UserSession")));
    assert_eq!(login.faults, ["InvalidLogin", "InvalidLocale", "RuntimeFault"]);
    assert_eq!(login.soap_action.as_deref(), Some("urn:vim25/5.5"));
    // Spans point into the right files and lines.
    assert!(sources.location(login.span).ends_with("vim.wsdl:11558:7"), "{}", sources.location(login.span));
    assert!(sources.location(login.params[0].span).ends_with("vim-messagetypes.xsd:1361:10"));

    let logout = schema.operation("Logout").expect("Logout");
    assert!(logout.params.is_empty());
    assert_eq!(logout.returns, None);
    assert_eq!(logout.faults, ["RuntimeFault"]);
}

#[test]
fn power_on_vm_task() {
    let Some(_) = vimgen_test_support::corpus("power_on_vm_task") else { return };
    let (schema, _, _) = read();
    let op = schema.operation("PowerOnVM_Task").expect("PowerOnVM_Task");
    // Task operations' request types drop `_Task`.
    assert_eq!(op.request_type, "PowerOnVMRequestType");
    assert_eq!(shape(&op.params), [("host", named("ManagedObjectReference"), 0, ONE)]);
    assert_eq!(op.returns.as_ref().map(|r| (r.ty.clone(), r.min_occurs)), Some((named("ManagedObjectReference"), 1)));
    assert_eq!(op.faults, ["TaskInProgress", "InvalidState", "InsufficientResourcesFault", "VmConfigFault", "FileFault", "RuntimeFault"]);
    // Every task operation returns a (Task) reference.
    for op in schema.operations.iter().filter(|o| o.name.ends_with("_Task")) {
        assert_eq!(op.returns.as_ref().map(|r| &r.ty), Some(&named("ManagedObjectReference")), "{}", op.name);
        assert_eq!(op.request_type, format!("{}RequestType", op.name.trim_end_matches("_Task")));
    }
}

#[test]
fn property_collector() {
    let Some(_) = vimgen_test_support::corpus("property_collector") else { return };
    let (schema, _, _) = read();
    let op = schema.operation("RetrievePropertiesEx").expect("RetrievePropertiesEx");
    assert_eq!(
        shape(&op.params),
        [("specSet", named("PropertyFilterSpec"), 1, MaxOccurs::Unbounded), ("options", named("RetrieveOptions"), 1, ONE)]
    );
    assert_eq!(op.returns.as_ref().map(|r| (r.ty.clone(), r.min_occurs)), Some((named("RetrieveResult"), 0)));
    let op = schema.operation("RetrieveProperties").expect("RetrieveProperties");
    let ret = op.returns.as_ref().expect("returns");
    assert_eq!((ret.ty.clone(), ret.is_array()), (named("ObjectContent"), true));
    let sc = schema.operation("RetrieveServiceContent").expect("RetrieveServiceContent");
    assert_eq!(sc.returns.as_ref().map(|r| r.ty.clone()), Some(named("ServiceContent")));
}

#[test]
fn data_types() {
    let Some(_) = vimgen_test_support::corpus("data_types") else { return };
    let (schema, _, _) = read();
    let us = schema.complex_type("UserSession").expect("UserSession");
    assert_eq!(us.base, Some(named("DynamicData")));
    let names: Vec<_> = us.elements.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "key",
            "userName",
            "fullName",
            "loginTime",
            "lastActiveTime",
            "locale",
            "messageLocale",
            "extensionSession",
            "ipAddress",
            "userAgent",
            "callCount"
        ]
    );
    let ext = &us.elements[7];
    assert_eq!((ext.ty.clone(), ext.min_occurs), (xsd("boolean"), 0));
    assert_eq!(us.elements[3].ty, xsd("dateTime"));
    assert_eq!(us.elements[10].ty, xsd("long"));
    assert!(us.elements[..7].iter().all(|e| e.min_occurs == 1));

    let hls = schema.complex_type("HostListSummary").expect("HostListSummary");
    assert_eq!(hls.base, Some(named("DynamicData")));
    assert_eq!(hls.elements[0].name, "host");
    assert_eq!(hls.elements[0].ty, named("ManagedObjectReference"));

    let arr = schema.complex_type("ArrayOfUserSession").expect("ArrayOfUserSession");
    assert_eq!(arr.base, None);
    assert_eq!(shape(&arr.elements), [("UserSession", named("UserSession"), 0, MaxOccurs::Unbounded)]);

    // Roots of the hierarchy: MethodFault does not extend DynamicData on the wire.
    let roots: Vec<_> = schema
        .complex_types
        .iter()
        .filter(|t| t.base.is_none() && !t.name.starts_with("ArrayOf") && !t.name.ends_with("RequestType"))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(roots, ["DynamicArray", "DynamicData", "DynamicProperty", "MethodFault"]);
    assert_eq!(schema.complex_type("RuntimeFault").and_then(|t| t.base.clone()), Some(named("MethodFault")));
    // ManagedObjectReference is simpleContent: a string with a `type` attribute.
    let mor = schema.complex_type("ManagedObjectReference").expect("MOR");
    assert_eq!((mor.base.clone(), mor.elements.len()), (Some(xsd("string")), 0));
    // The vim25 XSD marks no type abstract.
    assert!(schema.complex_types.iter().all(|t| !t.is_abstract));
    // The XSD built-ins the API uses.
    let mut used: Vec<_> = schema
        .complex_types
        .iter()
        .flat_map(|t| &t.elements)
        .filter_map(|e| match &e.ty {
            TypeRef::Xsd(x) => Some(x.as_str()),
            TypeRef::Named(_) => None,
        })
        .collect();
    used.sort();
    used.dedup();
    assert_eq!(used, ["anyType", "base64Binary", "boolean", "byte", "dateTime", "double", "float", "int", "long", "short", "string"]);
}

#[test]
fn enums() {
    let Some(_) = vimgen_test_support::corpus("enums") else { return };
    let (schema, _, _) = read();
    let e = schema.enum_type("ManagedEntityStatus").expect("ManagedEntityStatus");
    assert_eq!(e.values, ["gray", "green", "yellow", "red"]);
    let e = schema.enum_type("VirtualMachinePowerState").expect("VirtualMachinePowerState");
    assert_eq!(e.values, ["poweredOff", "poweredOn", "suspended"]);
    assert!(schema.enum_type("ComputeResourceHostSPBMLicenseInfoHostSPBMLicenseState").is_some());
}

/// Not a benchmark (speed is measured, not asserted): prints the release-mode read time.
/// `cargo test --release -p vimgen-codegen --test wsdl_corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn print_read_time() {
    let Some(_) = vimgen_test_support::corpus("print_read_time") else { return };
    let _ = read(); // warm the page cache
    let n = 20;
    let mut times: Vec<_> = (0..n)
        .map(|_| {
            let t = std::time::Instant::now();
            let (schema, _, _) = read();
            std::hint::black_box(schema);
            t.elapsed()
        })
        .collect();
    times.sort();
    eprintln!("corpus read (files + parse + join): min {:?}, median {:?}", times[0], times[n / 2]);

    // The same without file-system reads: texts preloaded, handed over by the loader.
    let dir = std::fs::canonicalize(CORPUS).expect("corpus dir");
    let texts: std::collections::HashMap<std::path::PathBuf, String> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    let entry = dir.join("vim.wsdl");
    let mut times: Vec<_> = (0..n)
        .map(|_| {
            let mut sources = SourceMap::new();
            let mut diags = Diagnostics::new();
            let t = std::time::Instant::now();
            let id = sources.add(entry.clone(), texts[&entry].clone());
            let mut load = |p: &Path| texts.get(p).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into());
            let schema = wsdl::read_entry(id, &mut sources, &mut load, &mut diags);
            let e = t.elapsed();
            assert_eq!(schema.operations.len(), 615);
            e
        })
        .collect();
    times.sort();
    eprintln!("corpus parse + join from memory: min {:?}, median {:?}", times[0], times[n / 2]);
}

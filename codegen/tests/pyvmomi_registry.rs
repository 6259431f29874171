//! The pyVmomi frontend on real releases: 9.1.1.0 (`_typeinfo_*.py`) and 7.0.2 and 6.0.0
//! (`ServerObjects.py`...), fetched by `support/pyvmomi_release.rs` into `target/pyvmomi/`.
//! Prints counts; checks facts read by eye in the files; compares the 5.5 view of the 9.1.1.0
//! registry with the 5.5 markdown pages (owner and privilege of every method).
//!
//! Without pip or network (or the corpus) a test prints why and passes, unless
//! `VIMGEN_REQUIRE_PEERS=1` (`cargo xtask test`), under which it fails instead.

#[path = "support/pyvmomi_release.rs"]
mod pyvmomi_release;

use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::diag::{Diagnostics, Kind, SourceMap};
use codegen::ir::TypeRef;
use codegen::pyvmomi::{self, Layout, Registry};

const CORPUS_MD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec-corpus/pyvmomi-docs-5.5");

/// The release's package folder, or `None` (printed) when it cannot be fetched.
fn release(version: &str) -> Option<PathBuf> {
    let target = pyvmomi_release::target_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
    match pyvmomi_release::fetch(&target, version) {
        Ok(p) => Some(p),
        Err(why) if std::env::var_os(vimgen_test_support::REQUIRE_PEERS).is_none_or(|v| v != "1") => {
            eprintln!("skipped: pyvmomi {version} is not available: {why} (`cargo xtask test` runs it)");
            None
        }
        Err(why) => panic!("pyvmomi {version} is required under `cargo xtask test` and not available: {why}"),
    }
}

/// Loads a release: no error, and no warning other than `unknown_types` (types the release
/// uses without defining them: real holes in that release's registry, printed).
fn load(version: &str, layout: Layout, unknown_types: usize) -> Option<Registry> {
    let dir = release(version)?;
    let t = Instant::now();
    let loaded = pyvmomi::load(&dir);
    let took = t.elapsed();
    let holes: Vec<&str> = loaded.diags.of_kind(Kind::PyUnknownType).map(|d| d.message.as_str()).collect();
    eprintln!("pyvmomi {version}: {} unknown types: {holes:#?}", holes.len());
    let others = loaded.diags.list.iter().filter(|d| d.kind != Kind::PyUnknownType).count();
    assert!(others == 0 && holes.len() == unknown_types, "{}", loaded.diags.render_all(&loaded.sources));
    assert_eq!(loaded.registry.layout, layout);
    eprintln!("pyvmomi {version}: {} files, {} ({took:.1?} in this build)", loaded.registry.files.len(), loaded.registry.counts());
    Some(loaded.registry)
}

/// Facts every release since 6.0 states (checked by eye in `_typeinfo_vim.py` and
/// `ServerObjects.py`).
fn common_facts(reg: &Registry) {
    let login = reg.method("vim.SessionManager", "Login").expect("SessionManager.Login");
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    assert!(login.faults.iter().any(|f| f == "vim.fault.InvalidLogin"), "{:?}", login.faults);
    assert!(login.params.iter().any(|p| p.name == "password" && p.flags.secret));
    assert_eq!(login.returns.ty, "vim.UserSession");
    let sm = &reg.managed["vim.SessionManager"];
    let sessions = sm.properties.iter().find(|p| p.name == "sessionList").expect("sessionList");
    assert_eq!((sessions.ty.as_str(), sessions.privilege.as_deref()), ("vim.UserSession[]", Some("Sessions.TerminateSession")));
    assert_eq!(reg.data["vim.ServiceInstanceContent"].wsdl_name, "ServiceContent");
    let power_on = reg.method("vim.VirtualMachine", "PowerOnVM_Task").expect("PowerOnVM_Task");
    assert_eq!((power_on.name.as_str(), power_on.returns.ty.as_str()), ("powerOn", "vim.Task"));
    assert_eq!(power_on.privilege.as_deref(), Some("VirtualMachine.Interact.PowerOn"));
    let v55 = reg.version_by_id("vim25", "5.5").expect("5.5");
    assert_eq!(v55.name, "vim.version.version9");
    assert!(reg.ancestors("vim.version.version9").contains("vim.version.version1"));
    assert!(reg.enums["vim.VirtualMachine.PowerState"].values.iter().any(|v| v == "poweredOn"));
}

#[test]
fn pyvmomi_9_1_1_0() {
    let Some(reg) = load("9.1.1.0", Layout::TypeInfo, 0) else { return };
    common_facts(&reg);
    let v91 = reg.version_by_id("vim25", "9.1.0.0").expect("9.1.0.0");
    let a = reg.ancestors(&v91.name);
    assert!(a.contains("vim.version.version9") && a.contains("vim.version.v9_0_0_0") && !a.contains("vim.version.v9_1_1_0"));
    // DirectPathProfileManager came with 9.0: in the 9.1 view, not in the 5.5 one.
    let content = |r: &Registry| r.data["vim.ServiceInstanceContent"].properties.iter().any(|p| p.name == "directPathProfileManager");
    assert!(content(&reg.filter(&v91.name)) && !content(&reg.filter("vim.version.version9")));
    let c55 = reg.filter("vim.version.version9").counts();
    eprintln!("pyvmomi 9.1.1.0 filtered to 5.5: {c55}");
    assert!(c55.managed < reg.counts().managed && c55.methods > 400);
}

#[test]
fn pyvmomi_7_0_2_legacy_layout() {
    let Some(reg) = load("7.0.2", Layout::Legacy, 3) else { return };
    common_facts(&reg);
    assert!(reg.version_by_id("vim25", "7.0.2.0").is_some());
    assert!(reg.version_by_id("vim25", "9.0.0.0").is_none());
}

#[test]
fn pyvmomi_6_0_0_legacy_layout() {
    let Some(reg) = load("6.0.0", Layout::Legacy, 0) else { return };
    common_facts(&reg);
    assert_eq!(reg.version_by_id("vim25", "6.0").map(|v| v.name.as_str()), Some("vim.version.version10"));
}

/// The 9.1.1.0 registry filtered to 5.5 against the 5.5 pages: for each documented method,
/// does the registry put it on the same managed object, with the same privilege? Printed as
/// agreement figures; the owner must agree almost everywhere (both come from VMODL).
#[test]
fn agrees_with_the_5_5_markdown() {
    let Some(reg) = load("9.1.1.0", Layout::TypeInfo, 0) else { return };
    if vimgen_test_support::corpus("agrees_with_the_5_5_markdown").is_none() {
        return;
    }
    let reg = reg.filter("vim.version.version9");
    let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
    let pages = codegen::markdown::read_dir(Path::new(CORPUS_MD), &mut sources, &mut diags);
    let (mut methods, mut same_owner, mut other_owner, mut privileged, mut same_privilege) = (0, 0, 0, 0, 0);
    let (mut misses, mut privilege_misses) = (Vec::new(), Vec::new());
    for page in &pages.types {
        for m in &page.methods {
            methods += 1;
            let task = format!("{}_Task", m.name);
            let on = |owner: &str| reg.method(owner, &m.name).or_else(|| reg.method(owner, &task));
            let found = match on(&page.name) {
                Some(r) => {
                    same_owner += 1;
                    Some(r)
                }
                None => {
                    let elsewhere = reg.managed.keys().find_map(|o| on(o));
                    other_owner += usize::from(elsewhere.is_some());
                    if elsewhere.is_none() && misses.len() < 10 {
                        misses.push(format!("{}.{}", page.name, m.name));
                    }
                    elsewhere
                }
            };
            if let (Some(r), Some(p)) = (found, &m.privilege) {
                privileged += 1;
                let same = r.privilege.as_deref() == Some(p.as_str());
                same_privilege += usize::from(same);
                if !same && privilege_misses.len() < 10 {
                    privilege_misses.push(format!("{}.{}: page {p}, registry {:?}", page.name, m.name, r.privilege));
                }
            }
        }
    }
    eprintln!(
        "5.5 pages vs pyvmomi 9.1.1.0 at 5.5: {methods} documented methods, owner agrees {same_owner}, \
         found on another owner {other_owner}, not found {}; privilege agrees {same_privilege}/{privileged}; first misses: {misses:?}; \
         privilege differences: {privilege_misses:#?}",
        methods - same_owner - other_owner
    );
    assert!(methods > 500 && same_owner * 100 >= methods * 95, "owner agreement below 95%");
    assert!(same_privilege * 100 >= privileged * 90, "privilege agreement below 90%");
}

/// `codegen::load` with `--pyvmomi`: the registry is read beside the other inputs, and a
/// registry older than the WSDL (6.0.0 against the 9.1 WSDL) is reported.
#[test]
fn load_finds_the_wsdl_version_in_the_registry() {
    let wsdl = Path::new(CORPUS_MD).join("../wsdl-9.1/vim25");
    let (Some(new), Some(old)) = (release("9.1.1.0"), release("6.0.0")) else { return };
    if vimgen_test_support::corpus("load_finds_the_wsdl_version_in_the_registry").is_none() {
        return;
    }
    let paths =
        |dir: PathBuf| codegen::SpecPaths { markdown: Some(CORPUS_MD.into()), wsdl: wsdl.clone(), overrides: None, pyvmomi: Some(dir) };
    let loaded = codegen::load(&paths(new));
    assert_eq!(loaded.diags.of_kind(Kind::PyNoWsdlVersion).count(), 0);
    assert_eq!(loaded.registry.as_ref().map(|r| r.counts().managed), Some(197));
    let loaded = codegen::load(&paths(old));
    let found: Vec<_> = loaded.diags.of_kind(Kind::PyNoWsdlVersion).map(|d| d.message.clone()).collect();
    assert_eq!(found, ["pyVmomi's registry has no version `vim25/9.1.0.0`, the WSDL's version"]);
}

/// The WSDL-first merge (`--pyvmomi`): the 5.5 pages, pyVmomi 9.1.1.0's registry and each
/// corpus WSDL, with no overrides file, give no error; facts only the registry states are in
/// the IR at the WSDL's version; what no input states is a warning, never a guess.
#[test]
fn wsdl_first_merge_of_every_corpus_version() {
    let Some(dir) = release("9.1.1.0") else { return };
    if vimgen_test_support::corpus("wsdl_first_merge_of_every_corpus_version").is_none() {
        return;
    }
    let load = |folder: &str| {
        let wsdl = Path::new(CORPUS_MD).join("..").join(folder).join("vim25");
        let loaded =
            codegen::load(&codegen::SpecPaths { markdown: Some(CORPUS_MD.into()), wsdl, overrides: None, pyvmomi: Some(dir.clone()) });
        let errors: Vec<String> = loaded
            .diags
            .list
            .iter()
            .filter(|d| d.severity() == codegen::diag::Severity::Error)
            .map(|d| d.render(&loaded.sources))
            .collect();
        assert!(errors.is_empty(), "{folder}: {}", errors.join("\n"));
        eprintln!("{folder}: {} warnings", loaded.diags.warning_count());
        loaded
    };
    let mo = |l: &codegen::Loaded, n: &str| l.model.managed_object(n).cloned();
    for (folder, api, last) in [
        ("wsdl-5.5", "5.5", "vim.version.version9"),
        ("wsdl-6.0", "6.0", "vim.version.version10"),
        ("wsdl-6.7u1", "6.7.1", "vim.version.version13"),
        ("wsdl-7.0u2", "7.0.2.0", "vim.version.v7_0_2_0"),
        ("wsdl-9.1", "9.1.0.0", "vim.version.v9_1_0_0"),
    ] {
        let l = load(folder);
        assert_eq!(l.model.api_version.as_deref(), Some(api));
        assert_eq!(l.model.versions.last().map(|v| v.id.as_str()), Some(last), "{folder}: versions end with the WSDL's");
        let sm = mo(&l, "vim.SessionManager").expect("SessionManager");
        let login = sm.methods.iter().find(|m| m.wsdl_name == "Login").expect("Login");
        assert_eq!((login.privilege.as_deref(), login.faults.len()), (Some("System.Anonymous"), 2));
        assert!(!login.documented_faults.is_empty() && !sm.description.is_empty(), "{folder}: the 5.5 page's prose");
        let list = sm.properties.iter().find(|p| p.name == "sessionList").expect("sessionList");
        assert!(list.ty.array && list.ty.elem == TypeRef::DataObject("vim.UserSession".into()), "{folder}: array-ness from the registry");
        let vm = mo(&l, "vim.VirtualMachine").expect("VirtualMachine");
        let power_on = vm.methods.iter().find(|m| m.wsdl_name == "PowerOnVM_Task").expect("PowerOnVM_Task");
        assert_eq!((power_on.name.as_str(), power_on.returns.as_ref().map(|r| r.ty.elem.name())), ("PowerOnVM", Some("vim.Task")));
        assert_eq!(
            power_on.params[0].ty.elem,
            TypeRef::ManagedObject(Some("vim.HostSystem".into())),
            "{folder}: reference target from the registry"
        );
        assert_eq!(
            l.model.data_objects.iter().find(|d| d.wsdl_name == "HostListSummary").map(|d| d.name.as_str()),
            Some("vim.host.Summary")
        );
        // Every WSDL operation the registry owns is a method; the others are reported.
        let methods: usize = l.model.managed_objects.iter().map(|m| m.methods.len()).sum();
        let unowned = l.diags.of_kind(Kind::PyOperationUnowned).count();
        let wire_ops = {
            let (mut s, mut d) = (codegen::diag::SourceMap::new(), codegen::diag::Diagnostics::new());
            codegen::wsdl::read_dir(&Path::new(CORPUS_MD).join("..").join(folder).join("vim25"), &mut s, &mut d).operations.len()
        };
        assert!(methods + unowned >= wire_ops, "{folder}: {methods} methods + {unowned} unowned < {wire_ops} operations");
        let dpm = mo(&l, "vim.DirectPathProfileManager");
        if folder == "wsdl-9.1" {
            let dpm = dpm.expect("9.0's DirectPathProfileManager in the 9.1 IR");
            assert_eq!(dpm.since, "vim.version.v9_0_0_0");
            assert!(dpm.description.is_empty(), "no page: facts only, no prose");
            // 9.x layout: a urn:vsan group spliced into a vim25 type.
            let scr =
                l.model.data_objects.iter().find(|d| d.wsdl_name == "VsanStorageComplianceResult").expect("VsanStorageComplianceResult");
            assert!(scr.properties.iter().any(|p| p.name == "objPolicyGenerationId"));
        } else {
            assert!(dpm.is_none(), "{folder}: a 9.0 managed object");
        }
        if folder == "wsdl-6.0" {
            // VRP: in the 6.0 WSDL, in no pyVmomi: kept under the wire name, operations reported.
            assert!(l.model.data_objects.iter().any(|d| d.name == "VRPEditSpec" && d.since == "vim.version.version10"));
            assert!(l.diags.of_kind(Kind::PyOperationUnowned).any(|d| d.message.contains("`CreateVRP`")));
        }
    }
}

/// Versions through the emitter: the 9.1 IR (WSDL-first) gives a constant for every version up
/// to 9.1.0.0, oldest first, the registry's ids included, and methods and properties name
/// their own since-version (a 7.0 method's is newer than 6.5's, which vcsim announces).
#[test]
fn every_version_up_to_the_spec_is_a_constant() {
    let Some(dir) = release("9.1.1.0") else { return };
    if vimgen_test_support::corpus("every_version_up_to_the_spec_is_a_constant").is_none() {
        return;
    }
    let wsdl = Path::new(CORPUS_MD).join("../wsdl-9.1/vim25");
    let loaded = codegen::load(&codegen::SpecPaths { markdown: Some(CORPUS_MD.into()), wsdl, overrides: None, pyvmomi: Some(dir) });
    let ids: Vec<&str> = loaded.model.versions.iter().map(|v| v.id.as_str()).collect();
    let pos = |id: &str| ids.iter().position(|x| *x == id).unwrap_or_else(|| panic!("{id} not in {ids:?}"));
    assert!(pos("vim.version.version1") < pos("vim.version.version9"));
    assert!(pos("vim.version.version11") < pos("vim.version.v7_0") && pos("vim.version.v7_0") < pos("vim.version.v9_1_0_0"));
    assert_eq!(ids.last(), Some(&"vim.version.v9_1_0_0"));
    let files = codegen::emit::generate(&loaded.model).expect("the 9.1 IR emits");
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    let consts: Vec<&str> = all.lines().filter(|l| l.contains("pub const ") && l.contains(": ApiVersion")).collect();
    assert_eq!(consts.len(), ids.len(), "one constant per version");
    assert!(all.contains("pub const V7_0: ApiVersion = ApiVersion::new("), "{consts:#?}");
    assert!(all.contains("pub const VERSION11: ApiVersion"));
    // A 7.0 method: gated by its own version; a 9.0 property carries its since.
    let m = loaded.model.managed_objects.iter().flat_map(|o| &o.methods).find(|m| m.since == "vim.version.v7_0").expect("a 7.0 method");
    assert!(all.contains(&format!("wsdl_name: \"{}\"", m.wsdl_name)) && all.contains("since: crate::versions::V7_0,"));
    let content = loaded.model.data_object("vim.ServiceInstanceContent").expect("ServiceContent");
    let dpm = content.properties.iter().find(|p| p.name == "directPathProfileManager").expect("9.0 property");
    assert_eq!(dpm.since.as_deref(), Some("vim.version.v9_0_0_0"));
}

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

use codegen::diag::{Diagnostics, SourceMap};
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
    let holes: Vec<&str> = loaded.diags.of_kind("py-unknown-type").map(|d| d.message.as_str()).collect();
    eprintln!("pyvmomi {version}: {} unknown types: {holes:#?}", holes.len());
    let others = loaded.diags.list.iter().filter(|d| d.kind != "py-unknown-type").count();
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
    let paths = |dir: PathBuf| codegen::SpecPaths { markdown: CORPUS_MD.into(), wsdl: wsdl.clone(), overrides: None, pyvmomi: Some(dir) };
    let loaded = codegen::load(&paths(new));
    assert_eq!(loaded.diags.of_kind("py-no-wsdl-version").count(), 0);
    assert_eq!(loaded.registry.as_ref().map(|r| r.counts().managed), Some(197));
    let loaded = codegen::load(&paths(old));
    let found: Vec<_> = loaded.diags.of_kind("py-no-wsdl-version").map(|d| d.message.clone()).collect();
    assert_eq!(found, ["pyVmomi's registry has no version `vim25/9.1.0.0`, the WSDL's version"]);
}

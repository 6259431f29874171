//! The markdown frontend over the full vSphere 5.5 corpus (`../shared/spec-corpus`).

use std::path::PathBuf;

use codegen::diag::{Diagnostics, Kind, SourceMap};
use codegen::markdown::{self, Pages, TableForm};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec-corpus/pyvmomi-docs-5.5"))
}

fn read() -> (Pages, Diagnostics, SourceMap) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let pages = markdown::read_dir(&corpus(), &mut sources, &mut diags);
    (pages, diags, sources)
}

#[test]
fn corpus_pages_parse_without_errors() {
    let Some(_) = vimgen_test_support::corpus("corpus_pages_parse_without_errors") else { return };
    let (pages, diags, sources) = read();
    if diags.has_errors() || std::env::var_os("SHOW_DIAGS").is_some() {
        eprintln!("{}", diags.render_all(&sources));
        eprintln!("{}", diags.summary());
    }
    assert_eq!(diags.error_count(), 0);
    assert_eq!(pages.types.len(), 2492);
    assert_eq!(pages.enums.len(), 261);
    assert_eq!(pages.enums.iter().map(|e| e.values.len()).sum::<usize>(), 1247);
    assert_eq!(pages.types.iter().map(|t| t.methods.len()).sum::<usize>(), 615);
    assert_eq!(pages.types.iter().filter(|t| t.table == TableForm::Fault).count(), 634);
    assert_eq!(pages.types.iter().filter(|t| t.deprecated).count(), 32);
    assert_eq!(pages.types.iter().flat_map(|t| &t.methods).filter(|m| m.deprecated.is_some()).count(), 44);
    // Only the one known page has a pipe inside a cell.
    let extra: Vec<_> = diags.of_kind(Kind::MdTableExtraCell).map(|d| sources.location(d.span.unwrap())).collect();
    assert_eq!(extra.len(), 1, "{extra:?}");
    assert!(extra[0].contains("vim.vApp.PropertyInfo.md"), "{extra:?}");
}

#[test]
fn session_manager_page() {
    let Some(_) = vimgen_test_support::corpus("session_manager_page") else { return };
    let (pages, _, _) = read();
    let sm = pages.types.iter().find(|t| t.name == "vim.SessionManager").unwrap();
    assert_eq!(sm.base, None);
    assert_eq!(sm.table, TableForm::Full);
    let names: Vec<_> = sm.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["sessionList", "currentSession", "message", "messageLocaleList", "supportedLocaleList", "defaultLocale"]);
    let sl = &sm.properties[0];
    assert_eq!(sl.ty.name, "vim.UserSession");
    assert!(sl.optional);
    assert_eq!(sl.privilege.as_deref(), Some("Sessions.TerminateSession"));
    assert!(!sm.properties[5].optional);
    assert_eq!(sm.methods.len(), 15);
    let login = sm.methods.iter().find(|m| m.name == "Login").unwrap();
    let params: Vec<_> = login.params.iter().map(|p| (p.name.as_str(), p.ty.name.as_str())).collect();
    assert_eq!(params, [("userName", "string"), ("password", "string"), ("locale", "string")]);
    let raises: Vec<_> = login.raises.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(raises, ["vim.fault.InvalidLogin", "vim.fault.InvalidLocale", "vim.fault.NoPermission"]);
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    assert_eq!(login.returns, None);
    assert_eq!(login.faults[0].description, "if the user and password combination is invalid.");
    let since = login.since.as_ref().unwrap();
    assert_eq!((since.text.as_str(), since.anchor.as_deref()), ("1.0", None));
    let clone = sm.methods.iter().find(|m| m.name == "CloneSession").unwrap();
    assert_eq!(
        clone.faults[0].description,
        "if the specified ticket value is not valid.\nSee [AcquireCloneTicket](vim.SessionManager#acquireCloneTicket)\nSee [AcquireGenericServiceTicket](vim.SessionManager#acquireGenericServiceTicket)"
    );
    let active = sm.methods.iter().find(|m| m.name == "SessionIsActive").unwrap();
    assert_eq!(active.returns.as_ref().unwrap().name, "bool");
    let impersonate = sm.methods.iter().find(|m| m.name == "ImpersonateUser").unwrap();
    assert_eq!(impersonate.faults[0].description, "", "a description that only repeats the name is dropped");
}

#[test]
fn other_page_forms() {
    let Some(_) = vimgen_test_support::corpus("other_page_forms") else { return };
    let (pages, _, _) = read();
    let get = |n: &str| pages.types.iter().find(|t| t.name == n).unwrap_or_else(|| panic!("{n}"));
    let folder = get("vim.Folder");
    assert_eq!(folder.base.as_ref().unwrap().name, "vim.ManagedEntity");
    assert!(folder.description.contains("[Datacenter](vim.Datacenter)"));
    let np = get("vim.fault.NoPermission");
    assert_eq!(np.table, TableForm::Fault);
    assert_eq!(np.base.as_ref().unwrap().name, "vmodl.fault.SecurityError");
    assert_eq!(np.properties[0].ty.name, "vim.ExtensibleManagedObject");
    let rm = get("vim.OvfManager.ResourceMap");
    assert!(rm.deprecated);
    let s = rm.since.as_ref().unwrap();
    assert_eq!((s.text.as_str(), s.anchor.as_deref()), ("vSphere API 4.1", Some("vim.version.version6")));
    let ad = get("vim.fault.ActiveDirectoryFault");
    assert_eq!(ad.since.as_ref().unwrap().text, "vim.version.version6");
    assert!(get("vim.VirtualizationManager").properties.is_empty());
    let vm = get("vim.VirtualMachine");
    let power_on = vm.methods.iter().find(|m| m.name == "PowerOnVM").unwrap();
    assert_eq!(power_on.returns.as_ref().unwrap().name, "vim.Task");
    assert_eq!(power_on.params[0].name, "host");
    assert_eq!(power_on.params[0].ty.name, "vim.HostSystem");
    let mks = vm.methods.iter().find(|m| m.name == "AcquireMksTicket").unwrap();
    assert!(mks.deprecated.as_deref().unwrap().contains("[AcquireTicket](vim.VirtualMachine#acquireTicket)"));
    let pi = get("vim.vApp.PropertyInfo");
    let id = pi.properties.iter().find(|p| p.name == "id").unwrap();
    assert!(id.description.contains("[classId.]id[.instanceId]"), "{}", id.description);

    let e = pages.enums.iter().find(|e| e.name == "vim.cluster.Action.ActionType").unwrap();
    assert_eq!(e.wsdl_name, "ActionType");
    assert_eq!(e.values[0].name, "MigrationV1");
    assert_eq!(pages.versions.len(), 8);
    assert_eq!(pages.versions[3].id, "vim.version.version5");
    assert_eq!(pages.versions[3].namespace, "vim25/4.0");
}

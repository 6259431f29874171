//! Facts about the merged IR of the full vSphere 5.5 corpus, each checked by hand against the
//! corpus pages, the WSDL and pyVmomi's type table (`_typeinfo_vim.py`, pyVmomi 9.1).
//! Where the model disagrees with the real API the test states the real value and is ignored
//! with the bug named.

use codegen::ir::{DataObject, ManagedObject, Method, Model};
use vimgen_tests::{assert_no_errors, corpus};

fn model() -> &'static Model {
    let l = corpus();
    assert_no_errors(l);
    &l.model
}

fn mo(name: &str) -> &'static ManagedObject {
    model().managed_object(name).unwrap_or_else(|| panic!("no managed object {name}"))
}

fn dobj(name: &str) -> &'static DataObject {
    model().data_object(name).unwrap_or_else(|| panic!("no data object {name}"))
}

fn method(owner: &str, name: &str) -> &'static Method {
    mo(owner).method(name).unwrap_or_else(|| panic!("no method {owner}.{name}"))
}

/// (name, type, array, optional) of each param.
fn params(m: &Method) -> Vec<(&str, &str, bool, bool)> {
    m.params.iter().map(|p| (p.name.as_str(), p.ty.elem.name(), p.ty.array, p.ty.optional)).collect()
}

fn field_names(d: &DataObject) -> Vec<&str> {
    d.properties.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn loads_without_errors_and_counts() {
    let Some(_) = vimgen_test_support::corpus("loads_without_errors_and_counts") else { return };
    let m = model();
    assert_eq!(m.api_version.as_deref(), Some("5.5"));
    assert_eq!(m.managed_objects.len(), 111);
    assert_eq!(m.managed_objects.iter().map(|o| o.methods.len()).sum::<usize>(), 615);
    assert_eq!(m.data_objects.len(), 2381);
    assert_eq!(m.data_objects.iter().filter(|d| d.is_fault).count(), 634);
    assert_eq!(m.enums.len(), 261);
    assert_eq!(m.enums.iter().map(|e| e.values.len()).sum::<usize>(), 1247);
    let tasks = m.managed_objects.iter().flat_map(|o| &o.methods).filter(|x| x.wsdl_name.ends_with("_Task")).count();
    assert_eq!(tasks, 132);
    // Exactly the task methods return vim.Task.
    for o in &m.managed_objects {
        for x in &o.methods {
            let returns_task = x.returns.as_ref().is_some_and(|r| r.ty.elem.name() == "vim.Task" && !r.ty.array);
            assert_eq!(x.wsdl_name.ends_with("_Task"), returns_task, "{}.{}", o.name, x.name);
        }
    }
    // 44 methods carry a `### Deprecated` block.
    assert_eq!(m.managed_objects.iter().flat_map(|o| &o.methods).filter(|x| x.deprecated.is_some()).count(), 44);
    // Sorted by name, as IR-JSON requires.
    assert!(m.managed_objects.windows(2).all(|w| w[0].name < w[1].name));
    assert!(m.data_objects.windows(2).all(|w| w[0].name < w[1].name));
    assert!(m.enums.windows(2).all(|w| w[0].name < w[1].name));
}

#[test]
fn session_manager_login() {
    let Some(_) = vimgen_test_support::corpus("session_manager_login") else { return };
    let login = method("vim.SessionManager", "Login");
    assert_eq!(login.wsdl_name, "Login");
    assert_eq!(login.since, "vim.version.version1");
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    let r = login.returns.as_ref().expect("Login returns a value");
    assert_eq!((r.ty.elem.name(), r.ty.array, r.ty.optional), ("vim.UserSession", false, false));
    assert_eq!(login.faults, ["vim.fault.InvalidLocale", "vim.fault.InvalidLogin"]);
    assert_eq!(
        params(login),
        [("userName", "string", false, false), ("password", "string", false, false), ("locale", "string", false, true)]
    );
    let documented: Vec<&str> = login.documented_faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(documented, ["vim.fault.InvalidLogin", "vim.fault.InvalidLocale", "vim.fault.NoPermission"]);
    let np = login.documented_faults.iter().find(|f| f.name == "vim.fault.NoPermission").unwrap();
    assert_eq!(np.description, "if the user is valid, but has no access granted.");
    assert!(login.deprecated.is_none());

    let by_token = method("vim.SessionManager", "LoginByToken");
    assert_eq!(by_token.since, "vim.version.version8");
    assert_eq!(params(by_token), [("locale", "string", false, true)]);
    assert_eq!(by_token.faults, ["vim.fault.InvalidLocale", "vim.fault.InvalidLogin"]);
    let set_locale = method("vim.SessionManager", "SetLocale");
    assert_eq!(set_locale.privilege.as_deref(), Some("System.View"));
    assert!(set_locale.returns.is_none());
}

#[test]
fn session_manager_properties() {
    let Some(_) = vimgen_test_support::corpus("session_manager_properties") else { return };
    let sm = mo("vim.SessionManager");
    assert_eq!(sm.wsdl_name, "SessionManager");
    assert_eq!(sm.base.as_deref(), Some("vmodl.ManagedObject"));
    let names: Vec<&str> = sm.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["sessionList", "currentSession", "message", "messageLocaleList", "supportedLocaleList", "defaultLocale"]);
    let sl = sm.property("sessionList").unwrap();
    assert_eq!((sl.ty.elem.name(), sl.ty.array, sl.ty.optional), ("vim.UserSession", true, true));
    assert_eq!(sl.privilege.as_deref(), Some("Sessions.TerminateSession"));
    let cs = sm.property("currentSession").unwrap();
    assert_eq!((cs.ty.elem.name(), cs.ty.array, cs.ty.optional), ("vim.UserSession", false, true));
    assert_eq!(cs.privilege.as_deref(), Some("System.Anonymous"));
    let msg = sm.property("message").unwrap();
    assert_eq!(msg.privilege.as_deref(), Some("System.View"));
    let ll = sm.property("messageLocaleList").unwrap();
    assert_eq!((ll.ty.elem.name(), ll.ty.array), ("string", true));
    let dl = sm.property("defaultLocale").unwrap();
    assert_eq!((dl.ty.elem.name(), dl.ty.array, dl.ty.optional), ("string", false, false));
}

#[test]
fn virtual_machine_methods() {
    let Some(_) = vimgen_test_support::corpus("virtual_machine_methods") else { return };
    let p = method("vim.VirtualMachine", "PowerOnVM");
    assert_eq!(p.wsdl_name, "PowerOnVM_Task");
    assert_eq!(params(p), [("host", "vim.HostSystem", false, true)]);
    let r = p.returns.as_ref().unwrap();
    assert_eq!((r.ty.elem.name(), r.ty.array, r.ty.optional), ("vim.Task", false, false));
    assert_eq!(p.privilege.as_deref(), Some("VirtualMachine.Interact.PowerOn"));
    assert_eq!(
        p.faults,
        [
            "vim.fault.FileFault",
            "vim.fault.InsufficientResourcesFault",
            "vim.fault.InvalidState",
            "vim.fault.TaskInProgress",
            "vim.fault.VmConfigFault"
        ]
    );

    // The heading of CreateSnapshot omits its bool params; the WSDL has them.
    let s = method("vim.VirtualMachine", "CreateSnapshot");
    assert_eq!(s.wsdl_name, "CreateSnapshot_Task");
    assert_eq!(
        params(s),
        [
            ("name", "string", false, false),
            ("description", "string", false, true),
            ("memory", "bool", false, false),
            ("quiesce", "bool", false, false)
        ]
    );
    assert_eq!(s.privilege.as_deref(), Some("VirtualMachine.State.CreateSnapshot"));

    let c = method("vim.Folder", "CreateVM");
    assert_eq!(c.wsdl_name, "CreateVM_Task");
    assert_eq!(
        params(c),
        [
            ("config", "vim.vm.ConfigSpec", false, false),
            ("pool", "vim.ResourcePool", false, false),
            ("host", "vim.HostSystem", false, true)
        ]
    );
    assert_eq!(c.privilege.as_deref(), Some("VirtualMachine.Inventory.Create"));
}

#[test]
fn returns_and_arrays() {
    let Some(_) = vimgen_test_support::corpus("returns_and_arrays") else { return };
    // An array of references.
    let f = method("vim.SearchIndex", "FindAllByDnsName");
    let r = f.returns.as_ref().unwrap();
    assert_eq!((r.ty.elem.name(), r.ty.array, r.ty.optional), ("vim.ManagedEntity", true, false));
    assert_eq!(
        params(f),
        [("datacenter", "vim.Datacenter", false, true), ("dnsName", "string", false, false), ("vmSearch", "bool", false, false)]
    );
    // An optional single reference.
    let u = method("vim.SearchIndex", "FindByUuid");
    let r = u.returns.as_ref().unwrap();
    assert_eq!((r.ty.elem.name(), r.ty.array, r.ty.optional), ("vim.ManagedEntity", false, true));
    assert_eq!(u.params.last().map(|p| (p.name.as_str(), p.ty.optional)), Some(("instanceUuid", true)));
    // An optional array of data objects, and an array param of references.
    let q = method("vim.ServiceInstance", "QueryVMotionCompatibility");
    let r = q.returns.as_ref().unwrap();
    assert_eq!((r.ty.elem.name(), r.ty.array, r.ty.optional), ("vim.ServiceInstance.HostVMotionCompatibility", true, true));
    assert_eq!(params(q)[1], ("host", "vim.HostSystem", true, false));
    // An enum-typed param.
    let v = method("vim.ServiceInstance", "ValidateMigration");
    assert_eq!(params(v)[1], ("state", "vim.VirtualMachine.PowerState", false, true));
    let r = v.returns.as_ref().unwrap();
    assert_eq!((r.ty.elem.name(), r.ty.array), ("vim.event.Event", true));
    let c = method("vim.ServiceInstance", "RetrieveServiceContent");
    assert_eq!(c.returns.as_ref().map(|r| r.ty.elem.name()), Some("vim.ServiceInstanceContent"));
    assert!(c.params.is_empty() && c.faults.is_empty());
}

#[test]
fn managed_object_inheritance_and_wire_names() {
    let Some(_) = vimgen_test_support::corpus("managed_object_inheritance_and_wire_names") else { return };
    assert_eq!(mo("vim.Folder").base.as_deref(), Some("vim.ManagedEntity"));
    assert_eq!(mo("vim.ManagedEntity").base.as_deref(), Some("vim.ExtensibleManagedObject"));
    assert_eq!(mo("vim.ExtensibleManagedObject").base.as_deref(), Some("vmodl.ManagedObject"));
    assert_eq!(mo("vim.HostSystem").base.as_deref(), Some("vim.ManagedEntity"));
    assert_eq!(mo("vim.Task").base.as_deref(), Some("vim.ExtensibleManagedObject"));
    assert_eq!(mo("vim.StoragePod").base.as_deref(), Some("vim.Folder"));
    // Wire names that differ from flattening the VMODL name's last part.
    assert_eq!(mo("vim.host.AutoStartManager").wsdl_name, "HostAutoStartManager");
    assert_eq!(mo("vim.host.CacheConfigurationManager").wsdl_name, "HostCacheConfigurationManager");
    assert_eq!(mo("vmodl.query.PropertyCollector").wsdl_name, "PropertyCollector");
    assert_eq!(mo("vmodl.query.PropertyCollector.Filter").wsdl_name, "PropertyFilter");
    assert_eq!(mo("vim.view.ContainerView").wsdl_name, "ContainerView");
    // Properties of managed objects: arrays, privileges.
    let f = mo("vim.Folder");
    let ce = f.property("childEntity").unwrap();
    assert_eq!(
        (ce.ty.elem.name(), ce.ty.array, ce.ty.optional, ce.privilege.as_deref()),
        ("vim.ManagedEntity", true, true, Some("System.View"))
    );
    let h = mo("vim.HostSystem");
    let ds = h.property("datastore").unwrap();
    assert_eq!((ds.ty.elem.name(), ds.ty.array, ds.privilege.as_deref()), ("vim.Datastore", true, Some("System.View")));
    let s = h.property("summary").unwrap();
    assert_eq!((s.ty.elem.name(), s.ty.optional, s.privilege.as_deref()), ("vim.host.Summary", false, None));
    let me = mo("vim.ManagedEntity");
    assert_eq!(me.property("name").map(|p| (p.ty.elem.name(), p.ty.optional)), Some(("string", false)));
    assert_eq!(me.property("recentTask").map(|p| (p.ty.elem.name(), p.ty.array)), Some(("vim.Task", true)));
    assert_eq!(mo("vim.ServiceInstance").property("content").and_then(|p| p.privilege.as_deref()), Some("System.Anonymous"));
    // Deprecated managed objects (their pages carry `### DEPRECATED`).
    assert!(mo("vim.host.VMotionSystem").deprecated);
    assert!(!mo("vim.VirtualMachine").deprecated);
}

#[test]
fn data_object_wire_names_and_fields() {
    let Some(_) = vimgen_test_support::corpus("data_object_wire_names_and_fields") else { return };
    let sc = dobj("vim.ServiceInstanceContent");
    assert_eq!(sc.wsdl_name, "ServiceContent");
    assert_eq!(field_names(sc)[..4], ["rootFolder", "propertyCollector", "viewManager", "about"]);
    let rf = sc.property("rootFolder").unwrap();
    assert_eq!((rf.ty.elem.name(), rf.ty.array, rf.ty.optional), ("vim.Folder", false, false));
    assert_eq!(sc.property("sessionManager").map(|p| (p.ty.elem.name(), p.ty.optional)), Some(("vim.SessionManager", true)));

    let hs = dobj("vim.host.Summary");
    assert_eq!(hs.wsdl_name, "HostListSummary");
    assert_eq!(hs.base.as_deref(), Some("vmodl.DynamicData"));
    assert_eq!(
        hs.property("customValue").map(|p| (p.ty.elem.name(), p.ty.array, p.ty.optional)),
        Some(("vim.CustomFieldsManager.Value", true, true))
    );
    assert_eq!(hs.property("overallStatus").map(|p| p.ty.elem.name()), Some("vim.ManagedEntity.Status"));

    let cs = dobj("vim.vm.ConfigSpec");
    assert_eq!(cs.wsdl_name, "VirtualMachineConfigSpec");
    assert_eq!(field_names(cs)[..5], ["changeVersion", "name", "version", "uuid", "instanceUuid"]);
    assert_eq!(cs.property("npivNodeWorldWideName").map(|p| (p.ty.elem.name(), p.ty.array, p.ty.optional)), Some(("long", true, true)));
    assert_eq!(cs.property("npivDesiredNodeWwns").map(|p| (p.ty.elem.name(), p.ty.array)), Some(("short", false)));
    assert_eq!(cs.property("deviceChange").map(|p| (p.ty.elem.name(), p.ty.array)), Some(("vim.vm.device.VirtualDeviceSpec", true)));

    let us = dobj("vim.UserSession");
    assert_eq!(
        field_names(us),
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
    // The XSD's minOccurs="0" on later additions does not make them optional.
    assert_eq!(us.property("extensionSession").map(|p| (p.ty.elem.name(), p.ty.optional)), Some(("bool", false)));
    assert_eq!(us.property("loginTime").map(|p| p.ty.elem.name()), Some("datetime"));
    assert_eq!(us.property("callCount").map(|p| p.ty.elem.name()), Some("long"));

    let fs = dobj("vmodl.query.PropertyCollector.FilterSpec");
    assert_eq!(fs.wsdl_name, "PropertyFilterSpec");
    assert_eq!(field_names(fs), ["propSet", "objectSet", "reportMissingObjectsInResults"]);
    assert_eq!(dobj("vmodl.query.PropertyCollector.ObjectSpec").property("obj").map(|p| p.ty.elem.name()), Some("vmodl.ManagedObject"));

    let ti = dobj("vim.TaskInfo");
    assert_eq!(ti.property("error").map(|p| (p.ty.elem.name(), p.ty.optional)), Some(("vmodl.MethodFault", true)));
    assert_eq!(ti.property("result").map(|p| p.ty.elem.name()), Some("anyType"));
    assert_eq!(ti.property("state").map(|p| p.ty.elem.name()), Some("vim.TaskInfo.State"));
    assert!(!ti.is_fault && !sc.is_fault && !us.is_fault);
}

#[test]
fn property_path_and_type_name_fields() {
    let Some(_) = vimgen_test_support::corpus("property_path_and_type_name_fields") else { return };
    let ps = dobj("vmodl.query.PropertyCollector.PropertySpec");
    assert_eq!(ps.property("type").map(|p| p.ty.elem.name()), Some("vmodl.TypeName"));
    assert_eq!(ps.property("pathSet").map(|p| (p.ty.elem.name(), p.ty.array)), Some(("vmodl.PropertyPath", true)));
    assert_eq!(dobj("vmodl.fault.InvalidArgument").property("invalidProperty").map(|p| p.ty.elem.name()), Some("vmodl.PropertyPath"));
    assert_eq!(dobj("vim.TaskInfo").property("name").map(|p| p.ty.elem.name()), Some("vmodl.MethodName"));
    assert_eq!(mo("vim.Folder").property("childType").map(|p| (p.ty.elem.name(), p.ty.array)), Some(("vmodl.TypeName", true)));
}

#[test]
fn faults() {
    let Some(_) = vimgen_test_support::corpus("faults") else { return };
    let il = dobj("vim.fault.InvalidLogin");
    assert!(il.is_fault);
    assert_eq!(il.wsdl_name, "InvalidLogin");
    assert_eq!(il.base.as_deref(), Some("vim.fault.VimFault"));
    assert_eq!(dobj("vim.fault.VimFault").base.as_deref(), Some("vmodl.MethodFault"));
    assert_eq!(dobj("vmodl.RuntimeFault").base.as_deref(), Some("vmodl.MethodFault"));
    assert!(dobj("vmodl.MethodFault").is_fault);
    assert_eq!(dobj("vim.fault.FileNotFound").base.as_deref(), Some("vim.fault.FileFault"));
    assert_eq!(dobj("vim.fault.FileFault").property("file").map(|p| (p.ty.elem.name(), p.ty.optional)), Some(("string", false)));
    let np = dobj("vim.fault.NoPermission");
    assert_eq!(np.base.as_deref(), Some("vmodl.fault.SecurityError"));
    assert_eq!(dobj("vmodl.fault.SecurityError").base.as_deref(), Some("vmodl.RuntimeFault"));
    assert_eq!(field_names(np), ["object", "privilegeId"]);
    assert_eq!(np.property("object").map(|p| p.ty.elem.name()), Some("vmodl.ManagedObject"));
    let ips = dobj("vim.fault.InvalidPowerState");
    assert_eq!(ips.base.as_deref(), Some("vim.fault.InvalidState"));
    assert_eq!(
        ips.properties.iter().map(|p| (p.name.as_str(), p.ty.elem.name(), p.ty.optional)).collect::<Vec<_>>(),
        [("requestedState", "vim.VirtualMachine.PowerState", true), ("existingState", "vim.VirtualMachine.PowerState", false)]
    );
    // Every data object is a fault exactly when its base chain reaches vmodl.MethodFault.
    let m = model();
    for d in &m.data_objects {
        let mut cur = Some(d.name.as_str());
        let mut reaches = false;
        let mut steps = 0;
        while let Some(n) = cur {
            if n == "vmodl.MethodFault" {
                reaches = true;
                break;
            }
            steps += 1;
            assert!(steps < 50, "base cycle at {}", d.name);
            cur = m.data_object(n).and_then(|x| x.base.as_deref());
        }
        assert_eq!(d.is_fault, reaches, "{}", d.name);
    }
    // Declared faults are data objects that are faults, and never RuntimeFault.
    for o in &m.managed_objects {
        for x in &o.methods {
            for f in &x.faults {
                assert!(m.data_object(f).is_some_and(|d| d.is_fault), "{}.{}: {f}", o.name, x.name);
                assert_ne!(f, "vmodl.RuntimeFault");
            }
            assert!(x.faults.windows(2).all(|w| w[0] < w[1]), "{}.{} faults not sorted", o.name, x.name);
        }
    }
}

#[test]
fn method_fault_extends_dynamic_data() {
    let Some(_) = vimgen_test_support::corpus("method_fault_extends_dynamic_data") else { return };
    let mf = dobj("vmodl.MethodFault");
    assert_eq!(mf.base.as_deref(), Some("vmodl.DynamicData"));
    assert_eq!(field_names(mf), ["faultCause", "faultMessage"]);
    assert_eq!(dobj("vmodl.DynamicData").base.as_deref(), Some("vmodl.DataObject"));
}

#[test]
fn method_fault_fields() {
    let Some(_) = vimgen_test_support::corpus("method_fault_fields") else { return };
    let mf = dobj("vmodl.MethodFault");
    assert_eq!(mf.wsdl_name, "MethodFault");
    assert_eq!(mf.since, "vmodl.version.version0");
    let fc = mf.property("faultCause").unwrap();
    assert_eq!((fc.ty.elem.name(), fc.ty.array, fc.ty.optional), ("vmodl.MethodFault", false, true));
    let fm = mf.property("faultMessage").unwrap();
    assert_eq!((fm.ty.elem.name(), fm.ty.array, fm.ty.optional), ("vmodl.LocalizableMessage", true, true));
    assert_eq!(field_names(dobj("vmodl.LocalizableMessage")), ["key", "arg", "message"]);
}

#[test]
fn enums() {
    let Some(_) = vimgen_test_support::corpus("enums") else { return };
    let ps = model().enum_type("vim.VirtualMachine.PowerState").unwrap();
    assert_eq!(ps.wsdl_name, "VirtualMachinePowerState");
    assert_eq!(ps.values, ["poweredOff", "poweredOn", "suspended"]);
    assert_eq!(ps.value_docs.len(), 3);
    assert_eq!(model().enum_type("vim.TaskInfo.State").unwrap().values, ["queued", "running", "success", "error"]);
    assert_eq!(model().enum_type("vim.ManagedEntity.Status").unwrap().values, ["gray", "green", "yellow", "red"]);
    let cs = model().enum_type("vim.HostSystem.ConnectionState").unwrap();
    assert_eq!(
        (cs.wsdl_name.as_str(), cs.values.as_slice()),
        ("HostSystemConnectionState", &["connected", "notResponding", "disconnected"].map(String::from)[..])
    );
}

#[test]
fn versions() {
    let Some(_) = vimgen_test_support::corpus("versions") else { return };
    let m = model();
    let ids: Vec<&str> = m.versions.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids.last(), Some(&"vim.version.version9"));
    let v9 = m.versions.iter().find(|v| v.id == "vim.version.version9").unwrap();
    assert_eq!((v9.name.as_str(), v9.namespace.as_str(), v9.version.as_str()), ("vSphere API 5.5", "vim25/5.5", "5.5"));
    let v8 = m.versions.iter().find(|v| v.id == "vim.version.version8").unwrap();
    assert_eq!(v8.name, "vSphere API 5.1");
    // Types: no `as of` line means the first version; an `as of` anchor gives it.
    assert_eq!(mo("vim.SessionManager").since, "vim.version.version1");
    assert_eq!(mo("vim.HttpNfcLease").since, "vim.version.version5");
    assert_eq!(mo("vim.StoragePod").since, "vim.version.version7");
    assert_eq!(mo("vim.DatastoreNamespaceManager").since, "vim.version.version9");
    assert_eq!(dobj("vim.UserSession").since, "vim.version.version1");
    assert_eq!(dobj("vmodl.query.PropertyCollector.FilterSpec").since, "vmodl.query.version.version1");
    assert_eq!(dobj("vmodl.LocalizableMessage").since, "vmodl.version.version1");
    // Methods: a real anchor in the since row.
    assert_eq!(method("vim.DatastoreNamespaceManager", "CreateDirectory").since, "vim.version.version9");
    assert_eq!(method("vim.SearchIndex", "FindAllByDnsName").since, "vim.version.version5");
    // `#None` anchors: the text names the version.
    assert_eq!(method("vim.HostSystem", "QueryTpmAttestationReport").since, "vim.version.version8");
    assert_eq!(method("vim.Datacenter", "ReconfigureDatacenter").since, "vim.version.version8");
    assert_eq!(method("vim.ClusterComputeResource", "RetrieveDasAdvancedRuntimeInfo").since, "vim.version.version5");
    assert_eq!(method("vim.Datacenter", "PowerOnMultiVM").since, "vim.version.version2");
    assert_eq!(method("vim.AuthorizationManager", "AddAuthorizationRole").since, "vim.version.version1");
}

#[test]
fn since_text_newer_than_anchor() {
    let Some(_) = vimgen_test_support::corpus("since_text_newer_than_anchor") else { return };
    assert_eq!(method("vim.DistributedVirtualSwitch", "DVSRollback").since, "vim.version.version8");
    assert_eq!(method("vim.DistributedVirtualSwitch", "CreateDVPortgroup").since, "vim.version.version8");
}

#[test]
fn deprecated_methods() {
    let Some(_) = vimgen_test_support::corpus("deprecated_methods") else { return };
    let q = method("vim.ServiceInstance", "QueryVMotionCompatibility");
    assert!(q.deprecated.as_deref().is_some_and(|d| d.starts_with("As of vSphere API 4.0")));
    assert!(method("vim.Datastore", "DestroyDatastore").deprecated.is_some());
    assert!(method("vim.ClusterComputeResource", "ReconfigureCluster").deprecated.is_some());
    assert!(method("vim.SessionManager", "Login").deprecated.is_none());
}

#[test]
fn property_collector() {
    let Some(_) = vimgen_test_support::corpus("property_collector") else { return };
    let pc = mo("vmodl.query.PropertyCollector");
    assert_eq!(pc.since, "vmodl.query.version.version1");
    let r = method("vmodl.query.PropertyCollector", "RetrievePropertiesEx");
    assert_eq!(
        params(r),
        [
            ("specSet", "vmodl.query.PropertyCollector.FilterSpec", true, false),
            ("options", "vmodl.query.PropertyCollector.RetrieveOptions", false, false)
        ]
    );
    let ret = r.returns.as_ref().unwrap();
    assert_eq!((ret.ty.elem.name(), ret.ty.array, ret.ty.optional), ("vmodl.query.PropertyCollector.RetrieveResult", false, true));
    assert_eq!(r.faults, ["vmodl.query.InvalidProperty"]);
    assert_eq!(r.privilege.as_deref(), Some("System.Anonymous"));
    assert_eq!(
        method("vmodl.query.PropertyCollector", "CreateFilter").returns.as_ref().map(|r| r.ty.elem.name()),
        Some("vmodl.query.PropertyCollector.Filter")
    );
}

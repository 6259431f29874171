//! Unit tests on small inline registries written for them (both layouts, flags, spans,
//! errors). The real releases are read by `codegen/tests/pyvmomi_registry.rs`.

use super::*;
use crate::diag::{Kind, Severity};

/// A registry in the `_typeinfo_*` layout: a few versions, one managed type with a method
/// of each shape, a data type with flags, an enum.
const TYPEINFO: &str = r#"# ******* WARNING - AUTO GENERATED CODE - DO NOT EDIT *******

from .VmomiSupport import CreateDataType, CreateManagedType
from .VmomiSupport import F_LINK, F_LINKABLE
from .VmomiSupport import F_OPTIONAL, F_SECRET

AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersion("vim.version.v9_1_0_0", "vim25", "9.1.0.0", 0, "vim25")
AddVersionParent("vim.version.version1", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")
AddVersionParent("vim.version.v9_1_0_0", "vim.version.version9")
AddVersionParent("vim.version.v9_1_0_0", "vim.version.v9_1_0_0")

from .VmomiSupport import newestVersions
newestVersions.Add("vim.version.v9_1_0_0")

CreateManagedType("vim.SessionManager", "SessionManager", "vmodl.ManagedObject", "vim.version.version1", [("sessionList", "vim.UserSession[]", "vim.version.version1", F_OPTIONAL, "Sessions.TerminateSession"), ("newer", "string", "vim.version.v9_1_0_0", 0, None)], [("login", "Login", "vim.version.version1", (("userName", "string", "vim.version.version1", 0, None),("password", "string", "vim.version.version1", F_SECRET, None),("token", "string", "vim.version.v9_1_0_0", F_OPTIONAL, None),), (0, "vim.UserSession", "vim.UserSession"), "System.Anonymous", ["vim.fault.InvalidLogin", "vim.fault.InvalidLocale", ]), ("logout", "Logout", "vim.version.version1", (), (0, "void", "void"), "System.View", None), ("powerOn", "PowerOn_Task", "vim.version.v9_1_0_0", (), (F_OPTIONAL, "vim.Task", "vim.UserSession[]"), None, None)])
CreateDataType("vim.UserSession", "UserSession", "vmodl.DynamicData", "vim.version.version1", [("key", "string", "vim.version.version1", F_LINKABLE), ("host", 'vim.HostSystem', "vim.version.version9", F_LINK | F_OPTIONAL)])
CreateDataType("vim.fault.InvalidLogin", "InvalidLogin", "vim.fault.VimFault", "vim.version.version1", None)
CreateEnumType("vim.SessionManager.Kind", "SessionManagerKind", "vim.version.version9", ["a", 'b'])
"#;

/// Reads fixtures. They are partial registries (`vim.HostSystem`, `vmodl.DynamicData`... are
/// used, not defined), so `py-unknown-type` is dropped unless `keep_unknown_types`.
fn read_with(files: &[(&str, &str)], layout: Layout, keep_unknown_types: bool) -> (Registry, SourceMap, Diagnostics) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let reg = read_in_memory(files, layout, &mut sources, &mut diags);
    diags.list.retain(|d| keep_unknown_types || d.kind != Kind::PyUnknownType);
    (reg, sources, diags)
}

fn read(files: &[(&str, &str)], layout: Layout) -> (Registry, SourceMap, Diagnostics) {
    read_with(files, layout, false)
}

fn one(text: &str) -> (Registry, SourceMap, Diagnostics) {
    read(&[("_typeinfo_vim.py", text)], Layout::TypeInfo)
}

#[test]
fn reads_every_call_shape() {
    let (reg, _, diags) = one(TYPEINFO);
    assert!(diags.list.is_empty(), "{:?}", diags.list);
    let c = reg.counts();
    assert_eq!((c.versions, c.managed, c.data, c.enums, c.methods, c.params, c.properties), (3, 1, 2, 1, 3, 3, 4));
    let sm = &reg.managed["vim.SessionManager"];
    assert_eq!((sm.wsdl_name.as_str(), sm.base.as_str()), ("SessionManager", "vmodl.ManagedObject"));
    assert_eq!(sm.properties[0].privilege.as_deref(), Some("Sessions.TerminateSession"));
    assert!(sm.properties[0].flags.optional && element_type(&sm.properties[0].ty) == ("vim.UserSession", true));
    let login = reg.method("vim.SessionManager", "Login").unwrap();
    assert_eq!(login.name, "login");
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    assert_eq!(login.faults, ["vim.fault.InvalidLogin", "vim.fault.InvalidLocale"]);
    assert!(login.params[1].flags.secret && !login.params[1].flags.optional);
    assert_eq!(login.returns.ty, "vim.UserSession");
    let logout = reg.method("vim.SessionManager", "Logout").unwrap();
    assert!(logout.params.is_empty() && logout.faults.is_empty() && logout.returns.ty == "void");
    let task = reg.method("vim.SessionManager", "PowerOn_Task").unwrap();
    assert_eq!((task.returns.ty.as_str(), task.returns.result.as_str()), ("vim.Task", "vim.UserSession[]"));
    assert!(task.returns.flags.optional && task.privilege.is_none());
    let us = &reg.data["vim.UserSession"];
    assert!(us.properties[0].flags.linkable);
    let f = us.properties[1].flags;
    assert!(f.link && f.optional && !f.secret && !f.linkable);
    assert!(reg.data["vim.fault.InvalidLogin"].properties.is_empty());
    assert_eq!(reg.enums["vim.SessionManager.Kind"].values, ["a", "b"]);
    assert!(reg.versions["vim.version.v9_1_0_0"].tags.contains("newest"));
    assert_eq!(reg.version_by_id("vim25", "5.5").map(|v| v.name.as_str()), Some("vim.version.version9"));
}

#[test]
fn versions_close_over_parents_and_filter() {
    let (reg, _, _) = one(TYPEINFO);
    // 9.1 lists only 5.5 as a parent here; 2.0 comes through 5.5.
    let a: Vec<_> = reg.ancestors("vim.version.v9_1_0_0").into_iter().collect();
    assert_eq!(a, ["vim.version.v9_1_0_0", "vim.version.version1", "vim.version.version9"]);
    assert!(reg.ancestors("vim.version.nope").is_empty());
    let old = reg.filter("vim.version.version9");
    let sm = &old.managed["vim.SessionManager"];
    assert_eq!(sm.properties.len(), 1, "`newer` is 9.1");
    assert_eq!(sm.methods.iter().map(|m| m.wsdl_name.as_str()).collect::<Vec<_>>(), ["Login", "Logout"]);
    assert_eq!(sm.methods[0].params.len(), 2, "`token` is 9.1");
    assert_eq!(old.data["vim.UserSession"].properties.len(), 2);
    let oldest = reg.filter("vim.version.version1");
    assert!(oldest.enums.is_empty() && oldest.data["vim.UserSession"].properties.len() == 1);
    assert_eq!(reg.filter("vim.version.v9_1_0_0"), Registry { ..reg.clone() });
}

#[test]
fn spans_point_at_the_registry_file() {
    let (reg, sources, _) = one(TYPEINFO);
    let login = reg.method("vim.SessionManager", "Login").unwrap();
    let loc = sources.location(login.span);
    assert!(loc.starts_with("_typeinfo_vim.py:19:"), "{loc}");
    let host = &reg.data["vim.UserSession"].properties[1];
    let f = sources.get(host.span.file);
    assert!(f.text[host.span.start as usize..host.span.end as usize].starts_with("(\"host\", 'vim.HostSystem'"));
    assert_eq!(sources.location(reg.versions["vim.version.version9"].span), "_typeinfo_vim.py:8:1");
}

/// The pre-7.0.3 layout: other file names, one import line, the same calls.
#[test]
fn legacy_layout_reads_the_same() {
    let core = "from pyVmomi.VmomiSupport import CreateDataType, AddVersion, AddVersionParent, F_OPTIONAL\n\
                AddVersion(\"vmodl.version.version0\", \"\", \"\", 0, \"vim25\")\n\
                AddVersionParent(\"vmodl.version.version0\", \"vmodl.version.version0\")\n\
                CreateDataType(\"vmodl.DynamicData\", \"DynamicData\", \"vmodl.DataObject\", \"vmodl.version.version0\", [(\"dynamicType\", \"string\", \"vmodl.version.version0\", F_OPTIONAL)])\n";
    let server = "# Copyright\nfrom __future__ import absolute_import\n\
                  from pyVmomi.VmomiSupport import newestVersions, currentVersions\n\
                  AddVersion(\"vim.version.version10\", \"vim25\", \"6.0\", 0, \"vim25\")\n\
                  AddVersionParent(\"vim.version.version10\", \"vmodl.version.version0\")\n\
                  currentVersions.Add(\"vim.version.version10\")\n\
                  CreateEnumType(\"vim.BatchResult.Result\", \"BatchResultResult\", \"vim.version.version10\", [\"success\", \"fail\"])\n";
    let (reg, _, diags) = read(&[("CoreTypes.py", core), ("ServerObjects.py", server)], Layout::Legacy);
    assert!(diags.list.is_empty(), "{:?}", diags.list);
    assert_eq!(reg.layout, Layout::Legacy);
    assert!(reg.ancestors("vim.version.version10").contains("vmodl.version.version0"));
    assert!(reg.versions["vim.version.version10"].tags.contains("current"));
    assert_eq!(reg.counts().data + reg.counts().enums, 2);
}

#[test]
fn python_subset_details() {
    let text = "AddVersion('v1', 'ns', \"1.0\", 0, 'ns')  # trailing comment\n\
                AddVersionParent(\n    'v1',\n    'v1',\n)\n\
                AddVersionParent('v1', \\\n 'v1')\n\
                CreateEnumType(\"e.E\", \"E\", ('v1'), ['a\\'b', \"c\\\"d\", 'tab\\there',])\n\
                CreateDataType(\"d.D\", \"D\", \"b\", \"v1\", ((\"x\", \"int\", \"v1\", (F_OPTIONAL)),))\n";
    let (reg, _, diags) = one(text);
    assert!(diags.list.is_empty(), "{:?}", diags.list);
    assert_eq!(reg.enums["e.E"].values, ["a'b", "c\"d", "tab\there"]);
    assert_eq!(reg.enums["e.E"].since, "v1", "(x) is x, not a tuple");
    assert!(reg.data["d.D"].properties[0].flags.optional, "(x,) is a tuple");
}

/// Each bad input gives one diagnostic of the expected kind, at the expected line:column,
/// and the good calls around it are still read.
#[test]
fn errors_are_diagnostics_at_their_position() {
    let good = "AddVersion(\"v\", \"n\", \"1\", 0, \"n\")\nAddVersionParent(\"v\", \"v\")\n";
    let cases: &[(&str, Kind, &str)] = &[
        ("CreateEnumType(\"E\", \"E\", \"v\", [\"a\", \"b])\n", Kind::PySyntax, "3:37"),
        ("x = 3\n", Kind::PySyntax, "3:3"),
        ("CreateEnumType(\"E\" \"E\", \"v\", [])\n", Kind::PySyntax, "3:20"),
        ("CreateEnumType(\"E\", \"E\", \"v\", [\"a\"]\n", Kind::PySyntax, "4:1"),
        ("CreateEnumType(\"E\", \"E\", \"v\")\n", Kind::PyBadArgs, "3:1"),
        ("CreateEnumType(\"E\", 5, \"v\", [])\n", Kind::PyBadArgs, "3:21"),
        ("CreateDataType(\"D\", \"D\", \"b\", \"v\", [(\"x\", \"int\", \"v\", F_WEIRD)])\n", Kind::PyUnknownFlag, "3:55"),
        ("CreateDataType(\"D\", \"D\", \"b\", \"v\", [(\"x\", \"int\")])\n", Kind::PyBadArgs, "3:37"),
        ("CreateDataType(\"D\", \"D\", \"b\", \"v2\", None)\n", Kind::PyUnknownVersion, "3:1"),
        ("AddVersionParent(\"v\", \"w\")\n", Kind::PyUnknownVersion, "3:1"),
        ("CreateEnumType(r\"E\", \"E\", \"v\", [])\n", Kind::PyUnsupported, "3:16"),
        ("CreateEnumType(\"\"\"E\"\"\", \"E\", \"v\", [])\n", Kind::PyUnsupported, "3:16"),
        ("CreateEnumType(\"E\", \"E\", \"v\", [0x10])\n", Kind::PySyntax, "3:32"),
        ("CreateEnumType(\"E\", \"E\", \"v\", [\"\\q\"])\n", Kind::PyUnsupported, "3:33"),
        ("CreateEnumType(\"E\", \"E\", \"v\", [\"a\"]) + 1\n", Kind::PySyntax, "3:38"),
        ("CreateEnumType(\"E\", \"E\", \"v\", [\"a\"]) ; x\n", Kind::PySyntax, "3:38"),
        ("f((((((((((((((((((((((((((((((((((((((((((()))))))))))))))))))))))))))))))))))))))))))\n", Kind::PyUnsupported, "3:34"),
        ("Whatever(1, 2)\n", Kind::PyUnknownCall, "3:1"),
        ("CreateDataType(\"D\", \"D\", \"vmodl.DataObject\", \"v\", [(\"x\", \"vim.Nope[]\", \"v\", 0)])\n", Kind::PyUnknownType, "3:52"),
    ];
    for (bad, kind, at) in cases {
        let text = format!("{good}{bad}AddVersion(\"w2\", \"n\", \"2\", 0, \"n\")\n");
        let (reg, sources, diags) = read_with(&[("_typeinfo_vim.py", &text)], Layout::TypeInfo, *kind == Kind::PyUnknownType);
        let d = diags.list.first().unwrap_or_else(|| panic!("no diagnostic for {bad:?}"));
        assert_eq!(d.kind, *kind, "{bad:?}: {:?}", diags.list);
        let loc = sources.location(d.span.expect("a position"));
        assert!(loc.starts_with(&format!("_typeinfo_vim.py:{at}")), "{bad:?}: {loc}");
        assert!(reg.versions.contains_key("w2"), "{bad:?}: the next line is read");
        assert!(!d.render(&sources).is_empty());
    }
}

#[test]
fn duplicates_keep_the_first_definition() {
    let text =
        "AddVersion(\"v\", \"n\", \"1\", 0, \"n\")\nAddVersion(\"v\", \"n\", \"1\", 1, \"n\")\nAddVersion(\"v\", \"m\", \"2\", 0, \"n\")\n\
                CreateEnumType(\"E\", \"E\", \"v\", [\"a\"])\nCreateEnumType(\"E\", \"E2\", \"v\", [\"b\"])\n";
    let (reg, _, diags) = one(text);
    let kinds: Vec<_> = diags.list.iter().map(|d| (d.kind, d.severity())).collect();
    assert_eq!(kinds, [(Kind::PyDuplicateVersion, Severity::Warning), (Kind::PyDuplicateType, Severity::Warning)]);
    assert_eq!(reg.enums["E"].wsdl_name, "E");
    assert_eq!(reg.versions["v"].namespace, "n");
}

#[test]
fn a_folder_without_a_registry_is_one_error() {
    let dir = std::env::temp_dir().join(format!("vimgen-pyvmomi-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let loaded = load(&dir);
    let kinds: Vec<_> = loaded.diags.list.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [Kind::PyNoRegistry]);
    let loaded = load(&dir.join("missing"));
    assert_eq!(loaded.diags.list.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn kinds_are_listed() {
    let (_, _, diags) = one("CreateEnumType(\"E\", \"E\", \"v\", [\"a\"]) ; x\nWhatever()\nAddVersion(1)\n");
    for d in &diags.list {
        assert!(KINDS.contains(&d.kind), "{} not in KINDS", d.kind);
    }
}

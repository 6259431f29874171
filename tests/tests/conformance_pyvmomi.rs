//! The corpus IR against pyVmomi's type table, member by member, for everything pyVmomi says
//! exists in vSphere 5.5 (the versions `vim.version.version9` includes, from its
//! `AddVersionParent` lines).
//!
//! pyVmomi's tables are found at `$PYVMOMI_DIR`, else in the project's `.venv` (which
//! `cargo xtask test` fills with `pip install pyvmomi==9.1.1.0`). Mismatches are grouped by
//! category; each category's count is pinned, so a regression or a fix shows as a changed
//! number. The full list is printed and written to `$CARGO_TARGET_TMPDIR/conformance_pyvmomi.txt`.

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::Model;
use vimgen_tests::pyvmomi::{self, ir_type, DataType, Member, TypeTable};
use vimgen_tests::{assert_no_errors, corpus};

/// The reviewed mismatch count of each category. See the report in the commit / PR for what
/// each one is; a change here must be explained.
const EXPECTED: &[(&str, usize)] = &[
    // LocalizedMethodFault: the WSDL and its page say DynamicData, pyVmomi's builtin says
    // MethodFault; the wire decides. (The roots' bases were fixed in the merge.)
    ("do-base", 1),
    // All required in the 5.5 XSD (e.g. NoPermission.object); pyVmomi 9.1 loosened them later.
    ("do-field-optional", 10),
    // Not in the 5.5 WSDL at all: pyVmomi 9.1 back-dates them (TransitGateway, EVC faults, ...).
    ("do-missing", 24),
    ("enum-missing", 14),
    // enums.md states no version: every IR enum is `vim.version.version1`; pyVmomi knows better.
    ("enum-since", 182),
    // CheckCompatibility_Task: the 5.5 WSDL declares NoActiveHostInCluster; pyVmomi 9.1 differs.
    ("method-faults", 1),
    // VsanInternalSystem methods and ProvisioningChecker.CheckClone_Task: not in the 5.5 WSDL.
    ("method-missing", 10),
    // Privileges pyVmomi 9.1 gives differently (may have changed after 5.5); to review.
    ("method-privilege", 8),
    // SetDisplayTopology: `vSphere API 4.0` with no anchor names version4 and version5; the
    // merge takes the id whose number the name ends with (version5), pyVmomi says version4.
    ("method-since", 1),
    // PropertyCollector's *Ex methods: IR vim.version.version6, pyVmomi vmodl.query.version.version3
    // (same release, other package).
    ("method-since-package", 6),
    // (mo-property-names: vim.Network's page lists the inherited `name`; fixed in the merge.)
    // host.PowerSystem.capability/info: IR Host.Config.Power, pyVmomi System.Read; to review.
    ("mo-property-privilege", 2),
    // QueryAssignedLicenses: the WSDL's returnval has no minOccurs="0"; pyVmomi says optional.
    ("return-optional", 1),
];

#[derive(Default)]
struct Report {
    cats: BTreeMap<&'static str, Vec<String>>,
}

impl Report {
    fn add(&mut self, cat: &'static str, msg: String) {
        self.cats.entry(cat).or_default().push(msg);
    }
    fn render(&self) -> String {
        let mut s = String::new();
        for (cat, items) in &self.cats {
            s.push_str(&format!("== {cat}: {}\n", items.len()));
            for i in items {
                s.push_str(&format!("   {i}\n"));
            }
        }
        s.push_str("\ncounts:\n");
        for (cat, items) in &self.cats {
            s.push_str(&format!("    (\"{cat}\", {}),\n", items.len()));
        }
        s
    }
}

/// MethodFault, RuntimeFault and LocalizedMethodFault are built into VmomiSupport.py, not the
/// tables. `msg` (a pyVmomi-only field) is left out of MethodFault.
fn add_builtins(t: &mut TypeTable) {
    let m = |name: &str, ty: &str, v: &str, optional: bool| Member {
        name: name.into(),
        ty: ty.into(),
        version: v.into(),
        flags: if optional { ["F_OPTIONAL".to_string()].into() } else { BTreeSet::new() },
        privilege: None,
    };
    let d = |name: &str, wsdl: &str, base: &str, properties: Vec<Member>| DataType {
        name: name.into(),
        wsdl_name: wsdl.into(),
        base: base.into(),
        version: "vmodl.version.version0".into(),
        properties,
        file: "VmomiSupport.py".into(),
    };
    let v1 = "vmodl.version.version1";
    t.data.entry("vmodl.MethodFault".into()).or_insert_with(|| {
        d(
            "vmodl.MethodFault",
            "MethodFault",
            "vmodl.DynamicData",
            vec![m("faultCause", "vmodl.MethodFault", v1, true), m("faultMessage", "vmodl.LocalizableMessage[]", v1, true)],
        )
    });
    t.data.entry("vmodl.RuntimeFault".into()).or_insert_with(|| d("vmodl.RuntimeFault", "RuntimeFault", "vmodl.MethodFault", vec![]));
    t.data.entry("vmodl.LocalizedMethodFault".into()).or_insert_with(|| {
        d(
            "vmodl.LocalizedMethodFault",
            "LocalizedMethodFault",
            "vmodl.MethodFault",
            vec![
                m("fault", "vmodl.MethodFault", "vmodl.version.version0", false),
                m("localizedMessage", "string", "vmodl.version.version0", true),
            ],
        )
    });
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("None")
}

fn since_cat(py: &str, ir: &str, same_package: &'static str, other_package: &'static str) -> &'static str {
    let pkg = |v: &str| v.rsplit_once(".version").map(|(p, _)| p.to_string()).unwrap_or_default();
    if pkg(py) == pkg(ir) {
        same_package
    } else {
        other_package
    }
}

/// A `string` where pyVmomi has `vmodl.TypeName`/`PropertyPath`/`MethodName` goes to its own
/// category (`<cat>-named-string`): same wire type, lost meaning.
fn type_cat(ir: &str, py_elem: &str, cat: &'static str, named: &'static str) -> &'static str {
    if ir == "string" && ["vmodl.TypeName", "vmodl.PropertyPath", "vmodl.MethodName"].contains(&py_elem) {
        named
    } else {
        cat
    }
}

fn compare(t: &TypeTable, m: &Model) -> Report {
    let mut r = Report::default();
    let v55 = t.versions_of("vim.version.version9");
    let in55 = |v: &str| v55.contains(v);

    // ---- data objects ----
    let mut seen = BTreeSet::new();
    for (name, py) in t.data.iter().filter(|(_, d)| in55(&d.version)) {
        seen.insert(name.as_str());
        let Some(d) = m.data_object(name) else {
            if m.managed_object(name).is_some() || m.enum_type(name).is_some() {
                r.add("do-kind", format!("{name}: a data object in pyVmomi, another kind in the IR"));
            } else {
                r.add("do-missing", format!("{name} ({})", py.version));
            }
            continue;
        };
        if d.wsdl_name != py.wsdl_name {
            r.add("do-wsdl-name", format!("{name}: IR {} pyVmomi {}", d.wsdl_name, py.wsdl_name));
        }
        if opt(&d.base) != py.base {
            r.add("do-base", format!("{name}: IR {} pyVmomi {}", opt(&d.base), py.base));
        }
        if d.since != py.version {
            r.add(
                since_cat(&py.version, &d.since, "do-since", "do-since-package"),
                format!("{name}: IR {} pyVmomi {}", d.since, py.version),
            );
        }
        let py_fields: Vec<&Member> = py.properties.iter().filter(|p| in55(&p.version)).collect();
        let py_names: Vec<&str> = py_fields.iter().map(|p| p.name.as_str()).collect();
        let ir_names: Vec<&str> = d.properties.iter().map(|p| p.name.as_str()).collect();
        if py_names != ir_names {
            r.add("do-field-names", format!("{name}: IR {ir_names:?} pyVmomi {py_names:?}"));
        }
        for pf in &py_fields {
            let Some(f) = d.property(&pf.name) else { continue };
            let (mut ty, array) = ir_type(&pf.ty);
            // F_LINK: a key on the wire (xsd:string); pyVmomi records the linked type.
            if pf.flags.contains("F_LINK") {
                ty = "string".into();
            }
            if f.ty.elem.name() != ty {
                r.add(
                    type_cat(f.ty.elem.name(), &ty, "do-field-type", "do-field-type-named-string"),
                    format!("{name}.{}: IR {} pyVmomi {}", f.name, f.ty.elem.name(), pf.ty),
                );
            }
            if f.ty.array != array {
                r.add("do-field-array", format!("{name}.{}: IR array={} pyVmomi {}", f.name, f.ty.array, pf.ty));
            }
            if f.ty.optional != pf.optional() {
                r.add("do-field-optional", format!("{name}.{}: IR optional={} pyVmomi {}", f.name, f.ty.optional, pf.optional()));
            }
        }
    }
    for d in &m.data_objects {
        if !seen.contains(d.name.as_str()) {
            let why = t.data.get(&d.name).map_or("not in pyVmomi".to_string(), |p| format!("pyVmomi version {}", p.version));
            r.add("do-ir-only", format!("{} ({why})", d.name));
        }
    }

    // ---- enums ----
    let mut seen = BTreeSet::new();
    for (name, py) in t.enums.iter().filter(|(_, e)| in55(&e.version)) {
        seen.insert(name.as_str());
        let Some(e) = m.enum_type(name) else {
            r.add("enum-missing", format!("{name} ({})", py.version));
            continue;
        };
        if e.wsdl_name != py.wsdl_name {
            r.add("enum-wsdl-name", format!("{name}: IR {} pyVmomi {}", e.wsdl_name, py.wsdl_name));
        }
        if e.since != py.version {
            r.add(
                since_cat(&py.version, &e.since, "enum-since", "enum-since-package"),
                format!("{name}: IR {} pyVmomi {}", e.since, py.version),
            );
        }
        // pyVmomi's values are today's: 5.5's list must be a prefix-ordered subsequence of it.
        let mut it = py.values.iter();
        let ordered = e.values.iter().all(|v| it.any(|p| p == v));
        if !ordered {
            r.add("enum-values", format!("{name}: IR {:?} pyVmomi {:?}", e.values, py.values));
        }
    }
    for e in &m.enums {
        if !seen.contains(e.name.as_str()) {
            let why = t.enums.get(&e.name).map_or("not in pyVmomi".to_string(), |p| format!("pyVmomi version {}", p.version));
            r.add("enum-ir-only", format!("{} ({why})", e.name));
        }
    }

    // ---- managed objects ----
    let fault_in55 = |f: &str| t.data.get(f).is_some_and(|d| in55(&d.version));
    let mut seen = BTreeSet::new();
    for (name, py) in t.managed.iter().filter(|(_, o)| in55(&o.version)) {
        seen.insert(name.as_str());
        let Some(o) = m.managed_object(name) else {
            r.add("mo-missing", format!("{name} ({})", py.version));
            continue;
        };
        if o.wsdl_name != py.wsdl_name {
            r.add("mo-wsdl-name", format!("{name}: IR {} pyVmomi {}", o.wsdl_name, py.wsdl_name));
        }
        if opt(&o.base) != py.base {
            r.add("mo-base", format!("{name}: IR {} pyVmomi {}", opt(&o.base), py.base));
        }
        if o.since != py.version {
            r.add(
                since_cat(&py.version, &o.since, "mo-since", "mo-since-package"),
                format!("{name}: IR {} pyVmomi {}", o.since, py.version),
            );
        }
        let py_props: Vec<&Member> = py.properties.iter().filter(|p| in55(&p.version)).collect();
        let py_names: Vec<&str> = py_props.iter().map(|p| p.name.as_str()).collect();
        let ir_names: Vec<&str> = o.properties.iter().map(|p| p.name.as_str()).collect();
        if py_names.iter().collect::<BTreeSet<_>>() != ir_names.iter().collect::<BTreeSet<_>>() {
            r.add("mo-property-names", format!("{name}: IR {ir_names:?} pyVmomi {py_names:?}"));
        } else if py_names != ir_names {
            r.add("mo-property-order", format!("{name}: IR {ir_names:?} pyVmomi {py_names:?}"));
        }
        for pp in &py_props {
            let Some(p) = o.property(&pp.name) else { continue };
            let (ty, array) = ir_type(&pp.ty);
            if p.ty.elem.name() != ty {
                r.add(
                    type_cat(p.ty.elem.name(), &ty, "mo-property-type", "mo-property-type-named-string"),
                    format!("{name}.{}: IR {} pyVmomi {}", p.name, p.ty.elem.name(), pp.ty),
                );
            }
            if p.ty.array != array {
                r.add("mo-property-array", format!("{name}.{}: IR array={} pyVmomi {}", p.name, p.ty.array, pp.ty));
            }
            if p.ty.optional != pp.optional() {
                r.add("mo-property-optional", format!("{name}.{}: IR optional={} pyVmomi {}", p.name, p.ty.optional, pp.optional()));
            }
            if p.privilege != pp.privilege {
                r.add("mo-property-privilege", format!("{name}.{}: IR {} pyVmomi {}", p.name, opt(&p.privilege), opt(&pp.privilege)));
            }
        }

        // ---- methods, joined by wire name ----
        let mut seen_m = BTreeSet::new();
        for pm in py.methods.iter().filter(|x| in55(&x.version)) {
            seen_m.insert(pm.wsdl_name.as_str());
            let Some(x) = o.methods.iter().find(|x| x.wsdl_name == pm.wsdl_name) else {
                let elsewhere = m.managed_objects.iter().find(|o2| o2.methods.iter().any(|x| x.wsdl_name == pm.wsdl_name));
                match elsewhere {
                    Some(o2) => r.add("method-owner", format!("{name}.{}: IR puts it on {}", pm.wsdl_name, o2.name)),
                    None => r.add("method-missing", format!("{name}.{} ({})", pm.wsdl_name, pm.version)),
                }
                continue;
            };
            let id = format!("{name}.{}", x.name);
            if x.since != pm.version {
                r.add(
                    since_cat(&pm.version, &x.since, "method-since", "method-since-package"),
                    format!("{id}: IR {} pyVmomi {}", x.since, pm.version),
                );
            }
            if x.privilege != pm.privilege {
                r.add("method-privilege", format!("{id}: IR {} pyVmomi {}", opt(&x.privilege), opt(&pm.privilege)));
            }
            let py_params: Vec<&Member> = pm.params.iter().filter(|p| in55(&p.version)).collect();
            let py_names: Vec<&str> = py_params.iter().map(|p| p.name.as_str()).collect();
            let ir_names: Vec<&str> = x.params.iter().map(|p| p.name.as_str()).collect();
            if py_names != ir_names {
                r.add("param-names", format!("{id}: IR {ir_names:?} pyVmomi {py_names:?}"));
            }
            for pp in &py_params {
                let Some(p) = x.params.iter().find(|p| p.name == pp.name) else { continue };
                let (ty, array) = ir_type(&pp.ty);
                if p.ty.elem.name() != ty {
                    r.add(
                        type_cat(p.ty.elem.name(), &ty, "param-type", "param-type-named-string"),
                        format!("{id}({}): IR {} pyVmomi {}", p.name, p.ty.elem.name(), pp.ty),
                    );
                }
                if p.ty.array != array {
                    r.add("param-array", format!("{id}({}): IR array={} pyVmomi {}", p.name, p.ty.array, pp.ty));
                }
                if p.ty.optional != pp.optional() {
                    r.add("param-optional", format!("{id}({}): IR optional={} pyVmomi {}", p.name, p.ty.optional, pp.optional()));
                }
            }
            match (&x.returns, pm.result.as_str()) {
                (None, "void") => {}
                (None, other) => r.add("return-type", format!("{id}: IR void pyVmomi {other}")),
                (Some(ret), "void") => r.add("return-type", format!("{id}: IR {} pyVmomi void", ret.ty.elem.name())),
                (Some(ret), py_ty) => {
                    let (ty, array) = ir_type(py_ty);
                    if ret.ty.elem.name() != ty {
                        r.add("return-type", format!("{id}: IR {} pyVmomi {py_ty}", ret.ty.elem.name()));
                    }
                    if ret.ty.array != array {
                        r.add("return-array", format!("{id}: IR array={} pyVmomi {py_ty}", ret.ty.array));
                    }
                    // For a task method pyVmomi's flag is about the task's result, not the Task.
                    let py_opt = pm.result_flags.contains("F_OPTIONAL") && py_ty != "vim.Task";
                    if ret.ty.optional != py_opt {
                        r.add("return-optional", format!("{id}: IR optional={} pyVmomi {py_opt}", ret.ty.optional));
                    }
                }
            }
            // Faults pyVmomi lists that did not exist in 5.5 cannot be declared by it.
            let py_faults: BTreeSet<&str> =
                pm.faults.iter().map(String::as_str).filter(|f| *f != "vmodl.RuntimeFault" && fault_in55(f)).collect();
            let ir_faults: BTreeSet<&str> = x.faults.iter().map(String::as_str).collect();
            if py_faults != ir_faults {
                let only_ir: Vec<_> = ir_faults.difference(&py_faults).collect();
                let only_py: Vec<_> = py_faults.difference(&ir_faults).collect();
                r.add("method-faults", format!("{id}: IR-only {only_ir:?} pyVmomi-only {only_py:?}"));
            }
        }
        for x in &o.methods {
            if !seen_m.contains(x.wsdl_name.as_str()) {
                let why = py
                    .methods
                    .iter()
                    .find(|p| p.wsdl_name == x.wsdl_name)
                    .map_or("not in pyVmomi on this type".to_string(), |p| format!("pyVmomi version {}", p.version));
                r.add("method-ir-only", format!("{name}.{} ({why})", x.wsdl_name));
            }
        }
    }
    for o in &m.managed_objects {
        if !seen.contains(o.name.as_str()) {
            let why = t.managed.get(&o.name).map_or("not in pyVmomi".to_string(), |p| format!("pyVmomi version {}", p.version));
            r.add("mo-ir-only", format!("{} ({why})", o.name));
        }
    }
    r
}

#[test]
fn corpus_ir_conforms_to_pyvmomi() {
    let Some(_) = vimgen_test_support::corpus("corpus_ir_conforms_to_pyvmomi") else { return };
    if vimgen_test_support::peer("PYVMOMI_DIR", "corpus_ir_conforms_to_pyvmomi").is_none() {
        return;
    }
    let dir = match pyvmomi::locate() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let mut table = TypeTable::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    add_builtins(&mut table);
    assert!(table.versions_of("vim.version.version9").contains("vmodl.query.version.version4"), "AddVersionParent lines not read");
    assert!(table.data.len() > 2000 && table.managed.len() > 100 && table.enums.len() > 200, "pyVmomi's table looks truncated");

    let loaded = corpus();
    assert_no_errors(loaded);
    let report = compare(&table, &loaded.model);
    let text = report.render();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance_pyvmomi.txt");
    std::fs::write(&out, &text).unwrap();
    println!("{text}\n(written to {})", out.display());

    let got: BTreeMap<&str, usize> = report.cats.iter().map(|(k, v)| (*k, v.len())).collect();
    let want: BTreeMap<&str, usize> = EXPECTED.iter().copied().collect();
    assert_eq!(got, want, "mismatch counts per category changed; the list is above and in {}", out.display());
}

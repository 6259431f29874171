//! What changed between two IRs of the API, as markdown a reviewer reads in the pull request
//! that updates the spec (`cargo xtask api-diff OLD NEW`): types, fields, enum values,
//! methods, parameters, return types, faults, privileges and since-versions added, removed
//! or changed. Types are matched by VMODL name, members by name. Every list is in name
//! order (or wire order, for the members whose order is the wire's), so the same two IRs
//! always give the same text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{DataObject, DoProperty, Enum, ManagedObject, Method, MoProperty, Model, Param, Return, Ty};

/// The differences between two IRs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// The WSDL's API version, old and new, when it differs.
    pub api_version: Option<(String, String)>,
    /// Version ids the new IR lists and the old does not, in the new IR's order.
    pub versions_added: Vec<String>,
    /// Version ids the old IR lists and the new does not, in the old IR's order.
    pub versions_removed: Vec<String>,
    pub managed_objects: Section,
    pub data_objects: Section,
    pub enums: Section,
}

/// One kind of type: what was added, removed, changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// By name: the type's name and a one-line summary.
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
    /// By name: the type's name and its changes, one line each.
    pub changed: Vec<(String, Vec<String>)>,
}

impl Section {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Member counts: (added, removed, changed) methods and properties/fields, over the types
/// both IRs have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberCounts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl ApiDiff {
    pub fn is_empty(&self) -> bool {
        self.api_version.is_none()
            && self.versions_added.is_empty()
            && self.versions_removed.is_empty()
            && self.managed_objects.is_empty()
            && self.data_objects.is_empty()
            && self.enums.is_empty()
    }

    /// The diff as markdown, headed by `title` (`5.5 → 6.0`). Empty sections are left out;
    /// an empty diff says so.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# API diff: {title}\n");
        if self.is_empty() {
            s.push_str("No differences.\n");
            return s;
        }
        if let Some((old, new)) = &self.api_version {
            let _ = writeln!(s, "API version: `{old}` → `{new}`.\n");
        }
        if !self.versions_added.is_empty() {
            let _ = writeln!(s, "Versions added: {}.\n", code_list(&self.versions_added));
        }
        if !self.versions_removed.is_empty() {
            let _ = writeln!(s, "Versions removed: {}.\n", code_list(&self.versions_removed));
        }
        s.push_str("| | added | removed | changed |\n|---|---|---|---|\n");
        for (label, sec) in [("managed objects", &self.managed_objects), ("data objects", &self.data_objects), ("enums", &self.enums)] {
            let _ = writeln!(s, "| {label} | {} | {} | {} |", sec.added.len(), sec.removed.len(), sec.changed.len());
        }
        s.push('\n');
        for (label, sec) in [("Managed objects", &self.managed_objects), ("Data objects", &self.data_objects), ("Enums", &self.enums)] {
            if sec.is_empty() {
                continue;
            }
            let _ = writeln!(s, "## {label}\n");
            if !sec.added.is_empty() {
                let _ = writeln!(s, "### Added ({})\n", sec.added.len());
                for (name, summary) in &sec.added {
                    let _ = writeln!(s, "- `{name}` {summary}");
                }
                s.push('\n');
            }
            if !sec.removed.is_empty() {
                let _ = writeln!(s, "### Removed ({})\n", sec.removed.len());
                for (name, summary) in &sec.removed {
                    let _ = writeln!(s, "- `{name}` {summary}");
                }
                s.push('\n');
            }
            if !sec.changed.is_empty() {
                let _ = writeln!(s, "### Changed ({})\n", sec.changed.len());
                for (name, changes) in &sec.changed {
                    let _ = writeln!(s, "#### `{name}`\n");
                    for c in changes {
                        let _ = writeln!(s, "- {c}");
                    }
                    s.push('\n');
                }
            }
        }
        s
    }
}

fn code_list(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// A field's or parameter's type as one word: `string`, `vim.Task[]`, optional with `?`.
fn ty(t: &Ty) -> String {
    format!("{}{}{}", t.elem.name(), if t.array { "[]" } else { "" }, if t.optional { "?" } else { "" })
}

fn ret(r: &Option<Return>) -> String {
    r.as_ref().map_or_else(|| "void".to_string(), |r| ty(&r.ty))
}

fn privilege(p: &Option<String>) -> String {
    p.as_deref().map_or_else(|| "none".to_string(), |p| format!("`{p}`"))
}

fn signature(m: &Method) -> String {
    let params: Vec<String> = m.params.iter().map(|p| format!("{}: {}", p.name, ty(&p.ty))).collect();
    format!("{}({}) -> {}", m.wsdl_name, params.join(", "), ret(&m.returns))
}

/// Compares two IRs.
pub fn diff(old: &Model, new: &Model) -> ApiDiff {
    let api_version = match (&old.api_version, &new.api_version) {
        (a, b) if a == b => None,
        (a, b) => Some((a.clone().unwrap_or_else(|| "unknown".into()), b.clone().unwrap_or_else(|| "unknown".into()))),
    };
    let old_ids: BTreeSet<&str> = old.versions.iter().map(|v| v.id.as_str()).collect();
    let new_ids: BTreeSet<&str> = new.versions.iter().map(|v| v.id.as_str()).collect();
    ApiDiff {
        api_version,
        versions_added: new.versions.iter().filter(|v| !old_ids.contains(v.id.as_str())).map(|v| v.id.clone()).collect(),
        versions_removed: old.versions.iter().filter(|v| !new_ids.contains(v.id.as_str())).map(|v| v.id.clone()).collect(),
        managed_objects: section(&old.managed_objects, &new.managed_objects, |m| &m.name, mo_summary, mo_changes),
        data_objects: section(&old.data_objects, &new.data_objects, |d| &d.name, do_summary, do_changes),
        enums: section(&old.enums, &new.enums, |e| &e.name, enum_summary, enum_changes),
    }
}

fn section<T>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
    summary: impl Fn(&T) -> String,
    changes: impl Fn(&T, &T) -> Vec<String>,
) -> Section {
    let old: BTreeMap<&str, &T> = old.iter().map(|t| (name(t).as_str(), t)).collect();
    let new: BTreeMap<&str, &T> = new.iter().map(|t| (name(t).as_str(), t)).collect();
    let mut sec = Section::default();
    for (n, t) in &new {
        match old.get(n) {
            None => sec.added.push((n.to_string(), summary(t))),
            Some(o) => {
                let c = changes(o, t);
                if !c.is_empty() {
                    sec.changed.push((n.to_string(), c));
                }
            }
        }
    }
    for (n, t) in &old {
        if !new.contains_key(n) {
            sec.removed.push((n.to_string(), summary(t)));
        }
    }
    sec
}

fn mo_summary(m: &ManagedObject) -> String {
    format!(
        "(`{}`), since `{}`, extends {}: {} methods, {} properties",
        m.wsdl_name,
        m.since,
        m.base.as_deref().map_or_else(|| "nothing".to_string(), |b| format!("`{b}`")),
        m.methods.len(),
        m.properties.len()
    )
}

fn do_summary(d: &DataObject) -> String {
    format!(
        "(`{}`), since `{}`, extends {}{}: {} fields",
        d.wsdl_name,
        d.since,
        d.base.as_deref().map_or_else(|| "nothing".to_string(), |b| format!("`{b}`")),
        if d.is_fault { ", a fault" } else { "" },
        d.properties.len()
    )
}

fn enum_summary(e: &Enum) -> String {
    format!("(`{}`), since `{}`: {}", e.wsdl_name, e.since, code_list(&e.values))
}

/// `what: `old` → `new``, when they differ.
fn changed(out: &mut Vec<String>, what: &str, old: &str, new: &str) {
    if old != new {
        out.push(format!("{what}: `{old}` → `{new}`"));
    }
}

fn type_header(
    out: &mut Vec<String>,
    old_wsdl: &str,
    new_wsdl: &str,
    old_base: &Option<String>,
    new_base: &Option<String>,
    old_since: &str,
    new_since: &str,
) {
    changed(out, "wire name", old_wsdl, new_wsdl);
    if old_base != new_base {
        out.push(format!("base: {} → {}", opt_code(old_base), opt_code(new_base)));
    }
    changed(out, "since", old_since, new_since);
}

fn opt_code(v: &Option<String>) -> String {
    v.as_deref().map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

/// `, since `v`` for a member (property, field, parameter) whose own version is stated and
/// is not its owner's (`owner`: the type's or method's since).
fn since_note(own: &Option<String>, owner: &str) -> String {
    match own.as_deref() {
        Some(v) if v != owner => format!(", since `{v}`"),
        _ => String::new(),
    }
}

/// A member's since-version change. A member without one of its own has its owner's (as
/// the generated metadata does), so an input that states it and one that does not differ
/// only where the versions do; when neither states one, a change is the owner's, reported
/// there.
fn member_since(out: &mut Vec<String>, (old, new): (&Option<String>, &Option<String>), (old_owner, new_owner): (&str, &str)) {
    if old.is_some() || new.is_some() {
        changed(out, "since", old.as_deref().unwrap_or(old_owner), new.as_deref().unwrap_or(new_owner));
    }
}

/// Members matched by name: added and removed ones (in the new and old order), then the
/// changes of each kept one (in the new order).
fn members<T>(
    out: &mut Vec<String>,
    kind: &str,
    (old, new): (&[T], &[T]),
    name: impl Fn(&T) -> &str,
    describe: impl Fn(&T) -> String,
    changes: impl Fn(&T, &T) -> Vec<String>,
) {
    let old_by: BTreeMap<&str, &T> = old.iter().map(|t| (name(t), t)).collect();
    let new_by: BTreeMap<&str, &T> = new.iter().map(|t| (name(t), t)).collect();
    for t in new.iter().filter(|t| !old_by.contains_key(name(t))) {
        out.push(format!("{kind} added: {}", describe(t)));
    }
    for t in old.iter().filter(|t| !new_by.contains_key(name(t))) {
        out.push(format!("{kind} removed: {}", describe(t)));
    }
    for t in new {
        if let Some(o) = old_by.get(name(t)) {
            for c in changes(o, t) {
                out.push(format!("{kind} `{}`: {c}", name(t)));
            }
        }
    }
}

/// Whether the members both lists have are in another order (for members whose order is
/// the wire's: parameters, fields, enum values).
fn order<T>(out: &mut Vec<String>, kind: &str, old: &[T], new: &[T], name: impl Fn(&T) -> &str) {
    let old_names: BTreeSet<&str> = old.iter().map(&name).collect();
    let new_names: BTreeSet<&str> = new.iter().map(&name).collect();
    let kept_old: Vec<&str> = old.iter().map(&name).filter(|n| new_names.contains(n)).collect();
    let kept_new: Vec<&str> = new.iter().map(&name).filter(|n| old_names.contains(n)).collect();
    if kept_old != kept_new {
        out.push(format!("{kind} order: {} → {}", kept_old.join(", "), kept_new.join(", ")));
    }
}

fn field_changes(old: &Ty, new: &Ty) -> Vec<String> {
    let mut out = Vec::new();
    changed(&mut out, "type", &ty(old), &ty(new));
    out
}

fn mo_property_changes(o: &MoProperty, n: &MoProperty, owners: (&str, &str)) -> Vec<String> {
    let mut out = field_changes(&o.ty, &n.ty);
    if o.privilege != n.privilege {
        out.push(format!("privilege: {} → {}", privilege(&o.privilege), privilege(&n.privilege)));
    }
    member_since(&mut out, (&o.since, &n.since), owners);
    out
}

fn param_changes(o: &Param, n: &Param, owners: (&str, &str)) -> Vec<String> {
    let mut out = field_changes(&o.ty, &n.ty);
    member_since(&mut out, (&o.since, &n.since), owners);
    out
}

fn method_changes(o: &Method, n: &Method) -> Vec<String> {
    let mut out = Vec::new();
    changed(&mut out, "SOAP operation", &o.wsdl_name, &n.wsdl_name);
    changed(&mut out, "since", &o.since, &n.since);
    if o.privilege != n.privilege {
        out.push(format!("privilege: {} → {}", privilege(&o.privilege), privilege(&n.privilege)));
    }
    members(
        &mut out,
        "parameter",
        (&o.params, &n.params),
        |p| &p.name,
        |p| format!("`{}: {}`{}", p.name, ty(&p.ty), since_note(&p.since, &n.since)),
        |a, b| param_changes(a, b, (&o.since, &n.since)),
    );
    order(&mut out, "parameter", &o.params, &n.params, |p| &p.name);
    changed(&mut out, "returns", &ret(&o.returns), &ret(&n.returns));
    for f in n.faults.iter().filter(|f| !o.faults.contains(f)) {
        out.push(format!("fault added: `{f}`"));
    }
    for f in o.faults.iter().filter(|f| !n.faults.contains(f)) {
        out.push(format!("fault removed: `{f}`"));
    }
    if o.deprecated.is_some() != n.deprecated.is_some() {
        out.push(if n.deprecated.is_some() { "deprecated".to_string() } else { "no longer deprecated".to_string() });
    }
    out
}

fn describe_method(m: &Method) -> String {
    let faults = if m.faults.is_empty() { String::new() } else { format!(", faults {}", code_list(&m.faults)) };
    format!("`{}` `{}`, since `{}`, privilege {}{faults}", m.name, signature(m), m.since, privilege(&m.privilege))
}

fn mo_changes(o: &ManagedObject, n: &ManagedObject) -> Vec<String> {
    let mut out = Vec::new();
    type_header(&mut out, &o.wsdl_name, &n.wsdl_name, &o.base, &n.base, &o.since, &n.since);
    if o.deprecated != n.deprecated {
        out.push(if n.deprecated { "deprecated".to_string() } else { "no longer deprecated".to_string() });
    }
    members(
        &mut out,
        "property",
        (&o.properties, &n.properties),
        |p| &p.name,
        |p| {
            let since = since_note(&p.since, &n.since);
            format!("`{}: {}`, privilege {}{since}", p.name, ty(&p.ty), privilege(&p.privilege))
        },
        |a, b| mo_property_changes(a, b, (&o.since, &n.since)),
    );
    members(&mut out, "method", (&o.methods, &n.methods), |m| &m.name, describe_method, method_changes);
    out
}

fn do_property_changes(o: &DoProperty, n: &DoProperty, owners: (&str, &str)) -> Vec<String> {
    let mut out = field_changes(&o.ty, &n.ty);
    member_since(&mut out, (&o.since, &n.since), owners);
    out
}

fn do_changes(o: &DataObject, n: &DataObject) -> Vec<String> {
    let mut out = Vec::new();
    type_header(&mut out, &o.wsdl_name, &n.wsdl_name, &o.base, &n.base, &o.since, &n.since);
    if o.is_fault != n.is_fault {
        out.push(if n.is_fault { "now a fault".to_string() } else { "no longer a fault".to_string() });
    }
    if o.deprecated != n.deprecated {
        out.push(if n.deprecated { "deprecated".to_string() } else { "no longer deprecated".to_string() });
    }
    members(
        &mut out,
        "field",
        (&o.properties, &n.properties),
        |p| &p.name,
        |p| format!("`{}: {}`{}", p.name, ty(&p.ty), since_note(&p.since, &n.since)),
        |a, b| do_property_changes(a, b, (&o.since, &n.since)),
    );
    order(&mut out, "field", &o.properties, &n.properties, |p| &p.name);
    out
}

fn enum_changes(o: &Enum, n: &Enum) -> Vec<String> {
    let mut out = Vec::new();
    changed(&mut out, "wire name", &o.wsdl_name, &n.wsdl_name);
    changed(&mut out, "since", &o.since, &n.since);
    members(&mut out, "value", (&o.values, &n.values), |v| v.as_str(), |v| format!("`{v}`"), |_, _| Vec::new());
    order(&mut out, "value", &o.values, &n.values, |v| v.as_str());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::named::{self, DataObject, DoProperty, ManagedObject, Method, MoProperty, Param, Return};
    use crate::ir::{Version, FORMAT};

    /// The test models are written with names, as the merge builds them, and resolved.
    fn resolved(m: named::Model) -> Model {
        let (m, bad) = m.resolve();
        assert!(bad.is_empty(), "{bad:?}");
        m
    }

    fn param(name: &str, ty: &str, array: bool, optional: bool) -> Param {
        Param { name: name.into(), ty: named::Ty { elem: ty.into(), array, optional }, since: None }
    }

    fn method(name: &str, params: Vec<Param>, returns: Option<&str>, faults: &[&str], privilege: Option<&str>) -> Method {
        Method {
            name: name.into(),
            wsdl_name: name.into(),
            since: "vim.version.version1".into(),
            privilege: privilege.map(String::from),
            params,
            returns: returns.map(|t| Return { ty: named::Ty { elem: t.into(), array: false, optional: false } }),
            faults: faults.iter().map(|f| f.to_string()).collect(),
            documented_faults: Vec::new(),
            deprecated: None,
            description: String::new(),
        }
    }

    fn mo(name: &str, properties: Vec<MoProperty>, methods: Vec<Method>) -> ManagedObject {
        ManagedObject {
            name: format!("vim.{name}"),
            wsdl_name: name.into(),
            base: None,
            since: "vim.version.version1".into(),
            deprecated: false,
            description: String::new(),
            properties,
            methods,
        }
    }

    fn mo_prop(name: &str, ty: &str, privilege: Option<&str>) -> MoProperty {
        MoProperty {
            name: name.into(),
            ty: named::Ty { elem: ty.into(), array: false, optional: true },
            privilege: privilege.map(String::from),
            description: String::new(),
            since: None,
        }
    }

    fn data(name: &str, fields: &[(&str, &str, bool, bool)]) -> DataObject {
        DataObject {
            name: format!("vim.{name}"),
            wsdl_name: name.into(),
            base: Some("vmodl.DynamicData".into()),
            since: "vim.version.version1".into(),
            is_fault: false,
            deprecated: false,
            description: String::new(),
            properties: fields
                .iter()
                .map(|(n, t, a, o)| DoProperty {
                    name: n.to_string(),
                    ty: named::Ty { elem: t.to_string(), array: *a, optional: *o },
                    description: String::new(),
                    since: None,
                })
                .collect(),
        }
    }

    fn enumeration(name: &str, values: &[&str]) -> Enum {
        Enum {
            name: format!("vim.{name}"),
            wsdl_name: name.into(),
            since: "vim.version.version1".into(),
            description: String::new(),
            values: values.iter().map(|v| v.to_string()).collect(),
            value_docs: Vec::new(),
        }
    }

    fn version(id: &str, v: &str) -> Version {
        Version { id: id.into(), name: format!("vSphere API {v}"), namespace: format!("vim25/{v}"), version: v.into() }
    }

    fn old() -> Model {
        resolved(old_named())
    }

    fn new() -> Model {
        resolved(new_named())
    }

    fn old_named() -> named::Model {
        named::Model {
            format: FORMAT,
            api_version: Some("6.7.1".into()),
            versions: vec![version("vim.version.v6_7_1", "6.7.1")],
            managed_objects: vec![
                mo("Datastore", vec![], vec![]),
                mo("Gone", vec![], vec![]),
                mo(
                    "HostSystem",
                    vec![mo_prop("name", "string", Some("System.View")), mo_prop("old", "int", None)],
                    vec![
                        method(
                            "Reboot",
                            vec![param("force", "bool", false, false)],
                            Some("vim.Task"),
                            &["vim.fault.InvalidState"],
                            Some("Host.Config.Maintenance"),
                        ),
                        method("Same", vec![], None, &[], None),
                    ],
                ),
                mo("Task", vec![], vec![]),
            ],
            data_objects: vec![data("Info", &[("a", "string", false, false), ("b", "int", true, true)])],
            enums: vec![enumeration("Power", &["on", "off"])],
        }
    }

    fn new_named() -> named::Model {
        let mut m = old_named();
        m.api_version = Some("7.0.2".into());
        m.versions.push(version("vim.version.v7_0_2", "7.0.2"));
        m.managed_objects.remove(1);
        let host = &mut m.managed_objects[1];
        host.properties[0].privilege = Some("System.Read".into());
        host.properties.remove(1);
        host.properties.push(mo_prop("fresh", "vim.Datastore", None));
        let reboot = &mut host.methods[0];
        reboot.params[0].ty.optional = true;
        reboot.params.push(param("reason", "string", false, true));
        reboot.returns = None;
        reboot.faults = vec!["vim.fault.NotSupported".into()];
        reboot.privilege = Some("Host.Config.Power".into());
        reboot.since = "vim.version.v7_0_2".into();
        host.methods.push(method("Added", vec![param("x", "long", true, false)], Some("string"), &[], Some("System.Read")));
        host.methods.sort_by(|a, b| a.name.cmp(&b.name));
        m.managed_objects.push(mo("Zeta", vec![], vec![method("Go", vec![], None, &[], None)]));
        m.data_objects[0].properties.swap(0, 1);
        m.data_objects[0].properties[0].ty.elem = "long".into();
        m.data_objects.push(data("Extra", &[("z", "bool", false, false)]));
        m.data_objects.sort_by(|a, b| a.name.cmp(&b.name));
        m.enums[0].values = vec!["on".into(), "off".into(), "standby".into()];
        m.enums.push(enumeration("Mode", &["x"]));
        m.enums.sort_by(|a, b| a.name.cmp(&b.name));
        m
    }

    #[test]
    fn every_kind_of_change_is_reported() {
        let d = diff(&old(), &new());
        assert_eq!(d.api_version, Some(("6.7.1".into(), "7.0.2".into())));
        assert_eq!(d.versions_added, ["vim.version.v7_0_2"]);
        assert!(d.versions_removed.is_empty());

        assert_eq!(d.managed_objects.added.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["vim.Zeta"]);
        assert_eq!(d.managed_objects.removed.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["vim.Gone"]);
        let (name, host) = &d.managed_objects.changed[0];
        assert_eq!(name, "vim.HostSystem");
        assert_eq!(
            host,
            &[
                "property added: `fresh: vim.Datastore?`, privilege none",
                "property removed: `old: int?`, privilege none",
                "property `name`: privilege: `System.View` → `System.Read`",
                "method added: `Added` `Added(x: long[]) -> string`, since `vim.version.version1`, privilege `System.Read`",
                "method `Reboot`: since: `vim.version.version1` → `vim.version.v7_0_2`",
                "method `Reboot`: privilege: `Host.Config.Maintenance` → `Host.Config.Power`",
                "method `Reboot`: parameter added: `reason: string?`",
                "method `Reboot`: parameter `force`: type: `bool` → `bool?`",
                "method `Reboot`: returns: `vim.Task` → `void`",
                "method `Reboot`: fault added: `vim.fault.NotSupported`",
                "method `Reboot`: fault removed: `vim.fault.InvalidState`",
            ]
            .map(String::from)
        );
        assert_eq!(d.managed_objects.changed.len(), 1, "`Same` and the rest are unchanged");

        assert_eq!(d.data_objects.added.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["vim.Extra"]);
        assert_eq!(
            d.data_objects.changed,
            [("vim.Info".to_string(), vec!["field `b`: type: `int[]?` → `long[]?`".to_string(), "field order: a, b → b, a".to_string()])]
        );
        assert_eq!(d.enums.added.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["vim.Mode"]);
        assert_eq!(d.enums.changed, [("vim.Power".to_string(), vec!["value added: `standby`".to_string()])]);
    }

    /// Members' since-versions: a member without its own has its owner's, so only a real
    /// difference shows; added members name theirs when it is not their owner's.
    #[test]
    fn since_versions_of_properties_fields_and_parameters() {
        let (v1, v7) = ("vim.version.version1".to_string(), "vim.version.v7_0_2".to_string());
        let mut old = old_named();
        let host = old.managed_objects.iter_mut().find(|m| m.wsdl_name == "HostSystem").unwrap();
        host.properties[1].since = Some(v1.clone()); // `old`: stated, the owner's
        host.methods[0].params[0].since = Some(v1.clone()); // `force`: stated, the method's
        old.data_objects[0].properties[0].since = Some(v1.clone());
        let mut new = old.clone();
        let host = new.managed_objects.iter_mut().find(|m| m.wsdl_name == "HostSystem").unwrap();
        host.properties[0].since = Some(v7.clone()); // `name`: unstated (version1) → 7.0.2
        host.properties[1].since = None; // `old`: version1 either way
        host.properties.push(MoProperty { since: Some(v7.clone()), ..mo_prop("fresh", "string", None) });
        host.methods[0].params[0].since = Some(v7.clone());
        host.methods[0].params.push(Param { since: Some(v7.clone()), ..param("reason", "string", false, true) });
        host.methods[1].params.push(param("plain", "int", false, true)); // no version stated: none shown
        new.data_objects[0].properties[0].since = Some(v7.clone());
        let c = DoProperty { name: "c".into(), since: Some(v1.clone()), ..new.data_objects[0].properties[1].clone() };
        new.data_objects[0].properties.push(c); // stated, the type's: none shown
        let d = diff(&resolved(old), &resolved(new));
        assert_eq!(
            d.managed_objects.changed,
            [(
                "vim.HostSystem".to_string(),
                [
                    "property added: `fresh: string?`, privilege none, since `vim.version.v7_0_2`",
                    "property `name`: since: `vim.version.version1` → `vim.version.v7_0_2`",
                    "method `Reboot`: parameter added: `reason: string?`, since `vim.version.v7_0_2`",
                    "method `Reboot`: parameter `force`: since: `vim.version.version1` → `vim.version.v7_0_2`",
                    "method `Same`: parameter added: `plain: int?`",
                ]
                .map(String::from)
                .to_vec()
            )]
        );
        assert_eq!(
            d.data_objects.changed,
            [(
                "vim.Info".to_string(),
                vec!["field added: `c: int[]?`".to_string(), "field `a`: since: `vim.version.version1` → `vim.version.v7_0_2`".to_string()]
            )]
        );
        // An owner's change is the owner's alone when no member states its own version.
        let (mut a, mut b) = (old_named(), old_named());
        a.managed_objects[2].since = v1;
        b.managed_objects[2].since = v7;
        assert_eq!(diff(&resolved(a), &resolved(b)).managed_objects.changed[0].1, ["since: `vim.version.version1` → `vim.version.v7_0_2`"]);
    }

    #[test]
    fn the_reverse_diff_mirrors_it() {
        let d = diff(&new(), &old());
        assert_eq!(d.api_version, Some(("7.0.2".into(), "6.7.1".into())));
        assert_eq!(d.versions_removed, ["vim.version.v7_0_2"]);
        assert_eq!(d.managed_objects.added.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["vim.Gone"]);
        assert_eq!(d.managed_objects.removed.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["vim.Zeta"]);
        assert_eq!(d.enums.changed, [("vim.Power".to_string(), vec!["value removed: `standby`".to_string()])]);
    }

    #[test]
    fn equal_irs_have_no_diff() {
        let d = diff(&old(), &old());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.to_markdown("a → a"), "# API diff: a → a\n\nNo differences.\n");
    }

    #[test]
    fn markdown_is_stable_and_complete() {
        let d = diff(&old(), &new());
        let md = d.to_markdown("6.7u1 → 7.0u2");
        assert_eq!(md, diff(&old(), &new()).to_markdown("6.7u1 → 7.0u2"), "deterministic");
        assert!(
            md.starts_with("# API diff: 6.7u1 → 7.0u2\n\nAPI version: `6.7.1` → `7.0.2`.\n\nVersions added: `vim.version.v7_0_2`.\n"),
            "{md}"
        );
        assert!(md.contains("| managed objects | 1 | 1 | 1 |\n| data objects | 1 | 0 | 1 |\n| enums | 1 | 0 | 1 |\n"), "{md}");
        assert!(
            md.contains("### Added (1)\n\n- `vim.Zeta` (`Zeta`), since `vim.version.version1`, extends nothing: 1 methods, 0 properties\n"),
            "{md}"
        );
        assert!(md.contains("#### `vim.HostSystem`\n\n- property added:"), "{md}");
        assert!(md.contains("- `vim.Mode` (`Mode`), since `vim.version.version1`: `x`\n"), "{md}");
        // Sections in a fixed order.
        let (a, b, c) = (md.find("## Managed objects").unwrap(), md.find("## Data objects").unwrap(), md.find("## Enums").unwrap());
        assert!(a < b && b < c);
    }

    /// The project's spec/ through its JSON form and back: the same model, no diff.
    #[test]
    fn the_spec_reads_back_from_json() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let model = crate::load(&crate::SpecPaths::in_folder(&spec)).model;
        assert!(model.managed_objects.len() > 10, "{} managed objects", model.managed_objects.len());
        let back = Model::from_json(&model.to_json()).expect("reads");
        assert_eq!(back, model);
        assert!(diff(&model, &back).is_empty());
        // And a real change shows: a method gone from one managed object.
        let mut fewer = model.clone();
        let mo = fewer.managed_objects.iter_mut().find(|m| !m.methods.is_empty()).expect("a managed object with methods");
        let gone = mo.methods.remove(0);
        let d = diff(&model, &fewer);
        assert_eq!(d.managed_objects.changed.len(), 1);
        assert!(d.managed_objects.changed[0].1[0].starts_with(&format!("method removed: `{}`", gone.name)), "{d:?}");
    }

    #[test]
    fn the_json_form_reads_back() {
        let m = new();
        let back = Model::from_json(&m.to_json()).expect("reads");
        assert_eq!(back, m);
        assert!(diff(&m, &back).is_empty());
        let err = Model::from_json(&m.to_json().replace(FORMAT, "vimgen-ir/9")).unwrap_err();
        assert!(err.contains("vimgen-ir/9"), "{err}");
        assert!(Model::from_json("{").is_err());
        // Only the format's required fields: the extras default.
        let minimal = r#"{"format": "vimgen-ir/1", "managed_objects": [], "data_objects": [],
            "enums": [{"name": "vim.E", "wsdl_name": "E", "values": ["a"]}]}"#;
        let m = Model::from_json(minimal).expect("minimal");
        assert_eq!(m.enums[0].values, ["a"]);
    }
}

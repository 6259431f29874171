//! Call statements -> [`Registry`]: checks every call's argument shapes (the same in the
//! 6.x and the `_typeinfo_*` layouts) and turns them into the model. A call or member of
//! the wrong shape is a diagnostic at its position and is dropped; the rest is kept.

use std::collections::BTreeMap;

use super::model::*;
use super::syntax::{Call, Node, Value};
use crate::diag::{Diagnostic, Diagnostics, Kind, Span};

type R<T> = Result<T, Diagnostic>;

fn bad(node: &Node, wanted: &str) -> Diagnostic {
    let found = match &node.value {
        Value::Str(_) => "a string",
        Value::Int(_) => "a number",
        Value::None => "`None`",
        Value::Bool(_) => "a boolean",
        Value::Name(_) => "a name",
        Value::Or(_) => "a `|` expression",
        Value::Tuple(_) => "a tuple",
        Value::List(_) => "a list",
    };
    Diagnostic::new(Kind::PyBadArgs, format!("expected {wanted}, found {found}")).at(node.span).label(format!("expected {wanted}"))
}

fn string(node: &Node, what: &str) -> R<String> {
    match &node.value {
        Value::Str(s) => Ok(s.clone()),
        _ => Err(bad(node, &format!("{what} (a string)"))),
    }
}

/// A string or `None`.
fn opt_string(node: &Node, what: &str) -> R<Option<String>> {
    match &node.value {
        Value::Str(s) => Ok(Some(s.clone())),
        Value::None => Ok(None),
        _ => Err(bad(node, &format!("{what} (a string or None)"))),
    }
}

/// A tuple or list; `None` is an empty one (pyVmomi writes empty lists as `None`).
fn items<'a>(node: &'a Node, what: &str) -> R<&'a [Node]> {
    match &node.value {
        Value::Tuple(v) | Value::List(v) => Ok(v),
        Value::None => Ok(&[]),
        _ => Err(bad(node, &format!("{what} (a tuple, list or None)"))),
    }
}

/// A tuple or list of exactly `n` items (`alt`: another accepted length).
fn fixed<'a>(node: &'a Node, n: usize, alt: usize, what: &str) -> R<&'a [Node]> {
    match &node.value {
        Value::Tuple(v) | Value::List(v) if v.len() == n || v.len() == alt => Ok(v),
        Value::Tuple(v) | Value::List(v) => {
            Err(Diagnostic::new(Kind::PyBadArgs, format!("{what} has {} items, expected {n}", v.len())).at(node.span))
        }
        _ => Err(bad(node, &format!("{what} (a tuple of {n})"))),
    }
}

/// `0`, `F_X` or `F_X | F_Y | ...`.
fn flags(node: &Node) -> R<Flags> {
    let mut f = Flags::default();
    let ops = match &node.value {
        Value::Or(ops) => ops.as_slice(),
        _ => std::slice::from_ref(node),
    };
    for op in ops {
        match &op.value {
            Value::Int(0) => {}
            Value::Name(n) => match n.as_str() {
                "F_OPTIONAL" => f.optional = true,
                "F_LINK" => f.link = true,
                "F_LINKABLE" => f.linkable = true,
                "F_SECRET" => f.secret = true,
                _ => {
                    return Err(Diagnostic::new(Kind::PyUnknownFlag, format!("unknown flag `{n}`"))
                        .at(op.span)
                        .note("known flags: F_OPTIONAL, F_LINK, F_LINKABLE, F_SECRET"))
                }
            },
            _ => return Err(bad(op, "flags (`0` or `F_...` names joined by `|`)")),
        }
    }
    Ok(f)
}

/// `(name, type, since, flags[, privilege])`: a property or a parameter.
fn member(node: &Node, what: &str) -> R<Member> {
    let t = fixed(node, 5, 4, what)?;
    Ok(Member {
        name: string(&t[0], "a name")?,
        ty: string(&t[1], "a type")?,
        since: string(&t[2], "a version")?,
        flags: flags(&t[3])?,
        privilege: match t.get(4) {
            Some(p) => opt_string(p, "a privilege")?,
            None => None,
        },
        span: node.span,
    })
}

/// Members of a list; a bad one is reported and dropped.
fn members(node: &Node, what: &str, diags: &mut Diagnostics) -> R<Vec<Member>> {
    let mut out = Vec::new();
    for m in items(node, &format!("{what}s"))? {
        match member(m, what) {
            Ok(m) => out.push(m),
            Err(d) => diags.push(d),
        }
    }
    Ok(out)
}

/// `(name, wsdl_name, since, params, (flags, type, result), privilege, faults)`.
fn method(node: &Node, diags: &mut Diagnostics) -> R<Method> {
    let t = fixed(node, 7, 7, "a method")?;
    let r = fixed(&t[4], 3, 3, "a method's return")?;
    let faults = items(&t[6], "faults")?.iter().map(|f| string(f, "a fault name")).collect::<R<Vec<_>>>()?;
    Ok(Method {
        name: string(&t[0], "a method name")?,
        wsdl_name: string(&t[1], "a wire name")?,
        since: string(&t[2], "a version")?,
        params: members(&t[3], "parameter", diags)?,
        returns: Returns { flags: flags(&r[0])?, ty: string(&r[1], "a type")?, result: string(&r[2], "a type")?, span: t[4].span },
        privilege: opt_string(&t[5], "a privilege")?,
        faults,
        span: node.span,
    })
}

fn arity(call: &Call, n: usize) -> R<&[Node]> {
    if call.args.len() == n {
        return Ok(&call.args);
    }
    Err(Diagnostic::new(Kind::PyBadArgs, format!("`{}` takes {n} arguments, found {}", call.func, call.args.len())).at(call.span))
}

/// Adds one call's definition to the registry being built.
pub(super) struct Builder {
    pub reg: Registry,
    /// `AddVersionParent` edges seen before their version's `AddVersion` (kept, attached at
    /// the end, so file order does not matter).
    edges: Vec<(String, String, Span)>,
    /// `<set>Versions.Add(v)` calls, attached at the end for the same reason.
    tags: Vec<(String, String, Span)>,
}

impl Builder {
    pub fn new(layout: Layout) -> Builder {
        Builder { reg: Registry { layout, ..Registry::default() }, edges: Vec::new(), tags: Vec::new() }
    }

    pub fn call(&mut self, call: &Call, diags: &mut Diagnostics) {
        if let Err(d) = self.try_call(call, diags) {
            diags.push(d);
        }
    }

    fn try_call(&mut self, call: &Call, diags: &mut Diagnostics) -> R<()> {
        match call.func.as_str() {
            "AddVersion" => self.version(call),
            "AddVersionParent" => {
                let a = arity(call, 2)?;
                self.edges.push((string(&a[0], "a version")?, string(&a[1], "a version")?, call.span));
                Ok(())
            }
            "CreateManagedType" => {
                let a = arity(call, 6)?;
                let mut methods = Vec::new();
                for m in items(&a[5], "methods")? {
                    match method(m, diags) {
                        Ok(m) => methods.push(m),
                        Err(d) => diags.push(d),
                    }
                }
                let (name, wsdl_name, base, since) = head(a)?;
                let t =
                    ManagedType { name, wsdl_name, base, since, properties: members(&a[4], "property", diags)?, methods, span: call.span };
                insert(&mut self.reg.managed, t.name.clone(), t, call, diags);
                Ok(())
            }
            "CreateDataType" => {
                let a = arity(call, 5)?;
                let (name, wsdl_name, base, since) = head(a)?;
                let t = DataType { name, wsdl_name, base, since, properties: members(&a[4], "property", diags)?, span: call.span };
                insert(&mut self.reg.data, t.name.clone(), t, call, diags);
                Ok(())
            }
            "CreateEnumType" => {
                let a = arity(call, 4)?;
                let values = items(&a[3], "values")?.iter().map(|v| string(v, "an enum value")).collect::<R<Vec<_>>>()?;
                let t = EnumType {
                    name: string(&a[0], "a type name")?,
                    wsdl_name: string(&a[1], "a wire name")?,
                    since: string(&a[2], "a version")?,
                    values,
                    span: call.span,
                };
                insert(&mut self.reg.enums, t.name.clone(), t, call, diags);
                Ok(())
            }
            f if f.ends_with("Versions.Add") => {
                let a = arity(call, 1)?;
                let tag = f.trim_end_matches("Versions.Add").to_string();
                self.tags.push((string(&a[0], "a version")?, tag, a[0].span));
                Ok(())
            }
            _ => {
                diags.push(
                    Diagnostic::new(Kind::PyUnknownCall, format!("`{}` is not a registry call; ignored", call.func))
                        .at(call.func_span)
                        .note("read: AddVersion, AddVersionParent, CreateManagedType, CreateDataType, CreateEnumType, <set>Versions.Add"),
                );
                Ok(())
            }
        }
    }

    /// `AddVersion(name, namespace, version_id, is_legacy, service_namespace)`. Like pyVmomi,
    /// the first declaration of a name wins; the files repeat shared versions (a different
    /// `is_legacy` among them is normal), so only a different namespace or id is reported.
    fn version(&mut self, call: &Call) -> R<()> {
        let a = arity(call, 5)?;
        let legacy = match a[3].value {
            Value::Int(n) => n != 0,
            Value::Bool(b) => b,
            _ => return Err(bad(&a[3], "is_legacy (a number)")),
        };
        let v = Version {
            name: string(&a[0], "a version name")?,
            namespace: string(&a[1], "a namespace")?,
            version_id: string(&a[2], "a version id")?,
            legacy,
            service_namespace: string(&a[4], "a service namespace")?,
            parents: Default::default(),
            tags: Default::default(),
            span: call.span,
        };
        match self.reg.versions.get(&v.name) {
            Some(first) if first.namespace != v.namespace || first.version_id != v.version_id => Err(Diagnostic::new(
                Kind::PyDuplicateVersion,
                format!(
                    "version `{}` declared again as {}/{} (first: {}/{})",
                    v.name, v.namespace, v.version_id, first.namespace, first.version_id
                ),
            )
            .at(call.span)),
            Some(_) => Ok(()),
            None => {
                self.reg.versions.insert(v.name.clone(), v);
                Ok(())
            }
        }
    }

    /// Attaches the parent edges and checks that every since-version is declared.
    pub fn finish(mut self, diags: &mut Diagnostics) -> Registry {
        for (v, parent, span) in std::mem::take(&mut self.edges) {
            if !self.reg.versions.contains_key(&parent) {
                diags.push(unknown_version(&parent, span));
            }
            match self.reg.versions.get_mut(&v) {
                Some(ver) => {
                    ver.parents.insert(parent);
                }
                None => diags.push(unknown_version(&v, span)),
            }
        }
        for (v, tag, span) in std::mem::take(&mut self.tags) {
            match self.reg.versions.get_mut(&v) {
                Some(ver) => {
                    ver.tags.insert(tag);
                }
                None => diags.push(unknown_version(&v, span)),
            }
        }
        check_versions(&self.reg, diags);
        check_types(&self.reg, diags);
        self.reg
    }
}

/// The first four arguments of `CreateManagedType`/`CreateDataType`.
fn head(a: &[Node]) -> R<(String, String, String, String)> {
    Ok((string(&a[0], "a type name")?, string(&a[1], "a wire name")?, string(&a[2], "a base type")?, string(&a[3], "a version")?))
}

/// First definition wins (pyVmomi freezes names the same way for its last file).
fn insert<T>(map: &mut BTreeMap<String, T>, name: String, t: T, call: &Call, diags: &mut Diagnostics) {
    if map.contains_key(&name) {
        diags
            .push(Diagnostic::new(Kind::PyDuplicateType, format!("`{name}` is defined again; the first definition is kept")).at(call.span));
        return;
    }
    map.insert(name, t);
}

fn unknown_version(v: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Kind::PyUnknownVersion, format!("version `{v}` is not declared by any AddVersion")).at(span)
}

/// Every since-version of a type, member, method and parameter names a declared version:
/// otherwise [`Registry::filter`] would silently drop it from every version.
fn check_versions(reg: &Registry, diags: &mut Diagnostics) {
    let mut check = |v: &str, span: Span| {
        if !reg.versions.contains_key(v) {
            diags.push(unknown_version(v, span));
        }
    };
    for t in reg.managed.values() {
        check(&t.since, t.span);
        for p in &t.properties {
            check(&p.since, p.span);
        }
        for m in &t.methods {
            check(&m.since, m.span);
            for p in &m.params {
                check(&p.since, p.span);
            }
        }
    }
    for t in reg.data.values() {
        check(&t.since, t.span);
        for p in &t.properties {
            check(&p.since, p.span);
        }
    }
    for t in reg.enums.values() {
        check(&t.since, t.span);
    }
}

/// The types the registry uses without defining them: pyVmomi's built-ins (every release from
/// 6.0.0 to 9.1.1.0 refers to exactly these and the types it defines).
pub const BUILTIN_TYPES: [&str; 19] = [
    "anyType",
    "boolean",
    "byte",
    "double",
    "float",
    "int",
    "long",
    "short",
    "string",
    "void",
    "vmodl.Binary",
    "vmodl.DataObject",
    "vmodl.DateTime",
    "vmodl.ManagedObject",
    "vmodl.MethodFault",
    "vmodl.MethodName",
    "vmodl.PropertyPath",
    "vmodl.RuntimeFault",
    "vmodl.TypeName",
];

/// Every type named (base, member, return, fault; arrays by their element) is defined or
/// built in: a misspelt name would otherwise reach the merge as an unknown type.
fn check_types(reg: &Registry, diags: &mut Diagnostics) {
    let mut check = |ty: &str, span: Span| {
        let (elem, _) = element_type(ty);
        let known =
            reg.data.contains_key(elem) || reg.managed.contains_key(elem) || reg.enums.contains_key(elem) || BUILTIN_TYPES.contains(&elem);
        if !known {
            diags.push(
                Diagnostic::new(Kind::PyUnknownType, format!("type `{elem}` is neither defined by the registry nor built in")).at(span),
            );
        }
    };
    for t in reg.managed.values() {
        check(&t.base, t.span);
        for p in &t.properties {
            check(&p.ty, p.span);
        }
        for m in &t.methods {
            m.params.iter().for_each(|p| check(&p.ty, p.span));
            check(&m.returns.ty, m.returns.span);
            check(&m.returns.result, m.returns.span);
            m.faults.iter().for_each(|f| check(f, m.span));
        }
    }
    for t in reg.data.values() {
        check(&t.base, t.span);
        t.properties.iter().for_each(|p| check(&p.ty, p.span));
    }
}

//! A reader for pyVmomi's generated type tables (`_typeinfo_vim.py`, `_typeinfo_core.py`,
//! `_typeinfo_query.py`): the `CreateManagedType`, `CreateDataType`, `CreateEnumType` and
//! `AddVersionParent` calls, whose arguments are Python literals (strings, ints, `None`,
//! flag names joined by `|`, tuples and lists).
//!
//! The shapes, as pyVmomi 9.1 writes them:
//!
//! ```text
//! CreateManagedType(name, wsdlName, base, version, [prop...] | None, [method...] | None)
//!   prop   = (name, type, version, flags, privilege | None)
//!   method = (name, wsdlName, version, (param...), (flags, type, taskResultType), privilege | None, [fault...] | None)
//!   param  = (name, type, version, flags, privilege | None)
//! CreateDataType(name, wsdlName, base, version, [(name, type, version, flags)...] | None)
//! CreateEnumType(name, wsdlName, version, [value...])
//! AddVersionParent(version, parent)
//! ```
//!
//! Types are pyVmomi spellings (`boolean`, `vmodl.DateTime`, `vim.UserSession[]`);
//! [`ir_type`] turns them into the IR's (`bool`, `datetime`, element type + array flag).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A Python literal as the type tables use them.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    /// `None`, `F_OPTIONAL`, `True`, ...
    Name(String),
    /// `F_OPTIONAL | F_SECRET`.
    Or(Vec<Value>),
    /// A tuple or a list.
    Seq(Vec<Value>),
}

impl Value {
    pub fn is_none(&self) -> bool {
        matches!(self, Value::Name(n) if n == "None")
    }
    fn str(&self, what: &str) -> Result<String, String> {
        match self {
            Value::Str(s) => Ok(s.clone()),
            other => Err(format!("{what}: expected a string, found {other:?}")),
        }
    }
    fn opt_str(&self, what: &str) -> Result<Option<String>, String> {
        if self.is_none() {
            Ok(None)
        } else {
            self.str(what).map(Some)
        }
    }
    /// A list, or `None` as an empty list.
    fn seq(&self, what: &str) -> Result<&[Value], String> {
        match self {
            Value::Seq(v) => Ok(v),
            v if v.is_none() => Ok(&[]),
            other => Err(format!("{what}: expected a tuple or list, found {other:?}")),
        }
    }
    /// The flag names of a flags value (`0`, `F_OPTIONAL`, `F_OPTIONAL | F_SECRET`).
    fn flags(&self, what: &str) -> Result<BTreeSet<String>, String> {
        match self {
            Value::Int(0) => Ok(BTreeSet::new()),
            Value::Name(n) => Ok([n.clone()].into()),
            Value::Or(v) => v.iter().map(|x| x.flags(what)).try_fold(BTreeSet::new(), |mut acc, s| {
                acc.extend(s?);
                Ok(acc)
            }),
            other => Err(format!("{what}: expected flags, found {other:?}")),
        }
    }
}

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn skip_ws(&mut self) {
        while self.pos < self.s.len() {
            match self.s[self.pos] {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'#' => {
                    while self.pos < self.s.len() && self.s[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }
    /// One value, including `a | b` chains.
    fn value(&mut self) -> Result<Value, String> {
        let first = self.atom()?;
        if self.peek() != Some(b'|') {
            return Ok(first);
        }
        let mut all = vec![first];
        while self.peek() == Some(b'|') {
            self.pos += 1;
            all.push(self.atom()?);
        }
        Ok(Value::Or(all))
    }
    fn atom(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                self.pos += 1;
                let mut out = Vec::new();
                loop {
                    let Some(&c) = self.s.get(self.pos) else { return Err("unterminated string".into()) };
                    self.pos += 1;
                    if c == q {
                        break;
                    }
                    if c == b'\\' {
                        let Some(&e) = self.s.get(self.pos) else { return Err("unterminated string".into()) };
                        self.pos += 1;
                        out.push(match e {
                            b'n' => b'\n',
                            b't' => b'\t',
                            other => other,
                        });
                    } else {
                        out.push(c);
                    }
                }
                String::from_utf8(out).map(Value::Str).map_err(|e| e.to_string())
            }
            Some(open @ (b'(' | b'[')) => {
                let close = if open == b'(' { b')' } else { b']' };
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.value()?);
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(c) if c == close => {}
                        other => {
                            return Err(format!(
                                "at byte {}: expected `,` or `{}`, found {:?}",
                                self.pos,
                                close as char,
                                other.map(|b| b as char)
                            ))
                        }
                    }
                }
                Ok(Value::Seq(items))
            }
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while self.s.get(self.pos).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.pos]).unwrap();
                t.parse().map(Value::Int).map_err(|e| format!("bad number {t}: {e}"))
            }
            Some(c) if c == b'_' || c.is_ascii_alphabetic() => {
                let start = self.pos;
                while self.s.get(self.pos).is_some_and(|c| *c == b'_' || *c == b'.' || c.is_ascii_alphanumeric()) {
                    self.pos += 1;
                }
                Ok(Value::Name(std::str::from_utf8(&self.s[start..self.pos]).unwrap().to_string()))
            }
            other => Err(format!("at byte {}: unexpected {:?}", self.pos, other.map(|b| b as char))),
        }
    }
}

/// Every top-level call `name(args...)` of the functions in `wanted`, at the start of a line,
/// with its arguments parsed. Other lines are skipped.
pub fn calls(text: &str, wanted: &[&str]) -> Result<Vec<(String, Vec<Value>)>, String> {
    let mut out = Vec::new();
    let mut line_start = 0;
    while line_start < text.len() {
        let rest = &text[line_start..];
        let found = wanted.iter().find(|w| rest.starts_with(**w) && rest[w.len()..].starts_with('('));
        let mut next = line_start + rest.find('\n').map_or(rest.len(), |i| i + 1);
        if let Some(w) = found {
            let mut lx = Lexer { s: text.as_bytes(), pos: line_start + w.len() };
            let line_no = text[..line_start].matches('\n').count() + 1;
            let args = match lx.value().map_err(|e| format!("line {line_no}: {w}: {e}"))? {
                Value::Seq(v) => v,
                _ => unreachable!("a call's arguments are a parenthesised sequence"),
            };
            out.push((w.to_string(), args));
            // A call may span lines: continue after it.
            next = next.max(lx.pos);
            while next < text.len() && text.as_bytes()[next - 1] != b'\n' {
                next += 1;
            }
        }
        line_start = next;
    }
    Ok(out)
}

#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    /// pyVmomi spelling, `[]` for arrays.
    pub ty: String,
    pub version: String,
    pub flags: BTreeSet<String>,
    /// Managed-object properties and method parameters only.
    pub privilege: Option<String>,
}

impl Member {
    pub fn optional(&self) -> bool {
        self.flags.contains("F_OPTIONAL")
    }
}

#[derive(Clone, Debug)]
pub struct MethodInfo {
    pub name: String,
    pub wsdl_name: String,
    pub version: String,
    pub params: Vec<Member>,
    pub result_flags: BTreeSet<String>,
    /// `void`, or the type (for a task method `vim.Task`).
    pub result: String,
    /// For a task method, the type of the task's result.
    pub task_result: String,
    pub privilege: Option<String>,
    pub faults: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ManagedType {
    pub name: String,
    pub wsdl_name: String,
    pub base: String,
    pub version: String,
    pub properties: Vec<Member>,
    pub methods: Vec<MethodInfo>,
    pub file: String,
}

#[derive(Clone, Debug)]
pub struct DataType {
    pub name: String,
    pub wsdl_name: String,
    pub base: String,
    pub version: String,
    pub properties: Vec<Member>,
    pub file: String,
}

#[derive(Clone, Debug)]
pub struct EnumType {
    pub name: String,
    pub wsdl_name: String,
    pub version: String,
    pub values: Vec<String>,
    pub file: String,
}

#[derive(Clone, Debug, Default)]
pub struct TypeTable {
    pub managed: BTreeMap<String, ManagedType>,
    pub data: BTreeMap<String, DataType>,
    pub enums: BTreeMap<String, EnumType>,
    /// version -> every version it includes (itself too), from `AddVersionParent`.
    pub version_parents: BTreeMap<String, BTreeSet<String>>,
}

fn arg<'v>(args: &'v [Value], i: usize, what: &str) -> Result<&'v Value, String> {
    args.get(i).ok_or_else(|| format!("{what}: missing argument {i}"))
}

fn member(v: &Value, what: &str, with_privilege: bool) -> Result<Member, String> {
    let t = v.seq(what)?;
    let name = arg(t, 0, what)?.str(what)?;
    let what = &format!("{what}.{name}");
    Ok(Member {
        ty: arg(t, 1, what)?.str(what)?,
        version: arg(t, 2, what)?.str(what)?,
        flags: arg(t, 3, what)?.flags(what)?,
        privilege: if with_privilege { arg(t, 4, what)?.opt_str(what)? } else { None },
        name,
    })
}

fn method(v: &Value, owner: &str) -> Result<MethodInfo, String> {
    let t = v.seq(owner)?;
    let name = arg(t, 0, owner)?.str(owner)?;
    let what = &format!("{owner}.{name}");
    let params = arg(t, 3, what)?.seq(what)?.iter().map(|p| member(p, what, true)).collect::<Result<Vec<_>, _>>()?;
    let res = arg(t, 4, what)?.seq(what)?;
    Ok(MethodInfo {
        wsdl_name: arg(t, 1, what)?.str(what)?,
        version: arg(t, 2, what)?.str(what)?,
        params,
        result_flags: arg(res, 0, what)?.flags(what)?,
        result: arg(res, 1, what)?.str(what)?,
        task_result: arg(res, 2, what)?.str(what)?,
        privilege: arg(t, 5, what)?.opt_str(what)?,
        faults: arg(t, 6, what)?.seq(what)?.iter().map(|f| f.str(what)).collect::<Result<_, _>>()?,
        name,
    })
}

impl TypeTable {
    /// Adds one `_typeinfo_*.py` file's declarations.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), String> {
        let wanted = ["CreateManagedType", "CreateDataType", "CreateEnumType", "AddVersionParent"];
        for (f, args) in calls(text, &wanted).map_err(|e| format!("{file}: {e}"))? {
            let what = format!("{file}: {f}");
            let name = arg(&args, 0, &what)?.str(&what)?;
            let what = format!("{what}({name})");
            match f.as_str() {
                "CreateManagedType" => {
                    let t = ManagedType {
                        wsdl_name: arg(&args, 1, &what)?.str(&what)?,
                        base: arg(&args, 2, &what)?.str(&what)?,
                        version: arg(&args, 3, &what)?.str(&what)?,
                        properties: arg(&args, 4, &what)?.seq(&what)?.iter().map(|p| member(p, &what, true)).collect::<Result<_, _>>()?,
                        methods: arg(&args, 5, &what)?.seq(&what)?.iter().map(|m| method(m, &what)).collect::<Result<_, _>>()?,
                        file: file.to_string(),
                        name: name.clone(),
                    };
                    self.managed.insert(name, t);
                }
                "CreateDataType" => {
                    let t = DataType {
                        wsdl_name: arg(&args, 1, &what)?.str(&what)?,
                        base: arg(&args, 2, &what)?.str(&what)?,
                        version: arg(&args, 3, &what)?.str(&what)?,
                        properties: arg(&args, 4, &what)?.seq(&what)?.iter().map(|p| member(p, &what, false)).collect::<Result<_, _>>()?,
                        file: file.to_string(),
                        name: name.clone(),
                    };
                    self.data.insert(name, t);
                }
                "CreateEnumType" => {
                    let t = EnumType {
                        wsdl_name: arg(&args, 1, &what)?.str(&what)?,
                        version: arg(&args, 2, &what)?.str(&what)?,
                        values: arg(&args, 3, &what)?.seq(&what)?.iter().map(|v| v.str(&what)).collect::<Result<_, _>>()?,
                        file: file.to_string(),
                        name: name.clone(),
                    };
                    self.enums.insert(name, t);
                }
                "AddVersionParent" => {
                    let parent = arg(&args, 1, &what)?.str(&what)?;
                    self.version_parents.entry(name).or_default().insert(parent);
                }
                _ => unreachable!(),
            }
        }
        Ok(())
    }

    /// Reads `_typeinfo_core.py`, `_typeinfo_query.py` and `_typeinfo_vim.py` from `dir`.
    pub fn read_dir(dir: &Path) -> Result<TypeTable, String> {
        let mut t = TypeTable::default();
        for f in ["_typeinfo_core.py", "_typeinfo_query.py", "_typeinfo_vim.py"] {
            let p = dir.join(f);
            let text = std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            t.add_file(f, &text)?;
        }
        Ok(t)
    }

    /// The versions `version` includes (itself and every parent), e.g. for
    /// `vim.version.version9` everything up to vSphere 5.5.
    pub fn versions_of(&self, version: &str) -> BTreeSet<String> {
        let mut s = self.version_parents.get(version).cloned().unwrap_or_default();
        s.insert(version.to_string());
        s
    }
}

/// pyVmomi's spelling of a type -> (IR element type, array).
pub fn ir_type(py: &str) -> (String, bool) {
    let (elem, array) = match py.strip_suffix("[]") {
        Some(e) => (e, true),
        None => (py, false),
    };
    let t = match elem {
        "boolean" => "bool",
        "vmodl.DateTime" => "datetime",
        "vmodl.Binary" => "binary",
        "vmodl.URI" => "anyURI",
        other => other,
    };
    (t.to_string(), array)
}

/// Where pyVmomi's type tables are: `$PYVMOMI_DIR`, else the project's `.venv`
/// (`.venv/lib/python3*/site-packages/pyVmomi`). `Err` says how to get them.
pub fn locate() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("PYVMOMI_DIR") {
        let d = PathBuf::from(d);
        if d.join("_typeinfo_vim.py").is_file() {
            return Ok(d);
        }
        return Err(format!("PYVMOMI_DIR={} does not hold _typeinfo_vim.py", d.display()));
    }
    let lib = crate::crate_dir().join("../.venv/lib");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&lib)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        .map(|e| e.path().join("site-packages/pyVmomi"))
        .filter(|p| p.join("_typeinfo_vim.py").is_file())
        .collect();
    found.sort();
    found.pop().ok_or_else(|| {
        format!(
            "pyVmomi's type tables were not found: set PYVMOMI_DIR to the folder holding _typeinfo_vim.py, \
             or run `cargo xtask test` (it installs pyvmomi==9.1.1.0 into {})",
            crate::crate_dir().join("../.venv").display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes() {
        let text = r#"from .VmomiSupport import F_OPTIONAL
AddVersionParent("vim.version.version9", "vim.version.version1")
CreateManagedType("vim.SessionManager", "SessionManager", "vmodl.ManagedObject", "vim.version.version1", [("sessionList", "vim.UserSession[]", "vim.version.version1", F_OPTIONAL, "Sessions.TerminateSession")], [("login", "Login", "vim.version.version1", (("userName", "string", "vim.version.version1", 0, None),("password", "string", "vim.version.version1", F_SECRET | F_OPTIONAL, None),), (0, "vim.UserSession", "vim.UserSession"), "System.Anonymous", ["vim.fault.InvalidLogin", "vim.fault.InvalidLocale", ]), ("logout", "Logout", "vim.version.version1", (), (0, "void", "void"), "System.View", None)])
CreateDataType("vmodl.fault.HostCommunication", "HostCommunication", "vmodl.RuntimeFault", "vmodl.version.version0", None)
CreateDataType("a.B", "B", "vmodl.DynamicData", "v1", [("x", "boolean", "v1", 0),
    ("y", "string[]", "v1", F_OPTIONAL)])
CreateEnumType("vim.E", "E", "v1", ["a", "b"])
"#;
        let mut t = TypeTable::default();
        t.add_file("x.py", text).unwrap();
        let sm = &t.managed["vim.SessionManager"];
        assert_eq!(sm.properties[0].privilege.as_deref(), Some("Sessions.TerminateSession"));
        assert!(sm.properties[0].optional());
        let login = &sm.methods[0];
        assert_eq!(login.wsdl_name, "Login");
        assert_eq!(login.params.len(), 2);
        assert!(login.params[1].optional() && !login.params[0].optional());
        assert_eq!(login.faults, ["vim.fault.InvalidLogin", "vim.fault.InvalidLocale"]);
        assert!(sm.methods[1].faults.is_empty() && sm.methods[1].result == "void");
        assert!(t.data["vmodl.fault.HostCommunication"].properties.is_empty());
        let b = &t.data["a.B"];
        assert_eq!(b.properties.len(), 2);
        assert_eq!(ir_type(&b.properties[1].ty), ("string".to_string(), true));
        assert_eq!(ir_type(&b.properties[0].ty), ("bool".to_string(), false));
        assert_eq!(t.enums["vim.E"].values, ["a", "b"]);
        assert!(t.versions_of("vim.version.version9").contains("vim.version.version1"));
    }
}

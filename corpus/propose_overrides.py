#!/usr/bin/env python3
"""Propose the reviewed overrides file for the vSphere 5.5 corpus.

Usage:
    python3 corpus/propose_overrides.py SPEC_CORPUS PYVMOMI_DIR > corpus/vsphere-5.5.overrides.toml

SPEC_CORPUS is the folder holding `pyvmomi-docs-5.5/` and `wsdl-5.5/vim25/`
(`../shared/spec-corpus` from the project root). PYVMOMI_DIR is an unpacked pyVmomi package
(the folder holding `_typeinfo_vim.py`), e.g. from
`pip download --no-deps pyvmomi==9.1.1.0 && unzip -q pyvmomi-*.whl -d x` -> `x/pyVmomi`.

Where the facts come from:
  * pyVmomi's own type tables (`_typeinfo_core.py`, `_typeinfo_query.py`, `_typeinfo_vim.py`) are
    the authority for VMODL name -> wire name, array-ness of managed-object properties, and the
    managed-object class behind every `ManagedObjectReference`. They are read by parsing the
    Python source with `ast` (nothing is imported or executed). pyVmomi is newer than 5.5, so
    every member is filtered to versions that `vim.version.version9` (5.5) includes, and
    everything is restricted to what the 5.5 markdown pages and the 5.5 WSDL/XSD contain.
  * The 5.5 XSD/WSDL is the cross-check: the wire name must be a complexType, array fields must
    be `maxOccurs="unbounded"`, reference fields/params/returns must be `ManagedObjectReference`,
    and property names of a joined type must agree.
  * The 5.5 markdown decides which entries are needed: an entry is only emitted where the page
    does not already state the fact (e.g. a return-type row that already names the managed object).
  * Named strings: both inputs write `string` where pyVmomi says `vmodl.TypeName`,
    `vmodl.PropertyPath` or `vmodl.MethodName`. Data-object/fault fields and method parameters with
    those types get entries only where the 5.5 XSD element is `xsd:string`; managed-object
    properties (which the XSD does not describe) where the page cell says `string`. A managed-object
    property whose pyVmomi element type is `byte` and whose page cell says `int`
    (`vim.CustomizationSpecManager.encryptionKey`, `byte[]`) gets `byte`.

Every disagreement found between the three sources is printed to stderr (and summarised in the
TOML header); the TOML itself goes to stdout. Output is deterministic (sorted keys).
"""

import ast
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

XSD = "{http://www.w3.org/2001/XMLSchema}"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
TARGET_VERSION = "vim.version.version9"  # vSphere API 5.5
ROOT_DATA = {"vmodl.DynamicData", "vmodl.MethodFault", "vmodl.DataObject"}
PRIMITIVES = {
    "string", "boolean", "bool", "int", "long", "short", "byte", "double", "float", "anyType",
    "dateTime", "binary", "base64", "anyURI", "object", "None", "vmodl.TypeName",
    "vmodl.PropertyPath", "vmodl.MethodName", "void",
}

# Spellings the corpus README documents (page spelling, pyVmomi name): not disagreements.
NAMED_STRINGS = {"vmodl.TypeName", "vmodl.PropertyPath", "vmodl.MethodName"}

KNOWN_SPELLINGS = {
    ("datetime", "vmodl.DateTime"),
    ("vmodl.LocalizedMethodFault", "vmodl.MethodFault"),
}

disagreements = []


def disagree(kind, msg):
    disagreements.append((kind, msg))


# --------------------------------------------------------------------------- pyVmomi


class PyType:
    def __init__(self, kind, name, wsdl, base, version, members, methods=None):
        self.kind, self.name, self.wsdl, self.base, self.version = kind, name, wsdl, base, version
        self.members = members  # [(name, type, version)]
        self.methods = methods or []  # [dict]


def _lit(node):
    """Evaluates a literal expression of the typeinfo files; flag names stay strings."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_lit(e) for e in node.elts]
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.BinOp):
        return ("|", _lit(node.left), _lit(node.right))
    raise ValueError("unexpected node %s" % ast.dump(node))


def load_pyvmomi(pydir):
    types, parents = {}, defaultdict(set)
    # Built into VmomiSupport.py rather than the typeinfo tables.
    types["vmodl.ManagedObject"] = PyType("managed", "vmodl.ManagedObject", "ManagedObject", None,
                                          "vmodl.version.version0", [])
    types["vmodl.DataObject"] = PyType("data", "vmodl.DataObject", "DataObject", None,
                                       "vmodl.version.version0", [])
    types["vmodl.MethodFault"] = PyType("data", "vmodl.MethodFault", "MethodFault",
                                        "vmodl.DynamicData", "vmodl.version.version0",
                                        [("faultCause", "vmodl.MethodFault", "vmodl.version.version0"),
                                         ("faultMessage", "vmodl.LocalizableMessage[]",
                                          "vmodl.version.version0")])
    types["vmodl.RuntimeFault"] = PyType("data", "vmodl.RuntimeFault", "RuntimeFault",
                                         "vmodl.MethodFault", "vmodl.version.version0", [])
    types["vmodl.LocalizedMethodFault"] = PyType(
        "data", "vmodl.LocalizedMethodFault", "LocalizedMethodFault", "vmodl.MethodFault",
        "vmodl.version.version0",
        [("fault", "vmodl.MethodFault", "vmodl.version.version0"),
         ("localizedMessage", "string", "vmodl.version.version0")])
    for fname in ("_typeinfo_core.py", "_typeinfo_query.py", "_typeinfo_vim.py"):
        tree = ast.parse(open(os.path.join(pydir, fname), encoding="utf-8").read(), fname)
        for stmt in tree.body:
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
                continue
            call = stmt.value
            fn = call.func.id if isinstance(call.func, ast.Name) else None
            if fn == "AddVersionParent":
                child, parent = (_lit(a) for a in call.args)
                parents[child].add(parent)
            elif fn == "CreateDataType":
                name, wsdl, base, version, fields = (_lit(a) for a in call.args)
                members = [(f[0], f[1], f[2]) for f in (fields or [])]
                types[name] = PyType("data", name, wsdl, base, version, members)
            elif fn == "CreateManagedType":
                name, wsdl, base, version, props, methods = (_lit(a) for a in call.args)
                members = [(p[0], p[1], p[2]) for p in (props or [])]
                ms = []
                for m in methods or []:
                    mname, mwsdl, mver, params, ret = m[0], m[1], m[2], m[3], m[4]
                    ms.append({
                        "name": mname, "wsdl": mwsdl, "version": mver,
                        "params": [(p[0], p[1], p[2]) for p in (params or [])],
                        "returns": ret[1],
                    })
                types[name] = PyType("managed", name, wsdl, base, version, members, ms)
            elif fn == "CreateEnumType":
                name, wsdl, version, _values = (_lit(a) for a in call.args)
                types[name] = PyType("enum", name, wsdl, None, version, [])
    in_target = set(parents[TARGET_VERSION]) | {TARGET_VERSION}
    return types, in_target


def py_chain(types, name):
    out = []
    while name and name in types:
        out.append(types[name])
        name = types[name].base
    return out


def py_member(types, owner, member):
    """Finds a property/field by name in `owner` or its pyVmomi bases."""
    for t in py_chain(types, owner):
        for m in t.members:
            if m[0] == member:
                return t.name, m
    return None, None


def is_mo_type(types, name):
    name = name[:-2] if name.endswith("[]") else name
    return name in types and types[name].kind == "managed"


# --------------------------------------------------------------------------- markdown

LINK = re.compile(r'\[([^\]]*)\]\(([^) ]*)(?: "([^"]*)")?\)')
HEADING = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)\s*$")


def cell_type(cell):
    """The type a table cell names: the link's title/text, or the plain text."""
    cell = cell.strip()
    m = LINK.search(cell)
    if m:
        return m.group(3) or m.group(1)
    return cell


def split_row(line):
    cells = line.strip().strip("|").split("|")
    return [c.strip() for c in cells]


def prop_name(cell):
    m = re.search(r">([^<]+)</a>", cell)
    return (m.group(1) if m else cell).strip()


class Page:
    def __init__(self, name):
        self.name = name
        self.base = None
        self.fault_table = False
        self.props = []  # [(name, type_cell_type, line)]
        self.methods = []  # [dict(name, params [(name, type)], returns, line)]


def load_pages(docdir):
    pages = {}
    for fname in sorted(os.listdir(docdir)):
        if not fname.endswith(".md"):
            continue
        name = fname[:-3]
        if not (name.startswith("vim.") or name.startswith("vmodl.")) or name == "vim.version":
            continue
        lines = open(os.path.join(docdir, fname), encoding="utf-8").read().split("\n")
        page = Page(name)
        in_props = False
        cur = None
        for i, line in enumerate(lines):
            if line.startswith("inherits from "):
                m = LINK.search(line)
                page.base = m.group(1)
            elif line.startswith("| property | type |"):
                in_props = True
                page.fault_table = line.strip() == "| property | type | optional |"
            elif in_props:
                if not line.startswith("|"):
                    in_props = False
                elif not line.startswith("|:"):
                    cells = split_row(line)
                    page.props.append((prop_name(cells[0]), cell_type(cells[1]), i + 1))
            if i + 1 < len(lines) and re.fullmatch(r"-{3,}", lines[i + 1].strip() or "x"):
                m = HEADING.match(line)
                if m:
                    params = [(pm.group(1), pm.group(3) or pm.group(1))
                              for pm in LINK.finditer(m.group(2))]
                    cur = {"name": m.group(1), "params": params, "returns": None, "line": i + 1}
                    page.methods.append(cur)
            if cur is not None and line.startswith("| return type |"):
                cur["returns"] = cell_type(split_row(line)[1])
        pages[name] = page
    return pages


# --------------------------------------------------------------------------- WSDL / XSD


def _local(qname):
    return qname.split(":", 1)[1] if qname and ":" in qname else qname


def load_wsdl(wsdldir):
    ctypes = {}  # name -> {"base": str|None, "elements": [(name, type, maxOccurs)]}
    responses = {}  # op name -> (returnval type, maxOccurs) or None
    requests = {}  # op name -> request complexType name
    roots = []
    for fname in sorted(os.listdir(wsdldir)):
        if fname.endswith(".xsd"):
            roots.append(ET.parse(os.path.join(wsdldir, fname)).getroot())
    wsdl_root = ET.parse(os.path.join(wsdldir, "vim.wsdl")).getroot()
    roots.extend(wsdl_root.iter(XSD + "schema"))
    for root in roots:
        for ct in root.findall(XSD + "complexType"):
            base = None
            ext = ct.find(".//" + XSD + "extension")
            if ext is not None:
                base = _local(ext.get("base"))
            elems = [(e.get("name"), _local(e.get("type")), e.get("maxOccurs", "1"))
                     for e in ct.iter(XSD + "element")]
            ctypes[ct.get("name")] = {"base": base, "elements": elems}
        for el in root.findall(XSD + "element"):
            name = el.get("name")
            if el.get("type"):
                requests[name] = _local(el.get("type"))
            if name.endswith("Response"):
                rv = [(_local(e.get("type")), e.get("maxOccurs", "1"))
                      for e in el.iter(XSD + "element") if e.get("name") == "returnval"]
                responses[name[:-len("Response")]] = rv[0] if rv else None
    ops = {op.get("name") for pt in wsdl_root.findall(WSDL + "portType")
           for op in pt.findall(WSDL + "operation")}
    return ctypes, responses, requests, ops


def wsdl_fields(ctypes, name):
    """All elements of a complexType, inherited first (wire order)."""
    chain = []
    while name in ctypes:
        chain.append(ctypes[name])
        name = ctypes[name]["base"]
    out = []
    for ct in reversed(chain):
        out.extend(ct["elements"])
    return out


# --------------------------------------------------------------------------- the proposal


def flatten(vmodl):
    parts = vmodl.split(".")
    return "".join(p for p in parts if p[:1].isupper())


def page_kind(pages, name):
    """'managed' or 'data', from the page's base chain alone (the corpus README's rule)."""
    seen = set()
    while name in pages and name not in seen:
        seen.add(name)
        if name in ROOT_DATA:
            return "data"
        base = pages[name].base
        if base is None:
            return "data" if name in ("vmodl.DynamicArray", "vmodl.DynamicProperty") else "managed"
        name = base
    return "data" if name in ROOT_DATA else "managed"


def strip_arr(t):
    return t[:-2] if t.endswith("[]") else t


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    corpus, pydir = sys.argv[1], sys.argv[2]
    pages = load_pages(os.path.join(corpus, "pyvmomi-docs-5.5"))
    ctypes, responses, requests, ops = load_wsdl(os.path.join(corpus, "wsdl-5.5", "vim25"))
    types, in55 = load_pyvmomi(pydir)

    def ok55(version):
        return version in in55

    aliases = {}
    managed = {}
    data_props = defaultdict(dict)
    data_named = defaultdict(dict)  # named-string fields (subset of the output's data_props)
    stats = defaultdict(int)

    mo_pages = sorted(n for n in pages if page_kind(pages, n) == "managed")
    do_pages = sorted(n for n in pages if page_kind(pages, n) == "data")

    # ---- data objects and faults: aliases, array cross-check, reference fields
    for name in do_pages:
        page = pages[name]
        py = types.get(name)
        if py is None or py.kind != "data":
            disagree("missing-in-pyvmomi", "data page %s has no pyVmomi data type" % name)
            continue
        if py.base != page.base and page.base is not None:
            disagree("base", "%s: page base %s, pyVmomi base %s" % (name, page.base, py.base))
        wire = py.wsdl
        if wire not in ctypes:
            disagree("no-complextype", "%s: pyVmomi wire name %s is not a 5.5 complexType"
                     % (name, wire))
            continue
        if wire != flatten(name):
            aliases[name] = wire
        # Property names: the page's own properties must be elements of the joined complexType.
        own_wire = {e[0]: e for e in ctypes[wire]["elements"]}
        all_wire = {e[0]: e for e in wsdl_fields(ctypes, wire)}
        py_own = {}
        page_cells = {p[0]: p[1] for p in page.props}
        xsd_base = ctypes[wire]["base"]
        for t in py_chain(types, name):
            if t.wsdl == xsd_base:
                break
            for m in t.members:
                if ok55(m[2]):
                    py_own.setdefault(m[0], m)
        for pname, ptype, line in page.props:
            if pname not in all_wire:
                disagree("field-names", "%s (%s): page property %s is not in the XSD type"
                         % (name, wire, pname))
        if name != "vmodl.MethodFault":
            page_names = {p[0] for p in page.props}
            for ename in own_wire:
                if ename not in page_names:
                    disagree("field-names", "%s (%s): XSD element %s has no page property"
                             % (name, wire, ename))
        for ename in own_wire:
            if ename not in py_own:
                disagree("field-names", "%s (%s): XSD element %s is not a 5.5 pyVmomi field"
                         % (name, wire, ename))
        for fname_, m in py_own.items():
            if fname_ not in own_wire:
                disagree("field-names", "%s (%s): pyVmomi 5.5 field %s is not an XSD element"
                         % (name, wire, fname_))
                continue
            _, etype, maxo = own_wire[fname_]
            py_arr = m[1].endswith("[]")
            xsd_arr = maxo == "unbounded"
            if py_arr != xsd_arr:
                disagree("array", "%s.%s: pyVmomi %s, XSD maxOccurs=%s" % (name, fname_, m[1], maxo))
            if is_mo_type(types, m[1]) != (etype == "ManagedObjectReference"):
                disagree("reference", "%s.%s: pyVmomi %s, XSD %s" % (name, fname_, m[1], etype))
            target = strip_arr(m[1])
            if target in NAMED_STRINGS:
                if etype != "string":
                    disagree("named-string", "%s.%s: pyVmomi %s, XSD %s (no entry)"
                             % (name, fname_, m[1], etype))
                    continue
                cell = page_cells.get(fname_)
                if cell == target and not page.fault_table:
                    stats["named-string-fields-stated-by-page"] += 1
                    continue
                if cell not in (None, "string"):
                    disagree("named-string", "%s.%s: page says %s, pyVmomi %s"
                             % (name, fname_, cell, m[1]))
                data_named[name][fname_] = target
                stats["data-object-named-string-fields (%s)" % target] += 1
        # Reference-typed fields whose page cell does not name the managed object.
        for pname, ptype, line in page.props:
            owner, m = py_member(types, name, pname)
            if m is None or not ok55(m[2]):
                continue
            if pname in all_wire and all_wire[pname][1] != "ManagedObjectReference":
                continue
            if not is_mo_type(types, m[1]):
                continue
            target = strip_arr(m[1])
            if ptype != target:
                if owner != name:
                    # An inherited field repeated on this page: the fact belongs to its owner,
                    # which is listed on its own page (e.g. vmodl.MethodFault's list).
                    stats["inherited-ref-fields-skipped"] += 1
                    continue
                data_props[name][pname] = target
                stats["data-object-ref-fields (%s page, cell %s)"
                      % ("fault" if page.fault_table else "data",
                         ptype if ptype in ("string", "vim.ExtensibleManagedObject") else "other")] += 1
                if ptype != "string":
                    disagree("do-ref-cell", "%s.%s: page says %s, pyVmomi %s"
                             % (name, pname, ptype, m[1]))

    # ---- managed objects
    for name in mo_pages:
        page = pages[name]
        py = types.get(name)
        if py is None or py.kind != "managed":
            disagree("missing-in-pyvmomi", "managed page %s has no pyVmomi managed type" % name)
            continue
        if (page.base or "vmodl.ManagedObject") != (py.base or "vmodl.ManagedObject"):
            disagree("base", "%s: page base %s, pyVmomi base %s" % (name, page.base, py.base))
        facts = {"wsdl_name": py.wsdl, "array_properties": [], "property_types": {},
                 "method_returns": {}, "param_types": {}, "named": set()}
        page_prop_names = set()
        for pname, ptype, line in page.props:
            page_prop_names.add(pname)
            owner, m = py_member(types, name, pname)
            if m is None:
                disagree("mo-property", "%s.%s: page property unknown to pyVmomi" % (name, pname))
                continue
            if not ok55(m[2]):
                disagree("mo-property", "%s.%s: page property is newer than 5.5 in pyVmomi (%s)"
                         % (name, pname, m[2]))
            if owner != name:
                disagree("mo-property", "%s.%s: page lists a property pyVmomi defines on %s"
                         % (name, pname, owner))
            if m[1].endswith("[]"):
                facts["array_properties"].append(pname)
            target = strip_arr(m[1])
            if is_mo_type(types, m[1]):
                if ptype != target:
                    facts["property_types"][pname] = target
                    disagree("mo-ref-cell", "%s.%s: page says %s, pyVmomi %s"
                             % (name, pname, ptype, m[1]))
            elif target in NAMED_STRINGS:
                if ptype == target:
                    stats["mo-named-string-stated-by-page"] += 1
                else:
                    if ptype != "string":
                        disagree("named-string", "%s.%s: page says %s, pyVmomi %s"
                                 % (name, pname, ptype, m[1]))
                    facts["property_types"][pname] = target
                    facts["named"].add(("property", pname))
            elif target == "byte" and ptype == "int":
                facts["property_types"][pname] = target
                facts["named"].add(("byte", pname))
            elif ptype != target and (ptype, target) in KNOWN_SPELLINGS:
                stats["mo-property-known-spelling (%s for %s)" % (ptype, target)] += 1
            elif ptype != target and not (ptype in PRIMITIVES and target in PRIMITIVES):
                disagree("mo-property-type", "%s.%s: page says %s, pyVmomi %s (not a reference;"
                         " no entry)" % (name, pname, ptype, m[1]))
        for pname, ptype, pver in py.members:
            if ok55(pver) and pname not in page_prop_names:
                disagree("mo-property", "%s.%s: 5.5 pyVmomi property missing from the page"
                         % (name, pname))
        py_methods = {m["wsdl"]: m for m in py.methods}
        page_ops = set()
        for meth in page.methods:
            mname = meth["name"]
            op = mname if mname in ops else (mname + "_Task" if mname + "_Task" in ops else None)
            if op is None:
                disagree("method", "%s.%s: no WSDL operation" % (name, mname))
                continue
            page_ops.add(op)
            pm = py_methods.get(op)
            if pm is None:
                disagree("method", "%s.%s: WSDL %s unknown to pyVmomi" % (name, mname, op))
                continue
            if not ok55(pm["version"]):
                disagree("method", "%s.%s: pyVmomi version %s is newer than 5.5"
                         % (name, mname, pm["version"]))
            # Return value.
            resp = responses.get(op)
            ret = pm["returns"]
            if resp is not None and resp[0] == "ManagedObjectReference":
                if not is_mo_type(types, ret):
                    disagree("return", "%s.%s: WSDL returns a reference, pyVmomi %s"
                             % (name, mname, ret))
                elif (resp[1] == "unbounded") != ret.endswith("[]"):
                    disagree("return", "%s.%s: WSDL maxOccurs=%s, pyVmomi %s"
                             % (name, mname, resp[1], ret))
                else:
                    target = strip_arr(ret)
                    if meth["returns"] != target:
                        facts["method_returns"][mname] = target
                        if meth["returns"] not in (None, ""):
                            disagree("return", "%s.%s: page return row says %s, pyVmomi %s"
                                     % (name, mname, meth["returns"], ret))
            else:
                if is_mo_type(types, ret):
                    disagree("return", "%s.%s: pyVmomi returns %s, WSDL %s"
                             % (name, mname, ret, resp))
                elif meth["returns"] and meth["returns"] != "None" and is_mo_type(types, meth["returns"]):
                    disagree("return", "%s.%s: page return row says %s, WSDL %s"
                             % (name, mname, meth["returns"], resp))
            # Reference parameters.
            req = ctypes.get(requests.get(op))
            if req is None:
                disagree("method", "%s.%s: no request type for %s" % (name, mname, op))
                continue
            py_params = {p[0]: p for p in pm["params"]}
            head = dict(meth["params"])
            for ename, etype, maxo in req["elements"]:
                if ename == "_this":
                    continue
                p = py_params.get(ename)
                if p is None:
                    disagree("param", "%s.%s(%s): WSDL parameter unknown to pyVmomi"
                             % (name, mname, ename))
                    continue
                if (maxo == "unbounded") != p[1].endswith("[]"):
                    disagree("param", "%s.%s(%s): WSDL maxOccurs=%s, pyVmomi %s"
                             % (name, mname, ename, maxo, p[1]))
                if etype != "ManagedObjectReference":
                    if is_mo_type(types, p[1]):
                        disagree("param", "%s.%s(%s): pyVmomi %s, WSDL %s"
                                 % (name, mname, ename, p[1], etype))
                    target = strip_arr(p[1])
                    if target in NAMED_STRINGS and ok55(p[2]):
                        if etype != "string":
                            disagree("named-string", "%s.%s(%s): pyVmomi %s, WSDL %s (no entry)"
                                     % (name, mname, ename, p[1], etype))
                        elif head.get(ename) == target:
                            stats["named-string-params-stated-by-heading"] += 1
                        else:
                            if head.get(ename) not in (None, "string"):
                                disagree("named-string", "%s.%s(%s): heading says %s, pyVmomi %s"
                                         % (name, mname, ename, head[ename], p[1]))
                            facts["param_types"]["%s.%s" % (mname, ename)] = target
                            facts["named"].add(("param", "%s.%s" % (mname, ename)))
                    continue
                if not is_mo_type(types, p[1]):
                    disagree("param", "%s.%s(%s): WSDL reference, pyVmomi %s"
                             % (name, mname, ename, p[1]))
                    continue
                target = strip_arr(p[1])
                if head.get(ename) != target:
                    facts["param_types"]["%s.%s" % (mname, ename)] = target
                    if ename in head:
                        disagree("param", "%s.%s(%s): heading says %s, pyVmomi %s"
                                 % (name, mname, ename, head[ename], p[1]))
                    else:
                        stats["reference-params-missing-from-heading"] += 1
            wsdl_params = {e[0] for e in req["elements"]}
            for hp in head:
                if hp not in wsdl_params:
                    disagree("param", "%s.%s(%s): heading parameter not in WSDL request"
                             % (name, mname, hp))
        for op, pm in sorted(py_methods.items()):
            if ok55(pm["version"]) and op not in page_ops:
                where = "the page lacks" if op in ops else "the page and the 5.5 WSDL lack"
                disagree("method", "%s: pyVmomi dates method %s to <= 5.5 (%s) but %s it"
                         % (name, op, pm["version"], where))
        managed[name] = facts

    for name, fields in data_named.items():
        for k, v in fields.items():
            assert k not in data_props[name]
            data_props[name][k] = v

    # ---- output
    w = sys.stdout.write
    n_arr = sum(len(f["array_properties"]) for f in managed.values())
    n_ptypes = sum(len(f["property_types"]) for f in managed.values())
    n_ret = sum(len(f["method_returns"]) for f in managed.values())
    n_par = sum(len(f["param_types"]) for f in managed.values())
    n_dop = sum(len(v) for v in data_props.values())
    n_ptypes_named = sum(1 for f in managed.values() for k in f["named"] if k[0] == "property")
    n_ptypes_byte = sum(1 for f in managed.values() for k in f["named"] if k[0] == "byte")
    n_par_named = sum(1 for f in managed.values() for k in f["named"] if k[0] == "param")
    n_dop_named = sum(len(v) for v in data_named.values())
    n_arr_named = sum(1 for f in managed.values() for k in f["named"]
                      if k[0] != "param" and k[1] in f["array_properties"])
    w("# vSphere API 5.5 (urn:vim25/5.5) overrides: facts that neither the pyVmomi markdown pages nor\n")
    w("# the vim25 WSDL/XSD state. Shape: codegen/src/overrides.rs.\n#\n")
    w("# GENERATED by corpus/propose_overrides.py; do not edit by hand. Regenerate with\n")
    w("#   python3 corpus/propose_overrides.py ../shared/spec-corpus /path/to/pyVmomi > corpus/vsphere-5.5.overrides.toml\n")
    w("# (pyVmomi 9.1.1.0 from PyPI, unpacked; the path is the folder holding _typeinfo_vim.py).\n#\n")
    w("# Source of every fact: pyVmomi's type tables (_typeinfo_core/_query/_vim.py), restricted to\n")
    w("# members that vim.version.version9 (5.5) includes and to what the 5.5 pages and WSDL contain.\n")
    w("# Checked against the 5.5 XSD/WSDL: every alias target is a complexType whose elements match the\n")
    w("# pyVmomi fields; data-object arrays agree with maxOccurs; every reference fact below sits on a\n")
    w("# ManagedObjectReference field, parameter or returnval. Named strings (vmodl.TypeName,\n")
    w("# vmodl.PropertyPath, vmodl.MethodName; both inputs write `string`): every data-object field or\n")
    w("# parameter entry sits on an xsd:string element, every managed-object property entry (no XSD\n")
    w("# describes those) on a page cell `string`; the value is the element type, since arrays are\n")
    w("# arrays on the wire (or in array_properties) already. A managed-object property whose page cell\n")
    w("# says `int` where pyVmomi's element type is byte gets `byte`. Entries are only emitted where\n")
    w("# the page does not already state the fact. Disagreements found between the sources: %d, listed\n"
      "# at the end of this header (where they touch an entry, pyVmomi's fact was taken).\n#\n"
      % len(disagreements))
    w("# Counts: %d type aliases, %d managed objects, %d array properties (%d of them on named-string or\n"
      "# byte properties), %d managed-object property types (%d reference, %d named-string, %d byte),\n"
      % (len(aliases), len(managed), n_arr, n_arr_named, n_ptypes, n_ptypes - n_ptypes_named - n_ptypes_byte,
         n_ptypes_named, n_ptypes_byte))
    w("# %d method returns, %d param types (%d reference, %d named-string), %d data-object property\n"
      "# types (%d reference, %d named-string).\n"
      % (n_ret, n_par, n_par - n_par_named, n_par_named, n_dop, n_dop - n_dop_named, n_dop_named))
    w("#\n# Disagreements:\n")
    for kind, msg in sorted(disagreements):
        w("#   [%s] %s\n" % (kind, msg))
    w("\n")

    w("[type_aliases]\n")
    for k in sorted(aliases):
        w('"%s" = "%s"\n' % (k, aliases[k]))
    for name in sorted(managed):
        f = managed[name]
        w('\n[managed_objects."%s"]\n' % name)
        w('wsdl_name = "%s"\n' % f["wsdl_name"])
        if f["array_properties"]:
            w("array_properties = [%s]\n" % ", ".join('"%s"' % p for p in sorted(f["array_properties"])))
        for table in ("property_types", "method_returns", "param_types"):
            if f[table]:
                w('[managed_objects."%s".%s]\n' % (name, table))
                for k in sorted(f[table]):
                    w('"%s" = "%s"\n' % (k, f[table][k]))
    for name in sorted(data_props):
        w('\n[data_objects."%s".property_types]\n' % name)
        for k in sorted(data_props[name]):
            w('"%s" = "%s"\n' % (k, data_props[name][k]))

    e = sys.stderr.write
    e("pages: %d managed, %d data (of which %d fault tables)\n"
      % (len(mo_pages), len(do_pages), sum(pages[n].fault_table for n in do_pages)))
    e("aliases=%d managed=%d arrays=%d mo_property_types=%d method_returns=%d param_types=%d "
      "data_property_types=%d\n" % (len(aliases), len(managed), n_arr, n_ptypes, n_ret, n_par, n_dop))
    e("named strings: mo_property_types=%d param_types=%d data_property_types=%d; byte mo_property_types=%d\n"
      % (n_ptypes_named, n_par_named, n_dop_named, n_ptypes_byte))
    for k, v in sorted(stats.items()):
        e("%s=%d\n" % (k, v))
    # Sanity check of well-known facts, as the merged model will see them (override or page).
    def mo_return(mo, method):
        f = managed[mo]["method_returns"]
        if method in f:
            return f[method] + " (override)"
        return [m["returns"] for m in pages[mo].methods if m["name"] == method][0] + " (page)"
    e("sanity: vim.SessionManager arrays = %s\n" % managed["vim.SessionManager"]["array_properties"])
    e("sanity: vim.host.Summary -> %s\n" % aliases.get("vim.host.Summary"))
    e("sanity: vim.ServiceInstanceContent -> %s\n" % aliases.get("vim.ServiceInstanceContent"))
    e("sanity: vim.VirtualMachine.PowerOnVM returns %s\n" % mo_return("vim.VirtualMachine", "PowerOnVM"))
    e("sanity: vim.Folder.CreateFolder returns %s\n" % mo_return("vim.Folder", "CreateFolder"))
    e("sanity: vim.Folder arrays = %s\n" % managed["vim.Folder"]["array_properties"])
    e("sanity: vim.Folder.childType -> %s\n" % managed["vim.Folder"]["property_types"].get("childType"))
    e("sanity: vim.ManagedEntity.disabledMethod -> %s\n"
      % managed["vim.ManagedEntity"]["property_types"].get("disabledMethod"))
    e("sanity: vim.CustomizationSpecManager.encryptionKey -> %s, array %s\n"
      % (managed["vim.CustomizationSpecManager"]["property_types"].get("encryptionKey"),
         "encryptionKey" in managed["vim.CustomizationSpecManager"]["array_properties"]))
    e("sanity: vim.view.ViewManager.CreateContainerView.type -> %s\n"
      % managed["vim.view.ViewManager"]["param_types"].get("CreateContainerView.type"))
    e("sanity: vmodl.query.PropertyCollector.PropertySpec.pathSet -> %s\n"
      % data_props["vmodl.query.PropertyCollector.PropertySpec"].get("pathSet"))
    for kind, msg in sorted(disagreements):
        e("DISAGREE [%s] %s\n" % (kind, msg))


if __name__ == "__main__":
    main()

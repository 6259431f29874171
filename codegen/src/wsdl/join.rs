//! Raw declarations of every file -> [`Schema`]: sort, de-duplicate, check type references,
//! and join `portType` operations with their messages, elements, request types and bindings.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, SourceMap, Span};
use crate::wsdl::model::{ComplexType, Operation, Schema, TypeRef};
use crate::wsdl::scan::{BindingOp, NameRef, Raw, TopElement};

/// The XML Schema built-in datatypes (XSD 1.0 part 2, plus `anyType`).
const XSD_BUILTINS: &[&str] = &[
    "anyType",
    "anySimpleType",
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "NMTOKEN",
    "NMTOKENS",
    "boolean",
    "decimal",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
    "float",
    "double",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
    "anyURI",
    "QName",
    "NOTATION",
];

pub(crate) fn build(raw: Raw, files: Vec<FileId>, sources: &SourceMap, diags: &mut Diagnostics) -> Schema {
    let Raw {
        wsdl_target_namespace,
        schema_target_namespace,
        types,
        enums,
        elements,
        messages,
        port_ops,
        binding_ops,
        type_refs,
        xsd_refs,
        groups,
        group_refs,
        foreign_types,
        foreign_enums,
    } = raw;
    let mut types = splice_groups(types, groups, group_refs, sources, diags);
    let mut enums = enums;
    let foreign_names: Vec<String> =
        foreign_types.iter().map(|t| t.name.clone()).chain(foreign_enums.iter().map(|e| e.name.clone())).collect();
    add_reachable_foreign(&mut types, &mut enums, foreign_types, foreign_enums);

    let complex_types = dedup_sorted(types, |t| &t.name, |t| t.span, Kind::WsdlDuplicateType, "complexType", sources, diags);
    let enums = dedup_sorted(enums, |t| &t.name, |t| t.span, Kind::WsdlDuplicateType, "simpleType", sources, diags);
    // complexTypes and simpleTypes share one symbol space in XML Schema.
    for en in &enums {
        if let Ok(i) = complex_types.binary_search_by(|t| t.name.as_str().cmp(&en.name)) {
            diags.push(
                Diagnostic::new(Kind::WsdlDuplicateType, format!("`{}` is both a complexType and a simpleType", en.name))
                    .at(en.span)
                    .label("simpleType declared here")
                    .note(format!("complexType `{}` is declared at {}", en.name, sources.location(complex_types[i].span))),
            );
        }
    }
    let elements = dedup_sorted(elements, |e| &e.name, |e| e.span, Kind::WsdlDuplicateElement, "element", sources, diags);
    let messages = dedup_sorted(messages, |m| &m.name, |m| m.span, Kind::WsdlDuplicateMessage, "message", sources, diags);
    let port_ops = dedup_sorted(port_ops, |o| &o.name, |o| o.span, Kind::WsdlDuplicateOperation, "operation", sources, diags);

    // A hash set: the ~9,000 references would otherwise binary-search long names that share
    // prefixes (`HostListSummary...`), which showed in profiles.
    let declared: HashSet<&str> = complex_types
        .iter()
        .map(|t| t.name.as_str())
        .chain(enums.iter().map(|e| e.name.as_str()))
        .chain(foreign_names.iter().map(String::as_str))
        .collect();
    check_refs(&type_refs, &xsd_refs, &declared, diags);

    let element_of = |name: &str| elements.binary_search_by(|e| e.name.as_str().cmp(name)).ok().map(|i| &elements[i]);
    let message_element = |r: &NameRef, diags: &mut Diagnostics| -> Option<&TopElement> {
        let Ok(i) = messages.binary_search_by(|m| m.name.as_str().cmp(&r.local)) else {
            diags.push(
                Diagnostic::new(Kind::WsdlUnknownMessage, format!("no `<message name=\"{}\">` in the WSDL", r.local))
                    .at(r.span)
                    .label("unknown message"),
            );
            return None;
        };
        let m = &messages[i];
        let Some(el) = &m.element else {
            diags.push(Diagnostic::new(Kind::WsdlUnknownElement, format!("message `{}` has no `<part element=...>`", m.name)).at(m.span));
            return None;
        };
        let found = element_of(&el.local);
        if found.is_none() {
            diags.push(
                Diagnostic::new(Kind::WsdlUnknownElement, format!("no top-level `<element name=\"{}\">` in the schemas", el.local))
                    .at(el.span)
                    .label(format!("part of message `{}`", m.name)),
            );
        }
        found
    };

    let mut bindings: HashMap<&str, &BindingOp> = HashMap::with_capacity(binding_ops.len());
    for b in &binding_ops {
        match bindings.entry(b.name.as_str()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(b);
            }
            std::collections::hash_map::Entry::Occupied(first) => diags.push(
                Diagnostic::new(Kind::WsdlDuplicateBinding, format!("operation `{}` is bound twice", b.name))
                    .at(b.span)
                    .note(format!("the first binding, at {}, is used", sources.location(first.get().span))),
            ),
        }
    }
    for b in &binding_ops {
        if port_ops.binary_search_by(|o| o.name.as_str().cmp(&b.name)).is_err() {
            diags.push(
                Diagnostic::new(Kind::WsdlUnknownBindingOperation, format!("binding operation `{}` is not in the portType", b.name))
                    .at(b.span),
            );
        }
    }

    let mut operations = Vec::with_capacity(port_ops.len());
    for op in &port_ops {
        // Request: input message -> element -> request type -> its elements, `_this` first.
        let Some(input) = &op.input else {
            diags.push(Diagnostic::new(Kind::WsdlMissingRequestType, format!("operation `{}` has no `<input>`", op.name)).at(op.span));
            continue;
        };
        let Some(req_el) = message_element(input, diags) else { continue };
        let (request_type, req_ty) = match (&req_el.ty, &req_el.inline) {
            (Some((TypeRef::Named(n), _)), _) => (n.clone(), find_type(&complex_types, n)),
            (None, Some(inline)) => (req_el.name.clone(), Some(inline)),
            _ => (String::new(), None),
        };
        let Some(req_ty) = req_ty else {
            let what = if request_type.is_empty() {
                format!("element `{}` has no named complexType", req_el.name)
            } else {
                format!("complexType `{request_type}` is not declared")
            };
            diags.push(
                Diagnostic::new(Kind::WsdlMissingRequestType, format!("the request type of operation `{}` is missing: {what}", op.name))
                    .at(op.span)
                    .label("operation declared here")
                    .note(format!("its request element `{}` is declared at {}", req_el.name, sources.location(req_el.span))),
            );
            continue;
        };
        let mut params = req_ty.elements.clone();
        if params.first().is_some_and(|p| p.name == "_this") {
            params.remove(0);
        } else {
            diags.push(
                Diagnostic::new(
                    Kind::WsdlMissingThis,
                    format!("request type `{}` of operation `{}` does not start with `_this`", request_type, op.name),
                )
                .at(req_ty.span)
                .note("every vim25 operation takes the target managed object reference as `_this` first"),
            );
        }

        // Response: output message -> element -> its (anonymous) type's `returnval`.
        let returns = match &op.output {
            None => None,
            Some(output) => match message_element(output, diags) {
                None => None,
                Some(resp) => {
                    let ty = match (&resp.ty, &resp.inline) {
                        (Some((TypeRef::Named(n), _)), _) => find_type(&complex_types, n),
                        (_, Some(inline)) => Some(inline),
                        _ => None,
                    };
                    match ty {
                        None => {
                            diags.push(
                                Diagnostic::new(Kind::WsdlBadResponse, format!("response element `{}` has no complexType", resp.name))
                                    .at(resp.span),
                            );
                            None
                        }
                        Some(t) => {
                            let ret = t.elements.iter().find(|e| e.name == "returnval");
                            if t.elements.len() > ret.map_or(0, |_| 1) {
                                diags.push(
                                    Diagnostic::new(
                                        Kind::WsdlBadResponse,
                                        format!("response element `{}` holds elements other than `returnval`", resp.name),
                                    )
                                    .at(resp.span)
                                    .note("only `returnval` is read"),
                                );
                            }
                            ret.cloned()
                        }
                    }
                }
            },
        };

        // Faults: message -> element -> the element's TYPE.
        let mut faults = Vec::with_capacity(op.faults.len());
        for f in &op.faults {
            let Some(el) = message_element(f, diags) else { continue };
            match &el.ty {
                Some((ty, _)) => faults.push(ty.local_name().to_string()),
                None => {
                    diags.push(Diagnostic::new(Kind::WsdlUnknownElement, format!("fault element `{}` has no `type=`", el.name)).at(el.span))
                }
            }
        }

        let soap_action = match bindings.get(op.name.as_str()) {
            Some(b) => b.soap_action.as_ref(),
            None => {
                diags.push(
                    Diagnostic::new(Kind::WsdlUnboundOperation, format!("operation `{}` has no binding", op.name))
                        .at(op.span)
                        .note("it gets no soapAction"),
                );
                None
            }
        };

        operations.push(Operation {
            name: op.name.clone(),
            request_type,
            params,
            returns,
            faults,
            soap_action: soap_action.map(|(a, _)| a.clone()),
            soap_action_span: soap_action.map(|(_, s)| *s),
            span: op.span,
        });
    }

    Schema {
        target_namespace: wsdl_target_namespace.or(schema_target_namespace).unwrap_or_default(),
        complex_types,
        enums,
        operations,
        files,
    }
}

/// Stable-sorts by name and drops later duplicates (read order decides which is "first"),
/// reporting each dropped one.
#[allow(clippy::too_many_arguments)]
fn dedup_sorted<T>(
    mut list: Vec<T>,
    name: impl Fn(&T) -> &String,
    span: impl Fn(&T) -> Span,
    kind: Kind,
    what: &str,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<T> {
    list.sort_by(|a, b| name(a).cmp(name(b)));
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for item in list {
        match out.last() {
            Some(prev) if name(prev) == name(&item) => {
                diags.push(
                    Diagnostic::new(kind, format!("{what} `{}` is declared twice", name(&item)))
                        .at(span(&item))
                        .label("second declaration, ignored")
                        .note(format!("first declared at {}", sources.location(span(prev)))),
                );
            }
            _ => out.push(item),
        }
    }
    out
}

fn check_refs(type_refs: &[NameRef], xsd_refs: &[NameRef], declared: &HashSet<&str>, diags: &mut Diagnostics) {
    for r in type_refs {
        if !declared.contains(r.local.as_str()) {
            diags.push(
                Diagnostic::new(Kind::WsdlUnknownType, format!("type `{}` is not declared in any schema read", r.local))
                    .at(r.span)
                    .label("unknown type"),
            );
        }
    }
    for r in xsd_refs {
        if !XSD_BUILTINS.contains(&r.local.as_str()) {
            diags.push(
                Diagnostic::new(Kind::WsdlUnknownType, format!("`{}` is not an XML Schema built-in type", r.local))
                    .at(r.span)
                    .label("unknown XML Schema type"),
            );
        }
    }
}

fn find_type<'t>(list: &'t [ComplexType], name: &str) -> Option<&'t ComplexType> {
    list.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &list[i])
}

/// Puts each `<group ref>`'s elements where the reference stands in its complexType (9.x's
/// `vim-types.xsd` pulls `urn:vsan` groups into vim25 types this way).
fn splice_groups(
    mut types: Vec<ComplexType>,
    groups: Vec<ComplexType>,
    mut refs: Vec<crate::wsdl::scan::GroupRef>,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<ComplexType> {
    if refs.is_empty() {
        return types;
    }
    let groups = dedup_sorted(groups, |g| &g.name, |g| g.span, Kind::WsdlDuplicateType, "group", sources, diags);
    let mut by_owner: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in types.iter().enumerate() {
        by_owner.entry(t.name.clone()).or_default().push(i);
    }
    // Last position first, so earlier positions stay valid.
    refs.sort_by_key(|r| std::cmp::Reverse(r.position));
    for r in refs {
        let Ok(g) = groups.binary_search_by(|g| g.name.as_str().cmp(&r.group.local)) else {
            diags.push(
                Diagnostic::new(Kind::WsdlUnknownGroup, format!("no `<group name=\"{}\">` in the schemas", r.group.local))
                    .at(r.group.span)
                    .label("unknown group"),
            );
            continue;
        };
        for &i in by_owner.get(&r.owner).map(Vec::as_slice).unwrap_or(&[]) {
            let t = &mut types[i];
            let at = r.position.min(t.elements.len());
            t.elements.splice(at..at, groups[g].elements.iter().cloned());
        }
    }
    types
}

/// Adds the foreign types and enums that the API's types reach through element types and
/// bases, transitively, unless the API declares the name itself (its own wins: 9.x's
/// `urn:vsan` repeats `LocalizedMethodFault`...).
fn add_reachable_foreign(
    types: &mut Vec<ComplexType>,
    enums: &mut Vec<crate::wsdl::model::EnumType>,
    foreign_types: Vec<ComplexType>,
    foreign_enums: Vec<crate::wsdl::model::EnumType>,
) {
    if foreign_types.is_empty() && foreign_enums.is_empty() {
        return;
    }
    let own: HashSet<String> = types.iter().map(|t| t.name.clone()).chain(enums.iter().map(|e| e.name.clone())).collect();
    let mut ft: HashMap<String, ComplexType> = HashMap::new();
    for t in foreign_types {
        if !own.contains(&t.name) {
            ft.entry(t.name.clone()).or_insert(t);
        }
    }
    let mut fe: HashMap<String, crate::wsdl::model::EnumType> = HashMap::new();
    for e in foreign_enums {
        if !own.contains(&e.name) {
            fe.entry(e.name.clone()).or_insert(e);
        }
    }
    let refs = |t: &ComplexType| -> Vec<String> {
        t.elements.iter().map(|e| e.ty.local_name().to_string()).chain(t.base.iter().map(|b| b.local_name().to_string())).collect()
    };
    let mut todo: Vec<String> = types.iter().flat_map(refs).collect();
    while let Some(n) = todo.pop() {
        if let Some(t) = ft.remove(&n) {
            todo.extend(refs(&t));
            types.push(t);
        } else if let Some(e) = fe.remove(&n) {
            enums.push(e);
        }
    }
}

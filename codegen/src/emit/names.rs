//! Rust names for API names: one place decides every identifier, and keeps the wire name
//! beside it where they differ.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust's strict and reserved keywords (2021 edition), which become raw identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let",
    "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual",
    "yield",
];

/// Names that cannot be raw identifiers: they get a trailing `_`.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier from a name that is already valid Rust apart from keywords.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `snake_case` for fields, parameters and methods (`userName` -> `user_name`,
/// `type` -> `r#type`).
pub fn snake(name: &str) -> String {
    let s = name.to_snake_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

pub fn snake_ident(name: &str) -> Ident {
    ident(&snake(name))
}

/// `UpperCamelCase` for enum variants from wire values (`poweredOff` -> `PoweredOff`,
/// `x86_64` -> `X8664`, `7z` -> `V7z`).
pub fn camel(value: &str) -> String {
    let s = value.to_upper_camel_case();
    if s.is_empty() {
        "Empty".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// `SHOUTY_SNAKE_CASE` for constants (`SessionsTerminateSession` ->
/// `SESSIONS_TERMINATE_SESSION`).
pub fn shouty(value: &str) -> String {
    value.to_shouty_snake_case()
}

/// A type's Rust name is its wire name, which is unique in the API and what users of every
/// other binding know (`HostListSummary`, `ServiceContent`).
pub fn type_ident(wsdl_name: &str) -> Ident {
    // A few wire names start in lower case (9.x's `vslmVClockInfo`): Rust's types do not.
    match wsdl_name.chars().next() {
        Some(c) if c.is_ascii_lowercase() => ident(&format!("{}{}", c.to_ascii_uppercase(), &wsdl_name[1..])),
        _ => ident(wsdl_name),
    }
}

/// The enum holding a polymorphic base and every subclass: `AnyVirtualDevice`.
pub fn any_ident(wsdl_name: &str) -> Ident {
    ident(&format!("Any{wsdl_name}"))
}

/// A method's type name: its name with an upper-case first letter (a few methods, such as
/// `setCustomValue`, are spelled lowerCamel in the API).
pub fn method_type_name(method: &str) -> String {
    let mut c = method.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A method's marker type: `Login`.
pub fn method_ident(method: &str) -> Ident {
    ident(&method_type_name(method))
}

/// A method's request struct: `LoginRequest`.
pub fn request_ident(method: &str) -> Ident {
    ident(&format!("{}Request", method_type_name(method)))
}

/// A method's declared-fault enum: `LoginFault`.
pub fn fault_enum_ident(method: &str) -> Ident {
    ident(&format!("{}Fault", method_type_name(method)))
}

/// The file (module) a VMODL type lives in: its package folders, then its top-level type
/// in snake case (`vim.SessionManager.LocalTicket` -> `vim/session_manager`).
pub fn module_path(vmodl: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in vmodl.split('.') {
        let mut m = module_name(part);
        if part.starts_with(|c: char| c.is_ascii_uppercase()) {
            // `vim.event.Event` -> `vim/event/event_type`: a module may not repeat its parent's name.
            if out.last() == Some(&m) {
                m.push_str("_type");
            }
            out.push(m);
            break;
        }
        out.push(m);
    }
    out
}

fn module_name(part: &str) -> String {
    let s = part.to_snake_case();
    if KEYWORDS.contains(&s.as_str()) || NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("match").to_string(), "r#match");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(snake_ident("type").to_string(), "r#type");
        assert_eq!(snake_ident("userName").to_string(), "user_name");
    }

    #[test]
    fn variants_and_modules() {
        assert_eq!(camel("poweredOff"), "PoweredOff");
        assert_eq!(camel("7z"), "V7z");
        assert_eq!(module_path("vim.SessionManager.LocalTicket"), ["vim", "session_manager"]);
        assert_eq!(module_path("vim.vm.device.VirtualDisk"), ["vim", "vm", "device", "virtual_disk"]);
        assert_eq!(module_path("vmodl.query.PropertyCollector.FilterSpec"), ["vmodl", "query", "property_collector"]);
    }
}

//! Name rules of the join: flattening VMODL names, spellings the markdown uses for wire
//! types, and version references.

use crate::markdown::{VersionRef, VersionRow};

/// The WSDL name a VMODL name has when nothing irregular happens: the lower-case package
/// components dropped, the rest concatenated (`vim.SessionManager.HttpServiceRequestSpec`
/// -> `SessionManagerHttpServiceRequestSpec`, `vim.fault.InvalidLogin` -> `InvalidLogin`).
pub fn flatten(vmodl: &str) -> String {
    vmodl.split('.').filter(|c| c.starts_with(|ch: char| ch.is_ascii_uppercase())).collect()
}

/// The IR spelling of a type as the markdown writes it (see the corpus README: `object`
/// for `anyType`, `base64` for `binary`, `vim.ExtensibleManagedObject` for an untyped
/// reference, `vmodl.LocalizedMethodFault` for a fault value).
pub fn normalize_markdown_type(name: &str) -> &str {
    match name {
        "object" => "anyType",
        "base64" => "binary",
        "URI" | "uri" => "anyURI",
        "boolean" => "bool",
        "vmodl.DateTime" => "datetime",
        "vim.ExtensibleManagedObject" => "vmodl.ManagedObject",
        "vmodl.LocalizedMethodFault" | "LocalizedMethodFault" => "vmodl.MethodFault",
        other => other,
    }
}

/// The IR primitive for an XML Schema built-in, by local name.
pub fn xsd_primitive(local: &str) -> Option<&'static str> {
    Some(match local {
        "string" => "string",
        "boolean" => "bool",
        "byte" => "byte",
        "short" => "short",
        "int" => "int",
        "long" => "long",
        "float" => "float",
        "double" => "double",
        "dateTime" => "datetime",
        "base64Binary" => "binary",
        "anyType" => "anyType",
        "anyURI" => "anyURI",
        _ => return None,
    })
}

/// Whether a markdown spelling (already normalized) agrees with the wire's type.
pub fn spelling_agrees(markdown: &str, wire: &str) -> bool {
    markdown == wire
        || (markdown == "int" && matches!(wire, "byte" | "short"))
        || (wire == "string" && matches!(markdown, "vmodl.TypeName" | "vmodl.PropertyPath" | "vmodl.MethodName"))
}

/// The first version of a type's package, which a type without an `as of` line has.
pub fn first_version(type_name: &str) -> &'static str {
    if type_name.starts_with("vmodl.query.") {
        "vmodl.query.version.version1"
    } else if type_name.starts_with("vmodl.") {
        "vmodl.version.version0"
    } else {
        "vim.version.version1"
    }
}

/// Whether `s` is a version id (`vim.version.version5`, `vmodl.query.version.version3`).
pub fn is_version_id(s: &str) -> bool {
    let Some((prefix, last)) = s.rsplit_once('.') else { return false };
    prefix.ends_with(".version") && last.starts_with("version") && last[7..].chars().all(|c| c.is_ascii_digit()) && last.len() > 7
}

/// Resolves a version reference to an id. `None` when the reference is the default "1.0"
/// text with no anchor (the caller decides what the default is) or cannot be resolved.
pub enum VersionResolution {
    Id(String),
    Default,
    Unknown,
}

pub fn resolve_version(r: &VersionRef, table: &[VersionRow]) -> VersionResolution {
    // The anchor is the truth when present; then a text that is itself an id.
    if let Some(a) = &r.anchor {
        if is_version_id(a) {
            return VersionResolution::Id(a.clone());
        }
    }
    let text = r.text.trim();
    if is_version_id(text) {
        return VersionResolution::Id(text.to_string());
    }
    if text == "1.0" || text.is_empty() {
        return VersionResolution::Default;
    }
    // An official name: several ids may share one ("vSphere API 4.0" is version4 and
    // version5); the one whose version number the name ends with is meant.
    let named: Vec<&VersionRow> = table.iter().filter(|v| v.official_name == text).collect();
    if let Some(v) = named.iter().find(|v| text.ends_with(&format!(" {}", v.version))) {
        return VersionResolution::Id(v.id.clone());
    }
    match named.as_slice() {
        [one] => VersionResolution::Id(one.id.clone()),
        _ => VersionResolution::Unknown,
    }
}

/// Orders version ids of one package by their number (`version10` after `version9`).
pub fn version_number(id: &str) -> u32 {
    id.rsplit_once(".version").and_then(|(_, n)| n.parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening() {
        assert_eq!(flatten("vim.SessionManager.HttpServiceRequestSpec"), "SessionManagerHttpServiceRequestSpec");
        assert_eq!(flatten("vim.fault.InvalidLogin"), "InvalidLogin");
        assert_eq!(flatten("vmodl.query.PropertyCollector.FilterSpec"), "PropertyCollectorFilterSpec");
        assert_eq!(flatten("vim.host.Summary"), "Summary");
    }

    #[test]
    fn version_ids() {
        assert!(is_version_id("vim.version.version5"));
        assert!(is_version_id("vmodl.query.version.version3"));
        assert!(!is_version_id("vim.version.md"));
        assert!(!is_version_id("vSphere API 4.0"));
        assert_eq!(version_number("vim.version.version10"), 10);
    }
}

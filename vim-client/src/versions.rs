//! `/sdk/vimServiceVersions.xml` and version negotiation.
//!
//! ```xml
//! <namespaces version="1.0">
//!   <namespace>
//!     <name>urn:vim25</name>
//!     <version>6.5</version>
//!     <priorVersions><version>6.0</version><version>5.5</version></priorVersions>
//!   </namespace>
//! </namespaces>
//! ```

use std::cmp::Ordering;

use vim_runtime::{ApiInfo, ApiVersion};

/// One `<namespace>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Namespace {
    pub name: String,
    /// The newest version the server speaks in it.
    pub version: String,
    pub prior: Vec<String>,
}

/// Every `<namespace>` of the document. A small tag scanner: the document is flat and has no
/// entities worth decoding; anything unexpected is skipped.
pub(crate) fn parse(xml: &str) -> Vec<Namespace> {
    let mut out = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut current: Option<Namespace> = None;
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let text = rest[..lt].trim();
        if !text.is_empty() {
            if let (Some(ns), Some(&top)) = (current.as_mut(), stack.last()) {
                let parent = stack.len().checked_sub(2).map(|i| stack[i]);
                match (parent, top) {
                    (Some("namespace"), "name") => ns.name = text.to_string(),
                    (Some("namespace"), "version") => ns.version = text.to_string(),
                    (Some("priorVersions"), "version") => ns.prior.push(text.to_string()),
                    _ => {}
                }
            }
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = local(name.trim());
            // Pop to the matching start tag (tolerates stray end tags).
            if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(pos);
                if name == "namespace" {
                    out.extend(current.take());
                }
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name = local(tag.trim_end_matches('/').split_whitespace().next().unwrap_or(""));
        if name == "namespace" && !self_closing {
            current = Some(Namespace::default());
        }
        if !self_closing {
            stack.push(name);
        }
    }
    out
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// `6.7.3` → [6, 7, 3]; `2.5u2server` → [2, 5]: enough to order release numbers.
fn numeric(v: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for part in v.split('.') {
        let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        let Ok(n) = digits.parse() else { break };
        out.push(n);
        if digits.len() != part.len() {
            break;
        }
    }
    out
}

fn known(api: &ApiInfo, version: &str) -> Option<ApiVersion> {
    api.version_of_namespace(&format!("vim25/{version}"))
}

/// The newest version both sides know: the newest known one the server lists, or the
/// bindings' latest when the server's newest is newer than anything the bindings know
/// (vim25 servers keep answering older clients).
pub(crate) fn negotiate(api: &ApiInfo, ns: &Namespace) -> Option<ApiVersion> {
    if known(api, &ns.version).is_none() && numeric(&ns.version).cmp(&numeric(api.latest().version())) == Ordering::Greater {
        return Some(api.latest());
    }
    std::iter::once(&ns.version).chain(&ns.prior).filter_map(|v| known(api, v)).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vim_types::{versions, API};

    const VCSIM: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<namespaces version="1.0">
 <namespace>
  <name>urn:vim25</name>
  <version>6.5</version>
  <priorVersions>
   <version>6.0</version>
   <version>5.5</version>
  </priorVersions>
 </namespace>
 <!-- <namespace><name>urn:fake</name></namespace> -->
 <namespace>
  <name>urn:vim2</name>
  <version>2.0</version>
 </namespace>
</namespaces>
"#;

    #[test]
    fn parses() {
        let ns = parse(VCSIM);
        assert_eq!(
            ns,
            vec![
                Namespace { name: "urn:vim25".into(), version: "6.5".into(), prior: vec!["6.0".into(), "5.5".into()] },
                Namespace { name: "urn:vim2".into(), version: "2.0".into(), prior: vec![] },
            ]
        );
    }

    fn ns(version: &str, prior: &[&str]) -> Namespace {
        Namespace { name: "urn:vim25".into(), version: version.into(), prior: prior.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn negotiates() {
        assert_eq!(negotiate(&API, &ns("6.5", &["6.0", "5.5"])), Some(API.latest()));
        // Newer than us even without listing our version.
        assert_eq!(negotiate(&API, &ns("8.0.1.0", &["8.0.0.0"])), Some(API.latest()));
        assert_eq!(negotiate(&API, &ns("5.5", &["5.1", "5.0"])), Some(versions::VERSION9));
        assert_eq!(negotiate(&API, &ns("5.1", &["5.0", "4.1", "4.0"])), Some(versions::VERSION8));
        assert_eq!(negotiate(&API, &ns("4.0", &["2.5u2server", "2.5"])), Some(versions::VERSION5));
        // An unknown label that is not newer: the newest known one.
        assert_eq!(negotiate(&API, &ns("5.1u9", &["5.0"])), Some(versions::VERSION7));
        assert_eq!(negotiate(&API, &ns("1.0", &[])), None);
        assert_eq!(negotiate(&API, &ns("", &[])), None);
    }
}

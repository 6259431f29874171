//! IR doc text -> rustdoc: references become intra-doc links, the rest is escaped so that
//! rustdoc sees no stray links, HTML or bare URLs.

use proc_macro2::TokenStream;
use quote::quote;

/// Resolves a reference target (`vim.Folder`, `vim.UserSession#key`,
/// `vim.SessionManager#cloneSession`) to a Rust path for an intra-doc link (`crate::Folder`,
/// `crate::UserSession::key`, `crate::SessionManagerClient::clone_session`), if it names
/// something emitted. `text` is the link's text: the pages name a method by its wire name
/// there when the anchor is VMODL's internal name (`#reconfigureEx` for
/// `ReconfigureComputeResource_Task`).
pub trait LinkResolver {
    fn resolve(&self, target: &str, text: &str) -> Option<String>;
}

/// `#[doc = "..."]` attributes for `text` (nothing for empty text).
pub fn doc_attrs(text: &str, links: &dyn LinkResolver) -> TokenStream {
    let lines = to_rustdoc(text, links);
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc]` attributes for several paragraphs (empty ones skipped).
pub fn doc_paragraphs(parts: &[String], links: &dyn LinkResolver) -> TokenStream {
    let text = parts.iter().filter(|p| !p.trim().is_empty()).cloned().collect::<Vec<_>>().join("\n\n");
    doc_attrs(&text, links)
}

/// The lines of a doc comment, each with the leading space `///` comments have.
pub fn to_rustdoc(text: &str, links: &dyn LinkResolver) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push(format!(" {}", line.trim()));
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        let mut l = inline(line, links);
        if l.starts_with('#') || l.starts_with("- -") || l.starts_with('=') {
            // Would read as a heading or a rule.
            l.insert(0, '\\');
        }
        // A line right after a list item would continue it: end the list first.
        let after_item = out.last().is_some_and(|p: &String| p.starts_with(" - "));
        if after_item && !l.is_empty() && !l.starts_with("- ") {
            out.push(String::new());
        }
        out.push(if l.is_empty() { String::new() } else { format!(" {l}") });
    }
    if in_fence {
        out.push(" ```".to_string());
    }
    out
}

fn inline(line: &str, links: &dyn LinkResolver) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => match rest[1..].find('`') {
                Some(end) => {
                    out.push_str(&rest[..end + 2]);
                    rest = &rest[end + 2..];
                }
                None => {
                    out.push_str("\\`");
                    rest = &rest[1..];
                }
            },
            '[' => {
                if let Some((text, target, len)) = reference(rest) {
                    let shown = escape_outside_code(text);
                    // `crate::` targets are the emitter's own links, already Rust paths.
                    let path = match target.starts_with("crate::") {
                        true => Some(target.to_string()),
                        false => links.resolve(target, text),
                    };
                    match path {
                        Some(path) => out.push_str(&format!("[{shown}]({path})")),
                        None => out.push_str(&shown),
                    }
                    rest = &rest[len..];
                } else {
                    out.push_str("\\[");
                    rest = &rest[1..];
                }
            }
            'h' if rest.starts_with("http://") || rest.starts_with("https://") => {
                let end = rest.find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == '\'').unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
            }
            _ => {
                out.push_str(&escape_text(&rest[..c.len_utf8()]));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// `[text](vim.Type#member)` (from the pages) or `[text](crate::Path)` (written by the
/// emitter) at the start of `s`: (text, target, length).
fn reference(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains('[') {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let target = &after[..end];
    let known = ["vim.", "vmodl.", "crate::"].iter().any(|p| target.starts_with(p));
    if !known || target.contains(char::is_whitespace) {
        return None;
    }
    Some((text, target, close + 2 + end + 1))
}

/// A link's text: code spans kept as they are (`` `MoRef<Folder>` ``), the rest escaped.
fn escape_outside_code(s: &str) -> String {
    if s.matches('`').count() % 2 == 1 {
        return escape_text(s);
    }
    s.split('`').enumerate().map(|(i, part)| if i % 2 == 1 { part.to_string() } else { escape_text(part) }).collect::<Vec<_>>().join("`")
}

/// Escapes what rustdoc would read as links or HTML. (Emphasis markers are left: the
/// API's prose uses `*` and `_` inside words, where markdown does not read them.)
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' | ']' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, target: &str, text: &str) -> Option<String> {
            match (target, text) {
                ("vim.Folder", _) => Some("crate::Folder".into()),
                ("vim.UserSession#key", _) => Some("crate::UserSession::key".into()),
                (_, "ByText") => Some("crate::X::by_text".into()),
                _ => None,
            }
        }
    }

    #[test]
    fn links_and_escapes() {
        let d = to_rustdoc(
            "The [Folder](vim.Folder) and [key](vim.UserSession#key), not [x](vim.Nope).\n\nA [classId.]id <b> see http://x.org/a. `a[0]`",
            &Links,
        );
        assert_eq!(
            d,
            [
                " The [Folder](crate::Folder) and [key](crate::UserSession::key), not x.",
                "",
                " A \\[classId.\\]id \\<b\\> see <http://x.org/a>. `a[0]`"
            ]
        );
    }

    /// The emitter's own links (`crate::` paths) stay links: they were escaped into literal
    /// `\[...\](crate::...)` text before. Code in a link's text is not escaped.
    #[test]
    fn emitter_links_pass_through() {
        let d = to_rustdoc("Extends [`DynamicData`](crate::DynamicData). Use [`MoRef<Folder>`](crate::MoRef) [a<b>](crate::A).", &Links);
        assert_eq!(d, [" Extends [`DynamicData`](crate::DynamicData). Use [`MoRef<Folder>`](crate::MoRef) [a\\<b\\>](crate::A)."]);
    }

    /// The resolver sees the link text too (a method's wire name when the anchor is not it).
    #[test]
    fn resolver_gets_link_text() {
        let d = to_rustdoc("See [ByText](vim.X#internalName).", &Links);
        assert_eq!(d, [" See [ByText](crate::X::by_text)."]);
    }
}

//! Inline content (markdown links and the HTML the pages embed) -> clean doc text.
//!
//! Output form (see [`super::model::Doc`]): paragraphs separated by a blank line, `- ` list
//! items, code in backticks, and references to other pages as `[text](vim.Type#member)`.

use super::blocks::{Inline, Inlines};

/// Maps a link destination to a reference target, if it points at a type page:
/// `vim.Folder.md#childType` -> `vim.Folder#childType`, `docs/vmodl.DynamicData.md` ->
/// `vmodl.DynamicData`. Primitive pages (`string.md`), the version page and in-page anchors
/// (`#string`) are not references.
pub fn reference_target(dest: &str) -> Option<String> {
    let dest = dest.trim().trim_start_matches("docs/");
    let (page, member) = match dest.split_once('#') {
        Some((p, m)) => (p, Some(m)),
        None => (dest, None),
    };
    let stem = page.strip_suffix(".md")?;
    if !(stem.starts_with("vim.") || stem.starts_with("vmodl.")) || stem == "vim.version" || stem.contains('/') {
        return None;
    }
    Some(match member {
        Some(m) if !m.is_empty() && m != "None" => format!("{stem}#{m}"),
        _ => stem.to_string(),
    })
}

/// The attribute value of `name` in an HTML start tag (`<a href='x'>`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(&rest[1..1 + end])
    } else {
        Some(rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""))
    }
}

/// Builds doc text, collapsing the whitespace runs the pages are full of.
#[derive(Default)]
struct DocWriter {
    out: String,
    /// A space is owed before the next word.
    space: bool,
    /// Open links: `Some(target)` for references, `None` for links rendered as text.
    links: Vec<Option<String>>,
    in_pre: bool,
}

impl DocWriter {
    fn text(&mut self, t: &str) {
        if self.in_pre {
            self.out.push_str(t);
            return;
        }
        for (i, word) in t.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ', '[', '(', '`']) {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push_str(word);
        }
    }
    fn raw(&mut self, t: &str) {
        if self.space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push_str(t);
    }
    fn trim_end(&mut self) {
        let l = self.out.trim_end_matches(' ').len();
        self.out.truncate(l);
    }
    fn newline(&mut self) {
        self.trim_end();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.space = false;
    }
    fn paragraph(&mut self) {
        self.trim_end();
        if self.out.is_empty() {
            return;
        }
        while !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.space = false;
    }
    fn link_start(&mut self, target: Option<String>) {
        if target.is_some() {
            self.raw("[");
        }
        self.links.push(target);
    }
    fn link_end(&mut self) {
        if let Some(Some(t)) = self.links.pop() {
            if self.out.ends_with('[') {
                // A reference with no text: show the target's last name.
                let shown = t.rsplit(['.', '#']).next().unwrap_or(&t).to_string();
                self.out.push_str(&shown);
            }
            self.out.push_str("](");
            self.out.push_str(&t);
            self.out.push(')');
        }
    }
    fn html(&mut self, tag: &str) {
        let t = tag.trim();
        if !t.starts_with('<') {
            self.text(t);
            return;
        }
        let closing = t.starts_with("</");
        let name: String =
            t.trim_start_matches(['<', '/']).chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("a", false) => {
                let target = attr(t, "href").and_then(reference_target);
                self.link_start(target);
            }
            ("a", true) => self.link_end(),
            ("br", _) => self.newline(),
            ("p", false) | ("ul", true) | ("ol", true) | ("dl", true) => self.paragraph(),
            ("p", true) => {}
            ("ul", false) | ("ol", false) | ("dl", false) => self.paragraph(),
            ("li", false) | ("dt", false) => {
                self.newline();
                self.out.push_str("- ");
                self.space = false;
            }
            ("dd", false) => {
                self.newline();
                self.out.push_str("  ");
            }
            ("li", true) | ("dt", true) | ("dd", true) => {}
            ("tt", _) | ("code", _) => self.raw("`"),
            ("pre", false) => {
                self.paragraph();
                self.out.push_str("```text\n");
                self.in_pre = true;
            }
            ("pre", true) => {
                self.in_pre = false;
                self.newline();
                self.out.push_str("```");
                self.paragraph();
            }
            // Emphasis and the rest carry no meaning the docs need.
            _ => {}
        }
    }
    fn finish(mut self) -> String {
        while let Some(l) = self.links.pop() {
            self.links.push(l);
            self.link_end();
        }
        // `newline` and `paragraph` already trim and never leave three newlines; only
        // preformatted text can leave trailing spaces.
        if self.out.contains(" \n") {
            let lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
            self.out = lines.join("\n");
        }
        let trimmed = self.out.trim();
        if trimmed.len() == self.out.len() {
            self.out
        } else {
            trimmed.to_string()
        }
    }
}

/// Inline content -> doc text.
pub fn to_doc(inl: &Inlines) -> String {
    let mut w = DocWriter::default();
    for (i, _) in &inl.items {
        match i {
            Inline::Text(t) => w.text(t),
            Inline::Code(t) => {
                w.raw("`");
                w.out.push_str(t);
                w.out.push('`');
            }
            Inline::Html(h) => {
                // An HTML block may hold several tags and text: split into tags and text.
                let mut rest: &str = h;
                while let Some(lt) = rest.find('<') {
                    w.text(&rest[..lt]);
                    match rest[lt..].find('>') {
                        Some(gt) => {
                            w.html(&rest[lt..lt + gt + 1]);
                            rest = &rest[lt + gt + 1..];
                        }
                        None => {
                            w.text(&rest[lt..]);
                            rest = "";
                        }
                    }
                }
                w.text(rest);
            }
            Inline::LinkStart { dest, .. } => w.link_start(reference_target(dest)),
            Inline::LinkEnd => w.link_end(),
            Inline::Break => w.space = true,
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;
    use crate::markdown::blocks::{parse_blocks, Block};

    fn doc_of(md: &str) -> String {
        match &parse_blocks(FileId(0), md)[0] {
            Block::Para { inl, .. } => to_doc(inl),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn references() {
        assert_eq!(reference_target("vim.Folder.md#childType").as_deref(), Some("vim.Folder#childType"));
        assert_eq!(reference_target("docs/vmodl.DynamicData.md").as_deref(), Some("vmodl.DynamicData"));
        assert_eq!(reference_target("#string"), None);
        assert_eq!(reference_target("string.md"), None);
        assert_eq!(reference_target("vim.version.md#vim.version.version5"), None);
    }

    #[test]
    fn html_becomes_doc_text() {
        let d = doc_of(
            "The <a href=\"vim.Folder.md\">Folder</a>   object.   <p>   See <a href=\"vim.Folder.md#childType\">childType</a>.<br>Next <tt>x</tt>   <ul><li> one <li> two </ul> end",
        );
        assert_eq!(d, "The [Folder](vim.Folder) object.\n\nSee [childType](vim.Folder#childType).\nNext `x`\n\n- one\n- two\n\nend");
    }

    #[test]
    fn markdown_links_to_pages() {
        let d = doc_of("a [vim.UserSession](vim.UserSession.md \"vim.UserSession\") b [x](#string \"string\")");
        assert_eq!(d, "a [vim.UserSession](vim.UserSession) b x");
    }
}

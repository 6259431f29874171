//! The generated crate's docs as rustdoc renders them: `cargo doc -p vim-types` (all features,
//! broken intra-doc links denied) into a target dir of its own, then checks on the HTML of
//! one data object (`UserSession`) and one client trait (`SessionManagerClient`): no link
//! left as literal markdown, the "Extends" line a real link, a method reference ("See
//! CloneSession") linking to the method, and the wire-name aliases in the search index.

use std::path::{Path, PathBuf};
use std::process::Command;

fn build_docs() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    // Its own target dir: the `cargo test` running us holds the lock on the main one.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rustdoc-html");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&workspace)
        .args(["doc", "-p", "vim-types", "--no-deps", "--all-features"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links")
        .output()
        .expect("run cargo doc");
    assert!(out.status.success(), "cargo doc -p vim-types failed:\n{}", String::from_utf8_lossy(&out.stderr));
    target.join("doc")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The text from `start` up to the end of its paragraph or list item.
fn sentence<'a>(html: &'a str, start: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("no `{start}` in the page"));
    let rest = &html[at..];
    let end = ["</p>", "</li>"].iter().filter_map(|e| rest.find(e)).min().unwrap_or(rest.len());
    &rest[..end]
}

/// Markdown that rustdoc did not read as a link shows as text: `\[x\](crate::X)` (escaped
/// brackets) or `[x](crate::X)`.
fn assert_no_literal_links(page: &str, html: &str) {
    for bad in ["\\[", "](crate::", "](vim."] {
        if let Some(at) = html.find(bad) {
            panic!("{page}: literal `{bad}` in the rendered docs: …{}…", &html[at.saturating_sub(80)..(at + 80).min(html.len())]);
        }
    }
    println!("ok  {page}: no literal `\\[`, `](crate::` or `](vim.`");
}

#[test]
fn rendered_docs_have_real_links_and_aliases() {
    let doc = build_docs();
    let dir = doc.join("vim_types");

    let page = "struct.UserSession.html";
    let html = read(&dir.join(page));
    assert_no_literal_links(page, &html);
    let extends = sentence(&html, "Extends ");
    assert!(
        extends.starts_with("Extends <a href=\"struct.DynamicData.html\""),
        "{page}: the Extends line is not a link to DynamicData: {extends}"
    );
    println!("ok  {page}: {extends}");

    let page = "trait.SessionManagerClient.html";
    let html = read(&dir.join(page));
    assert_no_literal_links(page, &html);
    assert!(html.contains("id=\"method.clone_session\""), "{page}: no clone_session method anchor");
    // AcquireCloneTicket's faults say "See CloneSession": the method, not the managed object.
    let see = sentence(&html, "See <a href=\"");
    assert!(
        see.starts_with("See <a href=\"trait.SessionManagerClient.html#method.clone_session\""),
        "{page}: the first \"See\" link does not point at the clone_session method: {see}"
    );
    println!("ok  {page}: {see}");

    // The search index: `search-index.js` (older rustdoc) or `search.index/` (1.91+), where
    // aliases are a column of their own (`search.index/alias/*.js`, `rd_("")` when none).
    let old = doc.join("search-index.js");
    let aliases = if old.exists() {
        let idx = read(&old);
        assert!(idx.contains("acquirecloneticket"), "search-index.js lacks the alias `AcquireCloneTicket`");
        "search-index.js holds `acquirecloneticket`".to_string()
    } else {
        let col = doc.join("search.index/alias");
        let text: String =
            std::fs::read_dir(&col).unwrap_or_else(|e| panic!("read {}: {e}", col.display())).map(|e| read(&e.unwrap().path())).collect();
        assert!(text.chars().any(|c| c.is_ascii_digit()), "the search index has no aliases: {}", col.display());
        format!("the alias column lists alias targets ({} bytes)", text.len())
    };
    // The alias itself is in the page's source: rustdoc does not render it.
    let src = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../vim-types/src/generated/vim/session_manager.rs"));
    assert!(
        src.contains("#[doc(alias = \"AcquireCloneTicket\")]\n    fn acquire_clone_ticket"),
        "SessionManagerClient::acquire_clone_ticket has no `#[doc(alias = \"AcquireCloneTicket\")]`"
    );
    println!("ok  aliases: {aliases}; acquire_clone_ticket carries `AcquireCloneTicket`");
}

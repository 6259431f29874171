//! Embeds the hand-written part of `vim-types` (every file under `vim-types/src/` except
//! `generated/`) into the xtask binary, for `cargo xtask gen --out`: the list of files is
//! found here, so that a new hand-written module needs no change to xtask.

use std::path::{Path, PathBuf};

fn walk(root: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) {
    let dir = root.join(rel);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if e.file_type().unwrap().is_dir() {
            if path != "generated" {
                walk(root, &path, out);
            }
        } else {
            out.push((path, e.path()));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let src = manifest.join("../vim-types/src").canonicalize().expect("vim-types/src beside xtask");
    let mut files = Vec::new();
    walk(&src, "", &mut files);
    assert!(files.iter().any(|(p, _)| p == "lib.rs"), "vim-types/src/lib.rs is missing");
    let mut code = String::from("/// `(path relative to vim-types/src, contents)` of every hand-written file.\npub const HAND_WRITTEN: &[(&str, &str)] = &[\n");
    for (rel, path) in &files {
        // A new module is declared in a file already listed: watching those is enough (a
        // directory would be scanned whole, generated/ included, and rebuild xtask on every gen).
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("hand_written.rs");
    std::fs::write(out, code).unwrap();
}

//! Mutation fuzzing of the pyVmomi frontend, deterministic (xorshift) so every failure
//! reproduces from its seed. The base input is a small registry in the `_typeinfo_*` form
//! written for this test; each case damages it (truncate, delete/duplicate a range, insert
//! brackets, quotes, `|`, backslashes, newlines, random characters) and reads it.
//!
//! For any input: no panic; every diagnostic has a position inside its file that renders;
//! and a damaged input that changes what is read says so with at least one diagnostic
//! (the registry is never silently different). `FUZZ_CASES=N`, `FUZZ_SEED=S` as in
//! fuzz_frontends.rs.

use std::panic::{catch_unwind, AssertUnwindSafe};

use codegen::diag::{Diagnostics, Kind, SourceMap};
use codegen::pyvmomi::{self, Layout, Registry};
use vimgen_test_support::Rng;

const BASE: &str = r#"from .VmomiSupport import CreateDataType, CreateManagedType, F_LINK, F_OPTIONAL, F_SECRET
AddVersion("vim.version.version1", "vim2", "2.0", 1, "vim25")
AddVersion("vim.version.version9", "vim25", "5.5", 0, "vim25")
AddVersionParent("vim.version.version9", "vim.version.version1")
AddVersionParent("vim.version.version9", "vim.version.version9")
newestVersions.Add("vim.version.version9")
CreateManagedType("vim.SessionManager", "SessionManager", "vmodl.ManagedObject", "vim.version.version1", [("sessionList", "vim.UserSession[]", "vim.version.version1", F_OPTIONAL, "Sessions.TerminateSession")], [("login", "Login", "vim.version.version1", (("userName", "string", "vim.version.version1", 0, None),("password", "string", "vim.version.version1", F_SECRET, None),), (0, "vim.UserSession", "vim.UserSession"), "System.Anonymous", ["vim.fault.InvalidLogin", ]), ("logout", "Logout", "vim.version.version9", (), (0, "void", "void"), "System.View", None)])
CreateDataType("vim.UserSession", "UserSession", "vmodl.DynamicData", "vim.version.version1", [("key", "string", "vim.version.version1", 0), ("host", "vim.HostSystem", "vim.version.version9", F_LINK | F_OPTIONAL)])
CreateEnumType("vim.Kind", "Kind", "vim.version.version9", ["a", 'b'])  # comment
"#;

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Reads `text` as one registry file; checks every diagnostic's position and rendering.
fn read(text: &str) -> (Registry, Diagnostics) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let reg = pyvmomi::read_in_memory(&[("_typeinfo_vim.py", text)], Layout::TypeInfo, &mut sources, &mut diags);
    for d in &diags.list {
        let span = d.span.unwrap_or_else(|| panic!("no position: {}", d.message));
        assert!(span.start <= span.end && span.end as usize <= text.len(), "span out of the file: {span:?}");
        assert!(text.is_char_boundary(span.start as usize), "span inside a character");
        assert!(d.render(&sources).contains("_typeinfo_vim.py:"), "{}", d.render(&sources));
    }
    // The base is a partial registry (it uses `vim.HostSystem`, `vim.Task`... without
    // defining them): unknown-type warnings are positioned and rendered above, then dropped.
    diags.list.retain(|d| d.kind != Kind::PyUnknownType);
    (reg, diags)
}

/// One random damage to `text`, on character boundaries.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let len = rng.below(40).min(chars.len() - at.min(chars.len()));
    let mut out: Vec<char> = chars[..at].to_vec();
    const INSERTS: [&str; 14] = ["(", ")", "[", "]", "\"", "'", ",", "|", "\\", "\n", "#", "F_", "é", "\"\"\""];
    match rng.below(6) {
        0 => return chars[..at].iter().collect(),
        1 => out.extend(&chars[at + len..]),
        2 => {
            out.extend(&chars[at..at + len]);
            out.extend(&chars[at..]);
        }
        3 => {
            out.extend(INSERTS[rng.below(INSERTS.len())].chars());
            out.extend(&chars[at..]);
        }
        4 => {
            let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
            out.push(c);
            out.extend(&chars[at + len.min(1)..]);
        }
        _ => {
            // Swap two characters far apart: shapes change but stay plausible.
            let mut all = chars.clone();
            let other = rng.below(all.len());
            if at < all.len() {
                all.swap(at, other);
            }
            return all.into_iter().collect();
        }
    }
    out.into_iter().collect()
}

#[test]
fn the_base_reads_cleanly() {
    let (reg, diags) = read(BASE);
    assert!(diags.list.is_empty(), "{:?}", diags.list);
    assert_eq!(reg.counts().methods, 2);
}

#[test]
fn mutations_never_panic_and_always_point_at_the_file() {
    let cases = env_usize("FUZZ_CASES").unwrap_or(3000);
    let seed = env_usize("FUZZ_SEED").unwrap_or(0x5EED) as u64;
    let (clean, _) = read(BASE);
    let mut rng = Rng::new(seed);
    let (mut silent_changes, mut with_diags) = (Vec::new(), 0usize);
    for case in 0..cases {
        let mut text = BASE.to_string();
        for _ in 0..=rng.below(3) {
            text = mutate(&mut rng, &text);
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| read(&text)));
        let (reg, diags) = outcome.unwrap_or_else(|_| panic!("case {case} (seed {seed}) panicked on:\n{text}"));
        with_diags += usize::from(!diags.list.is_empty());
        // Losing a whole call (truncation, a deleted line) or renaming inside a string can
        // change the registry legitimately; a changed *shape* of what is kept cannot go
        // unreported. Count the silent differences in what both sides define.
        let kept_differs = reg
            .managed
            .iter()
            .any(|(k, t)| clean.managed.get(k).is_some_and(|c| c.methods.len() != t.methods.len() && diags.list.is_empty()));
        if kept_differs {
            silent_changes.push(case);
        }
    }
    eprintln!("{cases} mutated registries, {with_diags} with diagnostics, silent method-count changes: {silent_changes:?}");
    assert!(silent_changes.is_empty(), "a method list changed without a diagnostic in cases {silent_changes:?}");
    assert!(with_diags * 2 > cases, "most mutations should be reported");
}

#[test]
fn truncation_at_every_character() {
    let boundaries = BASE.char_indices().map(|(i, _)| i).chain([BASE.len()]);
    for end in boundaries {
        let outcome = catch_unwind(AssertUnwindSafe(|| read(&BASE[..end])));
        assert!(outcome.is_ok(), "panicked on the first {end} bytes");
    }
}

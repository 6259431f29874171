//! The reviewed warning counts (`xtask/expected-warnings.toml`): which input set a load is,
//! and whether its warning counts are the reviewed ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::diag::{Diagnostics, Severity};
use codegen::SpecPaths;

/// The baseline file, relative to the workspace root.
pub const FILE: &str = "xtask/expected-warnings.toml";

/// One reviewed input set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Set {
    pub name: String,
    markdown: Option<PathBuf>,
    wsdl: Option<PathBuf>,
    overrides: Option<PathBuf>,
    pyvmomi: Option<PathBuf>,
    /// Warnings per kind; a kind not listed is expected 0.
    pub warnings: BTreeMap<String, usize>,
}

/// Reads the baseline: `[[set]]` tables with `name`, the inputs, and `[set.warnings]`.
pub fn parse(text: &str, root: &Path, target: &Path) -> Result<Vec<Set>> {
    let table: toml::Table = text.parse().context("not TOML")?;
    for key in table.keys() {
        if key != "set" {
            bail!("unknown key `{key}` (only [[set]] tables)");
        }
    }
    let Some(sets) = table.get("set") else { return Ok(Vec::new()) };
    let Some(sets) = sets.as_array() else { bail!("`set` must be [[set]] tables") };
    let mut out: Vec<Set> = Vec::new();
    for (i, s) in sets.iter().enumerate() {
        let Some(s) = s.as_table() else { bail!("set {}: not a table", i + 1) };
        let name = s.get("name").and_then(|v| v.as_str()).with_context(|| format!("set {}: no `name`", i + 1))?.to_string();
        let path = |key: &str| -> Result<Option<PathBuf>> {
            match s.get(key) {
                None => Ok(None),
                Some(v) => {
                    let v = v.as_str().with_context(|| format!("set `{name}`: `{key}` is not a string"))?;
                    Ok(Some(match v.strip_prefix("$TARGET/") {
                        Some(rest) => target.join(rest),
                        None => root.join(v),
                    }))
                }
            }
        };
        let mut warnings = BTreeMap::new();
        if let Some(w) = s.get("warnings") {
            let w = w.as_table().with_context(|| format!("set `{name}`: `warnings` is not a table"))?;
            for (kind, n) in w {
                let n = n.as_integer().filter(|n| *n >= 0).with_context(|| format!("set `{name}`: `{kind}` is not a count"))?;
                warnings.insert(kind.clone(), n as usize);
            }
        }
        for key in s.keys() {
            if !["name", "markdown", "wsdl", "overrides", "pyvmomi", "warnings"].contains(&key.as_str()) {
                bail!("set `{name}`: unknown key `{key}`");
            }
        }
        let set = Set {
            markdown: path("markdown")?,
            wsdl: path("wsdl")?,
            overrides: path("overrides")?,
            pyvmomi: path("pyvmomi")?,
            warnings,
            name,
        };
        if out.iter().any(|o| o.name == set.name) {
            bail!("set `{}` is listed twice", set.name);
        }
        out.push(set);
    }
    Ok(out)
}

/// The same file or folder (canonical paths; as given when it does not exist).
fn same(a: Option<&Path>, b: Option<&Path>) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => canon(a) == canon(b),
        _ => false,
    }
}

/// The set whose inputs are exactly `paths`.
pub fn find<'a>(sets: &'a [Set], paths: &SpecPaths) -> Option<&'a Set> {
    sets.iter().find(|s| {
        same(s.markdown.as_deref(), paths.markdown.as_deref())
            && same(s.wsdl.as_deref(), Some(&paths.wsdl))
            && same(s.overrides.as_deref(), paths.overrides.as_deref())
            && same(s.pyvmomi.as_deref(), paths.pyvmomi.as_deref())
    })
}

/// Warning counts per kind.
pub fn warning_counts(diags: &Diagnostics) -> BTreeMap<String, usize> {
    diags.counts().into_iter().filter(|((sev, _), _)| *sev == Severity::Warning).map(|((_, k), n)| (k.to_string(), n)).collect()
}

/// Each kind whose count is not the reviewed one: `kind: N (expected M)`, by kind.
pub fn moved(set: &Set, counts: &BTreeMap<String, usize>) -> Vec<String> {
    let mut kinds: Vec<&String> = set.warnings.keys().chain(counts.keys()).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .filter_map(|k| {
            let (now, expected) = (counts.get(k).copied().unwrap_or(0), set.warnings.get(k).copied().unwrap_or(0));
            (now != expected).then(|| format!("{k}: {now} (expected {expected})"))
        })
        .collect()
}

/// The verdict line under the warnings table, and whether the counts are the reviewed ones
/// (`None`: no set for these inputs).
pub fn verdict(sets: &[Set], paths: &SpecPaths, diags: &Diagnostics) -> (String, Option<bool>) {
    let Some(set) = find(sets, paths) else {
        return (format!("warning counts: no reviewed set for these inputs (add one to {FILE})\n"), None);
    };
    let moved = moved(set, &warning_counts(diags));
    if moved.is_empty() {
        (format!("warning counts: as expected for `{}` ({FILE})\n", set.name), Some(true))
    } else {
        let mut s = format!("warning counts: NOT as expected for `{}`; review them (--warnings) and update {FILE}:\n", set.name);
        for m in &moved {
            s.push_str(&format!("  {m}\n"));
        }
        (s, Some(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[[set]]
name = "spec/"
markdown = "spec"
wsdl = "spec/wsdl"
overrides = "spec/overrides.toml"
[set.warnings]
doc-link-unresolved = 6

[[set]]
name = "with registry"
markdown = "spec"
wsdl = "spec/wsdl"
pyvmomi = "$TARGET/py/pyVmomi"
"#;

    fn paths(pyvmomi: Option<&str>, overrides: bool) -> SpecPaths {
        SpecPaths {
            markdown: Some("/r/spec".into()),
            wsdl: "/r/spec/wsdl".into(),
            overrides: overrides.then(|| "/r/spec/overrides.toml".into()),
            pyvmomi: pyvmomi.map(PathBuf::from),
        }
    }

    #[test]
    fn sets_match_their_exact_inputs() {
        let sets = parse(TEXT, Path::new("/r"), Path::new("/t")).unwrap();
        assert_eq!(sets.len(), 2);
        assert_eq!(find(&sets, &paths(None, true)).map(|s| s.name.as_str()), Some("spec/"));
        assert_eq!(find(&sets, &paths(Some("/t/py/pyVmomi"), false)).map(|s| s.name.as_str()), Some("with registry"));
        assert_eq!(find(&sets, &paths(Some("/t/py/pyVmomi"), true)), None, "overrides differ");
        assert_eq!(find(&sets, &paths(None, false)), None);
    }

    #[test]
    fn moved_counts_are_named() {
        let sets = parse(TEXT, Path::new("/r"), Path::new("/t")).unwrap();
        let counts = |pairs: &[(&str, usize)]| pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect::<BTreeMap<_, _>>();
        assert!(moved(&sets[0], &counts(&[("doc-link-unresolved", 6)])).is_empty());
        assert_eq!(moved(&sets[0], &counts(&[("doc-link-unresolved", 7)])), ["doc-link-unresolved: 7 (expected 6)"]);
        assert_eq!(
            moved(&sets[0], &counts(&[("type-mismatch", 1)])),
            ["doc-link-unresolved: 0 (expected 6)", "type-mismatch: 1 (expected 0)"]
        );
        assert_eq!(moved(&sets[1], &counts(&[])), Vec::<String>::new());
    }

    #[test]
    fn bad_files_are_refused() {
        for bad in [
            "x = 1",
            "[[set]]\nwsdl = \"a\"",
            "[[set]]\nname = \"a\"\ncolour = \"b\"",
            "[[set]]\nname = \"a\"\n[set.warnings]\nk = -1",
            "[[set]]\nname = \"a\"\n[[set]]\nname = \"a\"",
            "[[set]\n",
        ] {
            assert!(parse(bad, Path::new("/r"), Path::new("/t")).is_err(), "{bad}");
        }
    }

    /// The committed file reads, and names the two sets `cargo xtask test` requires.
    #[test]
    fn the_committed_file_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        let sets = parse(&text, root, &root.join("target")).unwrap();
        let spec = find(&sets, &SpecPaths::in_folder(&root.join("spec"))).expect("a set for spec/");
        assert_eq!(spec.name, "spec/");
        assert!(sets.iter().any(|s| s.name == "corpus 5.5 (pages-first)"));
    }
}

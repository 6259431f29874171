//! `cargo xtask api-diff OLD NEW`: each side read from an IR JSON file or loaded from a spec;
//! the comparison itself is `codegen::ir::diff`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::diag::Severity;
use codegen::ir::Model;
use codegen::{load, SpecPaths};

/// One side: its model and a short label for the title (the file's or folder's name).
pub fn load_side(arg: &str) -> Result<(Model, String)> {
    if arg.contains('=') {
        let paths = parse_spec(arg)?;
        let label = wsdl_label(&paths.wsdl);
        return Ok((load_spec(arg, &paths)?, label));
    }
    let path = Path::new(arg);
    let label = path.file_stem().map_or_else(|| arg.to_string(), |n| n.to_string_lossy().into_owned());
    if path.is_dir() {
        if !path.join("wsdl").is_dir() {
            bail!(
                "{arg}: not a spec folder (no wsdl/ in it); give wsdl=DIR[,markdown=DIR][,pyvmomi=DIR][,overrides=FILE] or an IR JSON file"
            );
        }
        let overrides = path.join("overrides.toml");
        let paths = SpecPaths { overrides: overrides.is_file().then_some(overrides), ..SpecPaths::in_folder(path) };
        return Ok((load_spec(arg, &paths)?, label));
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {arg} (an IR JSON file, a spec folder or wsdl=DIR,...)"))?;
    let model = Model::from_json(&text).map_err(|e| anyhow::anyhow!("{arg}: {e}"))?;
    Ok((model, label))
}

/// `wsdl=DIR[,markdown=DIR][,pyvmomi=DIR][,overrides=FILE]`, with pages or a registry.
pub fn parse_spec(arg: &str) -> Result<SpecPaths> {
    let (mut wsdl, mut markdown, mut pyvmomi, mut overrides) = (None, None, None, None);
    for part in arg.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else { bail!("{arg}: `{part}` is not KEY=VALUE") };
        let slot = match key.trim() {
            "wsdl" => &mut wsdl,
            "markdown" => &mut markdown,
            "pyvmomi" => &mut pyvmomi,
            "overrides" => &mut overrides,
            other => bail!("{arg}: unknown key `{other}` (wsdl, markdown, pyvmomi, overrides)"),
        };
        if slot.replace(PathBuf::from(value.trim())).is_some() {
            bail!("{arg}: `{key}` given twice");
        }
    }
    let Some(wsdl) = wsdl else { bail!("{arg}: wsdl=DIR is required") };
    // With the registry the merge is WSDL-first and the pages give prose only; without it
    // they give the facts the WSDL lacks.
    if markdown.is_none() && pyvmomi.is_none() {
        bail!("{arg}: give markdown=DIR, pyvmomi=DIR or both (the WSDL alone lacks owners, privileges and versions)");
    }
    Ok(SpecPaths { markdown, wsdl, overrides, pyvmomi })
}

/// `wsdl-6.7u1` for `.../wsdl-6.7u1/vim25`.
fn wsdl_label(wsdl: &Path) -> String {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match name(wsdl) {
        Some(n) if n == "vim25" || n == "wsdl" => wsdl.parent().and_then(name).unwrap_or(n),
        Some(n) => n,
        None => wsdl.display().to_string(),
    }
}

/// Loads a spec; its errors are reported on stderr (the diff covers what merged).
fn load_spec(arg: &str, paths: &SpecPaths) -> Result<Model> {
    for (what, p) in [("wsdl", Some(&paths.wsdl)), ("markdown", paths.markdown.as_ref()), ("pyvmomi", paths.pyvmomi.as_ref())] {
        if let Some(p) = p {
            if !p.is_dir() {
                bail!("{arg}: {what} folder {} does not exist", p.display());
            }
        }
    }
    let loaded = load(paths);
    let errors = loaded.diags.list.iter().filter(|d| d.severity() == Severity::Error).count();
    if errors > 0 {
        eprintln!(
            "api-diff: {arg} loads with {errors} errors; the diff covers what merged (`cargo xtask ir` with the same inputs lists them)"
        );
    }
    Ok(loaded.model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_strings() {
        let p = parse_spec("wsdl=a/wsdl-7.0u2/vim25, markdown=docs,pyvmomi=py").unwrap();
        assert_eq!(
            (p.wsdl, p.markdown, p.pyvmomi, p.overrides),
            ("a/wsdl-7.0u2/vim25".into(), Some("docs".into()), Some("py".into()), None)
        );
        let p = parse_spec("wsdl=w,pyvmomi=py").unwrap();
        assert_eq!((p.markdown, p.pyvmomi), (None, Some("py".into())), "pages are optional with the registry");
        assert_eq!(wsdl_label(Path::new("a/wsdl-7.0u2/vim25")), "wsdl-7.0u2");
        assert_eq!(wsdl_label(Path::new("spec/wsdl")), "spec");
        for bad in ["markdown=x", "wsdl=x", "wsdl=x,markdown=y,color=z", "wsdl=x,wsdl=y,markdown=z", "wsdl=x,markdown"] {
            assert!(parse_spec(bad).is_err(), "{bad}");
        }
        assert!(load_side("wsdl=/nonexistent,markdown=/nonexistent").is_err());
        assert!(load_side("/nonexistent.json").is_err());
    }

    /// A fixture pair (xtask/tests/api-diff/: a WSDL and a registry each, no pages): the new
    /// registry moves versions of a property, a field and a parameter, and the 6.0 WSDL adds
    /// a parameter and a field; the diff names each since-version.
    #[test]
    fn since_versions_of_properties_fields_and_parameters_show() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api-diff");
        let side = |name: &str| {
            let arg = format!("wsdl={0}/{name},pyvmomi={0}/{name}/pyVmomi", dir.display());
            let loaded = load(&parse_spec(&arg).unwrap());
            assert_eq!(loaded.diags.error_count(), 0, "{}", loaded.diags.render_all(&loaded.sources));
            let (model, label) = load_side(&arg).unwrap();
            assert_eq!((&model, label.as_str()), (&loaded.model, name));
            model
        };
        let md = codegen::ir::diff::diff(&side("old"), &side("new")).to_markdown("old → new");
        let wheel = "#### `vim.Wheel`\n\n\
            - property `hub`: since: `vim.version.version9` → `vim.version.version5`\n\
            - method `Spin`: parameter added: `spokes: int[]?`, since `vim.version.version10`\n\
            - method `Spin`: parameter `gear`: since: `vim.version.version5` → `vim.version.version9`\n";
        let tire = "#### `vim.Tire`\n\n\
            - field added: `width: int?`, since `vim.version.version10`\n\
            - field `tread`: since: `vim.version.version1` → `vim.version.version5`\n";
        assert!(md.contains(wheel) && md.contains(tire), "{md}");
        assert!(md.contains("API version: `5.5` → `6.0`."), "{md}");
    }
}

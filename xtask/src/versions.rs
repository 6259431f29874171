//! `cargo xtask versions`: every WSDL of the corpus (5.5 to 9.1) merged WSDL-first with the
//! 5.5 pages and pyVmomi 9.1.1.0's registry must give 0 errors; then the IR is checked
//! against that version's own pyVmomi release (a check, not an input) and the agreement is
//! printed per category. The 5.5 pages-first IR (overrides file, no registry) is checked
//! against 9.1.1.0 filtered to 5.5 the same way.

use std::path::Path;

use anyhow::{bail, Context, Result};
use codegen::merge::registry::Agreement;
use codegen::SpecPaths;

/// (corpus folder, the pyVmomi release of that version on PyPI).
const VERSIONS: &[(&str, &str)] =
    &[("wsdl-5.5", "9.1.1.0"), ("wsdl-6.0", "6.0.0"), ("wsdl-6.7u1", "6.7.1"), ("wsdl-7.0u2", "7.0.2"), ("wsdl-9.1", "9.1.1.0")];

/// The registry every corpus version is generated with.
pub const INPUT_RELEASE: &str = "9.1.1.0";

fn print_agreement(label: &str, a: &Agreement) {
    let (n, ok) = a.total();
    println!("  agreement with {label}: {:.2}% ({ok} of {n} facts)", a.percent());
    for (cat, (n, ok)) in &a.categories {
        if ok < n {
            println!("    {cat}: {ok}/{n}; e.g. {}", a.examples.get(cat).map(|e| e.join("; ")).unwrap_or_default());
        }
    }
}

pub fn run(corpus: &Path, target: &Path, overrides_55: &Path) -> Result<()> {
    let input = crate::pyvmomi_release::fetch(target, INPUT_RELEASE).map_err(anyhow::Error::msg)?;
    let mut failed = Vec::new();
    for (folder, own) in VERSIONS {
        let wsdl = corpus.join(folder).join("vim25");
        let paths = SpecPaths {
            markdown: Some(corpus.join("pyvmomi-docs-5.5")),
            wsdl: wsdl.clone(),
            overrides: None,
            pyvmomi: Some(input.clone()),
        };
        let started = std::time::Instant::now();
        let loaded = codegen::load(&paths);
        let took = started.elapsed();
        let api = loaded.model.api_version.clone().unwrap_or_default();
        println!(
            "{folder} (API {api}): {} errors, {} warnings; {} managed objects, {} data objects, {} enums, {} methods ({:.0} ms)",
            loaded.diags.error_count(),
            loaded.diags.warning_count(),
            loaded.model.managed_objects.len(),
            loaded.model.data_objects.len(),
            loaded.model.enums.len(),
            loaded.model.managed_objects.iter().map(|m| m.methods.len()).sum::<usize>(),
            took.as_secs_f64() * 1e3
        );
        if loaded.diags.has_errors() {
            for d in loaded.diags.list.iter().filter(|d| d.severity() == codegen::diag::Severity::Error) {
                eprintln!("{}\n", d.render(&loaded.sources));
            }
            failed.push(folder.to_string());
            continue;
        }
        let own_dir = crate::pyvmomi_release::fetch(target, own).map_err(anyhow::Error::msg)?;
        let own_reg = codegen::pyvmomi::load(&own_dir);
        if own_reg.diags.has_errors() {
            bail!("pyvmomi {own}'s registry does not read cleanly:\n{}", own_reg.diags.render_all(&own_reg.sources));
        }
        match own_reg.registry.version_by_id("vim25", &api) {
            Some(v) => {
                print_agreement(&format!("pyvmomi {own} at {}", v.name), &Agreement::compare(&loaded.model, &own_reg.registry, &v.name))
            }
            None => println!("  pyvmomi {own} has no version vim25/{api}: no agreement figure"),
        }
    }
    // The pages-first 5.5 IR (what spec/ is generated with) against the same registry.
    let paths = SpecPaths {
        markdown: Some(corpus.join("pyvmomi-docs-5.5")),
        wsdl: corpus.join("wsdl-5.5/vim25"),
        overrides: Some(overrides_55.to_path_buf()),
        pyvmomi: None,
    };
    let loaded = codegen::load(&paths);
    let reg = codegen::pyvmomi::load(&input);
    println!(
        "wsdl-5.5 pages-first (overrides, no registry): {} errors, {} warnings",
        loaded.diags.error_count(),
        loaded.diags.warning_count()
    );
    print_agreement(
        &format!("pyvmomi {INPUT_RELEASE} at vim.version.version9"),
        &Agreement::compare(&loaded.model, &reg.registry, "vim.version.version9"),
    );
    if loaded.diags.has_errors() {
        failed.push("wsdl-5.5 pages-first".into());
    }
    if !failed.is_empty() {
        bail!("errors in the IR of: {}", failed.join(", "));
    }
    Ok(())
}

/// The corpus folder beside the project.
pub fn corpus(root: &Path) -> Result<std::path::PathBuf> {
    let corpus = root.join("../shared/spec-corpus");
    std::fs::metadata(&corpus).with_context(|| format!("the spec corpus is not at {}", corpus.display()))?;
    Ok(corpus)
}

/// The 9.1 API as a crate (`target/full-api-9.1/vim-types/`, generated WSDL-first from the 9.1
/// WSDL, the 5.5 pages and pyVmomi 9.1.1.0), built in debug with warnings denied together with
/// vim-client and `tests/versions/gate.rs` (workspace `target/full-api-9.1/gate/`), clippy'd,
/// then the gate test run against vcsim: a 7.0 method refused against vcsim's 6.5.
pub fn full_api_91(root: &Path, target: &Path, vcsim: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    let dir = target.join("full-api-9.1");
    let (crate_dir, ws, build) = (dir.join("vim-types"), dir.join("gate"), dir.join("target"));
    let corpus = corpus(root)?;
    let py = crate::pyvmomi_release::fetch(target, INPUT_RELEASE).map_err(anyhow::Error::msg)?;
    let spec = crate::SpecArgs {
        markdown: Some(corpus.join("pyvmomi-docs-5.5")),
        wsdl: Some(corpus.join("wsdl-9.1/vim25")),
        overrides: None,
        pyvmomi: Some(py),
        warnings: false,
    };
    eprintln!("--- cargo xtask gen --out {} (the 9.1 API, WSDL-first)", crate_dir.display());
    if !crate::gen_cmd(&spec, false, Some(&crate_dir), &crate::gen::RuntimeDep::Local)? {
        bail!("generating the 9.1 API failed");
    }
    let abs = |p: &str| -> Result<String> {
        let path = root.join(p).canonicalize().with_context(|| format!("{p} is missing"))?;
        path.to_str().map(str::to_string).context("a path that is not UTF-8")
    };
    // The project's profiles, so that the generated crate builds as in the workspace.
    let project: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))?.parse().context("parsing Cargo.toml")?;
    let mut manifest = String::from("# Written by `cargo xtask test`: the 9.1 API's gate test (tests/versions/gate.rs).\n\n");
    manifest.push_str("[workspace]\nmembers = [\"vim-gate\"]\nresolver = \"2\"\n\n");
    if let Some(profile) = project.get("profile") {
        let mut t = toml::Table::new();
        t.insert("profile".into(), profile.clone());
        manifest.push_str(&toml::to_string(&t).context("writing the profiles")?);
    }
    let member = format!(
        r#"[package]
name = "vim-gate"
version = "0.1.0"
edition = "2021"
publish = false
autobins = false
autotests = false
autoexamples = false
autobenches = false

[[test]]
name = "gate"
path = "{test}"

[dependencies]
vim-types = {{ path = "../../vim-types" }}
vim-client = {{ path = "{client}" }}
tokio = {{ version = "1", default-features = false, features = ["rt", "net", "time"] }}
"#,
        test = abs("tests/versions/gate.rs")?,
        client = abs("vim-client")?,
    );
    for (path, text) in [(ws.join("Cargo.toml"), manifest), (ws.join("vim-gate/Cargo.toml"), member)] {
        std::fs::create_dir_all(path.parent().unwrap_or(&ws))?;
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text)?;
        }
    }
    let deny = std::ffi::OsStr::new("-Dwarnings");
    let envs = [("CARGO_TARGET_DIR", build.as_os_str()), ("RUSTFLAGS", deny)];
    crate::cargo(&ws, &["build", "--all-targets"], &envs, "full 9.1 API: build (vim-types, vim-client, the gate test)")?;
    crate::cargo(&crate_dir, &["clippy", "--", "-D", "warnings"], &envs, "full 9.1 API: clippy on vim-types")?;
    let envs = [("CARGO_TARGET_DIR", build.as_os_str()), ("RUSTFLAGS", deny), ("VCSIM_BIN", vcsim.as_os_str())];
    crate::cargo(&ws, &["test", "--test", "gate", "--", "--nocapture"], &envs, "full 9.1 API: a 7.0 method refused against vcsim (6.5)")?;
    eprintln!("--- full 9.1 API: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The scale test (tests/scale/) on the 9.1 crate built by [`full_api_91`]: every VM's config
/// and summary and every host's config of vcsim's large model, with the decoder's report (the
/// 5.5 crate skips thousands of elements vcsim 6.5 sends). Not in `cargo xtask test` (time).
pub fn scale_91(root: &Path, target: &Path, vcsim: &Path) -> Result<()> {
    let dir = target.join("full-api-9.1");
    let layout = crate::scale::Layout { vim_types: dir.join("vim-types"), workspace: dir.join("scale"), target: dir.join("target") };
    crate::scale::assemble(root, &layout)?;
    crate::scale::run_test(&layout, vcsim, &crate::scale::Options { vm_per_pool: 2000, hosts_per_cluster: 19, page: 500 })
}

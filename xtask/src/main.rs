//! `cargo xtask`: the project's command line. See README.md.

mod bench;
mod peers;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use codegen::diag::Severity;
use codegen::{load, Loaded, SpecPaths};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "vimgen: the vSphere spec -> typed Rust bindings")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Read and merge the spec (default: spec/), report diagnostics; the Rust emitter
    /// (vim-types/src/generated) comes with the emitter issue.
    Gen(SpecArgs),
    /// Write the merged IR as JSON (format vimgen-ir/1).
    Ir {
        #[command(flatten)]
        spec: SpecArgs,
        /// Output file (default: standard output).
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
        /// Print overrides entries that heuristics propose, for a person to check.
        #[arg(long)]
        propose: bool,
    },
    /// Run every test: the workspace's cargo tests, then the IR of spec/ and of the corpus.
    Test,
    /// Benchmark parse + merge of the full corpus against the bare parse floor.
    Bench {
        /// Iterations (the median is reported).
        #[arg(long, default_value_t = 15)]
        iterations: usize,
    },
}

#[derive(Args, Clone)]
struct SpecArgs {
    /// Folder of markdown pages (default: spec/).
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Folder holding vim.wsdl and its XSDs (default: spec/wsdl).
    #[arg(long)]
    wsdl: Option<PathBuf>,
    /// Reviewed overrides file (default: spec/overrides.toml when reading spec/).
    #[arg(long)]
    overrides: Option<PathBuf>,
    /// Render every warning, not only a count per kind.
    #[arg(long)]
    warnings: bool,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

impl SpecArgs {
    fn paths(&self) -> SpecPaths {
        let default = SpecPaths::in_folder(&root().join("spec"));
        match (&self.markdown, &self.wsdl) {
            (None, None) => SpecPaths { overrides: self.overrides.clone().or(default.overrides), ..default },
            (md, wsdl) => SpecPaths {
                markdown: md.clone().unwrap_or(default.markdown),
                wsdl: wsdl.clone().unwrap_or(default.wsdl),
                overrides: self.overrides.clone(),
            },
        }
    }
}

/// Loads the spec and prints its diagnostics to stderr: every error, warnings rendered
/// only on request, and a summary per kind. Returns the load and whether it had errors.
fn load_and_report(spec: &SpecArgs) -> (Loaded, bool) {
    let loaded = load(&spec.paths());
    for d in &loaded.diags.list {
        if d.severity == Severity::Error || spec.warnings {
            eprintln!("{}\n", d.render(&loaded.sources));
        }
    }
    eprint!("{}", loaded.diags.summary());
    let failed = loaded.diags.has_errors();
    (loaded, failed)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    match Cli::parse().cmd {
        Cmd::Gen(spec) => {
            let (loaded, failed) = load_and_report(&spec);
            let m = &loaded.model;
            let methods: usize = m.managed_objects.iter().map(|o| o.methods.len()).sum();
            eprintln!(
                "gen: read {} managed objects ({methods} methods), {} data objects, {} enums from {}; Rust emission is not implemented yet",
                m.managed_objects.len(),
                m.data_objects.len(),
                m.enums.len(),
                spec.paths().markdown.display()
            );
            Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Cmd::Ir { spec, out, propose } => {
            let (loaded, failed) = load_and_report(&spec);
            if propose {
                for (section, lines) in &loaded.proposals {
                    println!("[{section}]");
                    for l in lines {
                        println!("{l}");
                    }
                    println!();
                }
            }
            let json = loaded.model.to_json();
            match out {
                Some(path) => std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?,
                None if !propose => print!("{json}"),
                None => {}
            }
            Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Cmd::Test => {
            let root = root();
            let pyvmomi = peers::pyvmomi(&root)?;
            let status = Command::new(env!("CARGO"))
                .args(["test", "--workspace"])
                .env("PYVMOMI_DIR", &pyvmomi)
                .current_dir(&root)
                .status()?;
            if !status.success() {
                bail!("cargo test failed");
            }
            for (label, spec) in [("spec/", SpecArgs { markdown: None, wsdl: None, overrides: None, warnings: false }), ("corpus", corpus_args()?)] {
                eprintln!("--- cargo xtask ir on {label}");
                let (_, failed) = load_and_report(&spec);
                if failed {
                    bail!("the IR of {label} has errors");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench { iterations } => {
            bench::run(&corpus_args()?.paths(), iterations)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The full vSphere 5.5 corpus beside the project, with the project's overrides for it.
fn corpus_args() -> Result<SpecArgs> {
    let corpus = root().join("../shared/spec-corpus");
    if !corpus.is_dir() {
        bail!("the spec corpus is not at {} (it is expected beside the project)", corpus.display());
    }
    Ok(SpecArgs {
        markdown: Some(corpus.join("pyvmomi-docs-5.5")),
        wsdl: Some(corpus.join("wsdl-5.5/vim25")),
        overrides: Some(root().join("corpus/vsphere-5.5.overrides.toml")),
        warnings: false,
    })
}

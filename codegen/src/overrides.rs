//! The reviewed overrides file: facts about the API that neither the markdown nor the WSDL
//! states (see `spec/overrides.toml`). It is read as TOML; its shape is [`Overrides`].
//!
//! ```toml
//! # VMODL name -> WSDL name, where flattening the VMODL name does not give the wire name.
//! [type_aliases]
//! "vim.ServiceInstanceContent" = "ServiceContent"
//!
//! [managed_objects."vim.SessionManager"]
//! wsdl_name = "SessionManager"          # the `type` attribute references to it carry
//! array_properties = ["sessionList"]    # properties that are arrays (no input marks them)
//! [managed_objects."vim.Folder".method_returns]
//! CreateFolder = "vim.Folder"           # managed object a method returns by reference
//! [managed_objects."vim.Folder".param_types]
//! "MoveIntoFolder.list" = "vim.ManagedEntity"   # managed object a parameter refers to
//! [managed_objects."vim.Folder".property_types]
//! childEntity = "vim.ManagedEntity"     # where the markdown's type is wrong or missing
//!
//! [data_objects."vim.fault.NoHost".property_types]
//! host = "vim.HostSystem"               # managed object a reference-typed field points at
//! ```
//!
//! A heuristic may *propose* entries (`cargo xtask ir --propose`), never add them: every
//! entry is a fact somebody checked.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, FileId, Kind, SourceMap, Span};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default)]
    pub type_aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub managed_objects: BTreeMap<String, ManagedObjectFacts>,
    #[serde(default)]
    pub data_objects: BTreeMap<String, DataObjectFacts>,
    /// The file these came from (for diagnostics); `None` when there is no file.
    #[serde(skip)]
    pub file: Option<FileId>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedObjectFacts {
    pub wsdl_name: Option<String>,
    #[serde(default)]
    pub array_properties: Vec<String>,
    #[serde(default)]
    pub property_types: BTreeMap<String, String>,
    #[serde(default)]
    pub method_returns: BTreeMap<String, String>,
    /// Keyed `"Method.param"`.
    #[serde(default)]
    pub param_types: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataObjectFacts {
    #[serde(default)]
    pub property_types: BTreeMap<String, String>,
}

impl Overrides {
    /// Parses an overrides file already added to `sources`. A syntax or shape error is a
    /// diagnostic at the offending line; the result is then empty.
    pub fn parse(sources: &SourceMap, file: FileId, diags: &mut Diagnostics) -> Overrides {
        match toml::from_str::<Overrides>(&sources.get(file).text) {
            Ok(mut o) => {
                o.file = Some(file);
                o
            }
            Err(e) => {
                let span = e.span().map(|r| Span::new(file, r.start, r.end));
                diags.push(Diagnostic::new(Kind::OverridesSyntax, format!("invalid overrides file: {}", e.message())).at_opt(span));
                Overrides { file: Some(file), ..Overrides::default() }
            }
        }
    }

    /// Finds the line of an entry's key in the file, for diagnostics about that entry.
    pub fn span_of(&self, sources: &SourceMap, key: &str) -> Option<Span> {
        let file = self.file?;
        let text = &sources.get(file).text;
        let quoted = format!("\"{key}\"");
        let at = text.find(&quoted).or_else(|| text.find(key))?;
        Some(Span::new(file, at, at + key.len().max(1)))
    }
}

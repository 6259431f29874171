//! The WSDL/XSD frontend: vim25 WSDL + XSD files -> [`Schema`] (wire names, spans).
//!
//! `parse` finds and loads files, `scan` reads one file's XML into raw declarations, `join`
//! sorts, de-duplicates, checks references and joins operations with their messages.

mod join;
pub mod model;
mod parse;
mod scan;

pub use model::*;
pub use parse::{read_dir, read_entry, read_in_memory};

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

use crate::diag::Kind;

/// Every diagnostic kind this frontend emits (severity and meaning: [`Kind`]).
///
/// Errors: the schema read is incomplete or wrong (a file or declaration is missing, the XML
/// is malformed). Warnings: something is suspicious or outside the subset of XML Schema vim25
/// uses, and the schema read is still what the files say.
pub const KINDS: &[Kind] = &[
    Kind::WsdlNoEntry,
    Kind::WsdlAmbiguousEntry,
    Kind::WsdlReadError,
    Kind::WsdlMissingInclude,
    Kind::WsdlXmlSyntax,
    Kind::WsdlUnexpectedRoot,
    Kind::WsdlUnknownPrefix,
    Kind::WsdlMissingAttribute,
    Kind::WsdlBadOccurs,
    Kind::WsdlDuplicateType,
    Kind::WsdlDuplicateElement,
    Kind::WsdlDuplicateMessage,
    Kind::WsdlDuplicateOperation,
    Kind::WsdlUnknownMessage,
    Kind::WsdlUnknownElement,
    Kind::WsdlMissingRequestType,
    Kind::WsdlMissingThis,
    Kind::WsdlUnknownGroup,
    Kind::WsdlUnknownType,
    Kind::WsdlBadResponse,
    Kind::WsdlUnboundOperation,
    Kind::WsdlUnknownBindingOperation,
    Kind::WsdlDuplicateBinding,
    Kind::WsdlUnsupported,
    Kind::WsdlRemoteInclude,
];

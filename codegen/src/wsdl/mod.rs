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

/// Every diagnostic kind this frontend emits, with its severity and meaning.
///
/// Errors: the schema read is incomplete or wrong (a file or declaration is missing, the XML
/// is malformed). Warnings: something is suspicious or outside the subset of XML Schema vim25
/// uses, and the schema read is still what the files say.
pub const KINDS: &[(&str, &str, &str)] = &[
    ("wsdl-no-entry", "error", "the folder has no vim.wsdl and no other *.wsdl with a portType"),
    ("wsdl-ambiguous-entry", "error", "several *.wsdl files with a portType and no vim.wsdl"),
    ("wsdl-read-error", "error", "a file exists but cannot be read (permissions, not UTF-8)"),
    ("wsdl-missing-include", "error", "a schemaLocation/location names a file that does not exist"),
    ("wsdl-xml-syntax", "error", "malformed XML; the rest of that file is not read"),
    ("wsdl-unexpected-root", "error", "a file's root is neither wsdl:definitions nor xsd:schema"),
    ("wsdl-unknown-prefix", "error", "a QName value uses an undeclared namespace prefix"),
    ("wsdl-missing-attribute", "error", "a declaration lacks a required attribute (name, type, message...)"),
    ("wsdl-bad-occurs", "error", "minOccurs/maxOccurs is not a number (or unbounded), or max < min"),
    ("wsdl-duplicate-type", "error", "a type name declared twice (the first is kept)"),
    ("wsdl-duplicate-element", "error", "a top-level element declared twice (the first is kept)"),
    ("wsdl-duplicate-message", "error", "a message declared twice (the first is kept)"),
    ("wsdl-duplicate-operation", "error", "a portType operation declared twice (the first is kept)"),
    ("wsdl-unknown-message", "error", "an operation's input/output/fault names no message"),
    ("wsdl-unknown-element", "error", "a message part names no top-level element, or a fault element has no type"),
    ("wsdl-missing-request-type", "error", "an operation's request type is missing (operation dropped)"),
    ("wsdl-missing-this", "error", "a request type does not start with `_this`"),
    ("wsdl-unknown-group", "error", "a `<group ref>` names no `<group name>` of the schemas read (its elements are missing)"),
    ("wsdl-unknown-type", "warning", "a type reference (element type, base) resolves to nothing declared"),
    ("wsdl-bad-response", "warning", "a response element without a type, or with more than `returnval`"),
    ("wsdl-unbound-operation", "warning", "a portType operation has no binding (no soapAction)"),
    ("wsdl-unknown-binding-operation", "warning", "a binding operation is not in the portType"),
    ("wsdl-duplicate-binding", "warning", "an operation bound twice (the first binding is used)"),
    ("wsdl-unsupported", "warning", "an XML Schema/WSDL construct outside the subset vim25 uses (ignored)"),
    ("wsdl-remote-include", "warning", "a schemaLocation that is a URL (not fetched)"),
];

//! The page model: what the pyVmomi-style markdown says, in VMODL names, with source spans.
//! Nothing here knows about the WSDL or Rust.

use crate::diag::{FileId, Span};

/// A type as a page writes it: the cell's text (`vim.UserSession`, `string`, `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeCell {
    pub name: String,
    pub span: Span,
}

/// Documentation text, cleaned of HTML. Paragraphs are separated by a blank line, list
/// items start with `- `, code is in backticks, and references to other pages are kept as
/// `[text](vim.Folder)` or `[text](vim.Folder#childType)`: the target is a VMODL type name,
/// optionally with a member (property or method, as the page's anchor spells it).
pub type Doc = String;

/// A version as a page refers to it: the link text (`vSphere API 4.0`) and the anchor
/// (`vim.version.version5`), either of which may be missing or `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRef {
    pub text: String,
    pub anchor: Option<String>,
    pub span: Span,
}

/// Which table a type page carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableForm {
    /// `| property | type | optional | priv | desc |`: managed and data objects.
    Full,
    /// `| property | type | optional |`: fault pages.
    Fault,
    /// No property table at all.
    Missing,
}

/// One page describing a managed object, data object or fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypePage {
    pub file: FileId,
    /// VMODL name from the title.
    pub name: String,
    pub name_span: Span,
    /// `inherits from [X](...)`.
    pub base: Option<TypeCell>,
    /// `as of [...](...)`.
    pub since: Option<VersionRef>,
    /// `### DEPRECATED` on the page.
    pub deprecated: bool,
    pub description: Doc,
    pub table: TableForm,
    pub properties: Vec<PageProperty>,
    pub methods: Vec<PageMethod>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageProperty {
    pub name: String,
    pub ty: TypeCell,
    /// The `optional` column says `true`.
    pub optional: bool,
    /// The `priv` column; `None` when the cell says `None` or `dynamic` or is absent.
    pub privilege: Option<String>,
    pub description: Doc,
    /// The whole table row.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadingParam {
    pub name: String,
    /// The link title in the heading (`string`, `vim.HostSystem`).
    pub ty: TypeCell,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentedFault {
    /// VMODL name.
    pub name: String,
    /// When the method raises it; empty when the page says nothing more than the name.
    pub description: Doc,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageMethod {
    /// The heading's name (`PowerOnVM`: task methods drop `_Task`).
    pub name: String,
    /// The heading line.
    pub span: Span,
    /// Parameters as the heading lists them (it omits bool/int/long ones).
    pub params: Vec<HeadingParam>,
    /// The `raises` line: VMODL fault names.
    pub raises: Vec<TypeCell>,
    /// The `service name` row.
    pub service_name: Option<String>,
    pub since: Option<VersionRef>,
    pub privilege: Option<String>,
    /// The `return type` row; `None` when empty or `None`.
    pub returns: Option<TypeCell>,
    /// The `### Faults` table.
    pub faults: Vec<DocumentedFault>,
    /// Text of a `### Deprecated` block, if any.
    pub deprecated: Option<Doc>,
    pub description: Doc,
}

/// One enum of `enums.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumPage {
    /// VMODL name from the anchor (`vim.cluster.Action.ActionType`).
    pub name: String,
    /// The link text, which is the WSDL name (`ActionType`).
    pub wsdl_name: String,
    pub span: Span,
    pub description: Doc,
    pub values: Vec<EnumValue>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    pub name: String,
    pub description: Doc,
    pub span: Span,
}

/// One row of `vim.version.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
    /// `vim.version.version5`.
    pub id: String,
    /// `vSphere API 4.0`.
    pub official_name: String,
    /// `vim25/4.0`.
    pub namespace: String,
    /// `4.0`.
    pub version: String,
    pub span: Span,
}

/// Everything read from a folder of pages.
#[derive(Debug, Default)]
pub struct Pages {
    /// Sorted by name.
    pub types: Vec<TypePage>,
    /// Sorted by name.
    pub enums: Vec<EnumPage>,
    /// In table order.
    pub versions: Vec<VersionRow>,
    /// The `vim.version.md` file, if there was one.
    pub version_file: Option<FileId>,
}

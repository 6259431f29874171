//! The real vSphere 5.5 WSDL/XSD (`../shared/spec-corpus/wsdl-5.5/vim25`), read end to end.

use std::path::Path;

use codegen::diag::{Diagnostics, SourceMap};
use codegen::wsdl::{self, MaxOccurs, Schema, TypeRef};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/spec-corpus/wsdl-5.5/vim25");

fn read() -> (Schema, SourceMap, Diagnostics) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let schema = wsdl::read_dir(Path::new(CORPUS), &mut sources, &mut diags);
    (schema, sources, diags)
}

#[test]
fn dump() {
    let (schema, sources, diags) = read();
    eprintln!("{}", diags.render_all(&sources));
    eprintln!("{}", diags.summary());
    eprintln!("types {} enums {} ops {}", schema.complex_types.len(), schema.enums.len(), schema.operations.len());
    eprintln!("{:#?}", schema.operation("Login"));
}

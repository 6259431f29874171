//! The WSDL/XSD frontend, then the merge (with no pages), on arbitrary text. A NUL byte
//! splits the input into the entry `vim.wsdl` and an `a.xsd` it may include.
#![no_main]

use codegen::markdown::Pages;
use codegen::overrides::Overrides;
use codegen::{merge, wsdl};
use libfuzzer_sys::fuzz_target;

include!("check.rs");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (entry, include) = text.split_once('\0').unwrap_or((&text, ""));
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let schema = wsdl::read_in_memory(&[("spec/wsdl/vim.wsdl", entry), ("spec/wsdl/a.xsd", include)], &mut sources, &mut diags);
    let _ = merge::merge(&sources, &Pages::default(), &schema, &Overrides::default(), &mut diags);
    check(&sources, &diags);
});

//! The markdown frontend on arbitrary text. The first byte picks how the file is read: as a
//! type page, as `enums.md` or as `vim.version.md`.
#![no_main]

use codegen::markdown;
use libfuzzer_sys::fuzz_target;

include!("check.rs");

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let name = match kind % 4 {
        0 => "spec/enums.md",
        1 => "spec/vim.version.md",
        _ => "spec/vim.Fuzz.md",
    };
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let id = sources.add(name, String::from_utf8_lossy(rest).into_owned());
    let _ = markdown::parse_files(&sources, &[id], &mut diags);
    check(&sources, &diags);
});

//! The pyVmomi registry frontend (`pyvmomi::read_in_memory`) on arbitrary text. The first
//! byte picks the layout (its low bit: `_typeinfo_*.py` or `ServerObjects.py` and friends);
//! a NUL byte splits the rest into two files, so a name may be defined in both. Then every
//! version the registry declares filters it (`Registry::filter`, which follows the version
//! parents, cycles included). Spans are checked for every diagnostic, rendering for the
//! first 16.
#![no_main]

use codegen::pyvmomi::{self, Layout};
use libfuzzer_sys::fuzz_target;

include!("check.rs");

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let (layout, names) = if pick & 1 == 0 {
        (Layout::TypeInfo, ["pyVmomi/_typeinfo_core.py", "pyVmomi/_typeinfo_vim.py"])
    } else {
        (Layout::Legacy, ["pyVmomi/CoreTypes.py", "pyVmomi/ServerObjects.py"])
    };
    let text = String::from_utf8_lossy(rest);
    let (first, second) = text.split_once('\0').unwrap_or((&text, ""));
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let registry = pyvmomi::read_in_memory(&[(names[0], first), (names[1], second)], layout, &mut sources, &mut diags);
    check_rendering(&sources, &diags, 16);
    for version in registry.versions.keys() {
        let seen = registry.filter(version);
        assert!(seen.managed.len() <= registry.managed.len() && seen.data.len() <= registry.data.len());
        assert!(registry.ancestors(version).contains(version.as_str()), "{version} does not include itself");
    }
});

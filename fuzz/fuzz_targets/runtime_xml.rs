//! vim-runtime's XML reader alone (no generated API) on arbitrary bytes: the whole document
//! walked the way generated decoders walk it. The first byte sets the limits (its low four
//! bits the nesting depth, 1 to 15 or the default 128; its top bit a 16-byte text limit),
//! the second byte seeds what is done with each element: read its children, read it as
//! text, or skip it. Must hold: no panic; every error's offset within the input; the reader
//! never goes back and never past the end; an element's start is a `<` in the input; no more
//! elements open than the depth limit; text within its limit; what an element read whole
//! spans (`raw_since`) is markup from `<` to `>`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vim_runtime::xml::{DecodeError, Elem, Limits, Reader};

/// What to do with the `n`th element: 0 read its children, 1 its text, 2 skip it.
fn choice(seed: u8, n: usize) -> u32 {
    let x = (n as u32).wrapping_add(1).wrapping_mul(0x9e37_79b9) ^ u32::from(seed).wrapping_mul(0x85eb_ca6b);
    (x ^ (x >> 15)) % 3
}

struct Walk<'a> {
    body: &'a str,
    r: Reader<'a>,
    limits: Limits,
    last: u64,
}

impl<'a> Walk<'a> {
    /// Every step: the error's offset within the input, or the reader moved forward only.
    fn step<T>(&mut self, result: Result<T, DecodeError>) -> Option<T> {
        match result {
            Ok(v) => {
                let at = self.r.offset();
                assert!(at >= self.last && at as usize <= self.body.len(), "reader at {at} after {}, {} bytes", self.last, self.body.len());
                self.last = at;
                Some(v)
            }
            Err(e) => {
                assert!(e.offset as usize <= self.body.len(), "error offset {} beyond {} bytes: {}", e.offset, self.body.len(), e.message);
                None
            }
        }
    }

    fn element(&mut self, e: &Elem<'a>) {
        let at = e.start as usize;
        assert!(self.body.as_bytes().get(at) == Some(&b'<'), "element {:?} does not start at a `<`", e.name);
        assert!(e.xsi_type.as_deref() != Some(""), "an empty xsi:type");
    }

    /// What an element read whole spans.
    fn whole(&self, e: &Elem<'a>) {
        let raw = self.r.raw_since(e.start);
        assert!(raw.starts_with('<') && raw.ends_with('>'), "element {:?} read whole spans {raw:?}", e.name);
    }

    fn run(&mut self, seed: u8) {
        let result = self.r.root();
        let Some(root) = self.step(result) else { return };
        self.element(&root);
        // The open elements being read child by child, innermost last.
        let mut open: Vec<Elem<'a>> = Vec::new();
        let mut n = 0;
        let mut next = Some(root);
        loop {
            if let Some(e) = next.take() {
                n += 1;
                match choice(seed, n) {
                    1 => {
                        let result = self.r.text(&e).map(|t| t.len());
                        let Some(len) = self.step(result) else { return };
                        assert!(len <= self.limits.max_text, "text of {len} bytes past the limit");
                        self.whole(&e);
                    }
                    2 => {
                        let result = self.r.skip(&e);
                        if self.step(result).is_none() {
                            return;
                        }
                        self.whole(&e);
                    }
                    _ if e.empty => {}
                    _ => {
                        open.push(e);
                        assert!(open.len() <= self.limits.max_depth, "{} elements open, limit {}", open.len(), self.limits.max_depth);
                    }
                }
            }
            let Some(parent) = open.last() else { return };
            let parent_name = parent.name;
            let result = self.r.child();
            match self.step(result) {
                None => return,
                Some(Some(c)) => {
                    self.element(&c);
                    next = Some(c);
                }
                Some(None) => {
                    let done = open.pop().expect("an open element");
                    assert_eq!(done.name, parent_name);
                    self.whole(&done);
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [config, seed, body @ ..] = data else { return };
    let limits = Limits {
        max_depth: match config & 0x0f {
            0 => Limits::default().max_depth,
            d => usize::from(d),
        },
        max_text: if config & 0x80 != 0 { 16 } else { Limits::default().max_text },
    };
    let r = match Reader::new(body) {
        Ok(r) => r.with_limits(limits),
        Err(e) => {
            assert!(e.offset as usize <= body.len());
            assert!(std::str::from_utf8(body).is_err(), "valid UTF-8 refused: {}", e.message);
            return;
        }
    };
    // Offsets count from after a byte-order mark.
    let text = std::str::from_utf8(body).expect("the reader took it as UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Walk { body: text, r, limits, last: 0 }.run(*seed);
});

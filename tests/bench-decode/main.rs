//! The decode benchmark (`cargo xtask bench-decode`); not written yet.

fn main() {
    eprintln!("vim-bench: not written yet");
    std::process::exit(2);
}

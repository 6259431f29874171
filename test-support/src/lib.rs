//! What vimgen's tests share, once: session helpers over vim-client and the workspace's
//! `vim-types` ([`session`]).

pub mod session;

pub use session::Session;

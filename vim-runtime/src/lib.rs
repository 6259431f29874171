//! The hand-written runtime of vimgen's generated vSphere bindings: what every generated
//! crate (the workspace's `vim-types`, or one a user makes with `cargo xtask gen --out`)
//! is written against, and what `vim-client` and `vim-server` work with, whatever API
//! version the crate was generated from.
//!
//! - [`xml`]: the streaming XML reader and writer, and the [`Decode`](xml::Decode) /
//!   [`Encode`](xml::Encode) traits every generated type implements;
//! - [`soap`]: request envelopes and typed response decoding for a client;
//! - [`server`]: a request read up to its operation, and reply envelopes, for a server;
//! - the API's metadata as static tables ([`ApiInfo`], [`MethodInfo`], [`Privilege`],
//!   [`ApiVersion`]), a method as a type ([`Method`], [`ServeMethod`]), what sends calls
//!   ([`Invoke`]) and how they fail ([`Error`]);
//! - the values every API shares: [`MoRef`], [`ManagedObjectReference`], [`DateTime`],
//!   [`UnknownSubtype`].
//!
//! A generated crate re-exports all of this, so its users rarely name this crate.

mod call;
mod datetime;
mod meta;
mod path;
pub mod server;
pub mod soap;
mod values;
pub mod xml;

pub use call::{CallContext, Error, Invoke, Method, ServeMethod};
pub use datetime::{DateTimeError, Instant};
pub use meta::{ApiInfo, ApiVersion, IsA, ManagedObject, ManagedObjectInfo, MethodInfo, Privilege, PropertyInfo};
pub use path::{DecodeFn, PropertyPath};
pub use values::{DateTime, ManagedObjectReference, MoRef, UnknownSubtype};

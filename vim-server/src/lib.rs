//! A vSphere SOAP endpoint for any API vimgen generates.
//!
//! - [`dispatch`]: HTTP(S) on `POST /sdk` (plus `/sdk/vimServiceVersions.xml` and the WSDL):
//!   decodes the request up to its operation, finds the method in the endpoint's generated
//!   metadata (`API`),
//!   checks the session cookie and the method's privilege, and hands the call to an
//!   [`Endpoint`](dispatch::Endpoint), whose generated `serve` functions decode the
//!   parameters, call the server trait and encode the result or fault.
//! - [`connections`]: the connection budget (from the open-file limit) and which
//!   connection gives way when it is spent.
//! - [`auth`] and [`sessions`]: users with vCenter's system roles, sessions and tickets.
//! - `sim` (feature `vimsim`, on by default): vimsim, an in-memory vCenter (ServiceInstance,
//!   SessionManager, PropertyCollector) on the workspace's generated crate `vim-types`, the
//!   reference implementation behind the `vimsim` binary.
//!
//! Without the `vimsim` feature the crate depends on `vim-runtime` only: the dispatcher,
//! sessions and roles work with an endpoint built on any generated crate.

pub mod auth;
pub mod connections;
pub mod dispatch;
pub mod sessions;
#[cfg(feature = "vimsim")]
pub mod sim;
pub mod tls;

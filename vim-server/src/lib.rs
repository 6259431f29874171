//! A vSphere SOAP endpoint built on the generated server traits of `vim-types`.
//!
//! - [`dispatch`]: HTTP(S) on `POST /sdk` (plus `/sdk/vimServiceVersions.xml` and the WSDL):
//!   decodes the request up to its operation, finds the method in the generated metadata,
//!   checks the session cookie and the method's privilege, and hands the call to an
//!   [`Endpoint`](dispatch::Endpoint), whose generated `serve` functions decode the
//!   parameters, call the server trait and encode the result or fault.
//! - [`connections`]: the connection budget (from the open-file limit) and which
//!   connection gives way when it is spent.
//! - [`auth`] and [`sessions`]: users with vCenter's system roles, sessions and tickets.
//! - [`sim`]: vimsim, an in-memory vCenter (ServiceInstance, SessionManager,
//!   PropertyCollector), the reference implementation behind the `vimsim` binary.

pub mod auth;
pub mod connections;
pub mod dispatch;
pub mod sessions;
pub mod sim;
pub mod tls;

pub mod diag;
pub mod overrides;
pub mod wsdl;

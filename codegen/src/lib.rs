pub mod diag;
pub mod markdown;
pub mod overrides;
pub mod wsdl;

//! Lambda function naming, event contracts and `x-amazon-apigateway-integration` generation.
#![deny(missing_docs)]

mod contract;

pub use contract::{ErrorResponse, EventContract, EventField, FieldSource, IntegrationType};

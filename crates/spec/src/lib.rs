//! Load OpenAPI 2.0/3.0/3.1 definitions faithfully, with typed views and precise diagnostics.
#![deny(missing_docs)]

//! Amazon API Gateway import rules for OpenAPI definitions: lint and reversible transforms.
#![deny(missing_docs)]

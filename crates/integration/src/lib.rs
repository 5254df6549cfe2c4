//! Lambda function naming, event contracts and x-amazon-apigateway-integration generation.
#![deny(missing_docs)]

//! Plan and push OpenAPI definitions to Amazon API Gateway backed by AWS Lambda functions.
#![deny(missing_docs)]

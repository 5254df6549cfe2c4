//! Amazon API Gateway and AWS Lambda client traits with a real (AWS SDK) and an in-memory fake
//! backend.
//!
//! Everything lambda-sync does in AWS goes through two small object-safe traits, [`ApiGateway`]
//! and [`Lambda`], with one error enum by meaning, [`Error`]. Two backends implement both:
//!
//! - [`FakeAws`], an in-memory account that follows AWS's documented behaviour (import
//!   semantics, validation, pagination, conflicts), with a call log, fault, latency and
//!   rate-limit injection, and persistence to a JSON file. It is ordinary code: other projects'
//!   tests can use it.
//! - `SdkAws` (feature `sdk`, on by default), over `aws-sdk-apigateway` and `aws-sdk-lambda`.
//!
//! The [`conformance`] module is the contract both must pass.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
//! use lambda_sync_aws::{ApiGateway, CreateFunction, FakeAws, ImportRestApi, Lambda, minimal_zip};
//!
//! let aws = FakeAws::default();
//! let body = r#"
//! openapi: 3.0.1
//! info: {title: pets, description: Pet store, version: "1"}
//! paths:
//!   /pets/{id}:
//!     get:
//!       operationId: getPet
//!       parameters: [{name: id, in: path, required: true, schema: {type: string}}]
//!       responses: {default: {description: ok}}
//! "#;
//! let api = aws.import_rest_api(ImportRestApi::new(body)).await?;
//! let resources = aws.get_resources(&api.id).await?;
//! let get = &resources.iter().find(|r| r.path == "/pets/{id}").unwrap().methods["GET"];
//! assert_eq!(get.method_responses, ["200"]);
//! assert_eq!(get.request_parameters["method.request.path.id"], true);
//!
//! let zip = minimal_zip("index.js", b"exports.handler = async (event) => event;");
//! let role = "arn:aws:iam::123456789012:role/lambda-exec";
//! aws.create_function(CreateFunction::new("getPet", role, "nodejs22.x", "index.handler", zip)).await?;
//! assert_eq!(aws.call_count("CreateFunction"), 1);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod conformance;
mod date;
mod error;
mod fake;
pub mod limits;
pub mod runtimes;
#[cfg(feature = "sdk")]
mod sdk;
mod traits;
mod types;
mod zip;

pub use date::{Date, InvalidDate};
pub use error::{Error, Result};
pub use fake::{Call, FakeAws, resource_path};
#[cfg(feature = "sdk")]
pub use sdk::{SdkAws, SdkOptions, StaticCredentials};
pub use traits::{ApiGateway, Lambda};
pub use types::{
    AddPermission, BasePathMode, CreateFunction, Deployment, EndpointType, FunctionInfo,
    FunctionPage, GatewayMethod, ImportRestApi, Integration, IntegrationResponse, PolicyStatement,
    PutMode, PutRestApi, Resource, RestApi, policy_document_len,
};
pub use zip::minimal_zip;

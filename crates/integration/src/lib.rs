//! Lambda function naming, event contracts and `x-amazon-apigateway-integration` generation.
//!
//! For every operation of an OpenAPI definition, this crate decides which AWS Lambda function
//! serves it ([`bind`]), what event that function receives (its [`EventContract`], shared with
//! the stub generator so the two agree by construction), and writes the
//! `x-amazon-apigateway-integration` extension that makes API Gateway call it ([`apply`],
//! [`integration_extension`]).
//!
//! ```
//! use lambda_sync_integration::{apply, bind, BindOptions};
//!
//! let doc = lambda_sync_spec::load_str(r#"
//! openapi: 3.0.3
//! info: {title: Pet store, version: "1.0"}
//! paths:
//!   /user/{username}:
//!     get:
//!       operationId: getUserByName
//!       parameters:
//!         - {name: username, in: path, required: true, schema: {type: string}}
//!       responses:
//!         "200": {description: ok}
//!         "404": {description: User not found}
//!   /store/inventory:
//!     get:
//!       responses: {"200": {description: ok}}
//! "#)?.document;
//! let options = BindOptions::new("us-east-1", "123456789012").with_write_operation_ids(true);
//! let (bindings, diagnostics) = bind(&doc, &options)?;
//! let names: Vec<&str> = bindings.bindings.iter().map(|b| b.function_name.as_str()).collect();
//! assert_eq!(names, ["getUserByName", "getStoreInventory"]);
//! assert_eq!(bindings.bindings[0].contract.fields[0].key, "username");
//! assert_eq!(diagnostics[0].rule, "operation-id-generated");
//!
//! let (out, changes) = apply(&doc, &bindings, &options);
//! let ext = out.get("/paths/~1user~1{username}/get/x-amazon-apigateway-integration").unwrap();
//! assert_eq!(ext["type"], "aws");
//! assert_eq!(ext["responses"]["^\\[404\\][\\s\\S]*"]["statusCode"], "404");
//! assert_eq!(changes.len(), 3); // two integrations, one operationId written back
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Rules
//!
//! - **Function names**: the name template (default `{operationId}`) applied, then
//!   [`sanitize_function_name`]; an operation without an operationId gets
//!   [`generate_operation_id`]. Names are unique across the API without regard to case: on a
//!   collision the operation whose operationId is exactly the name keeps it, then the first in
//!   (method, path) order; the others get `-2`, `-3`, ... (a `function-name-collision`
//!   warning). The result does not depend on the order of the paths in the file. An operation
//!   that already has a Lambda integration keeps its function (read from the `uri`).
//! - **Event keys** (one rule, shared by the request template and the stubs): each parameter's
//!   key is its name as written; `body` is always reserved for the request body. Keys are
//!   given in order path, query, header parameters (each in declaration order); a key already
//!   taken — by the body or by an earlier parameter, and for two headers also when the names
//!   differ only in case (HTTP header names are case-insensitive) — becomes `{in}_{name}`
//!   (`query_id`, `header_body`), then `{in}_{name}_2`, ... (an `event-key-renamed` warning).
//! - **Granularity**: one function per operation (default), per tag or for the whole API
//!   ([`Granularity`]); `x-lambda-sync-function: NAME` on an operation or path item groups by
//!   hand. A grouped function's event says which operation was called ([`OPERATION_KEY`] in
//!   `aws` mode, `requestContext.operationName` in `aws_proxy` mode). Operations compat left
//!   out because API Gateway cannot tell them apart (`/{Bucket}#acl` next to `/{Bucket}`)
//!   share the function of the method that reaches them, whose router looks at their
//!   [`Discriminator`]s.
//! - **Values**: see [`request_template`]: strings as sent, `null` when not sent, the last
//!   value of a repeated query parameter or header, the body as JSON.
//! - **Errors**: a function reports a declared error status by failing with a message that
//!   starts with `[404]` (for example `throw new Error("[404] User not found")`); the
//!   integration response for that status has `selectionPattern` `^\[404\][\s\S]*` and
//!   answers `{"message": "User not found"}`. Any other error is API Gateway's default
//!   (the success status).
#![deny(missing_docs)]

mod apply;
mod bind;
mod contract;
mod error;
mod extension;
mod naming;
mod options;
mod uri;

pub use apply::{ChangeKind, ExtensionChange, apply, apply_in_place};
pub use bind::{Binding, Bindings, FUNCTION_EXTENSION, InvokePermission, STATEMENT_PREFIX, bind};
pub use contract::{
    Discriminator, ErrorResponse, EventContract, EventField, FieldSource, IntegrationType,
    OPERATION_KEY,
};
pub use error::{Error, Result};
pub use extension::{BodyKind, integration_extension, invocation_uri, request_template};
pub use naming::{
    function_from_uri, generate_operation_id, is_valid_function_name, sanitize_function_name,
};
pub use options::{BindOptions, Granularity};
pub use uri::LambdaUri;

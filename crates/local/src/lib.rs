//! Run an API synced by lambda-sync on your machine: API Gateway's routing, mapping templates
//! and Lambda integrations over the fake backend, with the functions' code run by `node` or
//! `python3`. No AWS account, no Docker.
//!
//! A [`LocalApi`] is one REST API of a [`FakeAws`](lambda_sync_aws::FakeAws) account (the
//! local account file `.lambda-sync/account.json` that `lambda-sync push` writes).
//! [`LocalApi::invoke`] answers one [`HttpRequest`] as the deployed API would:
//!
//! - the resource is found as API Gateway finds it (literal segments before `{param}`, a
//!   greedy `{proxy+}` last, the method or else `ANY`); anything else answers 403
//!   `{"message":"Missing Authentication Token"}`;
//! - `AWS` integrations: the request template for the request's Content-Type (default
//!   `application/json`) is evaluated by `lambda-sync-mapping` into the event, or the body is
//!   passed through as `passthroughBehavior` allows (else 415); the function's result goes
//!   through the integration response whose `selectionPattern` matches the whole error
//!   message (or the default one) and its response template;
//! - API Gateway's permission to invoke the function is checked as AWS checks it: a statement
//!   of the function's resource policy must allow `apigateway.amazonaws.com` with a SourceArn
//!   that matches the method ARN (`arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH`,
//!   `ArnLike`); without one the request answers 500 `{"message": "Internal server error"}`
//!   and the log says why ([`LocalOptions::with_policy_check`] turns it off);
//! - `AWS_PROXY` integrations get the REST API proxy event (format 1.0) and their
//!   `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}` result is the answer;
//!   a malformed one answers 502;
//! - an `AWS` integration whose request template reads the body as JSON (`$input.json`,
//!   `$input.path`) answers a body that is not JSON with API Gateway's 400
//!   `Could not parse request body into json: ...`;
//! - the function runs from `functions_dir/NAME/` when that folder exists (a local edit),
//!   else from its zip, extracted once to the cache, in a **warm execution environment** as
//!   Lambda keeps them: a long-lived `node` or `python3` process running a small runtime loop
//!   that loads the handler once (Node.js ES modules and CommonJS, Python), then takes events
//!   one at a time over a framed unix-socket channel, so module state (a client, a cache, a
//!   counter) survives between calls. Whatever the function prints is its log
//!   ([`HttpResponse::logs`]), with Lambda's `START`, `END` and `REPORT` lines (`Duration`,
//!   and `Init Duration` on an environment's first call).
//!
//! Environments are kept per function ([`LocalOptions::max_environments`], then calls
//! queue), ended after [`LocalOptions::keep_alive`] idle, and ended by a timeout (504), a
//! crash (502), anything on the channel that is not the runtime's answer (502), a change of
//! the function's code (an edit, a new package: the next call starts a fresh one), or
//! [`LocalApi::shutdown`] / dropping the `LocalApi`. Each has Lambda's variables
//! (`AWS_LAMBDA_FUNCTION_NAME`, `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, `AWS_REGION`, `_HANDLER`,
//! `LAMBDA_TASK_ROOT`, ...), its own scratch folder as `TMPDIR`, and its own process group,
//! so processes a handler starts end with it. The context has `getRemainingTimeInMillis()`
//! / `get_remaining_time_in_millis()`, `awsRequestId` / `aws_request_id`, the function ARN.
//!
//! [`serve`] answers HTTP on loopback through the same path, with an [`ApiHandle`] the caller
//! swaps when the definition changes.
//!
//! ```no_run
//! # async fn run() -> lambda_sync_local::Result<()> {
//! use lambda_sync_aws::FakeAws;
//! use lambda_sync_local::{HttpRequest, LocalApi, LocalOptions};
//!
//! let account = FakeAws::load(".lambda-sync/account.json")?;
//! let options = LocalOptions::new(".lambda-sync/cache").with_functions_dir(".lambda-sync/functions");
//! let api = LocalApi::new(account, "a1b2c3d4e5", options).await?;
//! let response = api.invoke(HttpRequest::new("GET", "/user/user1")).await?;
//! println!("{} {}", response.status, response.body_text());
//! print!("{}", response.logs);
//! # Ok(()) }
//! ```
//!
//! A runnable example with an echoing function:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # if std::process::Command::new("node").arg("--version").output().is_err() { return Ok(()); }
//! use lambda_sync_aws::{AddPermission, ApiGateway, CreateFunction, FakeAws, ImportRestApi, Lambda, minimal_zip};
//! use lambda_sync_local::{HttpRequest, LocalApi, LocalOptions};
//!
//! let aws = FakeAws::default();
//! let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations";
//! let spec = format!(r#"{{"swagger": "2.0", "info": {{"title": "t", "version": "1"}}, "paths": {{
//!   "/items/{{id}}": {{"get": {{"responses": {{"200": {{"description": "ok"}}}},
//!     "x-amazon-apigateway-integration": {{"type": "aws_proxy", "httpMethod": "POST", "uri": "{uri}"}}}}}}}}}}"#);
//! let api = aws.import_rest_api(ImportRestApi::new(spec)).await?;
//! let code = b"exports.handler = async (e) => ({statusCode: 200, body: e.pathParameters.id});";
//! aws.create_function(CreateFunction::new("echo", "arn:aws:iam::123456789012:role/r",
//!     "nodejs22.x", "index.handler", minimal_zip("index.js", code))).await?;
//! // As on AWS, API Gateway needs the function's permission (checked on every request).
//! let arn = format!("arn:aws:execute-api:us-east-1:123456789012:{}/*/GET/items/*", api.id);
//! aws.add_permission(AddPermission::new("echo", "api").with_source_arn(arn)).await?;
//!
//! let cache = std::env::temp_dir().join(format!("lambda-sync-local-doc-{}", std::process::id()));
//! let local = LocalApi::new(aws, api.id, LocalOptions::new(&cache)).await?;
//! let response = local.invoke(HttpRequest::new("GET", "/items/42")).await?;
//! assert_eq!((response.status, response.body_text().as_str()), (200, "42"));
//! assert_eq!(local.invoke(HttpRequest::new("GET", "/nowhere")).await?.status, 403);
//! # let _ = std::fs::remove_dir_all(&cache);
//! # Ok(()) }
//! ```
//!
//! # Where it differs from AWS
//!
//! - A function that runs past [`LocalOptions::timeout`] is killed and the request answers
//!   504, as API Gateway does when its integration timeout ends first. As on Lambda, an
//!   environment's init (starting the runtime, loading the handler) is not counted in it; it
//!   has its own limit, the larger of the timeout and Lambda's 10 s. (On AWS a Lambda
//!   timeout shorter than that is a function error, `Task timed out`, mapped like any other.)
//! - A process that ends without a result (`process.exit(3)`, `os._exit(3)`, a fatal error)
//!   answers 502. (On AWS a non-proxy integration sees `Runtime.ExitError` as a function
//!   error.)
//! - `selectionPattern`s are read with the `regex` crate: Java-only syntax (look-around,
//!   back-references) matches nothing. As on AWS, the pattern must match the whole error
//!   message and `.` does not match a line break; a successful result is matched as the
//!   empty string, so `.*` also selects successes while `.+` does not.
//! - Functions run with the user's rights and environment (plus Lambda's variables such as
//!   `AWS_LAMBDA_FUNCTION_NAME`), in the code's folder; there is no sandbox and no memory
//!   limit (`Memory Size` is Lambda's default, 128 MB; `Max Memory Used` is the process's
//!   peak resident size where `/proc` tells it). `/tmp` is the machine's: the environment's
//!   own scratch folder is `TMPDIR` (`os.tmpdir()`, `tempfile`). Only stored (uncompressed)
//!   zip entries can be read, which is what lambda-sync writes.
//! - Between calls an environment waits blocked on its channel, so timers a Node.js handler
//!   left behind run during its next call, as on Lambda's frozen environments; a callback
//!   handler's result is returned at once (`callbackWaitsForEmptyEventLoop` is not waited
//!   for). An uncaught exception or unhandled rejection fails the call and ends the
//!   environment.
//! - The 400 for a body that is not JSON carries serde_json's description of the error where
//!   API Gateway gives its JSON parser's; the prefix, the `[Source: ...]` part and the status
//!   are API Gateway's.
//! - Binary media types are not modelled: a proxy event carries a body that is not UTF-8 in
//!   base64 (`isBase64Encoded: true`); a mapping template sees it as lossy UTF-8 text.
//! - A [`LocalApi`] is a snapshot of the API's resources; build a new one when the definition
//!   changes (the functions' code is checked at each request). Its environments end when it
//!   is dropped, so a re-push that builds a new one starts them fresh.
//! - The local runner needs a unix system (unix sockets, process groups).
#![deny(missing_docs)]

mod api;
mod environment;
mod error;
mod http;
mod policy;
mod pool;
mod route;
mod runtime;
mod serve;

pub use api::{LocalApi, LocalOptions};
pub use error::{Error, Result};
pub use http::{HttpRequest, HttpResponse, parse_header_arg, parse_query_arg, parse_query_string};
pub use serve::{
    ApiHandle, FUNCTION_HEADER, ServeOptions, ServedRequest, bind, serve, serve_listener,
};

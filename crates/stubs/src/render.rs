//! Rendering a stub for one function.

use lambda_sync_integration::EventContract;

use crate::error::Result;
use crate::runtime::RuntimeInfo;
use crate::templates::Templates;
use crate::view;

/// The generated code of one Lambda function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stub {
    /// The Lambda function's name.
    pub function_name: String,
    /// The runtime id (`nodejs24.x`).
    pub runtime: String,
    /// The function's `Handler` setting (`index.handler`).
    pub handler: String,
    /// The handler file's name (`index.mjs`).
    pub file_name: String,
    /// The handler file's contents.
    pub source: String,
}

/// Renders the stub of the function described by `contract` for `runtime`.
///
/// The template used is the one named after the runtime's handler file (`index.mjs.hbs`,
/// `index.js.hbs` or `lambda_function.py.hbs`).
pub fn render(
    contract: &EventContract,
    runtime: &RuntimeInfo,
    templates: &Templates,
) -> Result<Stub> {
    let view = view::build(contract, runtime);
    let source = templates.render(runtime.handler_file, &view)?;
    Ok(Stub {
        function_name: contract.function_name.clone(),
        runtime: runtime.id.to_string(),
        handler: runtime.handler.to_string(),
        file_name: runtime.handler_file.to_string(),
        source,
    })
}

/// Renders the stub of a grouped function: one handler per operation (with the same
/// parameter variables as [`render`] gives a function of its own) and a router that calls the
/// one API Gateway reports (`event["x-lambda-sync-operation"]`, or
/// `requestContext.operationName` for `aws_proxy`), looking at the discriminating parameters
/// when several operations share a method. An operation the router does not know is an error
/// mapped to 500.
///
/// The template is the runtime's handler file prefixed with `router_`
/// (`router_index.mjs.hbs`, `router_index.js.hbs`, `router_lambda_function.py.hbs`).
pub fn render_router(
    function_name: &str,
    routes: &[view::Route<'_>],
    runtime: &RuntimeInfo,
    templates: &Templates,
) -> Result<Stub> {
    let view = view::build_router(function_name, routes, runtime);
    let source = templates.render(&format!("router_{}", runtime.handler_file), &view)?;
    Ok(Stub {
        function_name: function_name.to_string(),
        runtime: runtime.id.to_string(),
        handler: runtime.handler.to_string(),
        file_name: runtime.handler_file.to_string(),
        source,
    })
}

//! Node.js and Python Lambda handler stubs from handlebars templates, packaged
//! deterministically.
//!
//! lambda-sync creates a Lambda function for every operation that has none yet. This crate
//! writes that function's first code: one variable per field of the operation's event (the
//! [`EventContract`] of `lambda-sync-integration`), each with a comment giving its type,
//! whether it is required and its description; a commented example for every declared error
//! response; and a placeholder return value.
//!
//! - [`runtimes`], [`runtime`] and [`check_runtime`]: the Lambda runtimes a stub can target
//!   (`nodejs12.x` … `nodejs24.x`, `python3.6` … `python3.14`) with AWS's deprecation dates;
//!   [`DEFAULT_RUNTIME`] is a current one.
//! - [`Templates`]: the built-in handlebars templates, or a directory that overrides some.
//! - [`render`]: one [`Stub`] (file name, handler setting, source) per function;
//!   [`render_router`] for a grouped function (one handler per operation and a router).
//! - [`package`] and [`code_sha256`]: a byte-for-byte reproducible zip and its `CodeSha256`.
//!
//! Nothing from the definition can break the generated code: identifiers are derived and
//! checked in Rust (valid, not reserved, unique), descriptions only ever become single-line
//! comments, and every other piece of text is a JSON-style string literal valid in both
//! languages. The crate is pure: no clock (pass today's [`Date`]), no randomness, and no IO
//! except [`Templates::from_dir`].
//!
//! ```
//! use lambda_sync_integration::{EventContract, EventField, FieldSource, IntegrationType};
//! use lambda_sync_spec::HttpMethod;
//! use lambda_sync_stubs::{Date, Templates, check_runtime, code_sha256, package, render, runtime};
//!
//! let contract = EventContract {
//!     function_name: "getUserByName".into(),
//!     operation_id: "getUserByName".into(),
//!     method: HttpMethod::Get,
//!     path: "/user/{username}".into(),
//!     summary: Some("Get user by user name".into()),
//!     description: None,
//!     integration: IntegrationType::Aws,
//!     fields: vec![EventField {
//!         key: "username".into(),
//!         source: FieldSource::Path,
//!         name: "username".into(),
//!         type_name: Some("string".into()),
//!         format: None,
//!         required: true,
//!         description: Some("The name that needs to be fetched. Use user1 for testing.".into()),
//!         segment: None,
//!     }],
//!     success_status: 200,
//!     errors: vec![],
//! };
//!
//! let warnings = check_runtime("python3.13", Date::parse("2026-11-28")?)?;
//! assert!(warnings.is_empty());
//! let stub = render(&contract, runtime("python3.13").unwrap(), &Templates::builtin())?;
//! assert_eq!(stub.file_name, "lambda_function.py");
//! assert_eq!(stub.handler, "lambda_function.lambda_handler");
//! assert!(stub.source.contains(
//!     "    # string: (required) The name that needs to be fetched. Use user1 for testing.\n    \
//!      username = event.get(\"username\")\n"
//! ));
//!
//! let zip = package(&stub)?;
//! assert_eq!(zip, package(&stub)?);
//! assert_eq!(code_sha256(&zip).len(), 44);
//! # Ok::<(), lambda_sync_stubs::Error>(())
//! ```
#![deny(missing_docs)]

mod error;
mod ident;
mod package;
mod render;
mod runtime;
mod templates;
mod text;
mod view;

pub use error::{Error, Result};
pub use ident::{base_identifier, is_reserved};
pub use lambda_sync_integration::EventContract;
pub use package::{FILE_MODE, code_sha256, package};
pub use render::{Stub, render, render_router};
pub use runtime::{
    CATALOGUE_DATE, DEFAULT_RUNTIME, Date, Family, NodeModule, RuntimeInfo, check_runtime, runtime,
    runtimes,
};
pub use templates::Templates;
pub use text::{comment_line, comment_lines, string_literal};
pub use view::{
    ErrorView, FieldView, PLACEHOLDER_MESSAGE, Route, RouteView, RouterView, View,
    build as view_model,
};

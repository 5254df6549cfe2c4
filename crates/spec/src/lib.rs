//! Load OpenAPI definitions (Swagger 2.0, OpenAPI 3.0.x and 3.1.x, YAML or JSON) faithfully.
//!
//! - The document is a [`serde_json::Value`] that keeps every key in document order, so a
//!   definition that is loaded and written back keeps its keys, in place, with their values —
//!   in its own format ([`Document::to_text`], [`Document::write_to`]).
//! - JSON or YAML is detected from the content; a byte-order mark is accepted; the version is
//!   detected also when YAML reads `swagger: 2.0` as a number.
//! - External `$ref`s (`models/pet.yaml#/Pet`) are bundled into the document, since API Gateway
//!   takes one body; remote ones are reported, never fetched.
//! - Typed read-only views: [`Document::operations`] (parameters merged from the path item and
//!   the operation, `$ref`s resolved, the 2.0 body parameter and the 3.x `requestBody` alike),
//!   [`Document::schemas`] and [`Document::schema_graph`] with its cycles.
//! - Problems that leave a usable document are [`Diagnostic`]s with a rule id, a severity, a
//!   JSON Pointer and a line:column; only input that cannot be read at all is an [`Error`].
//! - Hostile input (deep nesting, alias bombs, huge or non-UTF-8 files) is refused with a clear
//!   error; nothing here recurses over the document.
//!
//! ```
//! use lambda_sync_spec::{load_str, HttpMethod, SpecVersion};
//!
//! let loaded = load_str(r#"
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
//!         "404": {description: not found}
//! "#)?;
//! let doc = &loaded.document;
//! assert_eq!(doc.version(), SpecVersion::OpenApi30);
//! let op = &doc.operations()[0];
//! assert_eq!((op.method, op.path), (HttpMethod::Get, "/user/{username}"));
//! assert_eq!(op.parameters[0].type_name, Some("string"));
//! assert!(loaded.diagnostics.is_empty());
//! # Ok::<(), lambda_sync_spec::Error>(())
//! ```
#![deny(missing_docs)]

mod base_path;
mod bundle;
mod checks;
mod diagnostic;
mod document;
mod edit;
mod error;
mod fast_json;
mod flow_depth;
mod graph;
mod load;
mod parse;
pub mod pointer;
mod position;
mod refs;
#[cfg(feature = "openapiv3")]
mod typed;
mod views;

pub use base_path::base_path_segments;
pub use diagnostic::{Diagnostic, Severity};
pub use document::{Document, Format, SpecVersion, to_text, write_atomic};
pub use edit::{Edited, TextEdit, WriteBack, edit_text, write_back};
pub use error::{Error, Result};
pub use flow_depth::{FlowDepth, flow_depth};
pub use graph::{Cycle, Edge, MAX_CYCLE_NAMES, SchemaGraph};
pub use load::{Loaded, Loader, load_bytes, load_path, load_str, output_format};
pub use parse::{MAX_DEPTH, parse};
/// The steps of [`parse`], for the crate's own tests and fuzz targets (feature `testing`); not
/// part of the supported surface.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub use parse::{decode, parse_json, parse_json_serde, parse_yaml};
pub use refs::{RefSite, collect_refs};
pub use views::{
    HttpMethod, NamedSchema, Operation, Parameter, ParameterLocation, RequestBody, Response,
    path_template_names, schema_ref_prefix,
};

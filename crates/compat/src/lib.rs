//! Amazon API Gateway import rules for OpenAPI definitions: lint and reversible transforms.
//!
//! API Gateway imports only part of OpenAPI. This crate knows the documented limits — the
//! catalogue is [`rules`], also rendered in `RULES.md` — and offers three operations on a
//! loaded [`Document`](lambda_sync_spec::Document):
//!
//! - [`lint`] reports every violation by rule id, at its exact JSON Pointer (and line:column),
//!   saying what AWS does and how to fix it. Nothing changes.
//! - [`transform`] rewrites the document so that it imports cleanly and reports each
//!   [`RepairChange`]. What a rule disables moves under `x-disabled-for-amazon-gateway` in the same
//!   object (`{"type": "string", "x-disabled-for-amazon-gateway": {"example": "x"}}`); disabled
//!   parameters and operations keep their whole body there; model names become alphanumeric
//!   with every `$ref` rewritten; cycles of models are broken at one deterministic reference;
//!   OpenAPI 3.1 is lowered to 3.0.3 where the meaning is kept. It is idempotent.
//! - [`restore`] undoes all of it, so the user gets the original keys back.
//!
//! - [`slim`] makes the body sent to AWS: the AWS-ready document without documentation, other
//!   vendors' extensions and unused models; [`resource_paths`] counts the resources it makes
//!   and [`largest_parts`] says what takes the space.
//!
//! Every rule can be switched off by id with [`CompatOptions`]. Everything here is pure and
//! deterministic; nothing recurses over the document, and the work is linear in its size.
//!
//! ```
//! use lambda_sync_compat::{lint, restore, transform, CompatOptions};
//!
//! let doc = lambda_sync_spec::load_str(r##"
//! openapi: 3.0.3
//! info: {title: Pets, version: "1"}
//! paths:
//!   /pets:
//!     get:
//!       parameters:
//!         - {name: session, in: cookie, schema: {type: string}}
//!       responses:
//!         "200":
//!           description: ok
//!           content:
//!             application/json:
//!               schema: {$ref: "#/components/schemas/pet.Pet"}
//! components:
//!   schemas:
//!     pet.Pet:
//!       type: object
//!       properties:
//!         name: {type: string, example: Rex}
//! "##)?.document;
//!
//! let options = CompatOptions::default();
//! let found: Vec<String> = lint(&doc, &options).iter().map(|d| d.rule.clone()).collect();
//! assert_eq!(found, ["cookie-parameter", "model-name", "example"]);
//!
//! let out = transform(&doc, &options);
//! let v = out.document.value();
//! assert_eq!(v["components"]["schemas"]["PetPet"]["properties"]["name"]
//!     ["x-disabled-for-amazon-gateway"]["example"], "Rex");
//! assert_eq!(v["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]
//!     ["schema"]["$ref"], "#/components/schemas/PetPet");
//! assert!(lint(&out.document, &options).is_empty());
//! assert_eq!(restore(&out.document).value(), doc.value());
//! # Ok::<(), lambda_sync_spec::Error>(())
//! ```
#![deny(missing_docs)]

mod error;
mod fxhash;
mod graph;
mod lint;
mod names;
mod options;
mod refs;
mod repair;
mod report;
mod rules;
mod slim;
mod transform;
mod walk;
mod wrap;

pub use error::{Error, Result};
pub use lambda_sync_spec::base_path_segments;
pub use lint::lint;
pub use options::CompatOptions;
pub use repair::{
    HiddenParameter, LeftOut, OperationRepairs, PathVariable, RepairedSegment, Repairs,
    SegmentPart, repairs, resource_shape,
};
pub use report::{ChangeAction, RepairChange, Transformed};
pub use rules::{Rule, blocks_push, rule, rules, rules_markdown, validate_rule_ids};
pub use slim::{largest_parts, resource_paths, slim, slim_to_vec};
pub use transform::{transform, transform_owned};
pub use wrap::{WRAPPER, restore};

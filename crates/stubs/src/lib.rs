//! Node.js and Python Lambda handler stubs from handlebars templates, packaged deterministically.
#![deny(missing_docs)]

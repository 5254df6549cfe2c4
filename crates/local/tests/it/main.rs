//! Integration tests of lambda-sync-local: one binary (see CONVENTIONS.md). They need `node`
//! and `python3` on PATH and fail (never skip) without them.

mod code;
mod errors;
mod events;
mod granularity;
mod permissions;
mod proxy;
mod repairs;
mod routes;
mod serve;
mod support;
mod templates;
mod walkthrough;
mod warm;

//! Integration tests of lambda-sync-stubs (one test binary, as the workspace's convention).

mod definitions;
mod exec;
mod fixtures;
mod hostile;
mod package;
mod router;
mod runtimes;
mod snapshots;
mod templates;
mod text;

pub use fixtures::*;

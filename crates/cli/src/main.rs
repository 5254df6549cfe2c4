//! The `lambda-sync` command.
fn main() {}

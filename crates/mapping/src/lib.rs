//! An evaluator for API Gateway mapping templates (the Velocity subset API Gateway uses).
#![deny(missing_docs)]

//! Named crash points for the crash-safety tests: when the environment variable
//! `LAMBDA_SYNC_FAULT` names a point, the process aborts there (no destructor runs, no file is
//! flushed: as a `kill -9` would leave it). Unset, a point costs one environment lookup.

/// The environment variable that names the point to abort at.
pub const FAULT_VAR: &str = "LAMBDA_SYNC_FAULT";

/// Aborts the process if `FAULT_VAR` names this point.
pub fn point(name: &str) {
    if std::env::var_os(FAULT_VAR).is_some_and(|v| v == name) {
        std::process::abort();
    }
}

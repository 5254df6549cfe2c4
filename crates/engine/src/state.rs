//! What earlier pushes recorded: the API id created for each definition and target.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The state file (`.lambda-sync/state.json`): API ids by key (target, region, account and
/// definition), so that a second push of the same definition updates the API the first created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// API id by key.
    pub apis: BTreeMap<String, String>,
}

impl State {
    /// The key of one definition on one target.
    pub fn key(target: &str, region: &str, account: &str, definition: &str) -> String {
        format!("{target}:{region}:{account}:{definition}")
    }

    /// Loads the state file; a missing file is an empty state, a corrupt one an error.
    pub fn load(path: &Path) -> Result<State> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::State {
                path: path.to_path_buf(),
                message: format!("corrupt state file ({e}); delete it to start afresh"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(Error::State {
                path: path.to_path_buf(),
                message: e.to_string(),
            }),
        }
    }

    /// Saves the state atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::State {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        let mut text = serde_json::to_string_pretty(self).expect("state serialises");
        text.push('\n');
        lambda_sync_spec::write_atomic(path, text.as_bytes()).map_err(|e| Error::State {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }
}

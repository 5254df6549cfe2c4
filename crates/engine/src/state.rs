//! What earlier pushes recorded: the API id created for each definition and target.

use crate::error::{Error, Result};
use lambda_sync_aws::PolicyStatement;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The statements known on each function of one account and region, by function name.
pub type PolicyCache = BTreeMap<String, Vec<PolicyStatement>>;

/// The state file (`.lambda-sync/state.json`): API ids by key (target, region, account and
/// definition), so that a second push of the same definition updates the API the first created;
/// and the statements known on each function, by account key (target, region, account), so
/// that a re-push reads no policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// API id by key.
    pub apis: BTreeMap<String, String>,
    /// Known policy statements by [`State::account_key`], then function name. A cache: a push
    /// with `--refresh`, or without an entry for its account and region, reads every policy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, PolicyCache>,
}

impl State {
    /// The key of one definition on one target.
    pub fn key(target: &str, region: &str, account: &str, definition: &str) -> String {
        format!("{target}:{region}:{account}:{definition}")
    }

    /// The key of one account and region on one target (the policy cache's key).
    pub fn account_key(target: &str, region: &str, account: &str) -> String {
        format!("{target}:{region}:{account}")
    }

    /// Records what a push learnt about policies: for each function the push `used`, its
    /// statements in `known`, or (when `known` does not have it: a call failed, a statement
    /// was found already there) no entry, so that the next push reads it. Other functions'
    /// entries stay. Returns whether anything changed.
    pub fn record_policies<'a>(
        &mut self,
        account_key: &str,
        used: impl IntoIterator<Item = &'a str>,
        known: &PolicyCache,
    ) -> bool {
        let cache = self.policies.entry(account_key.to_string()).or_default();
        let mut changed = false;
        for function in used {
            match known.get(function) {
                Some(statements) if cache.get(function) != Some(statements) => {
                    cache.insert(function.to_string(), statements.clone());
                    changed = true;
                }
                Some(_) => {}
                None => changed |= cache.remove(function).is_some(),
            }
        }
        changed
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

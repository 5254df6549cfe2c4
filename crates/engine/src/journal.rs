//! Crash safety: what a push is about to create is recorded before the call, so that the next
//! run finds what a killed push created and adopts it instead of creating it twice.
//!
//! Functions need no record: their names are deterministic and an existing function is reused.
//! The REST API does: `ImportRestApi` creates a new API on every call. So before the import,
//! the push records an [`ImportIntent`] (the API's name and the ids of the APIs that already
//! had that name) through the [`Journal`] the caller gave; the caller keeps it with its state.
//! If the push is killed after the import but before the caller recorded the new id, the next
//! run calls [`Engine::adopt`](crate::Engine::adopt): the one API of that name that is not in
//! the intent's list (nor recorded for another definition) is the one the killed push created.

use crate::error::Result;
use lambda_sync_aws::ApiGateway;
use serde::{Deserialize, Serialize};

/// What a push was about to import: recorded before the `ImportRestApi` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIntent {
    /// The name of the API to be created (`info.title`).
    pub api_name: String,
    /// The ids of the APIs that had that name before the import.
    pub existing: Vec<String>,
}

/// Where a push records its intents (the CLI: the state folder, under its lock).
pub trait Journal: Send + Sync + std::fmt::Debug {
    /// Records that `intent` is about to be carried out; the call is made only if this
    /// returns `Ok`.
    fn before_import(&self, intent: &ImportIntent) -> Result<()>;
}

/// The API a killed push created, if exactly one can be told apart: named as `intent` says,
/// not one of the APIs that existed before the import, not one of `taken` (recorded for other
/// definitions).
pub(crate) async fn find_adoptable(
    gateway: &dyn ApiGateway,
    intent: &ImportIntent,
    taken: &[String],
) -> lambda_sync_aws::Result<Option<String>> {
    let mut candidates: Vec<String> = gateway
        .find_rest_apis_by_name(&intent.api_name)
        .await?
        .into_iter()
        .map(|api| api.id)
        .filter(|id| !intent.existing.contains(id) && !taken.contains(id))
        .collect();
    candidates.sort();
    Ok(match candidates.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    })
}

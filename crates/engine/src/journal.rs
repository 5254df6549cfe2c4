//! Crash safety: what a push is about to create is recorded before the call, so that the next
//! run finds what a killed push created and adopts it instead of creating it twice.
//!
//! Functions need no record: their names are deterministic and an existing function is reused.
//! The REST API does: `ImportRestApi` creates a new API on every call. So before the import,
//! the push records an [`ImportIntent`] (the API's name and the ids of the APIs that already
//! had that name) through the [`Journal`] the caller gave; the caller keeps it with its state.
//! If the push is killed after the import but before the caller recorded the new id, the next
//! run calls [`Engine::adopt`](crate::Engine::adopt): the one API of that name that is not in
//! the intent's list (nor recorded for another definition), and whose description carries the
//! intent's marker, is the one the killed push created.
//!
//! The marker: `ImportRestApi` takes no tags (AWS sets none at import; a `TagResource` after it
//! would leave a window where a killed push's API has none), so the marker travels in the
//! imported body itself, as a last line of `info.description` (the API's description):
//! `lambda-sync import <digest of the body>`. An API someone else created with the same name is
//! never adopted. Later overwrites replace the description with the definition's own.

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
    /// The marker in the new API's description ([`mark_body`]); absent in intents recorded by
    /// earlier versions (then the name alone is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// What starts the marker line of an API lambda-sync imports.
pub const MARKER_PREFIX: &str = "lambda-sync import ";

/// The body of an import with its marker (`lambda-sync import <digest>`) as the last line of
/// `info.description`, and the marker. The digest is that of the unmarked body, so the same
/// import is marked the same way.
pub fn mark_body(body: &[u8]) -> (Vec<u8>, String) {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(body);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let marker = format!("{MARKER_PREFIX}{hex}");
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (body.to_vec(), marker);
    };
    if let Some(info) = value.get_mut("info").and_then(|i| i.as_object_mut()) {
        let description = match info.get("description").and_then(|d| d.as_str()) {
            Some(d) if !d.is_empty() => format!("{d}\n\n{marker}"),
            _ => marker.clone(),
        };
        info.insert("description".into(), description.into());
    }
    let marked = serde_json::to_vec(&value).expect("a JSON value serialises");
    (marked, marker)
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
        .filter(|api| match &intent.marker {
            Some(m) => api
                .description
                .as_deref()
                .is_some_and(|d| d.lines().last() == Some(m.as_str())),
            None => true,
        })
        .map(|api| api.id)
        .filter(|id| !intent.existing.contains(id) && !taken.contains(id))
        .collect();
    candidates.sort();
    Ok(match candidates.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    })
}

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
    let marker = marker_of(body);
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (body.to_vec(), marker);
    };
    if let Some(info) = value.as_object_mut() {
        mark_info(info, &marker);
    }
    let marked = serde_json::to_vec(&value).expect("a JSON value serialises");
    (marked, marker)
}

/// The marker of an import of `body`.
fn marker_of(body: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(body);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{MARKER_PREFIX}{hex}")
}

/// Adds `marker` to the description of the `info` object of `root`, if it has one.
fn mark_info(root: &mut serde_json::Map<String, serde_json::Value>, marker: &str) {
    if let Some(info) = root.get_mut("info").and_then(|i| i.as_object_mut()) {
        let description = match info.get("description").and_then(|d| d.as_str()) {
            Some(d) if !d.is_empty() => format!("{d}\n\n{marker}"),
            _ => marker.to_string(),
        };
        info.insert("description".into(), description.into());
    }
}

/// [`mark_body`] of a body that is serde_json's compact serialisation of a value (as
/// [`prepare`](crate::prepare) makes it): the same bytes, without parsing and writing the
/// whole body again. Only the top-level `info` member is parsed and rewritten; the bytes
/// around it are copied (for such a body, parsing and writing it again gives the same bytes).
/// Anything unexpected (no top-level object, an escaped or repeated key) takes
/// [`mark_body`]'s way.
pub(crate) fn mark_compact_body(body: &[u8]) -> (Vec<u8>, String) {
    let Some(span) = top_level_member(body, b"info") else {
        return mark_body(body);
    };
    let marker = marker_of(body);
    let Some((start, end)) = span else {
        // No `info`: nothing to mark, and the body is written as it is.
        return (body.to_vec(), marker);
    };
    let Ok(serde_json::Value::Object(mut info)) = serde_json::from_slice(&body[start..end]) else {
        return mark_body(body);
    };
    let mut root = serde_json::Map::new();
    root.insert(
        "info".into(),
        serde_json::Value::Object(std::mem::take(&mut info)),
    );
    mark_info(&mut root, &marker);
    let info = serde_json::to_vec(&root["info"]).expect("a JSON value serialises");
    let mut marked = Vec::with_capacity(body.len() + info.len() - (end - start));
    marked.extend_from_slice(&body[..start]);
    marked.extend_from_slice(&info);
    marked.extend_from_slice(&body[end..]);
    (marked, marker)
}

/// The byte range of the value of the top-level member `key` of the JSON object `text`:
/// `Some(None)` when there is no such member, `None` when `text` is not a plain object (not an
/// object, a key with an escape, the key twice, or malformed).
fn top_level_member(text: &[u8], key: &[u8]) -> Option<Option<(usize, usize)>> {
    let ws = |i: &mut usize| {
        while text.get(*i).is_some_and(|b| b.is_ascii_whitespace()) {
            *i += 1;
        }
    };
    let mut i = 0;
    ws(&mut i);
    if text.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut found = None;
    let mut first = true;
    loop {
        ws(&mut i);
        match text.get(i)? {
            b'}' if first => break,
            b'"' => {}
            _ => return None,
        }
        first = false;
        let key_end = string_end(text, i)?;
        let name = &text[i + 1..key_end - 1];
        if name.contains(&b'\\') {
            return None;
        }
        i = key_end;
        ws(&mut i);
        if text.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        ws(&mut i);
        let start = i;
        i = value_end(text, i)?;
        if name == key {
            if found.is_some() {
                return None;
            }
            found = Some((start, i));
        }
        ws(&mut i);
        match text.get(i)? {
            b',' => i += 1,
            b'}' => break,
            _ => return None,
        }
    }
    i += 1;
    ws(&mut i);
    (i == text.len()).then_some(found)
}

/// The end (one past the closing quote) of the string starting at `start` (its opening quote).
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match text.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The end of the JSON value starting at `start` (no leading whitespace). Strings are skipped
/// whole; arrays and objects by counting brackets outside strings; the value's own syntax is
/// checked later by the parser of the one value that is read.
fn value_end(text: &[u8], start: usize) -> Option<usize> {
    match text.get(start)? {
        b'"' => string_end(text, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match text.get(i)? {
                    b'"' => {
                        i = string_end(text, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = start;
            while text
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast marking gives [`mark_body`]'s bytes on compact bodies of every shape.
    #[test]
    fn compact_bodies_are_marked_as_mark_body_marks_them() {
        let bodies = [
            r#"{"swagger":"2.0","info":{"title":"t","description":"d"},"paths":{}}"#,
            r#"{"openapi":"3.0.3","info":{"title":"t"},"paths":{"/a":{"get":{}}}}"#,
            r#"{"info":{"title":"t","description":""},"x":[1,2.5,-0.0,1e300,"}{\"]"]}"#,
            r#"{"paths":{"/{a}":{"x":"\"info\":{}"}},"info":{"description":"é \n ok"}}"#,
            r#"{"swagger":"2.0","paths":{}}"#,
            r#"{"info":"not an object","paths":{}}"#,
            r#"{"info":null}"#,
            r#"{}"#,
            r#"[1,2]"#,
            r#"{"in\u0066o":{"description":"escaped key"},"info":{"title":"t"}}"#,
            r#"{"info":{"title":"a"},"info":{"title":"b"}}"#,
            r#"not json"#,
        ];
        for body in bodies {
            // Compact, as prepare writes it (when it is JSON at all).
            let body = match serde_json::from_str::<serde_json::Value>(body) {
                Ok(v) if !body.contains("\"info\":{\"title\":\"a\"}") => {
                    serde_json::to_vec(&v).unwrap()
                }
                _ => body.as_bytes().to_vec(),
            };
            assert_eq!(
                mark_compact_body(&body),
                mark_body(&body),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
    }

    #[test]
    fn members_are_found_only_in_plain_objects() {
        assert_eq!(
            top_level_member(br#"{"a":1,"info":{"b":[]}}"#, b"info"),
            Some(Some((14, 22)))
        );
        assert_eq!(
            top_level_member(br#"{"a":{"info":1}}"#, b"info"),
            Some(None)
        );
        assert_eq!(top_level_member(br#" { } "#, b"info"), Some(None));
        assert_eq!(top_level_member(br#"{"a":1,}"#, b"info"), None);
        assert_eq!(top_level_member(br#"{"a":1} x"#, b"info"), None);
        assert_eq!(top_level_member(br#"{"a":"#, b"info"), None);
        assert_eq!(top_level_member(br#"{"a":[1,{"#, b"info"), None);
        assert_eq!(top_level_member(br#"{"info":1,"info":2}"#, b"info"), None);
    }
}

//! Function names: valid, sanitised, generated, shortened.

use lambda_sync_spec::HttpMethod;
use sha2::{Digest, Sha256};

/// The longest Lambda function name.
pub(crate) const MAX_NAME: usize = 64;

/// Whether `name` is a valid Lambda function name: `[A-Za-z0-9_-]{1,64}`.
///
/// ```
/// use lambda_sync_integration::is_valid_function_name;
/// assert!(is_valid_function_name("getUserByName"));
/// assert!(!is_valid_function_name("repos/get-content"));
/// assert!(!is_valid_function_name(&"a".repeat(65)));
/// ```
pub fn is_valid_function_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= MAX_NAME && name.bytes().all(valid_byte)
}

fn valid_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// 8 hex digits of SHA-256: short, stable, and different for different inputs in practice.
pub(crate) fn short_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    hex::encode(&digest[..4])
}

/// 16 hex digits of SHA-256 (statement ids).
pub(crate) fn long_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    hex::encode(&digest[..8])
}

/// Makes any text a valid function name, deterministically:
///
/// 1. a valid name is kept as it is;
/// 2. otherwise every run of characters outside `[A-Za-z0-9_-]` becomes one `-`, and `-` at
///    either end is dropped (`repos/get-content` → `repos-get-content`,
///    `storage.buckets.list` → `storage-buckets-list`,
///    `put_files_id#add_shared_link` → `put_files_id-add_shared_link`);
/// 3. a name longer than 64 characters keeps its first 55 and ends with `-` and 8 hex digits
///    of the SHA-256 of the whole (sanitised) name, so two long names never meet.
///
/// Returns `None` when nothing valid is left (`"日本語"`); the caller falls back on the
/// generated name.
///
/// ```
/// use lambda_sync_integration::sanitize_function_name;
/// assert_eq!(sanitize_function_name("repos/get-content").as_deref(), Some("repos-get-content"));
/// assert_eq!(sanitize_function_name("storage.buckets.list").as_deref(), Some("storage-buckets-list"));
/// assert_eq!(
///     sanitize_function_name("put_files_id#add_shared_link").as_deref(),
///     Some("put_files_id-add_shared_link")
/// );
/// assert_eq!(sanitize_function_name(&"x".repeat(100)).unwrap().len(), 64);
/// assert_eq!(sanitize_function_name("//"), None);
/// ```
pub fn sanitize_function_name(text: &str) -> Option<String> {
    if is_valid_function_name(text) {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for ch in text.chars() {
        if ch.is_ascii() && valid_byte(ch as u8) {
            out.push(ch);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        return None;
    }
    Some(shorten(trimmed))
}

/// Cuts a valid-character name to 64 characters with a hash suffix, when it is longer.
pub(crate) fn shorten(name: &str) -> String {
    if name.len() <= MAX_NAME {
        return name.to_string();
    }
    let head = name[..MAX_NAME - 9].trim_end_matches('-');
    format!("{head}-{}", short_hash(name))
}

/// The operationId generated for an operation that has none: the method in lower case, then
/// each path segment in PascalCase, a `{param}` segment as `By` + the parameter in PascalCase;
/// `/` alone is `Root`.
///
/// `GET /user/{username}` → `getUserByUsername`, `POST /pet/{petId}/uploadImage` →
/// `postPetByPetIdUploadImage`, `GET /store/order-items` → `getStoreOrderItems`, `GET /` →
/// `getRoot`. Characters other than ASCII letters and digits only separate words.
///
/// ```
/// use lambda_sync_integration::generate_operation_id;
/// use lambda_sync_spec::HttpMethod;
/// assert_eq!(generate_operation_id(HttpMethod::Get, "/user/{username}"), "getUserByUsername");
/// assert_eq!(generate_operation_id(HttpMethod::Delete, "/"), "deleteRoot");
/// ```
pub fn generate_operation_id(method: HttpMethod, path: &str) -> String {
    let mut out = method.as_str().to_string();
    let mut any = false;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let pascal = pascal(inner);
            if !pascal.is_empty() {
                out.push_str("By");
                out.push_str(&pascal);
                any = true;
            }
        } else {
            let pascal = pascal(segment);
            any |= !pascal.is_empty();
            out.push_str(&pascal);
        }
    }
    if !any {
        out.push_str("Root");
    }
    out
}

fn pascal(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// Appends `-{n}` to `base`, shortening `base` so the result stays within 64 characters.
pub(crate) fn with_suffix(base: &str, n: usize) -> String {
    let suffix = format!("-{n}");
    let keep = MAX_NAME - suffix.len();
    let head = if base.len() > keep {
        base[..keep].trim_end_matches('-')
    } else {
        base
    };
    format!("{head}{suffix}")
}

/// The function name and qualifier read from a Lambda integration `uri` ([`crate::LambdaUri`]);
/// `None` when the uri is not a Lambda invocation uri or uses variables (`${stageVariables.x}`).
///
/// ```
/// use lambda_sync_integration::function_from_uri;
/// let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:addPet:live/invocations";
/// assert_eq!(function_from_uri(uri), Some(("addPet".into(), Some("live".into()))));
/// ```
pub fn function_from_uri(uri: &str) -> Option<(String, Option<String>)> {
    crate::LambdaUri::parse(uri).map(|u| (u.function_name, u.qualifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_fit() {
        assert_eq!(with_suffix("a", 2), "a-2");
        let long = "x".repeat(64);
        assert_eq!(with_suffix(&long, 12).len(), 64);
        assert!(with_suffix(&long, 12).ends_with("-12"));
    }

    #[test]
    fn generated_ids() {
        for (m, p, want) in [
            (HttpMethod::Get, "/user/{username}", "getUserByUsername"),
            (
                HttpMethod::Post,
                "/pet/{petId}/uploadImage",
                "postPetByPetIdUploadImage",
            ),
            (HttpMethod::Get, "/store/order-items", "getStoreOrderItems"),
            (HttpMethod::Get, "/{proxy+}", "getByProxy"),
            (HttpMethod::Put, "/v1.0/a_b", "putV10AB"),
            (HttpMethod::Get, "/", "getRoot"),
            (HttpMethod::Get, "/é", "getRoot"),
        ] {
            assert_eq!(generate_operation_id(m, p), want, "{m} {p}");
        }
    }
}

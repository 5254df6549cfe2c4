//! JSON Pointer (RFC 6901) helpers and `$ref` parsing.

use serde_json::Value;
use std::borrow::Cow;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> Cow<'_, str> {
    let Some(first) = token.bytes().position(|b| b == b'~' || b == b'/') else {
        return Cow::Borrowed(token);
    };
    // One pass over the bytes (`~` and `/` are ASCII, so never inside a multi-byte character).
    let mut out = String::with_capacity(token.len() + 4);
    out.push_str(&token[..first]);
    let mut from = first;
    for (i, b) in token.bytes().enumerate().skip(first) {
        let esc = match b {
            b'~' => "~0",
            b'/' => "~1",
            _ => continue,
        };
        out.push_str(&token[from..i]);
        out.push_str(esc);
        from = i + 1;
    }
    out.push_str(&token[from..]);
    Cow::Owned(out)
}

/// Unescapes one reference token: `~1` → `/`, `~0` → `~`.
pub fn unescape(token: &str) -> Cow<'_, str> {
    let Some(first) = token.find('~') else {
        return Cow::Borrowed(token);
    };
    // One pass (the same as replacing `~1` then `~0`): a `~` followed by anything else stays.
    let mut out = String::with_capacity(token.len());
    out.push_str(&token[..first]);
    let mut rest = &token[first..];
    while let Some(at) = rest.find('~') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.as_bytes().get(1) {
            Some(b'1') => {
                out.push('/');
                rest = &rest[2..];
            }
            Some(b'0') => {
                out.push('~');
                rest = &rest[2..];
            }
            _ => {
                out.push('~');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Appends one token to a pointer: `push("/paths", "/pets")` gives `/paths/~1pets`.
pub fn push(pointer: &str, token: &str) -> String {
    let token = escape(token);
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// Builds a pointer from unescaped tokens.
pub fn from_tokens<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t.as_ref()));
    }
    out
}

/// Splits a pointer into unescaped tokens. `""` is the root (no tokens).
///
/// Returns `None` when the pointer is neither empty nor starts with `/`.
pub fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(|t| unescape(t).into_owned()).collect())
}

/// Looks a pointer up in a value, like [`Value::pointer`] (array indices with a leading zero
/// or a `+` are refused, as RFC 6901 requires), without allocating for tokens that need no
/// unescaping.
pub fn get<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut cur = value;
    for token in rest.split('/') {
        cur = match cur {
            Value::Object(map) => member(map, &unescape(token))?,
            Value::Array(items) => items.get(array_index(token)?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Mutable lookup, like [`get`] (the same refusals, no allocation for tokens that need no
/// unescaping); the one `pointer_mut` of the workspace.
///
/// ```
/// use lambda_sync_spec::pointer;
/// let mut v = serde_json::json!({"paths": {"/a~b": [1, 2]}});
/// *pointer::get_mut(&mut v, "/paths/~1a~0b/1").unwrap() = 3.into();
/// assert_eq!(v["paths"]["/a~b"][1], 3);
/// assert!(pointer::get_mut(&mut v, "/paths/~1a~0b/01").is_none());
/// assert!(pointer::get_mut(&mut v, "/paths/~1a~0b/+1").is_none());
/// ```
pub fn get_mut<'a>(value: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut cur = value;
    for token in rest.split('/') {
        cur = match cur {
            Value::Object(map) => member_mut(map, &unescape(token))?,
            Value::Array(items) => items.get_mut(array_index(token)?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Objects with at most this many members are searched by comparing keys: cheaper than
/// hashing the key (serde_json's maps use SipHash), and most objects on a pointer's way are
/// small (`components`, a path item, an operation).
const SCAN_MAX: usize = 8;

/// Member `key` of `map`.
fn member<'a>(map: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() <= SCAN_MAX {
        map.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        map.get(key)
    }
}

/// Member `key` of `map`, mutable.
fn member_mut<'a>(map: &'a mut serde_json::Map<String, Value>, key: &str) -> Option<&'a mut Value> {
    if map.len() <= SCAN_MAX {
        map.iter_mut().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        map.get_mut(key)
    }
}

/// An array index token as RFC 6901 writes it: digits, no leading zero, no sign.
fn array_index(token: &str) -> Option<usize> {
    if token.is_empty()
        || !token.bytes().all(|b| b.is_ascii_digit())
        || (token.len() > 1 && token.starts_with('0'))
    {
        return None;
    }
    token.parse().ok()
}

/// A parsed `$ref` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `#/components/schemas/Pet`: a JSON Pointer into this document (already
    /// percent-decoded, still `~`-escaped).
    Local(String),
    /// `models/pet.yaml#/Pet` or `common.json`: a file relative to the referencing file,
    /// with an optional pointer fragment (percent-decoded).
    File {
        /// The path part, percent-decoded.
        path: String,
        /// The pointer fragment (`""` for the whole file).
        pointer: String,
    },
    /// `http://...`, `https://...` or `//host/...`: never fetched.
    Remote(String),
}

/// Parses a `$ref` string.
///
/// Returns `None` for a fragment that is not a JSON Pointer (`#Pet`, an anchor).
pub fn parse_ref(reference: &str) -> Option<Reference> {
    let start = reference.trim_start().as_bytes();
    let has_prefix =
        |p: &str| start.len() >= p.len() && start[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if has_prefix("http://") || has_prefix("https://") || has_prefix("//") {
        return Some(Reference::Remote(reference.to_string()));
    }
    let (path, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, f),
        None => (reference, ""),
    };
    let fragment = percent_decode(fragment);
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return None;
    }
    if path.is_empty() {
        Some(Reference::Local(fragment))
    } else {
        if path.contains("://") {
            return Some(Reference::Remote(reference.to_string()));
        }
        Some(Reference::File {
            path: percent_decode(path),
            pointer: fragment,
        })
    }
}

fn percent_decode(s: &str) -> String {
    if s.contains('%') {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    } else {
        s.to_string()
    }
}

/// The last token of a pointer, unescaped (`"/components/schemas/Pet"` → `"Pet"`).
pub fn last_token(pointer: &str) -> Option<Cow<'_, str>> {
    let idx = pointer.rfind('/')?;
    Some(unescape(&pointer[idx + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for (raw, esc) in [
            ("a/b", "a~1b"),
            ("a~b", "a~0b"),
            ("~/", "~0~1"),
            ("plain", "plain"),
        ] {
            assert_eq!(escape(raw), esc);
            assert_eq!(unescape(esc), raw);
        }
        assert_eq!(unescape("~01"), "~1", "~0 must be decoded after ~1");
        for (esc, raw) in [
            ("~", "~"),
            ("a~", "a~"),
            ("~2~~1", "~2~/"),
            ("~00", "~0"),
            ("é~1ü", "é/ü"),
        ] {
            assert_eq!(unescape(esc), raw);
        }
    }

    /// Small objects are searched by comparing keys, larger ones by hash: the same answers.
    #[test]
    fn get_in_small_and_large_objects() {
        for n in [0, 1, SCAN_MAX, SCAN_MAX + 1, 40] {
            let mut v = serde_json::json!({});
            for i in 0..n {
                v[format!("k/{i}")] = serde_json::json!({ "i": i });
            }
            for i in 0..n {
                let p = format!("/k~1{i}/i");
                assert_eq!(get(&v, &p), Some(&serde_json::json!(i)), "{p} of {n}");
                *get_mut(&mut v, &p).unwrap() = serde_json::json!(i + 1);
                assert_eq!(v.pointer(&p), Some(&serde_json::json!(i + 1)));
            }
            assert_eq!(get(&v, "/k~1missing"), None);
            assert!(get_mut(&mut v, "/k/0").is_none());
        }
    }

    /// The one-pass escape is the two replacements (`~` first), and unescape undoes it.
    #[test]
    fn escape_is_the_two_replacements() {
        for raw in [
            "",
            "a",
            "/",
            "~",
            "/pets/{id}",
            "~/~/",
            "é/ü~",
            "a~1b",
            "//x//",
        ] {
            assert_eq!(escape(raw), raw.replace('~', "~0").replace('/', "~1"));
            assert_eq!(unescape(&escape(raw)), raw);
        }
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The one-pass unescape is RFC 6901's two replacements (`~1` first, then `~0`), on
        /// any text, invalid escapes included.
        #[test]
        fn unescape_is_the_two_replacements(
            token in proptest::collection::vec(
                proptest::sample::select(vec!["~", "0", "1", "2", "/", "a", "é"]),
                0..12,
            ).prop_map(|parts: Vec<&str>| parts.concat()),
        ) {
            proptest::prop_assert_eq!(
                unescape(&token).into_owned(),
                token.replace("~1", "/").replace("~0", "~")
            );
        }
    }

    #[test]
    fn refs_parse() {
        assert_eq!(
            parse_ref("#/paths/~1pets~1%7Bid%7D"),
            Some(Reference::Local("/paths/~1pets~1{id}".into()))
        );
        assert_eq!(
            parse_ref("./models/pet.yaml#/Pet"),
            Some(Reference::File {
                path: "./models/pet.yaml".into(),
                pointer: "/Pet".into()
            })
        );
        assert_eq!(
            parse_ref("common.json"),
            Some(Reference::File {
                path: "common.json".into(),
                pointer: String::new()
            })
        );
        assert!(matches!(
            parse_ref("https://example.com/x.json#/A"),
            Some(Reference::Remote(_))
        ));
        assert_eq!(parse_ref("#anchor"), None);
    }
}

//! The `$util` functions and the small encoders they need.

/// `$util.escapeJavaScript`: API Gateway's behaviour, which is Apache Commons Lang's
/// `StringEscapeUtils.escapeJavaScript`:
///
/// - `"` → `\"`, `'` → `\'` (not valid in JSON: see the crate docs), `\` → `\\`, `/` → `\/`;
/// - backspace, form feed, newline, carriage return, tab → `\b`, `\f`, `\n`, `\r`, `\t`;
/// - other characters below U+0020 → `\u00XX`;
/// - characters above U+007F → `\uXXXX` (upper-case hex), as UTF-16 code units, so a
///   character outside the BMP (an emoji) becomes a surrogate pair `\uD83D\uDE00`.
///
/// ```
/// use lambda_sync_mapping::escape_javascript;
/// assert_eq!(escape_javascript("it's \"é\"/\n"), r#"it\'s \"\u00E9\"\/\n"#);
/// ```
pub fn escape_javascript(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7f => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04X}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `$util.urlEncode`: Java's `URLEncoder.encode(s, "UTF-8")` (`application/x-www-form-urlencoded`):
/// letters, digits and `.-*_` stay, a space becomes `+`, every other byte `%XX`.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `$util.urlDecode`: `+` is a space, `%XX` a byte (bytes that are not UTF-8 become U+FFFD).
pub fn url_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => out.push(b),
                    None => {
                        return Err(format!(
                            "$util.urlDecode: incomplete or bad escape at byte {i}"
                        ));
                    }
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The alphabet of `$util.base64Encode`/`base64Decode`: standard, with padding on encode;
/// on decode padding is optional and non-zero bits after the last byte are ignored (as Java's
/// `Base64.getDecoder()` ignores them).
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// `$util.base64Encode`: standard alphabet, with padding, of the UTF-8 bytes.
///
/// ```
/// assert_eq!(lambda_sync_mapping::base64_encode("hello"), "aGVsbG8=");
/// ```
pub fn base64_encode(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `$util.base64Decode`: standard alphabet, padding optional (any `=` at the end is ignored);
/// the bytes are read as UTF-8 (invalid sequences become U+FFFD). A character outside the
/// alphabet, or a lone last character (6 bits, not a byte), is an error naming its place.
///
/// ```
/// use lambda_sync_mapping::base64_decode;
/// assert_eq!(base64_decode("aGVsbG8=").unwrap(), "hello");
/// assert_eq!(base64_decode("aGVsbG8").unwrap(), "hello");
/// assert!(base64_decode("aGVs bG8=").is_err());
/// ```
pub fn base64_decode(s: &str) -> Result<String, String> {
    use base64::{DecodeError, Engine};
    let trimmed = s.trim_end_matches('=');
    // The first character outside the alphabet (the crate reports a byte offset, which may
    // fall inside a multi-byte character).
    let first_bad = |i: usize| {
        trimmed
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
            .map_or(('=', i), |(i, c)| (c, i))
    };
    match BASE64.decode(trimmed) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(DecodeError::InvalidByte(i, _) | DecodeError::InvalidLastSymbol(i, _)) => {
            let (c, i) = first_bad(i);
            Err(format!(
                "$util.base64Decode: `{c}` at byte {i} is not base64"
            ))
        }
        Err(DecodeError::InvalidLength(_)) => {
            let (i, c) = trimmed.char_indices().last().unwrap_or((0, '='));
            Err(format!(
                "$util.base64Decode: `{c}` at byte {i} is alone in its group of four (6 bits are not a byte)"
            ))
        }
        Err(DecodeError::InvalidPadding) => {
            Err("$util.base64Decode: `=` inside the text is not base64".to_string())
        }
    }
}

/// Looks a simple JSONPath up in a value: `$`, `$.a.b`, `$['a']`, `$.a[0]`, `$.a[-1]`.
/// `None` when the path does not select anything.
pub(crate) fn json_path<'v>(
    root: &'v serde_json::Value,
    path: &str,
) -> Result<Option<&'v serde_json::Value>, String> {
    let bad = || format!("unsupported JSONPath `{path}`: use `$`, `$.a.b`, `$['a']` or `$.a[0]`");
    let p = path.trim();
    let mut rest = p.strip_prefix('$').ok_or_else(bad)?;
    let mut cur = root;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            if key.is_empty() || key == "*" {
                return Err(bad());
            }
            match cur.get(key) {
                Some(v) => cur = v,
                None => return Ok(None),
            }
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(bad)?;
            let inner = r[..end].trim();
            rest = &r[end + 1..];
            if let Some(q) = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
            {
                match cur.get(q) {
                    Some(v) => cur = v,
                    None => return Ok(None),
                }
            } else {
                let n: i64 = inner.parse().map_err(|_| bad())?;
                let Some(arr) = cur.as_array() else {
                    return Ok(None);
                };
                let idx = if n < 0 { arr.len() as i64 + n } else { n };
                match usize::try_from(idx).ok().and_then(|i| arr.get(i)) {
                    Some(v) => cur = v,
                    None => return Ok(None),
                }
            }
        } else {
            return Err(bad());
        }
    }
    Ok(Some(cur))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "abcd", "héllo wörld 🎉"] {
            assert_eq!(base64_decode(&base64_encode(s)).unwrap(), s);
        }
        assert_eq!(base64_encode("hello"), "aGVsbG8=");
        assert!(base64_decode("a$b").is_err());
    }

    /// Hostile and unusual input: what is accepted, and the message of what is not.
    #[test]
    fn base64_decode_of_hostile_input() {
        let ok = |s: &str, want: &str| assert_eq!(base64_decode(s).as_deref(), Ok(want), "{s:?}");
        let err = |s: &str, want: &str| {
            assert_eq!(
                base64_decode(s),
                Err(format!("$util.base64Decode: {want}")),
                "{s:?}"
            )
        };
        ok("", "");
        ok("=", "");
        ok("====", "");
        ok("QQ", "A");
        ok("QQ=", "A");
        ok("QQ==", "A");
        ok("QQ=====", "A");
        // Bits after the last byte are ignored, as Java's decoder ignores them.
        ok("QR==", "A");
        // Bytes that are not UTF-8 become U+FFFD.
        ok("/w==", "\u{fffd}");
        ok("wyg=", "\u{fffd}(");
        err(
            "Q",
            "`Q` at byte 0 is alone in its group of four (6 bits are not a byte)",
        );
        err(
            "QUJDR",
            "`R` at byte 4 is alone in its group of four (6 bits are not a byte)",
        );
        err("QQ==QQ==", "`=` at byte 2 is not base64");
        err("aGVs bG8=", "` ` at byte 4 is not base64");
        err("aGVs\nbG8=", "`\n` at byte 4 is not base64");
        // The URL-safe alphabet is another alphabet.
        err("-_-_", "`-` at byte 0 is not base64");
        err("QUJé", "`é` at byte 3 is not base64");
        err("\u{0}AAA", "`\u{0}` at byte 0 is not base64");
    }

    proptest::proptest! {
        /// Any text round-trips, with or without its padding, and no input makes decode panic.
        #[test]
        fn base64_properties(s in "\\PC*", junk in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let encoded = base64_encode(&s);
            proptest::prop_assert_eq!(base64_decode(&encoded).unwrap(), s.clone());
            proptest::prop_assert_eq!(base64_decode(encoded.trim_end_matches('=')).unwrap(), s);
            let _ = base64_decode(&String::from_utf8_lossy(&junk));
        }
    }

    #[test]
    fn url_round_trips() {
        assert_eq!(url_encode("a b&c=d/é*"), "a+b%26c%3Dd%2F%C3%A9*");
        assert_eq!(url_decode("a+b%26c%3Dd%2F%C3%A9*").unwrap(), "a b&c=d/é*");
        assert!(url_decode("%4").is_err());
    }

    #[test]
    fn escape_matches_commons_lang() {
        assert_eq!(
            escape_javascript("\u{1}\u{1f}\u{7f}"),
            "\\u0001\\u001F\u{7f}"
        );
        assert_eq!(escape_javascript("😀"), "\\uD83D\\uDE00");
        assert_eq!(escape_javascript("\u{8}\u{c}\r\t"), "\\b\\f\\r\\t");
    }
}

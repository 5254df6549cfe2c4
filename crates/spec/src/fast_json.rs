//! A fast path for JSON input: a small parser that builds the same `serde_json::Value` as the
//! strict serde route ([`parse_json`](crate::parse_json)), for the documents that route accepts.
//!
//! It does less per node than serde's visitor machinery: members and elements are gathered on
//! two scratch stacks shared by the whole parse (no list per object), each object's map and each
//! array is made once at its exact size, and strings without escapes are copied straight from
//! the text after a word-at-a-time scan for `"`, `\` and control characters.
//!
//! It never reports an error itself: on anything it does not handle exactly as serde_json does
//! (a syntax error, a repeated key, nesting near the limit, a number that is not a plain
//! integer, an escape it would have to judge) it gives up with `None`, and the caller parses the
//! text again through serde, which gives the same value or serde_json's own error with its line
//! and column. So the fast path can only change how fast a document loads, never what it loads
//! to or how it fails; a property test compares the two on generated and mutated documents.

use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is left to serde (its limit is [`MAX_DEPTH`](crate::MAX_DEPTH)).
const FAST_DEPTH: usize = 100;

/// Parses `text` as one JSON value, or gives up (`None`) for the serde route to decide.
pub(crate) fn parse(text: &str) -> Option<Value> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
        members: Vec::new(),
        elements: Vec::new(),
    };
    let v = p.value()?;
    p.skip_ws();
    (p.pos == p.bytes.len()).then_some(v)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    /// Members of the objects being read, innermost last.
    members: Vec<(String, Value)>,
    /// Elements of the arrays being read, innermost last.
    elements: Vec<Value>,
}

impl Parser<'_> {
    /// Skips whitespace; the indentation of pretty-printed JSON eight spaces at a time.
    #[inline]
    fn skip_ws(&mut self) {
        let b = self.bytes;
        let mut i = self.pos;
        while let Some(&c) = b.get(i) {
            match c {
                b' ' | b'\n' | b'\r' | b'\t' => i += 1,
                _ => break,
            }
            while b.get(i..i + 8) == Some(b"        ") {
                i += 8;
            }
        }
        self.pos = i;
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_ws();
        match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Value::String),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Option<Value> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Some(v)
        } else {
            None
        }
    }

    fn object(&mut self) -> Option<Value> {
        self.depth += 1;
        if self.depth > FAST_DEPTH {
            return None;
        }
        self.pos += 1; // `{`
        let start = self.members.len();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek()? != b'"' {
                    return None;
                }
                let key = self.string()?;
                self.skip_ws();
                if self.peek()? != b':' {
                    return None;
                }
                self.pos += 1;
                let v = self.value()?;
                self.members.push((key, v));
                self.skip_ws();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        let n = self.members.len() - start;
        let mut map = Map::with_capacity(n);
        for (k, v) in self.members.drain(start..) {
            match map.entry(k) {
                Entry::Vacant(e) => {
                    e.insert(v);
                }
                // A repeated key: serde's route reports it.
                Entry::Occupied(_) => return None,
            }
        }
        Some(Value::Object(map))
    }

    fn array(&mut self) -> Option<Value> {
        self.depth += 1;
        if self.depth > FAST_DEPTH {
            return None;
        }
        self.pos += 1; // `[`
        let start = self.elements.len();
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
        } else {
            loop {
                let v = self.value()?;
                self.elements.push(v);
                self.skip_ws();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        let out: Vec<Value> = self.elements.drain(start..).collect();
        Some(Value::Array(out))
    }

    /// A string at `"`: copied as it is when it has no escape, else decoded by serde_json.
    fn string(&mut self) -> Option<String> {
        let open = self.pos;
        let body = open + 1;
        let end = find_special(self.bytes, body);
        match self.bytes.get(end)? {
            b'"' => {
                self.pos = end + 1;
                // Split at ASCII quotes: both ends are character boundaries.
                Some(self.text[body..end].to_owned())
            }
            b'\\' => {
                // Find the closing quote (an escaped quote does not close), then let serde_json
                // decode the escapes with its own rules (surrogates, `\u` forms).
                let mut i = end;
                loop {
                    let j = find_special(self.bytes, i);
                    match self.bytes.get(j)? {
                        b'"' => {
                            let s: String = serde_json::from_str(&self.text[open..=j]).ok()?;
                            self.pos = j + 1;
                            return Some(s);
                        }
                        b'\\' => i = j + 2,
                        _ => return None, // a control character: an error
                    }
                }
            }
            _ => None, // a control character in a string: an error
        }
    }

    /// A plain integer is read here; anything else (fraction, exponent, out of range) is read by
    /// serde_json from its text, so the value is exactly the one serde's route makes.
    fn number(&mut self) -> Option<Value> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        let negative = b[i] == b'-';
        if negative {
            i += 1;
        }
        let digits = i;
        match b.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => return None,
        }
        let plain = !matches!(b.get(i), Some(b'.' | b'e' | b'E'));
        if plain && i - digits <= 18 {
            self.pos = i;
            let mut n: u64 = 0;
            for &d in &b[digits..i] {
                n = n * 10 + u64::from(d - b'0');
            }
            return Some(if negative {
                if n == 0 {
                    // `-0` is a float in serde_json.
                    return self.number_by_serde(start, i);
                }
                Value::Number(Number::from(-(n as i64)))
            } else {
                Value::Number(Number::from(n))
            });
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        self.number_by_serde(start, i)
    }

    fn number_by_serde(&mut self, start: usize, end: usize) -> Option<Value> {
        let v: Value = serde_json::from_str(&self.text[start..end]).ok()?;
        if !v.is_number() {
            return None;
        }
        self.pos = end;
        Some(v)
    }
}

/// The index of the first `"`, `\` or control character (below 0x20) at or after `from`, or
/// the length of `bytes` when there is none. Eight bytes at a time.
#[inline]
fn find_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // A byte is zero in `quote`/`backslash`, or below 0x20 in `w`: the classic "has a byte
        // less than n" test, exact for the lowest such byte.
        let hit = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w);
        let hit = hit & HIGH;
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_route(text: &str) -> Option<Value> {
        crate::parse::parse_json_serde(text).ok()
    }

    /// The value and its key order (`Value`'s `==` ignores the order of keys).
    fn exact(v: &Option<Value>) -> Option<String> {
        v.as_ref().map(|v| serde_json::to_string(v).unwrap())
    }

    fn same(text: &str) {
        let (fast, slow) = (parse(text), serde_route(text));
        assert_eq!(fast, slow, "{text}");
        assert_eq!(exact(&fast), exact(&slow), "{text}");
    }

    fn any_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            (-1000i32..1000).prop_map(|i| Value::from(f64::from(i) / 8.0)),
            any::<String>().prop_map(Value::String),
            "[a-z\\\"/ \n\t\u{e9}\u{1F600}]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::vec(("[a-z\"\\~/{}]{0,6}", inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Documents written compactly and pretty read to the same value, in the same order.
        #[test]
        fn generated_documents_read_the_same(v in any_value()) {
            same(&serde_json::to_string(&v).unwrap());
            same(&serde_json::to_string_pretty(&v).unwrap());
            proptest::prop_assert!(parse(&serde_json::to_string(&v).unwrap()).is_some());
        }

        /// A damaged document: the fast path gives up, or reads what serde reads.
        #[test]
        fn damaged_documents_never_differ(
            v in any_value(),
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            delete in proptest::prelude::any::<bool>(),
        ) {
            let mut text = serde_json::to_string_pretty(&v).unwrap().into_bytes();
            let i = at.index(text.len() + 1);
            if delete && i < text.len() {
                text.remove(i);
            } else {
                text.insert(i, byte);
            }
            if let Ok(text) = String::from_utf8(text) {
                let fast = parse(&text);
                if fast.is_some() {
                    same(&text);
                }
            }
        }
    }

    #[test]
    fn same_values_as_serde() {
        let cases = [
            r#"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#,
            r#"  [1, -2, 0, -0, 1.5, -1.5e10, 1E+2, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, 123456789012345678, 1234567890123456789]  "#,
            r#"{"esc": "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00", "k\"ey": 1}"#,
            r#"{"unicode": "héllo wörld ✓ 😀", "": ""}"#,
            "{}",
            "[]",
            "[[], {}, [[]], {\"a\": {}}]",
            "\"just a string\"",
            "0",
            "1e400",
            "0.1",
            "{\"x\": 1.0}",
            "[1.7976931348623157e308, 5e-324, 2.2250738585072014e-308]",
        ];
        for c in cases {
            same(c);
            assert!(
                parse(c).is_some() || serde_route(c).is_none(),
                "the fast path gave up on {c}"
            );
        }
    }

    #[test]
    fn gives_up_where_serde_fails() {
        for c in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{a:1}",
            "[01]",
            "[-]",
            "[1.]",
            "[1e]",
            "[.5]",
            "[tru]",
            "[nul]",
            "\"a\u{1}b\"",
            "\"a\\qb\"",
            "\"\\ud800\"",
            "\"unterminated",
            "[1] 2",
            "{\"a\":1,\"a\":2}",
            "[1e999]",
        ] {
            assert_eq!(parse(c), None, "{c:?}");
            assert_eq!(serde_route(c), None, "{c:?}");
        }
    }

    #[test]
    fn deep_nesting_is_left_to_serde() {
        let deep = format!(
            "{}{}",
            "[".repeat(FAST_DEPTH + 1),
            "]".repeat(FAST_DEPTH + 1)
        );
        assert_eq!(parse(&deep), None);
        let ok = format!("{}{}", "[".repeat(FAST_DEPTH), "]".repeat(FAST_DEPTH));
        assert_eq!(parse(&ok), serde_route(&ok));
        assert!(parse(&ok).is_some());
    }

    #[test]
    fn find_special_finds_the_first() {
        let s = b"abcdefghijklmnop\"qrst\\";
        assert_eq!(find_special(s, 0), 16);
        assert_eq!(find_special(s, 17), 21);
        assert_eq!(find_special(b"abc", 0), 3);
        for i in 0..20 {
            let mut v = vec![b'x'; 20];
            v[i] = 0x1f;
            assert_eq!(find_special(&v, 0), i);
            v[i] = 0x7f;
            assert_eq!(find_special(&v, 0), 20);
            v[i] = 0xc3;
            assert_eq!(find_special(&v, 0), 20);
        }
    }
}

//! Mapping JSON Pointers to line:column in the source text.
//!
//! The wanted pointers are put in a trie; one pass over the text (a small JSON scanner, or the
//! YAML parser's event stream) follows the trie and records the position of each wanted node: the
//! key of an object member, the first character of an array element. Sub-trees that hold no
//! wanted pointer are passed over without decoding their keys. No recursion.

use crate::document::Format;
use crate::pointer;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// The wanted pointers as a tree of (unescaped) reference tokens, borrowed from the pointers
/// unless a token has `~` escapes.
struct Trie<'p> {
    nodes: Vec<Node<'p>>,
}

#[derive(Default)]
struct Node<'p> {
    children: FxHashMap<Cow<'p, str>, usize>,
    /// A wanted pointer ends here.
    wanted: bool,
}

impl<'p> Trie<'p> {
    /// The trie, and the node of each pointer (`None` for a pointer that is not one).
    fn build(pointers: &[&'p str]) -> (Trie<'p>, Vec<Option<usize>>) {
        let mut t = Trie {
            nodes: vec![Node::default()],
        };
        let mut node_of = Vec::with_capacity(pointers.len());
        for p in pointers {
            let body = if p.is_empty() {
                None
            } else if let Some(rest) = p.strip_prefix('/') {
                Some(rest)
            } else {
                node_of.push(None);
                continue;
            };
            let mut cur = 0;
            for tok in body.into_iter().flat_map(|b| b.split('/')) {
                let tok = pointer::unescape(tok);
                cur = match t.nodes[cur].children.get(tok.as_ref()) {
                    Some(&n) => n,
                    None => {
                        t.nodes.push(Node::default());
                        let n = t.nodes.len() - 1;
                        t.nodes[cur].children.insert(tok, n);
                        n
                    }
                };
            }
            t.nodes[cur].wanted = true;
            node_of.push(Some(cur));
        }
        (t, node_of)
    }

    fn child(&self, node: Option<usize>, token: &str) -> Option<usize> {
        let children = &self.nodes[node?].children;
        if children.is_empty() {
            return None;
        }
        children.get(token).copied()
    }

    /// The child for array index `idx`, without allocating its decimal form.
    fn index_child(&self, node: Option<usize>, idx: usize) -> Option<usize> {
        let children = &self.nodes[node?].children;
        if children.is_empty() {
            return None;
        }
        let mut buf = [0u8; 20];
        let mut k = buf.len();
        let mut v = idx;
        loop {
            k -= 1;
            buf[k] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let token = std::str::from_utf8(&buf[k..]).unwrap_or_default();
        children.get(token).copied()
    }

    fn has_children(&self, node: usize) -> bool {
        !self.nodes[node].children.is_empty()
    }
}

/// Finds the 1-based line and column of each pointer in `source`, in the order of `pointers`:
/// `None` for a pointer that is not in the text.
pub(crate) fn locate(
    source: &str,
    format: Format,
    pointers: &[&str],
) -> Vec<Option<(usize, usize)>> {
    let (trie, node_of) = Trie::build(pointers);
    let mut found = vec![None; trie.nodes.len()];
    match format {
        Format::Json => locate_json(source, &trie, &mut found),
        Format::Yaml => locate_yaml(source, &trie, &mut found),
    }
    node_of.iter().map(|n| n.and_then(|n| found[n])).collect()
}

/// Records the position of `node` when it is wanted and not found yet (the first occurrence
/// counts); `pos` is only called then.
fn record(
    trie: &Trie<'_>,
    node: Option<usize>,
    pos: impl FnOnce() -> (usize, usize),
    found: &mut [Option<(usize, usize)>],
) {
    if let Some(n) = node
        && trie.nodes[n].wanted
        && found[n].is_none()
    {
        found[n] = Some(pos());
    }
}

/// Line and column bookkeeping for the JSON scanner, computed lazily: only for positions that
/// are recorded, from the last one (newlines counted with a vectorised byte count, columns in
/// characters). The scanner records positions in increasing order, so the text is passed over
/// once in all.
struct Cursor<'s> {
    src: &'s str,
    /// The last position computed: byte offset, line, column.
    at: usize,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    fn new(src: &str) -> Cursor<'_> {
        Cursor {
            src,
            at: 0,
            line: 1,
            col: 1,
        }
    }

    fn pos(&mut self, i: usize) -> (usize, usize) {
        let b = self.src.as_bytes();
        let i = i.min(b.len());
        if i < self.at {
            // Never happens in a forward scan; start over rather than count backwards.
            *self = Cursor::new(self.src);
        }
        let gap = &b[self.at..i];
        let from = match memchr::memrchr(b'\n', gap) {
            Some(last) => {
                self.line += 1 + memchr::memchr_iter(b'\n', &gap[..last]).count();
                self.col = 1;
                self.at + last + 1
            }
            None => self.at,
        };
        self.col += self.src.get(from..i).map_or(0, |s| s.chars().count());
        self.at = i;
        (self.line, self.col)
    }
}

/// The index of the closing quote of the string whose body starts at `b[i]` (the byte after
/// the opening quote), or the length of the text when it is not closed.
fn string_end(b: &[u8], mut i: usize) -> usize {
    loop {
        match b
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
        {
            Some(k) if b[i + k] == b'"' => return i + k,
            Some(k) => i += k + 2,
            None => return b.len(),
        }
    }
}

/// The index of the first byte at or after `i` that is not whitespace or `:`. Indentation
/// after a newline is passed over eight spaces at a time.
fn skip_blank(b: &[u8], mut i: usize) -> usize {
    const SPACES: &[u8] = b"        ";
    loop {
        match b.get(i) {
            Some(b'\n') => {
                i += 1;
                while b.get(i..i + SPACES.len()) == Some(SPACES) {
                    i += SPACES.len();
                }
            }
            Some(b' ' | b'\t' | b'\r' | b':') => i += 1,
            _ => return i,
        }
    }
}

enum JFrame {
    Obj {
        node: Option<usize>,
        key_node: Option<usize>,
        expect_key: bool,
    },
    Arr {
        node: Option<usize>,
        idx: usize,
    },
}

fn locate_json(src: &str, trie: &Trie<'_>, found: &mut [Option<(usize, usize)>]) {
    let b = src.as_bytes();
    let mut i = 0;
    let mut cur = Cursor::new(src);
    let mut stack: Vec<JFrame> = Vec::new();
    // The trie node of a value that starts at byte `at` (recording array elements and the root).
    let value_start = |stack: &mut Vec<JFrame>,
                       cur: &mut Cursor<'_>,
                       at: usize,
                       found: &mut [Option<(usize, usize)>]|
     -> Option<usize> {
        match stack.last() {
            None => {
                record(trie, Some(0), || cur.pos(at), found);
                Some(0)
            }
            Some(JFrame::Obj { key_node, .. }) => *key_node,
            Some(JFrame::Arr { node, idx }) => {
                let n = trie.index_child(*node, *idx);
                record(trie, n, || cur.pos(at), found);
                n
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b':' => i = skip_blank(b, i),
            b'"' => {
                let start = i;
                let end = string_end(b, i + 1);
                i = end + 1;
                match stack.last_mut() {
                    Some(JFrame::Obj {
                        node,
                        key_node,
                        expect_key,
                    }) if *expect_key => {
                        *expect_key = false;
                        *key_node = None;
                        if node.is_some() {
                            let raw = src.get(start..(end + 1).min(b.len())).unwrap_or("");
                            // Borrowed from the text unless it has escapes to decode.
                            let key: Cow<'_, str> = if raw.len() >= 2
                                && raw.ends_with('"')
                                && memchr::memchr(b'\\', &raw.as_bytes()[1..raw.len() - 1])
                                    .is_none()
                            {
                                Cow::Borrowed(&raw[1..raw.len() - 1])
                            } else {
                                Cow::Owned(serde_json::from_str(raw).unwrap_or_default())
                            };
                            *key_node = trie.child(*node, &key);
                            let n = *key_node;
                            record(trie, n, || cur.pos(start), found);
                        }
                    }
                    _ => {
                        value_start(&mut stack, &mut cur, start, found);
                    }
                }
            }
            b'{' | b'[' => {
                let node = value_start(&mut stack, &mut cur, i, found);
                // Nothing wanted inside: pass over it without following keys or indices.
                if node.is_none_or(|n| !trie.has_children(n)) {
                    i = skip_container(b, i);
                    continue;
                }
                stack.push(if b[i] == b'{' {
                    JFrame::Obj {
                        node,
                        key_node: None,
                        expect_key: true,
                    }
                } else {
                    JFrame::Arr { node, idx: 0 }
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(JFrame::Obj {
                        expect_key,
                        key_node,
                        ..
                    }) => {
                        *expect_key = true;
                        *key_node = None;
                    }
                    Some(JFrame::Arr { idx, .. }) => *idx += 1,
                    None => {}
                }
                i += 1;
            }
            _ => {
                value_start(&mut stack, &mut cur, i, found);
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
            }
        }
    }
}

/// Passes over the object or array that starts at `b[i]` (`{` or `[`); returns the index just
/// after its end (or the end of the text). Only its own kind of bracket is counted (in valid
/// JSON the other kind nests inside), so each step is one vectorised search for a quote or
/// one of the two brackets; string bodies are passed over the same way.
fn skip_container(b: &[u8], i: usize) -> usize {
    let (open, close) = if b[i] == b'{' {
        (b'{', b'}')
    } else {
        (b'[', b']')
    };
    let mut depth = 0usize;
    let mut j = i;
    while let Some(k) = b
        .get(j..)
        .and_then(|rest| memchr::memchr3(b'"', open, close, rest))
    {
        j += k;
        match b[j] {
            b'"' => j = string_end(b, j + 1),
            c if c == open => depth += 1,
            _ => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j + 1;
                }
            }
        }
        j += 1;
    }
    b.len()
}

enum YFrame {
    Map {
        node: Option<usize>,
        key_node: Option<usize>,
        expect_key: bool,
        is_key: bool,
    },
    Seq {
        node: Option<usize>,
        idx: usize,
        is_key: bool,
    },
}

fn locate_yaml(src: &str, trie: &Trie<'_>, found: &mut [Option<(usize, usize)>]) {
    use saphyr_parser::{Event, Parser};
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<YFrame> = Vec::new();
    let mut done_root = false;
    // Returns (node of the value, whether the value is a mapping key).
    fn start(
        stack: &mut [YFrame],
        trie: &Trie<'_>,
        pos: (usize, usize),
        found: &mut [Option<(usize, usize)>],
        root: &mut bool,
        key_text: Option<&str>,
    ) -> (Option<usize>, bool) {
        match stack.last_mut() {
            None => {
                if *root {
                    return (None, false);
                }
                *root = true;
                record(trie, Some(0), || pos, found);
                (Some(0), false)
            }
            Some(YFrame::Map {
                node,
                key_node,
                expect_key,
                ..
            }) => {
                if *expect_key {
                    *expect_key = false;
                    *key_node = match key_text {
                        Some(k) => trie.child(*node, k),
                        None => None,
                    };
                    record(trie, *key_node, || pos, found);
                    (None, true)
                } else {
                    *expect_key = true;
                    (key_node.take(), false)
                }
            }
            Some(YFrame::Seq { node, idx, .. }) => {
                let n = trie.index_child(*node, *idx);
                *idx += 1;
                record(trie, n, || pos, found);
                (n, false)
            }
        }
    }
    while let Some(Ok((event, span))) = parser.next_event() {
        let pos = (span.start.line(), span.start.col() + 1);
        match event {
            Event::Scalar(text, ..) => {
                start(&mut stack, trie, pos, found, &mut done_root, Some(&text));
            }
            Event::Alias(_) => {
                start(&mut stack, trie, pos, found, &mut done_root, None);
            }
            Event::MappingStart(..) => {
                let (node, is_key) = start(&mut stack, trie, pos, found, &mut done_root, None);
                stack.push(YFrame::Map {
                    node,
                    key_node: None,
                    expect_key: true,
                    is_key,
                });
            }
            Event::SequenceStart(..) => {
                let (node, is_key) = start(&mut stack, trie, pos, found, &mut done_root, None);
                stack.push(YFrame::Seq {
                    node,
                    idx: 0,
                    is_key,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let was_key = match stack.pop() {
                    Some(YFrame::Map { is_key, .. } | YFrame::Seq { is_key, .. }) => is_key,
                    None => false,
                };
                // A complex key was consumed by `start` already (expect_key is false, waiting
                // for the value); a value completed: the next scalar is a key again.
                let _ = was_key;
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The positions found, by pointer.
    fn locate(src: &str, format: Format, pointers: &[&str]) -> HashMap<String, (usize, usize)> {
        let found = super::locate(src, format, pointers);
        assert_eq!(found.len(), pointers.len());
        pointers
            .iter()
            .zip(found)
            .filter_map(|(p, at)| Some(((*p).to_string(), at?)))
            .collect()
    }

    #[test]
    fn json_positions() {
        let src = "{\n  \"a\": {\"b~/\": [1, {\"c\": 2}]},\n  \"d\": 3\n}";
        let got = locate(
            src,
            Format::Json,
            &["/a/b~0~1/1/c", "/d", "/a", "", "/a/b~0~1/0", "/zz"],
        );
        assert_eq!(got["/a"], (2, 3));
        assert_eq!(got["/a/b~0~1/1/c"], (2, 21));
        assert_eq!(got["/a/b~0~1/0"], (2, 17));
        assert_eq!(got["/d"], (3, 3));
        assert_eq!(got[""], (1, 1));
        assert!(!got.contains_key("/zz"));
    }

    #[test]
    fn json_positions_after_skipped_containers() {
        // Sub-trees that hold nothing wanted are passed over; their lines still count, and
        // brackets or escaped quotes inside their strings do not end them.
        let src = "{\n  \"skip\": {\n    \"s\": \"a } ] \\\" {\",\n    \"t\": [1,\n 2]\n  },\n  \"arr\": [[0,\n 1], {\"k\": 1}],\n  \"w\": 1\n}";
        let got = locate(src, Format::Json, &["/w", "/arr/1/k", "/arr/0"]);
        assert_eq!(got["/arr/0"], (7, 11));
        assert_eq!(got["/arr/1/k"], (8, 7));
        assert_eq!(got["/w"], (9, 3));
    }

    #[test]
    fn yaml_positions() {
        let src = "a:\n  b:\n    - x\n    - c: 2\nd: 3\n'200':\n  k: v\n";
        let got = locate(src, Format::Yaml, &["/a/b/1/c", "/d", "/a/b/0", "/200/k"]);
        assert_eq!(got["/a/b/1/c"], (4, 7));
        assert_eq!(got["/a/b/0"], (3, 7));
        assert_eq!(got["/d"], (5, 1));
        assert_eq!(got["/200/k"], (7, 3));
    }

    #[test]
    fn json_positions_escaped_and_unicode() {
        // Keys with escapes are decoded before they are compared (`\u0061` is `a`, `\/` is `/`);
        // `~` and `/` in keys are `~0` and `~1` in pointers; columns count characters.
        let src = "{\"é😀\": 1, \"\\u0061\": {\"x\\/y\": [\"ü\", {\"~k\": 0}]},\n\"q\\\"\": \"\\\\\", \"z\": 2}";
        let got = locate(
            src,
            Format::Json,
            &[
                "/é😀",
                "/a",
                "/a/x~1y/0",
                "/a/x~1y/1/~0k",
                "/q\"",
                "/z",
                "/a/x~1y/2",
            ],
        );
        assert_eq!(got["/é😀"], (1, 2));
        assert_eq!(got["/a"], (1, 11));
        assert_eq!(got["/a/x~1y/0"], (1, 31));
        assert_eq!(got["/a/x~1y/1/~0k"], (1, 37));
        assert_eq!(got["/q\""], (2, 1));
        assert_eq!(got["/z"], (2, 14));
        assert!(!got.contains_key("/a/x~1y/2"));
    }

    #[test]
    fn json_positions_nested_skips_on_one_line() {
        // A minified text: one line, sub-trees of both kinds skipped inside each other, strings
        // with brackets of the other kind and escaped backslashes before a closing quote.
        let src = r#"{"s":[{"a":"]}\\"},[["{"]],{"b":{"c":[1,{"d":"\\\""}]}}],"t":[0,[1,2],{"u":"x"}],"v":null}"#;
        let got = locate(src, Format::Json, &["/t/2/u", "/t/1", "/v", "/t/0", "/s"]);
        let col = |needle: &str| src.find(needle).unwrap() + 1;
        assert_eq!(got["/s"], (1, 2));
        assert_eq!(got["/t/0"], (1, col("0,[1,2]")));
        assert_eq!(got["/t/1"], (1, col("[1,2]")));
        assert_eq!(got["/t/2/u"], (1, col(r#""u""#)));
        assert_eq!(got["/v"], (1, col(r#""v""#)));
    }

    #[test]
    fn json_positions_same_pointer_twice_and_not_pointers() {
        let src = "[\n  10,\n  [20, 21]\n]";
        let found = super::locate(src, Format::Json, &["/1/1", "x", "/1/1", "/01", "/2"]);
        assert_eq!(found, [Some((3, 8)), None, Some((3, 8)), None, None]);
    }

    #[test]
    fn yaml_positions_quoted_keys_and_nested_skips() {
        let src = "skip:\n  a: [1, {b: 2}]\n  c: {d: [x, y]}\n\"x/y~\":\n  - [1, 2]\n  - k: é\n    l: 1\n";
        let got = locate(
            src,
            Format::Yaml,
            &["/x~1y~0/1/l", "/x~1y~0/0", "/x~1y~0/1/k"],
        );
        assert_eq!(got["/x~1y~0/0"], (5, 5));
        assert_eq!(got["/x~1y~0/1/k"], (6, 5));
        assert_eq!(got["/x~1y~0/1/l"], (7, 5));
    }

    /// A JSON tree for the generated texts: scalars as their JSON text.
    #[derive(Debug, Clone)]
    enum J {
        Scalar(&'static str),
        Arr(Vec<J>),
        Obj(Vec<(String, J)>),
    }

    fn tree() -> impl proptest::strategy::Strategy<Value = J> {
        use proptest::prelude::*;
        let scalar = prop::sample::select(vec![
            "1",
            "-2.5e3",
            "true",
            "false",
            "null",
            "\"s\"",
            "\"]}\"",
            "\"\\\"{[\"",
            "\"é😀\"",
            "\"\\\\\"",
            "\"\"",
        ])
        .prop_map(J::Scalar);
        let key = prop::collection::vec(
            prop::sample::select(vec![
                "a", "0", "1", "~", "/", "\"", "\\", "é", "😀", " ", "{",
            ]),
            0..4,
        )
        .prop_map(|parts| parts.concat());
        scalar.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(J::Arr),
                prop::collection::vec((key.clone(), inner), 0..6).prop_map(|members| {
                    let mut seen = std::collections::HashSet::new();
                    J::Obj(
                        members
                            .into_iter()
                            .filter(|(k, _)| seen.insert(k.clone()))
                            .collect(),
                    )
                }),
            ]
        })
    }

    /// Writes `j` as JSON with whitespace and key escapes chosen by `style`, and records the
    /// line and column of every node as the scanner should find it (a member at its key, an
    /// element and the root at their first character).
    struct Writer<'a> {
        out: String,
        style: &'a [u8],
        n: usize,
        line: usize,
        col: usize,
        positions: Vec<(String, (usize, usize))>,
    }

    impl Writer<'_> {
        fn choice(&mut self) -> u8 {
            let c = self.style.get(self.n % self.style.len().max(1)).copied();
            self.n += 1;
            c.unwrap_or(0)
        }

        fn put(&mut self, s: &str) {
            for c in s.chars() {
                if c == '\n' {
                    self.line += 1;
                    self.col = 1;
                } else {
                    self.col += 1;
                }
            }
            self.out.push_str(s);
        }

        fn blank(&mut self) {
            let ws = [
                "",
                " ",
                "\n",
                "\n    ",
                "\t",
                "\r\n",
                "\n        \n          ",
                "",
            ];
            let c = self.choice() as usize;
            self.put(ws[c % ws.len()]);
        }

        fn key(&mut self, key: &str) {
            self.put("\"");
            for c in key.chars() {
                let how = self.choice() % 3;
                let text = match (c, how) {
                    ('"', _) => "\\\"".to_string(),
                    ('\\', _) => "\\\\".to_string(),
                    ('/', 1) => "\\/".to_string(),
                    (c, 2) if (c as u32) < 0x10000 => format!("\\u{:04x}", c as u32),
                    (c, 2) => {
                        let mut units = [0u16; 2];
                        c.encode_utf16(&mut units)
                            .iter()
                            .map(|u| format!("\\u{u:04X}"))
                            .collect()
                    }
                    (c, _) => c.to_string(),
                };
                self.put(&text);
            }
            self.put("\"");
        }

        fn value(&mut self, j: &J, at: &str) {
            match j {
                J::Scalar(s) => self.put(s),
                J::Arr(items) => {
                    self.put("[");
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.put(",");
                        }
                        self.blank();
                        let p = format!("{at}/{i}");
                        self.positions.push((p.clone(), (self.line, self.col)));
                        self.value(item, &p);
                        self.blank();
                    }
                    self.put("]");
                }
                J::Obj(members) => {
                    self.put("{");
                    for (i, (k, v)) in members.iter().enumerate() {
                        if i > 0 {
                            self.put(",");
                        }
                        self.blank();
                        let p = format!("{at}/{}", crate::pointer::escape(k));
                        self.positions.push((p.clone(), (self.line, self.col)));
                        self.key(k);
                        self.blank();
                        self.put(":");
                        self.blank();
                        self.value(v, &p);
                        self.blank();
                    }
                    self.put("}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// The scanner agrees with a writer that records where it put each node, whatever the
        /// whitespace, key escapes and the subset of pointers asked for (the others' sub-trees
        /// are skipped); pointers that are not in the text are not found.
        #[test]
        fn json_positions_match_the_writer(
            j in tree(),
            style in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..16),
            pick in proptest::collection::vec(proptest::prelude::any::<bool>(), 1..16),
        ) {
            let mut w = Writer { out: String::new(), style: &style, n: 0, line: 1, col: 1, positions: Vec::new() };
            w.blank();
            w.positions.push((String::new(), (w.line, w.col)));
            w.value(&j, "");
            w.blank();
            let text = std::mem::take(&mut w.out);
            proptest::prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{}", text);
            let mut wanted: Vec<(String, Option<(usize, usize)>)> = w
                .positions
                .iter()
                .enumerate()
                .filter(|(i, _)| pick[i % pick.len()])
                .map(|(_, (p, at))| (p.clone(), Some(*at)))
                .collect();
            wanted.push(("/missing~1key/0".to_string(), None));
            let pointers: Vec<&str> = wanted.iter().map(|(p, _)| p.as_str()).collect();
            let found = super::locate(&text, Format::Json, &pointers);
            for ((p, want), got) in wanted.iter().zip(found) {
                proptest::prop_assert_eq!(*want, got, "pointer {} in {}", p, text);
            }
        }
    }
}

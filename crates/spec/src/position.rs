//! Mapping JSON Pointers to line:column in the source text.
//!
//! The wanted pointers are put in a trie; one pass over the text (a small JSON scanner, or the
//! YAML parser's event stream) follows the trie and records the position of each wanted node: the
//! key of an object member, the first character of an array element. Sub-trees that hold no
//! wanted pointer are passed over without decoding their keys. No recursion.

use crate::document::Format;
use crate::pointer;
use std::collections::HashMap;

#[derive(Default)]
struct Trie {
    nodes: Vec<Node>,
}

#[derive(Default)]
struct Node {
    children: HashMap<String, usize>,
    pointer: Option<String>,
}

impl Trie {
    fn build(pointers: &[&str]) -> Trie {
        let mut t = Trie {
            nodes: vec![Node::default()],
        };
        for p in pointers {
            let Some(tokens) = pointer::tokens(p) else {
                continue;
            };
            let mut cur = 0;
            for tok in tokens {
                cur = match t.nodes[cur].children.get(&tok) {
                    Some(&n) => n,
                    None => {
                        t.nodes.push(Node::default());
                        let n = t.nodes.len() - 1;
                        t.nodes[cur].children.insert(tok, n);
                        n
                    }
                };
            }
            t.nodes[cur].pointer = Some((*p).to_string());
        }
        t
    }

    fn child(&self, node: Option<usize>, token: &str) -> Option<usize> {
        self.nodes[node?].children.get(token).copied()
    }
}

/// Finds the 1-based line and column of each pointer in `source`. Pointers that are not in the
/// text are absent from the result.
pub(crate) fn locate(
    source: &str,
    format: Format,
    pointers: &[&str],
) -> HashMap<String, (usize, usize)> {
    let trie = Trie::build(pointers);
    let mut found = HashMap::new();
    match format {
        Format::Json => locate_json(source, &trie, &mut found),
        Format::Yaml => locate_yaml(source, &trie, &mut found),
    }
    found
}

fn record(
    trie: &Trie,
    node: Option<usize>,
    pos: impl FnOnce() -> (usize, usize),
    found: &mut HashMap<String, (usize, usize)>,
) {
    if let Some(p) = node.and_then(|n| trie.nodes[n].pointer.as_ref())
        && !found.contains_key(p)
    {
        found.insert(p.clone(), pos());
    }
}

/// Line and column bookkeeping for the JSON scanner. Columns are counted in characters, and
/// only for positions that are recorded, incrementally from the last one: a minified file of
/// one long line costs one pass, not one pass per value.
struct Cursor<'s> {
    src: &'s str,
    line: usize,
    line_start: usize,
    /// The last position whose column was computed: (byte offset, column).
    last: (usize, usize),
}

impl Cursor<'_> {
    fn newline(&mut self, at: usize) {
        self.line += 1;
        self.line_start = at + 1;
        self.last = (self.line_start, 1);
    }

    fn pos(&mut self, i: usize) -> (usize, usize) {
        let (from, col) = if self.last.0 <= i && self.last.0 >= self.line_start {
            self.last
        } else {
            (self.line_start, 1)
        };
        let col = col + self.src.get(from..i).map_or(0, |s| s.chars().count());
        self.last = (i, col);
        (self.line, col)
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

fn locate_json(src: &str, trie: &Trie, found: &mut HashMap<String, (usize, usize)>) {
    let b = src.as_bytes();
    let mut i = 0;
    let mut cur = Cursor {
        src,
        line: 1,
        line_start: 0,
        last: (0, 1),
    };
    let mut stack: Vec<JFrame> = Vec::new();
    // The trie node of a value that starts at byte `at` (recording array elements and the root).
    let value_start = |stack: &mut Vec<JFrame>,
                       cur: &mut Cursor<'_>,
                       at: usize,
                       found: &mut HashMap<String, (usize, usize)>|
     -> Option<usize> {
        match stack.last() {
            None => {
                record(trie, Some(0), || cur.pos(at), found);
                Some(0)
            }
            Some(JFrame::Obj { key_node, .. }) => *key_node,
            Some(JFrame::Arr { node, idx }) => {
                let n = node.and_then(|_| trie.child(*node, &idx.to_string()));
                record(trie, n, || cur.pos(at), found);
                n
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'\n' => {
                cur.newline(i);
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b':' => i += 1,
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = i.min(b.len());
                i += 1;
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
                            let key: std::borrow::Cow<'_, str> = if raw.len() >= 2
                                && raw.ends_with('"')
                                && !raw[1..raw.len() - 1].contains('\\')
                            {
                                std::borrow::Cow::Borrowed(&raw[1..raw.len() - 1])
                            } else {
                                std::borrow::Cow::Owned(
                                    serde_json::from_str(raw).unwrap_or_default(),
                                )
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
                if node.is_none_or(|n| trie.nodes[n].children.is_empty()) {
                    i = skip_container(b, i, &mut cur);
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

/// Passes over the object or array that starts at `b[i]` (`{` or `[`), counting its lines;
/// returns the index just after its end (or the end of the text).
fn skip_container(b: &[u8], mut i: usize, cur: &mut Cursor<'_>) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'\n' => cur.newline(i),
            _ => {}
        }
        i += 1;
    }
    i
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

fn locate_yaml(src: &str, trie: &Trie, found: &mut HashMap<String, (usize, usize)>) {
    use saphyr_parser::{Event, Parser};
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<YFrame> = Vec::new();
    let mut done_root = false;
    // Returns (node of the value, whether the value is a mapping key).
    fn start(
        stack: &mut [YFrame],
        trie: &Trie,
        pos: (usize, usize),
        found: &mut HashMap<String, (usize, usize)>,
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
                let n = node.and_then(|_| trie.child(*node, &idx.to_string()));
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
}

//! Write-back as edits of the user's text.
//!
//! The source text is read into a tree of byte spans (the YAML parser's event stream, or a small
//! JSON scanner). The tree is walked next to the document as it was read and the document that
//! should be written; where they differ, the smallest text edit is made in the file's own style:
//! a new member goes after its predecessor (or before its successor) with the indentation, line
//! ending, quoting and flow/block style of the mapping it joins; a changed scalar is replaced; a
//! renamed key has only its key replaced; a removed member loses its lines. Every other byte is
//! kept. Where a spot cannot be edited faithfully (a mapping with merge keys, an alias whose
//! anchor says something else, keys that changed order, a block sequence that changed length) that
//! node alone is rewritten and a warning says so. The edited text is parsed again and must give
//! exactly the wanted document (keys in order), or nothing is written.
//!
//! The walks recurse along the document's nesting, which is bounded: the parsers refuse source
//! text nested deeper than [`crate::MAX_DEPTH`], and a target nested deeper than that (plus a
//! small margin) is refused before any walk, by an iterative check.

use crate::document::{Document, Format};
use crate::error::{Error, Result};
use crate::pointer;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// One replacement of the source text: the bytes `start..end` become `text` (an insertion when
/// `start == end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// The new text.
    pub text: String,
}

/// The result of [`edit_text`].
#[derive(Debug, Clone, Default)]
pub struct Edited {
    /// The edited text.
    pub text: String,
    /// The edits, in source order, not overlapping (offsets in the source text).
    pub edits: Vec<TextEdit>,
    /// Spots that could not be edited in place and were rewritten, one sentence each.
    pub warnings: Vec<String>,
}

/// What [`write_back`] did.
#[derive(Debug, Clone, Default)]
pub struct WriteBack {
    /// Whether the file was replaced (false: it already said what was wanted).
    pub written: bool,
    /// The number of edits made.
    pub edits: usize,
    /// Spots that were rewritten rather than edited in place.
    pub warnings: Vec<String>,
}

/// Edits `source` (YAML or JSON, a leading byte-order mark allowed) so that it reads as `target`,
/// changing only what differs. See the module documentation.
///
/// ```
/// let src = "# pets\nopenapi: 3.0.3  # version\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
/// let mut target = lambda_sync_spec::parse(src)?.0;
/// target["x-aws-api-id"] = "abc123".into();
/// let edited = lambda_sync_spec::edit_text(src, &target)?;
/// assert_eq!(edited.text, format!("{src}x-aws-api-id: abc123\n"));
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn edit_text(source: &str, target: &Value) -> Result<Edited> {
    if too_deep(target) {
        return Err(Error::Write {
            format: "YAML or JSON",
            message: format!(
                "the document to write is nested deeper than {} levels",
                crate::MAX_DEPTH + EXTRA_DEPTH
            ),
        });
    }
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[bom..];
    let (orig, format) = crate::parse::parse(body)?;
    if same(&orig, target) {
        return Ok(Edited {
            text: source.to_string(),
            ..Edited::default()
        });
    }
    let tree = match format {
        Format::Json => build_json(body),
        Format::Yaml => build_yaml(body),
    }
    .ok_or_else(|| write_err(format, "the text could not be scanned for editing".into()))?;
    let style = Style::detect(body, format, &tree);
    let mut ed = Editor {
        src: body,
        format,
        tree: &tree,
        style,
        edits: Vec::new(),
        warnings: Vec::new(),
        anchors: HashMap::new(),
        path: Vec::new(),
        flow_warned: Default::default(),
    };
    ed.diff(tree.root, &orig, target, Slot::Root);
    let Editor {
        mut edits,
        warnings,
        ..
    } = ed;
    edits.sort_by_key(|e| (e.start, e.end));
    let mut text = String::with_capacity(source.len() + 1024);
    text.push_str(&source[..bom]);
    let mut cursor = 0;
    for e in &edits {
        if e.start < cursor || e.end > body.len() {
            return Err(write_err(
                format,
                "internal error: overlapping edits; nothing was written".into(),
            ));
        }
        text.push_str(&body[cursor..e.start]);
        text.push_str(&e.text);
        cursor = e.end;
    }
    text.push_str(&body[cursor..]);
    let (back, back_format) = crate::parse::parse(&text[bom..]).map_err(|e| {
        write_err(
            format,
            format!("the edited text does not parse ({e}); nothing was written"),
        )
    })?;
    if back_format != format || !same(&back, target) {
        let at = first_difference(&back, target, String::new());
        return Err(write_err(
            format,
            format!(
                "the edited text does not read back as the wanted definition (at `{at}`); nothing was written. Rewrite that spot by hand without anchors or merge keys and push again"
            ),
        ));
    }
    for e in &mut edits {
        e.start += bom;
        e.end += bom;
    }
    Ok(Edited {
        text,
        edits,
        warnings,
    })
}

/// Writes `target` into the file `path` that `document` was loaded from, as edits of its text
/// ([`edit_text`]): atomically (a temporary file renamed over it, the file's permissions kept),
/// in its own encoding (UTF-8 with or without a byte-order mark, or UTF-16), and only if the file
/// still holds the bytes `document` was loaded from ([`Error::Changed`] otherwise). A file that
/// already says what is wanted is not touched at all (its modification time stays).
///
/// A document that was not loaded from a file or text (built from a value) has no recorded
/// bytes: its file's current text is edited.
pub fn write_back(document: &Document, target: &Value, path: &Path) -> Result<WriteBack> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    if let Some(digest) = document.source_digest()
        && digest != crate::document::digest(&bytes)
    {
        return Err(Error::Changed {
            path: path.to_path_buf(),
        });
    }
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(true)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(false)
    } else {
        None
    };
    let had_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let mut text = crate::parse::decode(bytes)?;
    if had_bom {
        text.insert(0, '\u{feff}');
    }
    let edited = edit_text(&text, target)?;
    if edited.edits.is_empty() {
        return Ok(WriteBack {
            written: false,
            edits: 0,
            warnings: edited.warnings,
        });
    }
    let out = match utf16 {
        None => edited.text.into_bytes(),
        Some(le) => {
            let mut out = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in edited.text.encode_utf16() {
                out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            out
        }
    };
    crate::document::write_atomic(path, &out)?;
    Ok(WriteBack {
        written: true,
        edits: edited.edits.len(),
        warnings: edited.warnings,
    })
}

/// The nesting that write-back may add below what the parsers accept.
const EXTRA_DEPTH: usize = 16;

/// Whether `v` nests deeper than the parsers accept plus [`EXTRA_DEPTH`] (checked without
/// recursion, so that the recursive walks below are bounded).
fn too_deep(v: &Value) -> bool {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, d)) = stack.pop() {
        if d > crate::MAX_DEPTH + EXTRA_DEPTH {
            return true;
        }
        match v {
            Value::Object(o) => stack.extend(o.values().map(|c| (c, d + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
            _ => {}
        }
    }
    false
}

fn write_err(format: Format, message: String) -> Error {
    Error::Write {
        format: format.name(),
        message,
    }
}

/// Equality that also compares the order of keys.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

fn first_difference(a: &Value, b: &Value, at: String) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for ((ka, va), (kb, vb)) in x.iter().zip(y.iter()) {
                if ka != kb {
                    return format!("{at}/{}", pointer::escape(kb));
                }
                if !same(va, vb) {
                    return first_difference(va, vb, format!("{at}/{}", pointer::escape(ka)));
                }
            }
            at
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if !same(va, vb) {
                    return first_difference(va, vb, format!("{at}/{i}"));
                }
            }
            at
        }
        _ => at,
    }
}

// ---------------------------------------------------------------------------------------------
// The tree of spans.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Block,
    Flow,
}

#[derive(Debug)]
enum Kind {
    Scalar,
    Alias(usize),
    Map {
        layout: Layout,
        members: Vec<Member>,
        /// Merge keys or complex keys: the members do not map one to one onto the value's keys.
        opaque: bool,
    },
    Seq {
        layout: Layout,
        items: Vec<usize>,
    },
}

#[derive(Debug)]
struct Member {
    key: String,
    key_start: usize,
    key_end: usize,
    value: usize,
}

#[derive(Debug)]
struct Node {
    start: usize,
    end: usize,
    anchor: usize,
    kind: Kind,
}

#[derive(Debug)]
struct Tree {
    nodes: Vec<Node>,
    root: usize,
    /// Quoted scalars by style: (single, double).
    quotes: (usize, usize),
}

fn build_yaml(src: &str) -> Option<Tree> {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    enum Frame {
        Map {
            node: usize,
            key: Option<(String, usize, usize)>,
        },
        Seq {
            node: usize,
        },
    }
    let offsets: Vec<usize> = if src.is_ascii() {
        Vec::new()
    } else {
        src.char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(src.len()))
            .collect()
    };
    let byte = |ci: usize| -> usize {
        if offsets.is_empty() {
            ci.min(src.len())
        } else {
            offsets.get(ci).copied().unwrap_or(src.len())
        }
    };
    let b = src.as_bytes();
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut quotes = (0, 0);
    let mut last_end = 0usize;
    let mut parser = Parser::new_from_str(src);
    // Attaches a finished node to its parent. Returns false when a complex key makes the parent
    // opaque.
    fn attach(
        nodes: &mut [Node],
        stack: &mut [Frame],
        root: &mut Option<usize>,
        n: usize,
        key_text: Option<String>,
    ) {
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    *root = Some(n);
                }
            }
            Some(Frame::Seq { node }) => {
                if let Kind::Seq { items, .. } = &mut nodes[*node].kind {
                    items.push(n);
                }
            }
            Some(Frame::Map { node, key }) => match key.take() {
                None => {
                    let (s, e) = (nodes[n].start, nodes[n].end);
                    match key_text {
                        Some(t) => *key = Some((t, s, e)),
                        None => {
                            if let Kind::Map { opaque, .. } = &mut nodes[*node].kind {
                                *opaque = true;
                            }
                            *key = Some((String::new(), s, e));
                        }
                    }
                }
                Some((k, ks, ke)) => {
                    if k == "<<"
                        && let Kind::Map { opaque, .. } = &mut nodes[*node].kind
                    {
                        *opaque = true;
                    }
                    if let Kind::Map { members, .. } = &mut nodes[*node].kind {
                        members.push(Member {
                            key: k,
                            key_start: ks,
                            key_end: ke,
                            value: n,
                        });
                    }
                }
            },
        }
    }
    loop {
        let (event, span) = match parser.next_event() {
            Some(Ok(x)) => x,
            Some(Err(_)) => return None,
            None => break,
        };
        let (s, e) = (byte(span.start.index()), byte(span.end.index()));
        match event {
            Event::Scalar(text, style, anchor, _) => {
                let (start, end) = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        let mut st = last_end;
                        while st < s
                            && matches!(b[st], b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?')
                        {
                            st += 1;
                        }
                        let mut en = e.max(s);
                        while en > s && matches!(b[en - 1], b' ' | b'\t' | b'\r' | b'\n') {
                            en -= 1;
                        }
                        (st, en)
                    }
                    ScalarStyle::SingleQuoted => {
                        quotes.0 += 1;
                        (s, e)
                    }
                    ScalarStyle::DoubleQuoted => {
                        quotes.1 += 1;
                        (s, e)
                    }
                    _ => (s, e),
                };
                last_end = end;
                nodes.push(Node {
                    start,
                    end,
                    anchor,
                    kind: Kind::Scalar,
                });
                let n = nodes.len() - 1;
                attach(
                    &mut nodes,
                    &mut stack,
                    &mut root,
                    n,
                    Some(text.into_owned()),
                );
            }
            Event::Alias(id) => {
                last_end = e;
                nodes.push(Node {
                    start: s,
                    end: e,
                    anchor: 0,
                    kind: Kind::Alias(id),
                });
                let n = nodes.len() - 1;
                attach(&mut nodes, &mut stack, &mut root, n, None);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                let flow = e > s && {
                    let t = src[s..e].trim_end();
                    t.ends_with('{') || t.ends_with('[')
                };
                let layout = if flow { Layout::Flow } else { Layout::Block };
                let mut start = s;
                if flow {
                    last_end = e;
                    start = src[..e].trim_end().len() - 1;
                } else if !is_map {
                    // A block sequence starts at its first `-`: after the previous event, past
                    // blanks, `:`, comments and the sequence's own anchor or tag.
                    // In a block sequence past its first item, the first `-` found is the
                    // parent's own item indicator (`- - x`): this sequence's dash follows it.
                    let mut from = last_end;
                    if let Some(Frame::Seq { node }) = stack.last()
                        && let Kind::Seq {
                            layout: Layout::Block,
                            items,
                        } = &nodes[*node].kind
                        && !items.is_empty()
                    {
                        from = block_seq_dash(b, from)? + 1;
                    }
                    start = block_seq_dash(b, from)?;
                    last_end = start + 1;
                }
                nodes.push(Node {
                    start,
                    end: e,
                    anchor,
                    kind: if is_map {
                        Kind::Map {
                            layout,
                            members: Vec::new(),
                            opaque: false,
                        }
                    } else {
                        Kind::Seq {
                            layout,
                            items: Vec::new(),
                        }
                    },
                });
                let n = nodes.len() - 1;
                stack.push(if is_map {
                    Frame::Map { node: n, key: None }
                } else {
                    Frame::Seq { node: n }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let n = match stack.pop()? {
                    Frame::Map { node, .. } | Frame::Seq { node } => node,
                };
                let (first, last) = match &nodes[n].kind {
                    Kind::Map { members, .. } => (
                        members.first().map(|m| m.key_start),
                        members.last().map(|m| nodes[m.value].end),
                    ),
                    Kind::Seq { items, .. } => (
                        items.first().map(|&i| nodes[i].start),
                        items.last().map(|&i| nodes[i].end),
                    ),
                    _ => (None, None),
                };
                let block = matches!(
                    nodes[n].kind,
                    Kind::Map {
                        layout: Layout::Block,
                        ..
                    } | Kind::Seq {
                        layout: Layout::Block,
                        ..
                    }
                );
                if block {
                    if matches!(nodes[n].kind, Kind::Map { .. }) {
                        nodes[n].start = first?;
                    }
                    nodes[n].end = last?;
                } else {
                    nodes[n].end = e;
                    last_end = e;
                }
                attach(&mut nodes, &mut stack, &mut root, n, None);
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    Some(Tree {
        nodes,
        root: root?,
        quotes,
    })
}

/// The `-` that starts a block sequence, scanning from `from`.
fn block_seq_dash(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'?' => i += 1,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'&' | b'!' => {
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
                    i += 1;
                }
            }
            b'-' => return Some(i),
            _ => return None,
        }
    }
    None
}

fn build_json(src: &str) -> Option<Tree> {
    enum Frame {
        Obj {
            node: usize,
            key: Option<(String, usize, usize)>,
        },
        Arr {
            node: usize,
        },
    }
    let b = src.as_bytes();
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut i = 0;
    fn attach(nodes: &mut [Node], stack: &mut [Frame], root: &mut Option<usize>, n: usize) {
        match stack.last_mut() {
            None => *root = Some(n),
            Some(Frame::Arr { node }) => {
                if let Kind::Seq { items, .. } = &mut nodes[*node].kind {
                    items.push(n);
                }
            }
            Some(Frame::Obj { node, key }) => {
                if let (Some((k, ks, ke)), Kind::Map { members, .. }) =
                    (key.take(), &mut nodes[*node].kind)
                {
                    members.push(Member {
                        key: k,
                        key_start: ks,
                        key_end: ke,
                        value: n,
                    });
                }
            }
        }
    }
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b',' => i += 1,
            b'"' => {
                let start = i;
                i += 1;
                let mut escaped = false;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                let end = i.min(b.len());
                let expecting_key = matches!(stack.last(), Some(Frame::Obj { key: None, .. }));
                if expecting_key {
                    let raw = &src[start..end];
                    let k: String = if escaped {
                        serde_json::from_str(raw).ok()?
                    } else {
                        raw.get(1..raw.len().saturating_sub(1))?.to_string()
                    };
                    if let Some(Frame::Obj { key, .. }) = stack.last_mut() {
                        *key = Some((k, start, end));
                    }
                } else {
                    nodes.push(Node {
                        start,
                        end,
                        anchor: 0,
                        kind: Kind::Scalar,
                    });
                    let n = nodes.len() - 1;
                    attach(&mut nodes, &mut stack, &mut root, n);
                }
            }
            b'{' | b'[' => {
                nodes.push(Node {
                    start: i,
                    end: i,
                    anchor: 0,
                    kind: if b[i] == b'{' {
                        Kind::Map {
                            layout: Layout::Flow,
                            members: Vec::new(),
                            opaque: false,
                        }
                    } else {
                        Kind::Seq {
                            layout: Layout::Flow,
                            items: Vec::new(),
                        }
                    },
                });
                let n = nodes.len() - 1;
                stack.push(if b[i] == b'{' {
                    Frame::Obj { node: n, key: None }
                } else {
                    Frame::Arr { node: n }
                });
                i += 1;
            }
            b'}' | b']' => {
                let n = match stack.pop()? {
                    Frame::Obj { node, .. } | Frame::Arr { node } => node,
                };
                i += 1;
                nodes[n].end = i;
                attach(&mut nodes, &mut stack, &mut root, n);
            }
            _ => {
                let start = i;
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
                nodes.push(Node {
                    start,
                    end: i,
                    anchor: 0,
                    kind: Kind::Scalar,
                });
                let n = nodes.len() - 1;
                attach(&mut nodes, &mut stack, &mut root, n);
            }
        }
    }
    Some(Tree {
        nodes,
        root: root?,
        quotes: (0, 0),
    })
}

// ---------------------------------------------------------------------------------------------
// The file's style.

#[derive(Debug, Clone)]
struct Style {
    /// `"\n"` or `"\r\n"`.
    nl: &'static str,
    /// Spaces per nesting level (YAML) — or the JSON indent unit's width.
    step: usize,
    /// JSON: the indent unit (spaces or a tab).
    unit: String,
    /// YAML: a block sequence under a key is indented (`key:\n  - a`), rather than not.
    seq_indented: bool,
    /// YAML: quote with `"` rather than `'` when quoting is needed.
    double_quotes: bool,
}

impl Style {
    fn detect(src: &str, format: Format, tree: &Tree) -> Style {
        let nl = match src.find('\n') {
            Some(i) if i > 0 && src.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut step = None;
        let mut seq_indented = None;
        let mut unit = None;
        // The first nested member that starts its own line tells the indent.
        for n in &tree.nodes {
            let Kind::Map { members, .. } = &n.kind else {
                continue;
            };
            for m in members {
                let Some(pcol) = own_line_col(src, m.key_start) else {
                    continue;
                };
                match &tree.nodes[m.value].kind {
                    Kind::Map { members: inner, .. } if step.is_none() => {
                        if let Some(first) = inner.first()
                            && let Some(c) = own_line_col(src, first.key_start)
                            && c > pcol
                        {
                            step = Some(c - pcol);
                            if format == Format::Json {
                                let ls = line_start(src, first.key_start);
                                let ps = line_start(src, m.key_start);
                                let inner_ws = &src[ls..first.key_start];
                                let outer_ws = &src[ps..m.key_start];
                                unit = inner_ws.strip_prefix(outer_ws).map(str::to_string);
                            }
                        }
                    }
                    Kind::Seq {
                        layout: Layout::Block,
                        ..
                    } if seq_indented.is_none() => {
                        let dash = tree.nodes[m.value].start;
                        if let Some(c) = own_line_col(src, dash) {
                            seq_indented = Some(c > pcol);
                        }
                    }
                    _ => {}
                }
            }
            if step.is_some() && seq_indented.is_some() {
                break;
            }
        }
        let step = step.unwrap_or(2);
        Style {
            nl,
            step,
            unit: unit
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| " ".repeat(step)),
            seq_indented: seq_indented.unwrap_or(true),
            double_quotes: tree.quotes.1 > tree.quotes.0,
        }
    }
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The column (in characters) of `at` when only blanks precede it on its line.
fn own_line_col(src: &str, at: usize) -> Option<usize> {
    let ls = line_start(src, at);
    let prefix = &src[ls..at];
    prefix
        .bytes()
        .all(|c| c == b' ' || c == b'\t')
        .then_some(prefix.len())
}

/// The column (in characters) of `at` on its line.
fn col(src: &str, at: usize) -> usize {
    src[line_start(src, at)..at].chars().count()
}

/// Just after the end of the line that `at` is on (after its line break), or the end of the text.
fn after_line(src: &str, at: usize) -> usize {
    src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
}

// ---------------------------------------------------------------------------------------------
// Rendering new text.

fn yaml_scalar(v: &Value, style: &Style) -> String {
    match v {
        Value::String(s) => yaml_string(s, style.double_quotes),
        Value::Object(o) if o.is_empty() => "{}".into(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(_) | Value::Array(_) => flow(v, Format::Yaml, style),
        other => other.to_string(),
    }
}

fn yaml_string(s: &str, double: bool) -> String {
    let json = || serde_json::to_string(s).expect("a string serialises");
    if s.contains(['\n', '\r', '\t']) || s.chars().any(char::is_control) {
        return json();
    }
    let plain = serde_yaml::to_string(s).unwrap_or_default();
    let plain = plain.strip_suffix('\n').unwrap_or(&plain);
    if plain == s {
        return s.to_string();
    }
    if double {
        json()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// One-line flow text: JSON, with YAML keys and strings when in YAML.
fn flow(v: &Value, format: Format, style: &Style) -> String {
    let mut out = String::new();
    flow_into(v, format, style, &mut out);
    out
}

/// A YAML string (key or value) as written inside a flow collection (`{...}`, `[...]`): flow
/// indicators end a plain scalar there, so a string that would be plain in block context but
/// holds one of them is quoted.
fn yaml_flow_string(s: &str, style: &Style) -> String {
    let t = yaml_string(s, style.double_quotes);
    // Also `?`, `-` and `:` first: readers differ on whether they may start a plain scalar there.
    if t == s && (s.contains([',', '[', ']', '{', '}', ':', '#']) || s.starts_with(['?', '-'])) {
        serde_json::to_string(s).expect("a string serialises")
    } else {
        t
    }
}

fn flow_into(v: &Value, format: Format, style: &Style, out: &mut String) {
    let string = |s: &str| match format {
        Format::Json => serde_json::to_string(s).expect("a string serialises"),
        Format::Yaml => yaml_flow_string(s, style),
    };
    match v {
        Value::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&string(k));
                out.push_str(": ");
                flow_into(v, format, style, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow_into(v, format, style, out);
            }
            out.push(']');
        }
        Value::String(s) => out.push_str(&string(s)),
        other => out.push_str(&other.to_string()),
    }
}

/// YAML block text for a non-empty collection whose first line starts at column `col` (already
/// in place); later lines are indented to `col`. No final line break.
fn yaml_block(v: &Value, col: usize, style: &Style, out: &mut String) {
    let indent = |out: &mut String, c: usize| {
        out.push_str(style.nl);
        out.extend(std::iter::repeat_n(' ', c));
    };
    match v {
        Value::Object(o) => {
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    indent(out, col);
                }
                out.push_str(&yaml_string(k, style.double_quotes));
                out.push(':');
                yaml_member_value(v, col, style, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    indent(out, col);
                }
                out.push_str("- ");
                if is_nonempty_collection(v) {
                    yaml_block(v, col + 2, style, out);
                } else {
                    out.push_str(&yaml_scalar(v, style));
                }
            }
        }
        other => out.push_str(&yaml_scalar(other, style)),
    }
}

/// What follows `key:` in a block mapping whose keys are at column `col`.
fn yaml_member_value(v: &Value, col: usize, style: &Style, out: &mut String) {
    let c = match v {
        Value::Object(o) if !o.is_empty() => col + style.step,
        Value::Array(a) if !a.is_empty() => {
            if style.seq_indented {
                col + style.step
            } else {
                col
            }
        }
        Value::String(text) if literal_ok(text) => {
            // A multi-line string as a literal block scalar, as a person would write it.
            out.push_str(if text.ends_with('\n') { " |" } else { " |-" });
            for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
                out.push_str(style.nl);
                if !line.is_empty() {
                    out.extend(std::iter::repeat_n(' ', col + style.step));
                    out.push_str(line);
                }
            }
            return;
        }
        other => {
            out.push(' ');
            out.push_str(&yaml_scalar(other, style));
            return;
        }
    };
    out.push_str(style.nl);
    out.extend(std::iter::repeat_n(' ', c));
    yaml_block(v, c, style, out);
}

/// Whether a string reads back the same as a literal block scalar (`|` or `|-`).
fn literal_ok(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    body.contains('\n')
        && !body.starts_with([' ', '\t', '\n'])
        && !body.ends_with('\n')
        && !s
            .chars()
            .any(|c| c != '\n' && (c.is_control() || c == '\u{feff}'))
        && body.split('\n').all(|l| !l.ends_with([' ', '\t']))
}

fn is_nonempty_collection(v: &Value) -> bool {
    match v {
        Value::Object(o) => !o.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

/// Pretty JSON in the file's indent unit; later lines start with `base`.
fn json_pretty(v: &Value, base: &str, style: &Style) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(style.unit.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    v.serialize(&mut ser).expect("a JSON value serialises");
    let s = String::from_utf8(buf).expect("JSON is UTF-8");
    let mut sep = String::from(style.nl);
    sep.push_str(base);
    s.replace('\n', &sep)
}

// ---------------------------------------------------------------------------------------------
// The walk.

#[derive(Debug, Clone, Copy)]
enum Slot {
    Root,
    /// The value of a member of a map with this layout; `key_end` ends the key.
    MapValue {
        key_end: usize,
        block: bool,
    },
    /// An item of a sequence; `flow` when the sequence is in flow style (`[...]`).
    Item {
        flow: bool,
    },
}

impl Slot {
    /// Whether the slot is inside a flow collection (where flow indicators must be quoted).
    fn in_flow(self) -> bool {
        match self {
            Slot::Root => false,
            Slot::MapValue { block, .. } => !block,
            Slot::Item { flow } => flow,
        }
    }
}

struct Editor<'a> {
    src: &'a str,
    format: Format,
    tree: &'a Tree,
    style: Style,
    edits: Vec<TextEdit>,
    warnings: Vec<String>,
    /// What each anchored node now says (anchors whose node changed).
    anchors: HashMap<usize, Value>,
    path: Vec<String>,
    /// Flow mappings already reported.
    flow_warned: std::collections::HashSet<usize>,
}

impl Editor<'_> {
    fn here(&self) -> String {
        let mut s = String::new();
        for t in &self.path {
            s.push('/');
            s.push_str(&pointer::escape(t));
        }
        if s.is_empty() { "/".into() } else { s }
    }

    fn edit(&mut self, start: usize, end: usize, text: String) {
        self.edits.push(TextEdit { start, end, text });
    }

    fn diff(&mut self, n: usize, orig: &Value, target: &Value, slot: Slot) {
        let node = &self.tree.nodes[n];
        if let Kind::Alias(a) = node.kind {
            let now = self.anchors.get(&a).unwrap_or(orig);
            if !same(now, target) {
                self.warnings.push(format!(
                    "{}: an alias whose anchor says something else here was written out in full",
                    self.here()
                ));
                self.replace(n, target, slot);
            }
            return;
        }
        if same(orig, target) {
            return;
        }
        if node.anchor != 0 {
            self.anchors.insert(node.anchor, target.clone());
        }
        match (orig, target, &node.kind) {
            (
                Value::Object(o),
                Value::Object(t),
                Kind::Map {
                    opaque: false,
                    members,
                    layout,
                },
            ) if !t.is_empty() && !o.is_empty() && members.len() == o.len() => {
                if !self.diff_map(n, members, *layout, o, t) {
                    self.warnings.push(format!(
                        "{}: the mapping could not be edited in place (its keys changed order); it was rewritten",
                        self.here()
                    ));
                    self.replace(n, target, slot);
                }
            }
            (Value::Array(o), Value::Array(t), Kind::Seq { items, layout })
                if o.len() == t.len() && items.len() == o.len() =>
            {
                let flow = *layout == Layout::Flow;
                for (i, ((ov, tv), &item)) in o.iter().zip(t).zip(items).enumerate() {
                    self.path.push(i.to_string());
                    self.diff(item, ov, tv, Slot::Item { flow });
                    self.path.pop();
                }
            }
            _ => {
                let collection = matches!(node.kind, Kind::Map { .. } | Kind::Seq { .. });
                if collection && is_nonempty_collection(orig) {
                    self.warnings.push(format!(
                        "{}: rewritten as a whole (it could not be edited in place)",
                        self.here()
                    ));
                }
                self.replace(n, target, slot);
            }
        }
    }

    /// Edits a map member by member; false when that cannot be done faithfully (nothing was
    /// emitted then).
    fn diff_map(
        &mut self,
        n: usize,
        members: &[Member],
        layout: Layout,
        o: &serde_json::Map<String, Value>,
        t: &serde_json::Map<String, Value>,
    ) -> bool {
        let by_key: HashMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.key.as_str(), i))
            .collect();
        if by_key.len() != members.len() || members.iter().any(|m| !o.contains_key(&m.key)) {
            return false;
        }
        // Members kept under the same key, in target order; their source order must agree.
        let common: Vec<(usize, usize)> = t
            .keys()
            .enumerate()
            .filter_map(|(ti, k)| by_key.get(k.as_str()).map(|&mi| (ti, mi)))
            .collect();
        if common.windows(2).any(|w| w[0].1 > w[1].1) {
            return false;
        }
        let tkeys: Vec<(&String, &Value)> = t.iter().collect();
        // Plan the segments between kept members.
        struct Seg {
            removed: Vec<usize>,
            added: Vec<usize>,
            kept: Option<(usize, usize)>,
        }
        let mut segs = Vec::new();
        let (mut mprev, mut tprev) = (0usize, 0usize);
        for i in 0..=common.len() {
            let (tnext, mnext) = common.get(i).copied().unwrap_or((t.len(), members.len()));
            segs.push(Seg {
                removed: (mprev..mnext).collect(),
                added: (tprev..tnext).collect(),
                kept: common.get(i).copied(),
            });
            mprev = mnext + 1;
            tprev = tnext + 1;
        }
        let survivors = common.len()
            + segs
                .iter()
                .map(|s| s.removed.len().min(s.added.len()))
                .sum::<usize>();
        if survivors == 0 {
            return false;
        }
        // Which members are deleted, and is the first one deletable?
        let mut deleted = vec![false; members.len()];
        for s in &segs {
            let paired = s.removed.len().min(s.added.len());
            for &m in &s.removed[paired..] {
                deleted[m] = true;
            }
        }
        let first_kept = deleted.iter().position(|d| !d).unwrap_or(members.len());
        if layout == Layout::Block
            && deleted.iter().any(|&d| d)
            && members
                .iter()
                .zip(&deleted)
                .any(|(m, &d)| d && own_line_col(self.src, m.key_start).is_none())
        {
            return false;
        }
        if layout == Layout::Block && first_kept > 0 {
            // Everything before the first kept member goes; the kept one must then start its
            // own line already.
            if own_line_col(self.src, members[first_kept].key_start).is_none() {
                return false;
            }
        }
        // Emit.
        let mut prev: Option<usize> = None;
        for s in &segs {
            let paired = s.removed.len().min(s.added.len());
            for i in 0..paired {
                let (m, ti) = (s.removed[i], s.added[i]);
                let (k, tv) = tkeys[ti];
                let key_text = match self.src.as_bytes()[members[m].key_start] {
                    // A renamed key keeps its quotes: in flow style a quoted key may be followed
                    // by `:` without a space (`{"a":1}`), a plain one may not.
                    b'"' if self.format == Format::Yaml => {
                        serde_json::to_string(k).expect("a string serialises")
                    }
                    b'\'' if self.format == Format::Yaml && !k.contains(['\n', '\r']) => {
                        format!("'{}'", k.replace('\'', "''"))
                    }
                    _ => self.key_text(k, layout),
                };
                self.edit(members[m].key_start, members[m].key_end, key_text);
                self.path.push(k.clone());
                let ov = &o[&members[m].key];
                self.diff(
                    members[m].value,
                    ov,
                    tv,
                    Slot::MapValue {
                        key_end: members[m].key_end,
                        block: layout == Layout::Block,
                    },
                );
                self.path.pop();
                prev = Some(m);
            }
            for &m in &s.removed[paired..] {
                self.delete_member(members, m, layout, first_kept, &deleted);
            }
            let added: Vec<usize> = s.added[paired..].to_vec();
            if !added.is_empty() {
                let next = s.kept.map(|(_, mi)| mi).unwrap_or(members.len());
                let next = if prev.is_none() {
                    (next..members.len())
                        .chain(0..next)
                        .find(|&i| !deleted[i])
                        .unwrap_or(first_kept)
                } else {
                    next
                };
                self.insert_members(n, members, layout, prev, next, &added, &tkeys);
            }
            if let Some((ti, mi)) = s.kept {
                let (k, tv) = tkeys[ti];
                self.path.push(k.clone());
                self.diff(
                    members[mi].value,
                    &o[k],
                    tv,
                    Slot::MapValue {
                        key_end: members[mi].key_end,
                        block: layout == Layout::Block,
                    },
                );
                self.path.pop();
                prev = Some(mi);
            }
        }
        true
    }

    /// A key as written in a mapping of this layout.
    fn key_text(&self, k: &str, layout: Layout) -> String {
        match (self.format, layout) {
            (Format::Json, _) => serde_json::to_string(k).expect("a string serialises"),
            (Format::Yaml, Layout::Block) => yaml_string(k, self.style.double_quotes),
            (Format::Yaml, Layout::Flow) => yaml_flow_string(k, &self.style),
        }
    }

    fn value_end(&self, members: &[Member], m: usize) -> usize {
        self.tree.nodes[members[m].value].end
    }

    fn delete_member(
        &mut self,
        members: &[Member],
        m: usize,
        layout: Layout,
        first_kept: usize,
        deleted: &[bool],
    ) {
        match layout {
            Layout::Block => {
                let start = line_start(self.src, members[m].key_start);
                let end = after_line(self.src, self.value_end(members, m));
                self.edit(start, end, String::new());
            }
            Layout::Flow => {
                if m < first_kept {
                    // Leading members go up to the first kept key (once).
                    if m == 0 {
                        let end = members[first_kept].key_start;
                        self.edit(members[0].key_start, end, String::new());
                    }
                } else {
                    let _ = deleted;
                    let start = self.value_end(members, m - 1);
                    let end = self.value_end(members, m);
                    self.edit(start, end, String::new());
                }
            }
        }
    }

    /// Inserts the target members `added` after source member `prev` (or before `next`).
    #[allow(clippy::too_many_arguments)]
    fn insert_members(
        &mut self,
        n: usize,
        members: &[Member],
        layout: Layout,
        prev: Option<usize>,
        next: usize,
        added: &[usize],
        tkeys: &[(&String, &Value)],
    ) {
        let src = self.src;
        let nl = self.style.nl;
        let first = &members[next.min(members.len() - 1)];
        match (layout, self.format) {
            (Layout::Block, _) => {
                let key_col = col(src, members[0].key_start);
                let mut text = String::new();
                let mut body = Vec::new();
                for &ti in added {
                    let (k, v) = tkeys[ti];
                    let mut s = self.key_text(k, Layout::Block);
                    s.push(':');
                    yaml_member_value(v, key_col, &self.style, &mut s);
                    body.push(s);
                }
                match prev {
                    Some(p) => {
                        let at = after_line(src, self.value_end(members, p));
                        // A file without a final line break keeps not having one.
                        let unterminated = at == src.len() && !src.ends_with('\n');
                        for s in body {
                            if unterminated {
                                text.push_str(nl);
                            }
                            text.extend(std::iter::repeat_n(' ', key_col));
                            text.push_str(&s);
                            if !unterminated {
                                text.push_str(nl);
                            }
                        }
                        self.edit(at, at, text);
                    }
                    None => {
                        for s in body {
                            text.push_str(&s);
                            text.push_str(nl);
                            text.extend(std::iter::repeat_n(' ', key_col));
                        }
                        self.edit(first.key_start, first.key_start, text);
                    }
                }
            }
            (Layout::Flow, format) => {
                if format == Format::Yaml && self.flow_warned.insert(n) {
                    self.warnings.push(format!(
                        "{}: a flow mapping (`{{...}}`); the new members were added to it in flow style on its line",
                        self.here(),
                    ));
                }
                // One member per line when the members start their own lines (pretty JSON).
                let own = own_line_col(src, members[0].key_start).is_some();
                let base = if own {
                    let ls = line_start(src, members[0].key_start);
                    src[ls..members[0].key_start].to_string()
                } else {
                    String::new()
                };
                let render = |k: &str, v: &Value| -> String {
                    let mut s = self.key_text(k, Layout::Flow);
                    s.push_str(": ");
                    match format {
                        Format::Json if own => s.push_str(&json_pretty(v, &base, &self.style)),
                        _ => s.push_str(&flow(v, format, &self.style)),
                    }
                    s
                };
                let sep = if own {
                    format!(",{nl}{base}")
                } else {
                    ", ".to_string()
                };
                let parts: Vec<String> = added
                    .iter()
                    .map(|&ti| render(tkeys[ti].0, tkeys[ti].1))
                    .collect();
                match prev {
                    Some(p) => {
                        let at = self.value_end(members, p);
                        let mut text = String::new();
                        for part in parts {
                            text.push_str(&sep);
                            text.push_str(&part);
                        }
                        self.edit(at, at, text);
                    }
                    None => {
                        let mut text = String::new();
                        for part in parts {
                            text.push_str(&part);
                            text.push_str(&sep);
                        }
                        self.edit(first.key_start, first.key_start, text);
                    }
                }
            }
        }
    }

    /// Replaces a whole node by the rendering of `target`.
    fn replace(&mut self, n: usize, target: &Value, slot: Slot) {
        let node = &self.tree.nodes[n];
        let src = self.src;
        let (start, end) = (node.start, node.end);
        match self.format {
            Format::Json => {
                // Pretty when the node spans lines, or is an empty `{}`/`[]` on a line of its
                // own member (a pretty-printed file); compact on a line of several members.
                let ls = line_start(src, start);
                let lead = src[ls..start].trim_start();
                let own_member = lead.is_empty() || (lead.starts_with('"') && !lead.contains(','));
                let empty = matches!(src[start..end].trim(), "{}" | "[]");
                let text = if src[start..end].contains('\n') || (empty && own_member) {
                    let ls = line_start(src, start);
                    let base: String = src[ls..]
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect();
                    json_pretty(target, &base, &self.style)
                } else {
                    serde_json::to_string(target).expect("a JSON value serialises")
                };
                self.edit(start, end, text);
            }
            Format::Yaml => {
                let block_node = matches!(
                    node.kind,
                    Kind::Map {
                        layout: Layout::Block,
                        ..
                    } | Kind::Seq {
                        layout: Layout::Block,
                        ..
                    }
                );
                // A block sequence at its key's column (`key:\n- a`) turned into a mapping
                // must be indented: that goes through `key:` below.
                let at_key_column = match slot {
                    Slot::MapValue {
                        key_end,
                        block: true,
                    } => col(src, start) <= key_column(src, key_end),
                    _ => false,
                };
                if block_node
                    && is_nonempty_collection(target)
                    && !(at_key_column && target.is_object())
                {
                    let mut text = String::new();
                    yaml_block(target, col(src, start), &self.style, &mut text);
                    self.edit(start, end, text);
                    return;
                }
                if let Slot::MapValue {
                    key_end,
                    block: true,
                } = slot
                    && is_nonempty_collection(target)
                {
                    // `key: <inline>` → `key:` and a block below.
                    let colon = src[key_end..start].find(':').map(|i| key_end + i + 1);
                    if let Some(colon) = colon {
                        let key_col = key_column(src, key_end);
                        let mut text = String::new();
                        yaml_member_value(target, key_col, &self.style, &mut text);
                        self.edit(colon, end, text);
                        return;
                    }
                }
                let text = match (target, &node.kind) {
                    (Value::String(s), Kind::Scalar) if src[start..].starts_with('"') => {
                        serde_json::to_string(s).expect("a string serialises")
                    }
                    (Value::String(s), Kind::Scalar)
                        if src[start..].starts_with('\'') && !s.contains(['\n', '\r']) =>
                    {
                        format!("'{}'", s.replace('\'', "''"))
                    }
                    (Value::String(s), _) if slot.in_flow() => yaml_flow_string(s, &self.style),
                    _ => yaml_scalar(target, &self.style),
                };
                if block_node
                    && let Slot::MapValue {
                        key_end,
                        block: true,
                    } = slot
                    && let Some(colon) = src[key_end..start].find(':').map(|i| key_end + i + 1)
                {
                    // `key:` and a block below → `key: <inline>` (a block sequence below a key
                    // may sit at the key's column, where a scalar would read as the next key).
                    // A comment after the key stays after the value.
                    let comment = src[colon..start]
                        .find('#')
                        .map(|i| src[colon + i..].lines().next().unwrap_or("").trim_end())
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default();
                    self.edit(colon, end, format!(" {text}{comment}"));
                    return;
                }
                self.edit(start, end, text);
            }
        }
    }
}

/// The column of the key that ends at `key_end`: its line's indentation, or, after `- `, the
/// column just after the dash.
fn key_column(src: &str, key_end: usize) -> usize {
    let ls = line_start(src, key_end);
    let line = &src[ls..key_end];
    let mut c = 0;
    let mut chars = line.chars().peekable();
    while let Some(&ch) = chars.peek() {
        if ch == ' ' {
            c += 1;
            chars.next();
        } else if ch == '-' {
            chars.next();
            if chars.peek() == Some(&' ') {
                c += 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    c
}

//! A linear pre-scan of YAML text for the depth of its flow collections (`[...]`, `{...}`).
//!
//! The YAML scanner underneath the parser keeps one "possible simple key" per open flow
//! collection and walks all of them for every token, so a document of nothing but `[[[[...`
//! costs time quadratic in its size (200 KB took 37 s) before the depth limit refuses it. This
//! scan follows the YAML scanner's own tokenisation (quoted scalars, plain scalars and where
//! they end, comments, block scalars and their indentation, anchors, tags) in one pass over the
//! bytes, without building anything, and stops at the first flow collection that is nested
//! deeper than [`MAX_DEPTH`](crate::MAX_DEPTH): such a document would be refused by the parser
//! anyway, so it is refused before the parser starts.
//!
//! Where the text is not valid YAML the scan does not stop: it reads on as the scanner would
//! have if it could, so a refusal here never hides a document the parser would have accepted
//! with less depth, and a deep document cannot hide behind an early oddity.

/// What [`flow_depth`] found: the deepest flow nesting it saw, where the first collection
/// beyond the limit opens, and how many bytes it visited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowDepth {
    /// The deepest flow-collection nesting seen (scanning stops just past `limit`).
    pub max: usize,
    /// Line and column (1-based, in characters) of the first `[` or `{` nested deeper than the
    /// limit, if any.
    pub too_deep_at: Option<(usize, usize)>,
    /// Bytes the scan stepped over; never more than the length of the text (each byte is
    /// visited once), which is what makes the refusal linear.
    pub steps: usize,
}

/// Scans YAML `text` for the nesting depth of its flow collections, as the YAML scanner
/// tokenises it, and stops at the first collection nested deeper than `limit`. One pass, no
/// allocation: the time is linear in the length of the text.
pub fn flow_depth(text: &str, limit: usize) -> FlowDepth {
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        col: 0,
        flow: 0,
        max: 0,
        indent_stack: Vec::new(),
        indent: -1,
        allowed: true,
        key: None,
        steps: 0,
    };
    let too_deep_at = s.run(limit);
    FlowDepth {
        max: s.max,
        too_deep_at,
        steps: s.steps,
    }
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    /// 1-based line, 0-based column in characters (as the YAML scanner counts).
    line: usize,
    col: usize,
    flow: usize,
    max: usize,
    /// The block indentation stack (as the scanner's `indents`); `indent` is its top (-1 at
    /// the start).
    indent_stack: Vec<i64>,
    indent: i64,
    /// Whether a simple key may start here (block context).
    allowed: bool,
    /// The possible simple key of the block context: (line, column, byte index).
    key: Option<(usize, usize, usize)>,
    steps: usize,
}

impl Scan<'_> {
    fn at(&self, k: usize) -> u8 {
        self.b.get(self.i + k).copied().unwrap_or(0)
    }

    fn eof(&self) -> bool {
        self.i >= self.b.len()
    }

    /// Length of the line break at `i + k` (`\r\n`, `\r`, `\n`, NEL, LS, PS), 0 if none.
    fn break_len(&self, k: usize) -> usize {
        match (self.at(k), self.at(k + 1), self.at(k + 2)) {
            (b'\r', b'\n', _) => 2,
            (b'\r' | b'\n', _, _) => 1,
            (0xC2, 0x85, _) => 2,
            (0xE2, 0x80, 0xA8 | 0xA9) => 3,
            _ => 0,
        }
    }

    fn is_break(&self, k: usize) -> bool {
        self.break_len(k) > 0
    }

    fn is_blank(&self, k: usize) -> bool {
        matches!(self.at(k), b' ' | b'\t')
    }

    /// Blank, break or end of input.
    fn is_blankz(&self, k: usize) -> bool {
        self.i + k >= self.b.len() || self.is_blank(k) || self.is_break(k)
    }

    /// Steps over one character (or one line break).
    fn skip(&mut self) {
        if self.eof() {
            return;
        }
        let n = self.break_len(0);
        if n > 0 {
            self.i += n;
            self.steps += n;
            self.line += 1;
            self.col = 0;
            return;
        }
        let first = self.b[self.i];
        let n = match first {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let n = n.min(self.b.len() - self.i);
        self.i += n;
        self.steps += n;
        self.col += 1;
    }

    fn skip_to_line_end(&mut self) {
        while !self.eof() && !self.is_break(0) {
            self.skip();
        }
    }

    fn roll_indent(&mut self, column: usize) {
        if self.flow == 0 && self.indent < column as i64 {
            self.indent_stack.push(self.indent);
            self.indent = column as i64;
        }
    }

    fn unroll_indent(&mut self, column: i64) {
        if self.flow > 0 {
            return;
        }
        while self.indent > column {
            self.indent = self.indent_stack.pop().unwrap_or(-1);
        }
    }

    /// Remembers a possible simple key at the current token (block context only matters).
    fn save_key(&mut self) {
        if self.allowed {
            self.key = Some((self.line, self.col, self.i));
        }
    }

    fn run(&mut self, limit: usize) -> Option<(usize, usize)> {
        loop {
            self.skip_to_next_token();
            if self.eof() {
                return None;
            }
            // A simple key lasts one line and at most 1024 characters.
            if let Some((line, _, at)) = self.key
                && (line < self.line || at + 1024 < self.i)
            {
                self.key = None;
            }
            self.unroll_indent(self.col as i64);
            let c = self.at(0);
            if self.col == 0 && c == b'%' {
                self.skip_to_line_end();
                continue;
            }
            if self.col == 0
                && ((c == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                    || (c == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
                && self.is_blankz(3)
            {
                self.unroll_indent(-1);
                self.key = None;
                self.allowed = false;
                for _ in 0..3 {
                    self.skip();
                }
                continue;
            }
            match c {
                b'[' | b'{' => {
                    self.save_key();
                    self.flow += 1;
                    self.max = self.max.max(self.flow);
                    if self.flow > limit {
                        return Some((self.line, self.col + 1));
                    }
                    self.allowed = true;
                    self.skip();
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.allowed = false;
                    self.skip();
                }
                b',' => {
                    self.allowed = true;
                    self.skip();
                }
                b'-' if self.is_blankz(1) => {
                    if self.flow == 0 {
                        self.roll_indent(self.col);
                    }
                    self.allowed = true;
                    self.key = None;
                    self.skip();
                }
                b'?' if self.flow > 0 || self.is_blankz(1) => {
                    if self.flow == 0 {
                        self.roll_indent(self.col);
                    }
                    self.allowed = self.flow == 0;
                    self.key = None;
                    self.skip();
                }
                b':' if self.flow > 0 || self.is_blankz(1) => {
                    if self.flow == 0 {
                        match self.key.take() {
                            Some((_, col, _)) => self.roll_indent(col),
                            None => self.roll_indent(self.col),
                        }
                    } else {
                        self.key = None;
                    }
                    self.allowed = self.flow == 0;
                    self.skip();
                }
                b'*' | b'&' => {
                    self.save_key();
                    self.allowed = false;
                    self.skip();
                    while self.at(0).is_ascii_alphanumeric() || matches!(self.at(0), b'_' | b'-') {
                        self.skip();
                    }
                }
                b'!' => {
                    self.save_key();
                    self.allowed = false;
                    self.tag();
                }
                b'|' | b'>' if self.flow == 0 => {
                    self.key = None;
                    self.block_scalar();
                    self.allowed = true;
                }
                b'\'' | b'"' => {
                    self.save_key();
                    self.allowed = false;
                    self.quoted(c);
                }
                _ => {
                    self.save_key();
                    self.allowed = false;
                    self.plain();
                }
            }
        }
    }

    /// Skips blanks, comments and line breaks up to the next token.
    fn skip_to_next_token(&mut self) {
        loop {
            while self.is_blank(0) {
                self.skip();
            }
            if self.at(0) == b'#' {
                self.skip_to_line_end();
            }
            if !self.is_break(0) {
                return;
            }
            self.skip();
            if self.flow == 0 {
                self.allowed = true;
            }
        }
    }

    /// A tag: `!<verbatim>`, or a handle and suffix up to a blank (in flow context also up to a
    /// flow indicator).
    fn tag(&mut self) {
        self.skip();
        if self.at(0) == b'<' {
            while !self.eof() && self.at(0) != b'>' && !self.is_break(0) {
                self.skip();
            }
            if self.at(0) == b'>' {
                self.skip();
            }
            return;
        }
        let flow_indicator = |s: &Self| matches!(s.at(0), b',' | b'[' | b']' | b'{' | b'}');
        while !(self.is_blankz(0) || (self.flow > 0 && flow_indicator(self))) {
            self.skip();
        }
    }

    /// A single- or double-quoted scalar, to its closing quote.
    fn quoted(&mut self, quote: u8) {
        self.skip();
        while !self.eof() {
            let c = self.at(0);
            if quote == b'\'' && c == b'\'' {
                if self.at(1) == b'\'' {
                    self.skip();
                    self.skip();
                    continue;
                }
                self.skip();
                return;
            }
            if quote == b'"' && c == b'\\' {
                self.skip();
                self.skip();
                continue;
            }
            if quote == b'"' && c == b'"' {
                self.skip();
                return;
            }
            self.skip();
        }
    }

    /// A plain scalar: it ends at `: ` (or `:` before a flow indicator), at ` #`, at a flow
    /// indicator in flow context, at a document marker, or in block context at a line less
    /// indented than its parent's content.
    fn plain(&mut self) {
        let indent = self.indent + 1;
        loop {
            if self.col == 0
                && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                    || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
                && self.is_blankz(3)
            {
                return;
            }
            if self.at(0) == b'#' {
                return;
            }
            while !self.is_blankz(0) {
                let c = self.at(0);
                if self.flow > 0
                    && c == b':'
                    && matches!(self.at(1), b',' | b'?' | b'[' | b']' | b'{' | b'}')
                {
                    // The scanner refuses this; stop the scalar at the indicator and read on.
                    return;
                }
                if (c == b':' && self.is_blankz(1))
                    || (self.flow > 0 && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                self.skip();
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                return;
            }
            let mut leading_break = false;
            while self.is_blank(0) || self.is_break(0) {
                if self.is_break(0) {
                    leading_break = true;
                }
                self.skip();
            }
            if leading_break && self.flow == 0 {
                self.allowed = true;
                self.key = None;
            }
            if self.flow == 0 && (self.col as i64) < indent {
                return;
            }
        }
    }

    /// A literal or folded block scalar: its header line, then every line indented at least as
    /// much as its content (given by an indentation indicator or by the first non-empty line).
    fn block_scalar(&mut self) {
        self.skip();
        let mut increment: i64 = 0;
        for _ in 0..2 {
            match self.at(0) {
                b'+' | b'-' => self.skip(),
                d @ b'1'..=b'9' => {
                    increment = i64::from(d - b'0');
                    self.skip();
                }
                _ => {}
            }
        }
        while self.is_blank(0) {
            self.skip();
        }
        if self.at(0) == b'#' {
            self.skip_to_line_end();
        }
        if !self.is_break(0) {
            // The scanner refuses anything else after the header; read on from here.
            return;
        }
        self.skip();
        let mut indent: i64 = if increment > 0 {
            if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            }
        } else {
            0
        };
        self.block_breaks(&mut indent);
        while self.col as i64 == indent && !self.eof() {
            self.skip_to_line_end();
            if self.eof() {
                return;
            }
            self.skip();
            self.block_breaks(&mut indent);
        }
    }

    /// The scanner's `scan_block_scalar_breaks`: skips the indentation of empty lines and, when
    /// the content indentation is not known yet, finds it.
    fn block_breaks(&mut self, indent: &mut i64) {
        let mut max_indent: i64 = 0;
        loop {
            while (*indent == 0 || (self.col as i64) < *indent) && self.at(0) == b' ' {
                self.skip();
            }
            max_indent = max_indent.max(self.col as i64);
            if !self.is_break(0) {
                break;
            }
            self.skip();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expect: usize) {
        let got = flow_depth(text, 1000);
        assert_eq!(got.max, expect, "{text:?}");
        assert!(got.steps <= text.len(), "{text:?}");
    }

    #[test]
    fn depths() {
        check("a: [1, [2, {b: [3]}]]\n", 4);
        check("a: 'it''s [[[['\nb: \"\\\"[[\"\n", 0);
        check("a: x [[[ y\nb: c\n", 0);
        check("a: |\n  [[[[\n  {{{{\nb: [x]\n", 1);
        check("a: >-\n\n   [[[\n\n   [[\nb: {}\n", 1);
        check("a: # [[[\n  - [x]\n", 1);
        check("[a 'b, [c, [d]]]\n", 3);
        check("{a: {b: {c: x}}}\n", 3);
        check("a: text\n  [continued] [[[\nb: [c]\n", 1);
        check("- a\n- [b]\n- c [d\n", 1);
        check("&x [*y, !t [z], !<tag> {}]\n", 2);
        check("key: \"multi\n  line [[[\" \nother: [1]\n", 1);
        check("a:b: [x]\n", 1);
        check("[a:b, c]\n", 1);
        check("[\"x\":[y]]\n", 2);
    }
}

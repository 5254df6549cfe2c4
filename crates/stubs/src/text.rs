//! Turning untrusted text from the definition into safe source text: string literals valid in
//! both JavaScript and Python, and single-line comment text.

/// Whether a character must never appear raw in generated source: C0/C1 controls and DEL,
/// Unicode line/paragraph separators, bidirectional formatting characters ("Trojan Source")
/// and the byte order mark.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// A double-quoted string literal holding exactly `s`, valid in JavaScript (script and module)
/// and in Python 3: JSON escaping, plus `\uXXXX` for every control character, U+2028/U+2029,
/// bidirectional formatting character and byte order mark, so the literal is one line of
/// printable text.
///
/// ```
/// # use lambda_sync_stubs::string_literal;
/// assert_eq!(string_literal("a\"b\n\u{2028}"), r#""a\"b\n\u2028""#);
/// ```
#[doc(hidden)] // Exported for the crate's tests only; templates get its output through `View`.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Splits untrusted text into comment lines that are safe after `//` or `#`: one entry per
/// line of the text (any line terminator, including U+2028/U+2029 and NEL, ends a line), tabs
/// become spaces, other unsafe characters are shown as `\uXXXX`, trailing blanks and blank
/// lines at the start and end are dropped.
///
/// ```
/// # use lambda_sync_stubs::comment_lines;
/// assert_eq!(comment_lines("one */\r\ntwo\u{2028}\0three"), ["one */", "two", "\\u0000three"]);
/// ```
#[doc(hidden)] // Exported for the crate's tests only; templates get its output through `View`.
pub fn comment_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut current));
            }
            '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                lines.push(std::mem::take(&mut current));
            }
            '\t' => current.push(' '),
            c if is_unsafe(c) => current.push_str(&format!("\\u{:04x}", c as u32)),
            c => current.push(c),
        }
    }
    lines.push(current);
    let mut lines: Vec<String> = lines
        .into_iter()
        .map(|l| l.trim_end().to_string())
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    lines
}

/// The text as one safe comment line: its lines joined with a space.
#[doc(hidden)] // Exported for the crate's tests only; templates get its output through `View`.
pub fn comment_line(text: &str) -> String {
    comment_lines(text)
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

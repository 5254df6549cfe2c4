//! The parser: template text to a syntax tree.
//!
//! Velocity's grammar, as far as API Gateway templates use it: text, references (`$a`,
//! `$!a`, `${a}`, `$a.b.c('x')[0]`), the directives `#set`, `#if`/`#elseif`/`#else`/`#end`,
//! `#foreach`, `#break`, `#stop`, comments (`##`, `#* *#`) and unparsed blocks (`#[[ ]]#`).
//! Directives alone on a line take their line with them (leading blanks and the newline), as
//! Velocity 2's `lines` space gobbling does.

use crate::error::{Error, Kind, line_col, make};

/// Deepest nesting of blocks and expressions accepted (protects the stack).
pub(crate) const MAX_NESTING: usize = 64;

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String),
    Ref {
        r: Ref,
        quiet: bool,
        raw: String,
    },
    Set {
        target: Ref,
        value: Expr,
    },
    If {
        branches: Vec<(Expr, Vec<Node>)>,
        otherwise: Option<Vec<Node>>,
    },
    Foreach {
        var: String,
        iter: Expr,
        body: Vec<Node>,
        pos: usize,
    },
    Break,
    Stop,
}

#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub root: String,
    pub chain: Vec<Access>,
    pub pos: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Access {
    Prop(String, usize),
    Call(String, Vec<Expr>, usize),
    Index(Expr, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Interp(Vec<Node>),
    Ref(Ref),
    List(Vec<Expr>),
    Range(Box<Expr>, Box<Expr>, usize),
    Map(Vec<(Expr, Expr)>),
    Not(Box<Expr>),
    Neg(Box<Expr>, usize),
    Bin(BinOp, Box<Expr>, Box<Expr>, usize),
}

enum Stop {
    Eof,
    End,
    Else,
    ElseIf(Expr),
}

pub(crate) fn parse(chars: &[char]) -> Result<Vec<Node>, Error> {
    let mut p = Parser {
        c: chars,
        i: 0,
        depth: 0,
        pos_override: None,
        errors_in: chars,
    };
    let (nodes, end, at) = p.block()?;
    match end {
        Stop::Eof => Ok(nodes),
        Stop::End => Err(p.err_at(
            Kind::Syntax,
            at,
            "`#end` without an open `#if` or `#foreach`",
        )),
        Stop::Else | Stop::ElseIf(_) => {
            Err(p.err_at(Kind::Syntax, at, "`#else`/`#elseif` without an open `#if`"))
        }
    }
}

struct Parser<'a> {
    c: &'a [char],
    i: usize,
    depth: usize,
    /// Inside a double-quoted string: every position reports as the string's start.
    pos_override: Option<usize>,
    /// The outermost source, for line:column.
    errors_in: &'a [char],
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl<'a> Parser<'a> {
    fn pos(&self, at: usize) -> usize {
        self.pos_override.unwrap_or(at)
    }

    fn err_at(&self, kind: Kind, at: usize, message: impl Into<String>) -> Error {
        make(kind, line_col(self.errors_in, self.pos(at)), message.into())
    }

    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(k, ch)| self.c.get(self.i + k) == Some(&ch))
    }

    fn enter(&mut self, at: usize) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err_at(
                Kind::Limit,
                at,
                format!("nesting deeper than {MAX_NESTING} levels"),
            ));
        }
        Ok(())
    }

    /// Parses nodes up to the end of input or a block keyword (`#end`, `#else`, `#elseif`).
    fn block(&mut self) -> Result<(Vec<Node>, Stop, usize), Error> {
        let mut nodes: Vec<Node> = Vec::new();
        let mut text = String::new();
        loop {
            let Some(ch) = self.peek() else {
                flush(&mut nodes, &mut text);
                return Ok((nodes, Stop::Eof, self.i));
            };
            match ch {
                '#' => {
                    let start = self.i;
                    match self.peek_at(1) {
                        Some('#') => {
                            // Line comment: up to and including the newline.
                            while let Some(c) = self.peek() {
                                self.i += 1;
                                if c == '\n' {
                                    break;
                                }
                            }
                            continue;
                        }
                        Some('*') => {
                            self.i += 2;
                            loop {
                                if self.peek().is_none() {
                                    return Err(self.err_at(
                                        Kind::Syntax,
                                        start,
                                        "unterminated comment `#*`: add `*#`",
                                    ));
                                }
                                if self.starts_with("*#") {
                                    self.i += 2;
                                    break;
                                }
                                self.i += 1;
                            }
                            continue;
                        }
                        Some('[') if self.peek_at(2) == Some('[') => {
                            self.i += 3;
                            loop {
                                if self.peek().is_none() {
                                    return Err(self.err_at(
                                        Kind::Syntax,
                                        start,
                                        "unterminated unparsed block `#[[`: add `]]#`",
                                    ));
                                }
                                if self.starts_with("]]#") {
                                    self.i += 3;
                                    break;
                                }
                                text.push(self.c[self.i]);
                                self.i += 1;
                            }
                            continue;
                        }
                        _ => {}
                    }
                    let Some((name, after)) = self.directive_name() else {
                        text.push('#');
                        self.i += 1;
                        continue;
                    };
                    match name.as_str() {
                        "set" | "if" | "elseif" | "foreach" => {
                            let mut k = after;
                            while matches!(self.c.get(k), Some(' ' | '\t')) {
                                k += 1;
                            }
                            if self.c.get(k) != Some(&'(') {
                                return Err(self.err_at(
                                    Kind::Syntax,
                                    start,
                                    format!("`#{name}` must be followed by `(`"),
                                ));
                            }
                            self.i = k + 1;
                        }
                        "else" | "end" | "break" | "stop" => self.i = after,
                        "macro" | "parse" | "include" | "define" | "evaluate" => {
                            return Err(self.err_at(
                                Kind::Unsupported,
                                start,
                                format!("the `#{name}` directive is not supported"),
                            ));
                        }
                        _ => {
                            // Not a directive: plain text, as Velocity leaves it.
                            text.push('#');
                            self.i += 1;
                            continue;
                        }
                    }
                    // Parse the directive's arguments, then gobble its line.
                    let node_or_end = match name.as_str() {
                        "set" => {
                            self.skip_ws();
                            let target = match self.peek() {
                                Some('$') => self.reference_in_expr()?,
                                _ => {
                                    return Err(self.err_at(
                                        Kind::Syntax,
                                        self.i,
                                        "`#set` needs a reference on the left: `#set($x = ...)`",
                                    ));
                                }
                            };
                            if target.chain.iter().any(|a| matches!(a, Access::Call(..))) {
                                return Err(self.err_at(
                                    Kind::Syntax,
                                    start,
                                    "`#set` cannot assign to a method call",
                                ));
                            }
                            self.skip_ws();
                            if self.peek() != Some('=') {
                                return Err(self.err_at(
                                    Kind::Syntax,
                                    self.i,
                                    "expected `=` in `#set`",
                                ));
                            }
                            self.i += 1;
                            let value = self.expr()?;
                            self.expect(')', "`)` to close `#set(`")?;
                            Ok(Node::Set { target, value })
                        }
                        "if" | "elseif" => {
                            let cond = self.expr()?;
                            self.expect(')', "`)` to close the condition")?;
                            if name == "elseif" {
                                Err(Stop::ElseIf(cond))
                            } else {
                                // The body is parsed after gobbling, below.
                                Ok(Node::If {
                                    branches: vec![(cond, Vec::new())],
                                    otherwise: None,
                                })
                            }
                        }
                        "foreach" => {
                            self.skip_ws();
                            let var_at = self.i;
                            let var = match self.reference_in_expr()? {
                                r if r.chain.is_empty() => r.root,
                                _ => {
                                    return Err(self.err_at(
                                        Kind::Syntax,
                                        var_at,
                                        "`#foreach` needs a plain variable: `#foreach($x in $list)`",
                                    ));
                                }
                            };
                            self.skip_ws();
                            if !self.starts_with("in") || self.peek_at(2).is_some_and(is_ident) {
                                return Err(self.err_at(
                                    Kind::Syntax,
                                    self.i,
                                    "expected `in` in `#foreach($x in ...)`",
                                ));
                            }
                            self.i += 2;
                            let iter = self.expr()?;
                            self.expect(')', "`)` to close `#foreach(`")?;
                            Ok(Node::Foreach {
                                var,
                                iter,
                                body: Vec::new(),
                                pos: self.pos(start),
                            })
                        }
                        "else" => Err(Stop::Else),
                        "end" => Err(Stop::End),
                        "break" => Ok(Node::Break),
                        _ => Ok(Node::Stop),
                    };
                    self.gobble_line(start, &mut text);
                    match node_or_end {
                        Err(end) => {
                            flush(&mut nodes, &mut text);
                            return Ok((nodes, end, start));
                        }
                        Ok(Node::If { branches, .. }) => {
                            flush(&mut nodes, &mut text);
                            nodes.push(self.if_rest(branches, start)?);
                        }
                        Ok(Node::Foreach { var, iter, pos, .. }) => {
                            flush(&mut nodes, &mut text);
                            self.enter(start)?;
                            let (body, end, at) = self.block()?;
                            self.depth -= 1;
                            match end {
                                Stop::End => {}
                                Stop::Eof => {
                                    return Err(self.err_at(
                                        Kind::Syntax,
                                        start,
                                        "`#foreach` is never closed: add `#end`",
                                    ));
                                }
                                _ => {
                                    return Err(self.err_at(
                                        Kind::Syntax,
                                        at,
                                        "`#else`/`#elseif` inside `#foreach` without an `#if`",
                                    ));
                                }
                            }
                            nodes.push(Node::Foreach {
                                var,
                                iter,
                                body,
                                pos,
                            });
                        }
                        Ok(node) => {
                            flush(&mut nodes, &mut text);
                            nodes.push(node);
                        }
                    }
                }
                '$' => {
                    let start = self.i;
                    match self.reference_in_text()? {
                        Some((r, quiet)) => {
                            flush(&mut nodes, &mut text);
                            let raw: String = self.c[start..self.i].iter().collect();
                            nodes.push(Node::Ref { r, quiet, raw });
                        }
                        None => {
                            text.push('$');
                            self.i = start + 1;
                        }
                    }
                }
                c => {
                    text.push(c);
                    self.i += 1;
                }
            }
        }
    }

    /// After an `#if(...)` whose line was gobbled: the branches up to `#end`.
    fn if_rest(
        &mut self,
        mut branches: Vec<(Expr, Vec<Node>)>,
        start: usize,
    ) -> Result<Node, Error> {
        self.enter(start)?;
        let mut otherwise = None;
        loop {
            let (body, end, at) = self.block()?;
            match end {
                Stop::End => {
                    match &mut otherwise {
                        Some(o) => *o = body,
                        None => branches.last_mut().expect("one branch").1 = body,
                    }
                    break;
                }
                Stop::Eof => {
                    return Err(self.err_at(
                        Kind::Syntax,
                        start,
                        "`#if` is never closed: add `#end`",
                    ));
                }
                Stop::ElseIf(cond) => {
                    if otherwise.is_some() {
                        return Err(self.err_at(Kind::Syntax, at, "`#elseif` after `#else`"));
                    }
                    branches.last_mut().expect("one branch").1 = body;
                    branches.push((cond, Vec::new()));
                }
                Stop::Else => {
                    if otherwise.is_some() {
                        return Err(self.err_at(Kind::Syntax, at, "a second `#else`"));
                    }
                    branches.last_mut().expect("one branch").1 = body;
                    otherwise = Some(Vec::new());
                }
            }
        }
        self.depth -= 1;
        Ok(Node::If {
            branches,
            otherwise,
        })
    }

    /// `#name` or `#{name}` at `self.i`: the name and the index after it.
    fn directive_name(&self) -> Option<(String, usize)> {
        let mut k = self.i + 1;
        let braced = self.c.get(k) == Some(&'{');
        if braced {
            k += 1;
        }
        let s = k;
        while self.c.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
            k += 1;
        }
        if k == s {
            return None;
        }
        let name: String = self.c[s..k].iter().collect();
        if braced {
            if self.c.get(k) != Some(&'}') {
                return None;
            }
            k += 1;
        } else if self.c.get(k).is_some_and(|&c| is_ident(c)) {
            return None;
        }
        Some((name, k))
    }

    /// When the directive that started at `start` is alone on its line, removes the blanks
    /// before it (from `text`) and consumes the blanks and the newline after it.
    fn gobble_line(&mut self, start: usize, text: &mut String) {
        let mut b = start;
        while b > 0 && matches!(self.c[b - 1], ' ' | '\t') {
            b -= 1;
        }
        let line_start = b == 0 || self.c[b - 1] == '\n';
        if !line_start || start - b > text.chars().count() {
            return;
        }
        let mut k = self.i;
        while matches!(self.c.get(k), Some(' ' | '\t' | '\r')) {
            k += 1;
        }
        match self.c.get(k) {
            Some('\n') => self.i = k + 1,
            None => self.i = k,
            _ => return,
        }
        let keep = text.len() - (start - b);
        text.truncate(keep);
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn expect(&mut self, ch: char, what: &str) -> Result<(), Error> {
        self.skip_ws();
        if self.peek() == Some(ch) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err_at(Kind::Syntax, self.i, format!("expected {what}")))
        }
    }

    /// A reference in template text. `None` (and `self.i` unchanged) when the `$` is literal.
    fn reference_in_text(&mut self) -> Result<Option<(Ref, bool)>, Error> {
        let start = self.i;
        let mut k = self.i + 1;
        let quiet = self.c.get(k) == Some(&'!');
        if quiet {
            k += 1;
        }
        let braced = self.c.get(k) == Some(&'{');
        if braced {
            k += 1;
        }
        if !self.c.get(k).is_some_and(|&c| is_ident_start(c)) {
            return Ok(None);
        }
        self.i = k;
        let r = self.ref_body(start, braced)?;
        if braced {
            if self.peek() != Some('}') {
                return Err(self.err_at(Kind::Syntax, start, "expected `}` to close `${`"));
            }
            self.i += 1;
        }
        Ok(Some((r, quiet)))
    }

    /// A reference inside an expression (must be one).
    fn reference_in_expr(&mut self) -> Result<Ref, Error> {
        let start = self.i;
        match self.reference_in_text()? {
            Some((r, _)) => Ok(r),
            None => Err(self.err_at(Kind::Syntax, start, "expected a reference such as `$name`")),
        }
    }

    /// The identifier and the accessor chain of a reference; `self.i` at the identifier.
    fn ref_body(&mut self, start: usize, braced: bool) -> Result<Ref, Error> {
        let root = self.ident();
        let mut chain = Vec::new();
        loop {
            match self.peek() {
                Some('.') if self.peek_at(1).is_some_and(is_ident_start) => {
                    let at = self.i;
                    self.i += 1;
                    let name = self.ident();
                    if self.peek() == Some('(') {
                        self.i += 1;
                        self.enter(at)?;
                        let args = self.args(')')?;
                        self.depth -= 1;
                        chain.push(Access::Call(name, args, self.pos(at)));
                    } else {
                        chain.push(Access::Prop(name, self.pos(at)));
                    }
                }
                Some('[') => {
                    let at = self.i;
                    self.i += 1;
                    self.enter(at)?;
                    let index = self.expr()?;
                    self.depth -= 1;
                    self.expect(']', "`]` to close the index")?;
                    chain.push(Access::Index(index, self.pos(at)));
                }
                Some(' ' | '\t' | '\n') if braced => {
                    return Err(self.err_at(
                        Kind::Syntax,
                        self.i,
                        "unexpected blank inside `${...}`",
                    ));
                }
                _ => break,
            }
        }
        Ok(Ref {
            root,
            chain,
            pos: self.pos(start),
        })
    }

    fn ident(&mut self) -> String {
        let s = self.i;
        while self.peek().is_some_and(is_ident) {
            self.i += 1;
        }
        self.c[s..self.i].iter().collect()
    }

    /// Comma-separated expressions up to `close`.
    fn args(&mut self, close: char) -> Result<Vec<Expr>, Error> {
        let mut out = Vec::new();
        self.skip_ws();
        if self.peek() == Some(close) {
            self.i += 1;
            return Ok(out);
        }
        loop {
            out.push(self.expr()?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.i += 1,
                Some(c) if c == close => {
                    self.i += 1;
                    return Ok(out);
                }
                _ => {
                    return Err(self.err_at(
                        Kind::Syntax,
                        self.i,
                        format!("expected `,` or `{close}`"),
                    ));
                }
            }
        }
    }

    pub(crate) fn expr(&mut self) -> Result<Expr, Error> {
        let at = self.i;
        self.enter(at)?;
        let e = self.binary(0);
        self.depth -= 1;
        e
    }

    /// Precedence climbing: 0 or, 1 and, 2 equality, 3 relational, 4 additive, 5 multiplicative.
    fn binary(&mut self, level: u8) -> Result<Expr, Error> {
        if level > 5 {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        loop {
            self.skip_ws();
            let at = self.i;
            let Some((op, len)) = self.operator(level) else {
                return Ok(left);
            };
            self.i += len;
            let right = self.binary(level + 1)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right), self.pos(at));
        }
    }

    fn word(&self, w: &str) -> bool {
        self.starts_with(w) && !self.peek_at(w.len()).is_some_and(is_ident)
    }

    fn operator(&self, level: u8) -> Option<(BinOp, usize)> {
        let sym: &[(&str, BinOp)] = match level {
            0 => &[("||", BinOp::Or), ("or", BinOp::Or)],
            1 => &[("&&", BinOp::And), ("and", BinOp::And)],
            2 => &[
                ("==", BinOp::Eq),
                ("!=", BinOp::Ne),
                ("eq", BinOp::Eq),
                ("ne", BinOp::Ne),
            ],
            3 => &[
                ("<=", BinOp::Le),
                (">=", BinOp::Ge),
                ("<", BinOp::Lt),
                (">", BinOp::Gt),
                ("le", BinOp::Le),
                ("ge", BinOp::Ge),
                ("lt", BinOp::Lt),
                ("gt", BinOp::Gt),
            ],
            4 => &[("+", BinOp::Add), ("-", BinOp::Sub)],
            _ => &[("*", BinOp::Mul), ("/", BinOp::Div), ("%", BinOp::Rem)],
        };
        for (s, op) in sym {
            let is_word = s.chars().all(|c| c.is_ascii_alphabetic());
            if (is_word && self.word(s)) || (!is_word && self.starts_with(s)) {
                return Some((*op, s.len()));
            }
        }
        None
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        self.skip_ws();
        let at = self.i;
        if self.peek() == Some('!') && self.peek_at(1) != Some('=') {
            self.i += 1;
            self.enter(at)?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        if self.word("not") {
            self.i += 3;
            self.enter(at)?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        if self.peek() == Some('-') && !self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
            self.enter(at)?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(e), self.pos(at)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        self.skip_ws();
        let at = self.i;
        match self.peek() {
            None => Err(self.err_at(
                Kind::Syntax,
                at,
                "unexpected end of template in an expression",
            )),
            Some('$') => Ok(Expr::Ref(self.reference_in_expr()?)),
            Some('\'') => Ok(Expr::Str(self.string_literal('\'')?)),
            Some('"') => {
                let content = self.string_literal('"')?;
                if !content.contains(['$', '#']) {
                    return Ok(Expr::Str(content));
                }
                let chars: Vec<char> = content.chars().collect();
                let mut sub = Parser {
                    c: &chars,
                    i: 0,
                    depth: self.depth,
                    pos_override: Some(self.pos(at)),
                    errors_in: self.errors_in,
                };
                let (nodes, end, end_at) = sub.block()?;
                if !matches!(end, Stop::Eof) {
                    return Err(sub.err_at(
                        Kind::Syntax,
                        end_at,
                        "a block keyword inside a string literal",
                    ));
                }
                Ok(Expr::Interp(nodes))
            }
            Some('(') => {
                self.i += 1;
                let e = self.expr()?;
                self.expect(')', "`)`")?;
                Ok(e)
            }
            Some('[') => {
                self.i += 1;
                self.skip_ws();
                if self.peek() == Some(']') {
                    self.i += 1;
                    return Ok(Expr::List(Vec::new()));
                }
                let first = self.expr()?;
                self.skip_ws();
                if self.starts_with("..") {
                    self.i += 2;
                    let last = self.expr()?;
                    self.expect(']', "`]` to close the range")?;
                    return Ok(Expr::Range(Box::new(first), Box::new(last), self.pos(at)));
                }
                let mut items = vec![first];
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => {
                            self.i += 1;
                            items.push(self.expr()?);
                        }
                        Some(']') => {
                            self.i += 1;
                            return Ok(Expr::List(items));
                        }
                        _ => {
                            return Err(self.err_at(Kind::Syntax, self.i, "expected `,` or `]`"));
                        }
                    }
                }
            }
            Some('{') => {
                self.i += 1;
                let mut entries = Vec::new();
                self.skip_ws();
                if self.peek() == Some('}') {
                    self.i += 1;
                    return Ok(Expr::Map(entries));
                }
                loop {
                    let k = self.expr()?;
                    self.expect(':', "`:` in a map literal")?;
                    let v = self.expr()?;
                    entries.push((k, v));
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => self.i += 1,
                        Some('}') => {
                            self.i += 1;
                            return Ok(Expr::Map(entries));
                        }
                        _ => {
                            return Err(self.err_at(Kind::Syntax, self.i, "expected `,` or `}`"));
                        }
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' => self.number(),
            Some(_) => {
                if self.word("true") {
                    self.i += 4;
                    Ok(Expr::Bool(true))
                } else if self.word("false") {
                    self.i += 5;
                    Ok(Expr::Bool(false))
                } else if self.word("null") {
                    self.i += 4;
                    Ok(Expr::Null)
                } else {
                    Err(self.err_at(
                        Kind::Syntax,
                        at,
                        format!("unexpected `{}` in an expression", self.c[at]),
                    ))
                }
            }
        }
    }

    fn number(&mut self) -> Result<Expr, Error> {
        let at = self.i;
        if self.peek() == Some('-') {
            self.i += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let mut float = false;
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            float = true;
            self.i += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        let text: String = self.c[at..self.i].iter().collect();
        if float {
            text.parse()
                .map(Expr::Float)
                .map_err(|_| self.err_at(Kind::Syntax, at, format!("bad number `{text}`")))
        } else {
            text.parse().map(Expr::Int).map_err(|_| {
                self.err_at(Kind::Syntax, at, format!("number `{text}` is out of range"))
            })
        }
    }

    /// A quoted string; a doubled quote stands for one quote (Velocity 1.7). Backslashes are
    /// kept as they are: Velocity does not process escapes in string literals.
    fn string_literal(&mut self, q: char) -> Result<String, Error> {
        let at = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(self.err_at(Kind::Syntax, at, "unterminated string literal"));
                }
                Some(c) if c == q => {
                    if self.peek_at(1) == Some(q) {
                        out.push(q);
                        self.i += 2;
                    } else {
                        self.i += 1;
                        return Ok(out);
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
    }
}

fn flush(nodes: &mut Vec<Node>, text: &mut String) {
    if !text.is_empty() {
        nodes.push(Node::Text(std::mem::take(text)));
    }
}

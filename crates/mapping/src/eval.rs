//! The evaluator: a syntax tree and a request to text, within limits.

use crate::error::{Error, Kind, line_col, make};
use crate::parse::{Access, BinOp, Expr, Node, Ref};
use crate::request::Request;
use crate::util;
use std::collections::HashMap;
use std::rc::Rc;

/// Deepest nesting of lists and maps a value may have (JSON bodies nest at most 128 deep).
const MAX_VALUE_DEPTH: u32 = 200;

/// Bounds on the work one evaluation may do, so a hostile template always finishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most evaluation steps (a node rendered, an expression evaluated, a loop iteration;
    /// work on long strings and large collections counts in proportion). Default 1,000,000.
    pub max_steps: u64,
    /// Most characters of output, and of any string built on the way. Default 10 MiB, API
    /// Gateway's payload limit.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 1_000_000,
            max_output: 10 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<List>),
    Map(Rc<Map>),
    Input,
    Util,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct List {
    items: Vec<V>,
    depth: u32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Map {
    entries: Vec<(String, V)>,
    index: HashMap<String, usize>,
    /// Keys compare without regard to ASCII case (the header map).
    ci: bool,
    depth: u32,
}

impl Map {
    fn new(ci: bool) -> Map {
        Map {
            ci,
            ..Map::default()
        }
    }

    fn norm<'k>(&self, k: &'k str) -> std::borrow::Cow<'k, str> {
        if self.ci {
            std::borrow::Cow::Owned(k.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(k)
        }
    }

    fn get(&self, k: &str) -> Option<&V> {
        self.index
            .get(self.norm(k).as_ref())
            .map(|&i| &self.entries[i].1)
    }

    fn insert(&mut self, k: String, v: V) -> Option<V> {
        self.depth = self.depth.max(v.depth() + 1);
        let n = self.norm(&k).into_owned();
        match self.index.get(&n) {
            Some(&i) => Some(std::mem::replace(&mut self.entries[i].1, v)),
            None => {
                self.index.insert(n, self.entries.len());
                self.entries.push((k, v));
                None
            }
        }
    }

    fn remove(&mut self, k: &str) -> Option<V> {
        let n = self.norm(k).into_owned();
        let i = self.index.remove(&n)?;
        let (_, v) = self.entries.remove(i);
        for idx in self.index.values_mut() {
            if *idx > i {
                *idx -= 1;
            }
        }
        Some(v)
    }
}

impl V {
    fn str(s: impl Into<Rc<str>>) -> V {
        V::Str(s.into())
    }

    fn depth(&self) -> u32 {
        match self {
            V::List(l) => l.depth,
            V::Map(m) => m.depth,
            _ => 0,
        }
    }

    fn list(items: Vec<V>) -> V {
        let depth = items.iter().map(|v| v.depth() + 1).max().unwrap_or(1);
        V::List(Rc::new(List { items, depth }))
    }

    fn truthy(&self) -> bool {
        match self {
            V::Null => false,
            V::Bool(b) => *b,
            _ => true,
        }
    }

    fn size(&self) -> usize {
        match self {
            V::Str(s) => s.len(),
            V::List(l) => l.items.len(),
            V::Map(m) => m.entries.len(),
            _ => 1,
        }
    }

    fn from_json(v: &serde_json::Value) -> V {
        match v {
            serde_json::Value::Null => V::Null,
            serde_json::Value::Bool(b) => V::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => V::Int(i),
                None => V::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => V::str(s.as_str()),
            serde_json::Value::Array(a) => V::list(a.iter().map(V::from_json).collect()),
            serde_json::Value::Object(o) => {
                let mut m = Map::new(false);
                m.depth = 1;
                for (k, v) in o {
                    m.insert(k.clone(), V::from_json(v));
                }
                V::Map(Rc::new(m))
            }
        }
    }

    /// Java's `toString()`: `[a, b]` for lists, `{k=v}` for maps. Stops once `out` is longer
    /// than `max` (the caller reports the limit), so a huge shared structure costs no more than
    /// `max` bytes of work.
    fn render(&self, out: &mut String, max: usize) {
        if out.len() > max {
            return;
        }
        match self {
            V::Null => out.push_str("null"),
            V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            V::Int(i) => out.push_str(&i.to_string()),
            V::Float(f) => out.push_str(&java_double(*f)),
            V::Str(s) => out.push_str(s),
            V::List(l) => {
                out.push('[');
                for (i, v) in l.items.iter().enumerate() {
                    if out.len() > max {
                        return;
                    }
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.render(out, max);
                }
                out.push(']');
            }
            V::Map(m) => {
                out.push('{');
                for (i, (k, v)) in m.entries.iter().enumerate() {
                    if out.len() > max {
                        return;
                    }
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    v.render(out, max);
                }
                out.push('}');
            }
            V::Input => out.push_str("$input"),
            V::Util => out.push_str("$util"),
        }
    }

    /// `toString()`, at most a little over `max` bytes long.
    fn text(&self, max: usize) -> String {
        match self {
            V::Str(s) => s.to_string(),
            other => {
                let mut s = String::new();
                other.render(&mut s, max);
                s
            }
        }
    }

    fn num(&self) -> Option<f64> {
        match self {
            V::Int(i) => Some(*i as f64),
            V::Float(f) => Some(*f),
            _ => None,
        }
    }
}

fn java_double(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if f.fract() == 0.0 && f.abs() < 1e7 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

enum Flow {
    Normal,
    Break,
    Stop,
}

enum PathKey {
    Key(String),
    Idx(i64),
}

pub(crate) struct Eval<'a> {
    req: &'a Request,
    src: &'a [char],
    limits: Limits,
    steps: u64,
    vars: HashMap<String, V>,
    out: String,
    body_json: Option<Option<serde_json::Value>>,
    params: Option<V>,
}

type R<T> = Result<T, Error>;

impl<'a> Eval<'a> {
    pub(crate) fn new(req: &'a Request, src: &'a [char], limits: Limits) -> Eval<'a> {
        let mut vars = HashMap::new();
        vars.insert("input".to_string(), V::Input);
        vars.insert("util".to_string(), V::Util);
        let mut ctx = Map::new(false);
        ctx.insert("httpMethod".into(), V::str(req.method.as_str()));
        ctx.insert("resourcePath".into(), V::str(req.resource_path.as_str()));
        ctx.insert("stage".into(), V::str("test-invoke-stage"));
        ctx.insert("requestId".into(), V::str("test-invoke-request"));
        for (k, v) in &req.context {
            insert_dotted(&mut ctx, k, V::str(v.as_str()));
        }
        vars.insert("context".to_string(), V::Map(Rc::new(ctx)));
        let mut sv = Map::new(false);
        for (k, v) in &req.stage_variables {
            sv.insert(k.clone(), V::str(v.as_str()));
        }
        vars.insert("stageVariables".to_string(), V::Map(Rc::new(sv)));
        Eval {
            req,
            src,
            limits,
            steps: 0,
            vars,
            out: String::new(),
            body_json: None,
            params: None,
        }
    }

    pub(crate) fn run(mut self, nodes: &[Node]) -> R<String> {
        self.render(nodes)?;
        Ok(self.out)
    }

    fn err(&self, kind: Kind, pos: usize, message: impl Into<String>) -> Error {
        make(kind, line_col(self.src, pos), message.into())
    }

    fn step(&mut self, pos: usize, cost: u64) -> R<()> {
        self.steps = self.steps.saturating_add(cost);
        if self.steps > self.limits.max_steps {
            return Err(self.err(
                Kind::Limit,
                pos,
                format!(
                    "more than {} evaluation steps (a loop that does not end?)",
                    self.limits.max_steps
                ),
            ));
        }
        Ok(())
    }

    fn check_len(&self, pos: usize, len: usize) -> R<()> {
        if len > self.limits.max_output {
            return Err(self.err(
                Kind::Limit,
                pos,
                format!(
                    "output or string longer than {} bytes",
                    self.limits.max_output
                ),
            ));
        }
        Ok(())
    }

    /// `toString()` of a value, refused when longer than the output limit.
    fn text_of(&self, v: &V, pos: usize) -> R<String> {
        let s = v.text(self.limits.max_output);
        self.check_len(pos, s.len())?;
        Ok(s)
    }

    /// Velocity's `==`, paid for in steps (one per value compared).
    fn eq(&mut self, x: &V, y: &V, pos: usize) -> R<bool> {
        let remaining = self.limits.max_steps.saturating_sub(self.steps);
        let mut budget = remaining;
        match equals(x, y, &mut budget) {
            Some(b) => {
                self.step(pos, remaining - budget)?;
                Ok(b)
            }
            None => self.step(pos, u64::MAX).map(|()| false),
        }
    }

    fn emit(&mut self, pos: usize, s: &str) -> R<()> {
        self.check_len(pos, self.out.len() + s.len())?;
        self.out.push_str(s);
        Ok(())
    }

    fn render(&mut self, nodes: &[Node]) -> R<Flow> {
        for node in nodes {
            match node {
                Node::Text(t) => {
                    self.step(0, 1)?;
                    self.emit(0, t)?;
                }
                Node::Ref { r, quiet, raw } => {
                    self.step(r.pos, 1)?;
                    let v = self.reference(r)?;
                    match v {
                        V::Null if *quiet => {}
                        V::Null => self.emit(r.pos, raw)?,
                        V::Str(s) => self.emit(r.pos, &s)?,
                        other => {
                            self.step(r.pos, other.size() as u64 / 16)?;
                            let s = self.text_of(&other, r.pos)?;
                            self.emit(r.pos, &s)?;
                        }
                    }
                }
                Node::Set { target, value } => {
                    self.step(target.pos, 1)?;
                    let v = self.expr(value)?;
                    // Velocity 1.7: a null right-hand side leaves the variable as it was.
                    if !matches!(v, V::Null) {
                        self.assign(target, v)?;
                    }
                }
                Node::If {
                    branches,
                    otherwise,
                } => {
                    let mut taken = None;
                    for (cond, body) in branches {
                        if self.expr(cond)?.truthy() {
                            taken = Some(body);
                            break;
                        }
                    }
                    if let Some(body) = taken.or(otherwise.as_ref()) {
                        match self.render(body)? {
                            Flow::Normal => {}
                            f => return Ok(f),
                        }
                    }
                }
                Node::Foreach {
                    var,
                    iter,
                    body,
                    pos,
                } => {
                    let items: Vec<V> = match self.expr(iter)? {
                        V::List(l) => l.items.clone(),
                        V::Map(m) => m.entries.iter().map(|(_, v)| v.clone()).collect(),
                        _ => Vec::new(),
                    };
                    self.step(*pos, items.len() as u64 / 16)?;
                    let saved_var = self.vars.get(var).cloned();
                    let saved_foreach = self.vars.get("foreach").cloned();
                    let saved_count = self.vars.get("velocityCount").cloned();
                    let n = items.len();
                    let mut flow = Flow::Normal;
                    for (i, item) in items.into_iter().enumerate() {
                        self.step(*pos, 1)?;
                        let mut info = Map::new(false);
                        info.insert("index".into(), V::Int(i as i64));
                        info.insert("count".into(), V::Int(i as i64 + 1));
                        info.insert("hasNext".into(), V::Bool(i + 1 < n));
                        info.insert("first".into(), V::Bool(i == 0));
                        info.insert("last".into(), V::Bool(i + 1 == n));
                        self.vars.insert("foreach".into(), V::Map(Rc::new(info)));
                        self.vars
                            .insert("velocityCount".into(), V::Int(i as i64 + 1));
                        self.vars.insert(var.clone(), item);
                        match self.render(body)? {
                            Flow::Normal => {}
                            Flow::Break => break,
                            Flow::Stop => {
                                flow = Flow::Stop;
                                break;
                            }
                        }
                    }
                    restore(&mut self.vars, var, saved_var);
                    restore(&mut self.vars, "foreach", saved_foreach);
                    restore(&mut self.vars, "velocityCount", saved_count);
                    if let Flow::Stop = flow {
                        return Ok(Flow::Stop);
                    }
                }
                Node::Break => return Ok(Flow::Break),
                Node::Stop => return Ok(Flow::Stop),
            }
        }
        Ok(Flow::Normal)
    }

    fn assign(&mut self, target: &Ref, v: V) -> R<()> {
        if v.depth() >= MAX_VALUE_DEPTH {
            return Err(self.err(Kind::Limit, target.pos, "value nested too deeply"));
        }
        if target.chain.is_empty() {
            self.vars.insert(target.root.clone(), v);
            return Ok(());
        }
        let keys = self.path_keys(&target.chain)?;
        // As in Velocity, assigning into something that is not there does nothing.
        if let Some(slot) = self
            .vars
            .get_mut(&target.root)
            .and_then(|root| navigate(root, &keys[..keys.len() - 1]))
        {
            let _ = put(slot, keys.last().expect("non-empty"), v);
        }
        Ok(())
    }

    fn path_keys(&mut self, chain: &[Access]) -> R<Vec<PathKey>> {
        let mut keys = Vec::with_capacity(chain.len());
        for a in chain {
            keys.push(match a {
                Access::Prop(name, _) => PathKey::Key(name.clone()),
                Access::Index(e, pos) => match self.expr(e)? {
                    V::Int(i) => PathKey::Idx(i),
                    other => PathKey::Key(self.text_of(&other, *pos)?),
                },
                Access::Call(..) => unreachable!("checked by the caller"),
            });
        }
        Ok(keys)
    }

    fn reference(&mut self, r: &Ref) -> R<V> {
        // A mutating call on a variable path changes the variable itself.
        if let Some(k) = r.chain.iter().position(|a| matches!(a, Access::Call(..)))
            && let Access::Call(name, args, pos) = &r.chain[k]
            && MUTATORS.contains(&name.as_str())
            && self.vars.contains_key(&r.root)
        {
            let keys = self.path_keys(&r.chain[..k])?;
            let mut argv = Vec::with_capacity(args.len());
            for a in args {
                argv.push(self.expr(a)?);
            }
            self.step(*pos, 1)?;
            let root = self.vars.get_mut(&r.root).expect("checked");
            let result = match navigate(root, &keys) {
                Some(target) => mutate(target, name, argv, self.limits.max_output)
                    .map_err(|(k, m)| make(k, line_col(self.src, *pos), m))?,
                None => V::Null,
            };
            return self.accesses(result, &r.chain[k + 1..]);
        }
        let root = self.vars.get(&r.root).cloned().unwrap_or(V::Null);
        self.accesses(root, &r.chain)
    }

    fn accesses(&mut self, mut cur: V, chain: &[Access]) -> R<V> {
        for a in chain {
            if matches!(cur, V::Null) {
                return Ok(V::Null);
            }
            cur = match a {
                Access::Prop(name, pos) => {
                    self.step(*pos, 1)?;
                    self.property(cur, name, *pos)?
                }
                Access::Index(e, pos) => {
                    let idx = self.expr(e)?;
                    self.step(*pos, 1)?;
                    index(&cur, &idx, self.limits.max_output)
                }
                Access::Call(name, args, pos) => {
                    let mut argv = Vec::with_capacity(args.len());
                    for a in args {
                        argv.push(self.expr(a)?);
                    }
                    self.step(*pos, 1 + (cur.size() as u64) / 64)?;
                    self.call(cur, name, argv, *pos)?
                }
            };
        }
        Ok(cur)
    }

    fn property(&mut self, cur: V, name: &str, pos: usize) -> R<V> {
        Ok(match (&cur, name) {
            (V::Input, "body") => V::str(self.req.body.as_str()),
            (V::Input, _) | (V::Util, _) => V::Null,
            (V::Map(m), _) => m.get(name).cloned().unwrap_or(V::Null),
            (V::Str(s), "empty") => V::Bool(s.is_empty()),
            (V::List(l), "empty") => V::Bool(l.items.is_empty()),
            (V::Str(_) | V::List(_), "size" | "length") => {
                return self.call(cur, name, Vec::new(), pos);
            }
            _ => V::Null,
        })
    }

    fn body_json(&mut self) -> Option<&serde_json::Value> {
        if self.body_json.is_none() {
            let body = self.req.body.trim();
            let parsed = if body.is_empty() {
                Some(serde_json::Value::Object(serde_json::Map::new()))
            } else {
                serde_json::from_str(body).ok()
            };
            self.body_json = Some(parsed);
        }
        self.body_json.as_ref().and_then(Option::as_ref)
    }

    fn params_map(&self) -> V {
        let mut all = Map::new(false);
        let mut path = Map::new(false);
        for (k, v) in &self.req.path_params {
            path.insert(k.clone(), V::str(v.as_str()));
        }
        let mut query = Map::new(false);
        for (k, vs) in &self.req.query {
            if let Some(last) = vs.last() {
                query.insert(k.clone(), V::str(last.as_str()));
            }
        }
        let mut header = Map::new(true);
        for (k, vs) in &self.req.headers {
            if let Some(last) = vs.last() {
                header.insert(k.clone(), V::str(last.as_str()));
            }
        }
        all.insert("path".into(), V::Map(Rc::new(path)));
        all.insert("querystring".into(), V::Map(Rc::new(query)));
        all.insert("header".into(), V::Map(Rc::new(header)));
        V::Map(Rc::new(all))
    }

    fn call(&mut self, cur: V, name: &str, args: Vec<V>, pos: usize) -> R<V> {
        let eval_err = |this: &Self, m: String| this.err(Kind::Eval, pos, m);
        let max = self.limits.max_output;
        let arg_str = |i: usize| -> Option<Rc<str>> {
            match args.get(i)? {
                V::Null => None,
                V::Str(s) => Some(s.clone()),
                other => Some(other.text(max).into()),
            }
        };
        match cur {
            V::Input => match (name, args.len()) {
                ("params", 0) => {
                    if self.params.is_none() {
                        let r = self.req;
                        let n = r.path_params.len() + r.query.len() + r.headers.len();
                        self.step(pos, n as u64 / 16)?;
                        self.params = Some(self.params_map());
                    }
                    Ok(self.params.clone().expect("just set"))
                }
                ("params", 1) => {
                    let Some(n) = arg_str(0) else {
                        return Ok(V::str(""));
                    };
                    let r = self.req;
                    let found = r
                        .path_params
                        .get(&*n)
                        .cloned()
                        .or_else(|| r.query.get(&*n).and_then(|v| v.last().cloned()))
                        .or_else(|| {
                            r.headers
                                .iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(&n))
                                .and_then(|(_, v)| v.last().cloned())
                        });
                    Ok(V::str(found.unwrap_or_default()))
                }
                ("json", 1) | ("path", 1) => {
                    let p = arg_str(0).unwrap_or_else(|| "$".into());
                    self.step(pos, self.req.body.len() as u64 / 64)?;
                    let is_json = name == "json";
                    let body = self.req.body.clone();
                    let src = self.src;
                    let Some(doc) = self.body_json() else {
                        // Not JSON: the whole body, as a string.
                        return Ok(if p.trim() == "$" {
                            if is_json {
                                V::str(serde_json::Value::String(body).to_string())
                            } else {
                                V::str(body)
                            }
                        } else if is_json {
                            V::str("null")
                        } else {
                            V::Null
                        });
                    };
                    let found = util::json_path(doc, &p)
                        .map_err(|m| make(Kind::Eval, line_col(src, pos), m))?;
                    Ok(match (found, is_json) {
                        (Some(v), true) => V::str(v.to_string()),
                        (None, true) => V::str("null"),
                        (Some(v), false) => V::from_json(v),
                        (None, false) => V::Null,
                    })
                }
                _ => Ok(V::Null),
            },
            V::Util => {
                let Some(s) = arg_str(0) else {
                    return Ok(V::Null);
                };
                self.step(pos, s.len() as u64 / 64)?;
                let out = match name {
                    "escapeJavaScript" => util::escape_javascript(&s),
                    "urlEncode" => util::url_encode(&s),
                    "urlDecode" => util::url_decode(&s).map_err(|m| eval_err(self, m))?,
                    "base64Encode" => util::base64_encode(&s),
                    "base64Decode" => util::base64_decode(&s).map_err(|m| eval_err(self, m))?,
                    "parseJson" => {
                        let v: serde_json::Value = serde_json::from_str(&s).map_err(|e| {
                            eval_err(self, format!("$util.parseJson: not JSON: {e}"))
                        })?;
                        return Ok(V::from_json(&v));
                    }
                    "toJson" => {
                        return Ok(V::str(
                            serde_json::to_string(&s.to_string()).unwrap_or_default(),
                        ));
                    }
                    _ => return Ok(V::Null),
                };
                self.check_len(pos, out.len())?;
                Ok(V::str(out))
            }
            V::Str(s) => self.string_method(&s, name, &args, pos),
            V::List(l) => Ok(match (name, args.as_slice()) {
                ("size", []) => V::Int(l.items.len() as i64),
                ("isEmpty", []) => V::Bool(l.items.is_empty()),
                ("get", [V::Int(i)]) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| l.items.get(i))
                    .cloned()
                    .unwrap_or(V::Null),
                ("contains" | "indexOf", [x]) => {
                    let mut found = -1;
                    for (i, v) in l.items.iter().enumerate() {
                        if self.eq(v, x, pos)? {
                            found = i as i64;
                            break;
                        }
                    }
                    if name == "contains" {
                        V::Bool(found >= 0)
                    } else {
                        V::Int(found)
                    }
                }
                ("toString", []) => V::str(self.text_of(&V::List(l), pos)?),
                _ => {
                    if MUTATORS.contains(&name) {
                        let mut tmp = V::List(l);
                        return mutate(&mut tmp, name, args, max)
                            .map_err(|(k, m)| make(k, line_col(self.src, pos), m));
                    }
                    V::Null
                }
            }),
            V::Map(m) => Ok(match (name, args.as_slice()) {
                ("get", [k]) => m.get(&k.text(max)).cloned().unwrap_or(V::Null),
                ("containsKey", [k]) => V::Bool(m.get(&k.text(max)).is_some()),
                ("size", []) => V::Int(m.entries.len() as i64),
                ("isEmpty", []) => V::Bool(m.entries.is_empty()),
                ("keySet", []) => {
                    V::list(m.entries.iter().map(|(k, _)| V::str(k.as_str())).collect())
                }
                ("values", []) => V::list(m.entries.iter().map(|(_, v)| v.clone()).collect()),
                ("entrySet", []) => V::list(
                    m.entries
                        .iter()
                        .map(|(k, v)| {
                            let mut e = Map::new(false);
                            e.insert("key".into(), V::str(k.as_str()));
                            e.insert("value".into(), v.clone());
                            V::Map(Rc::new(e))
                        })
                        .collect(),
                ),
                ("toString", []) => V::str(self.text_of(&V::Map(m), pos)?),
                _ => {
                    if MUTATORS.contains(&name) {
                        let mut tmp = V::Map(m);
                        return mutate(&mut tmp, name, args, max)
                            .map_err(|(k, m)| make(k, line_col(self.src, pos), m));
                    }
                    V::Null
                }
            }),
            V::Int(_) | V::Float(_) | V::Bool(_) => Ok(match name {
                "toString" => V::str(cur.text(max)),
                "intValue" | "longValue" => match cur {
                    V::Float(f) => V::Int(f as i64),
                    other => other,
                },
                "doubleValue" | "floatValue" => cur.num().map_or(V::Null, V::Float),
                _ => V::Null,
            }),
            V::Null => Ok(V::Null),
        }
    }

    fn string_method(&mut self, s: &str, name: &str, args: &[V], pos: usize) -> R<V> {
        let max = self.limits.max_output;
        let text = |i: usize| -> Option<String> { args.get(i).map(|v| v.text(max)) };
        let int = |i: usize| -> Option<i64> {
            match args.get(i)? {
                V::Int(n) => Some(*n),
                _ => None,
            }
        };
        let chars_len = || s.chars().count();
        let sub = |from: usize, to: usize| -> String {
            s.chars().skip(from).take(to.saturating_sub(from)).collect()
        };
        let out = match (name, args.len()) {
            ("length" | "size", 0) => V::Int(chars_len() as i64),
            ("isEmpty", 0) => V::Bool(s.is_empty()),
            ("toString", 0) => V::str(s),
            ("trim", 0) => V::str(s.trim()),
            ("toLowerCase", 0) => V::str(s.to_lowercase()),
            ("toUpperCase", 0) => V::str(s.to_uppercase()),
            ("contains", 1) => V::Bool(s.contains(text(0).unwrap_or_default().as_str())),
            ("startsWith", 1) => V::Bool(s.starts_with(text(0).unwrap_or_default().as_str())),
            ("endsWith", 1) => V::Bool(s.ends_with(text(0).unwrap_or_default().as_str())),
            ("equals", 1) => V::Bool(matches!(&args[0], V::Str(o) if &**o == s)),
            ("equalsIgnoreCase", 1) => {
                V::Bool(text(0).is_some_and(|o| o.to_lowercase() == s.to_lowercase()))
            }
            ("indexOf", 1) => V::Int(
                s.find(text(0).unwrap_or_default().as_str())
                    .map_or(-1, |b| s[..b].chars().count() as i64),
            ),
            ("lastIndexOf", 1) => V::Int(
                s.rfind(text(0).unwrap_or_default().as_str())
                    .map_or(-1, |b| s[..b].chars().count() as i64),
            ),
            ("charAt", 1) => match int(0).and_then(|i| usize::try_from(i).ok()) {
                Some(i) => s.chars().nth(i).map_or(V::Null, |c| V::str(c.to_string())),
                None => V::Null,
            },
            ("substring", 1 | 2) => {
                let n = chars_len();
                let from = int(0).and_then(|i| usize::try_from(i).ok());
                let to = if args.len() == 2 {
                    int(1).and_then(|i| usize::try_from(i).ok())
                } else {
                    Some(n)
                };
                match (from, to) {
                    (Some(f), Some(t)) if f <= t && t <= n => V::str(sub(f, t)),
                    _ => {
                        return Err(self.err(
                            Kind::Eval,
                            pos,
                            format!("substring out of range for a string of {n} characters"),
                        ));
                    }
                }
            }
            ("concat", 1) => {
                let o = text(0).unwrap_or_default();
                self.check_len(pos, s.len() + o.len())?;
                V::str(format!("{s}{o}"))
            }
            ("replace", 2) => {
                let (from, to) = (text(0).unwrap_or_default(), text(1).unwrap_or_default());
                self.bounded_replace(s, &from, &to, pos)?
            }
            ("replaceAll" | "replaceFirst" | "matches" | "split", _) => {
                let pattern = text(0).unwrap_or_default();
                self.step(pos, pattern.len() as u64 / 16)?;
                let wrapped;
                let pat = if name == "matches" {
                    wrapped = format!("^(?:{pattern})$");
                    &wrapped
                } else {
                    &pattern
                };
                let re = regex_lite::RegexBuilder::new(pat)
                    .size_limit(1 << 20)
                    .nest_limit(64)
                    .build()
                    .map_err(|e| {
                        self.err(
                            Kind::Eval,
                            pos,
                            format!("bad regular expression `{pattern}`: {e}"),
                        )
                    })?;
                match name {
                    "matches" => V::Bool(re.is_match(s)),
                    "split" => {
                        let mut parts: Vec<V> = re.split(s).map(V::str).collect();
                        // Java drops trailing empty strings.
                        while matches!(parts.last(), Some(V::Str(p)) if p.is_empty()) {
                            parts.pop();
                        }
                        V::list(parts)
                    }
                    _ => {
                        let rep = text(1).unwrap_or_default();
                        let mut out = String::new();
                        let mut last = 0;
                        for caps in re.captures_iter(s) {
                            let m = caps.get(0).expect("group 0");
                            self.step(pos, 1)?;
                            out.push_str(&s[last..m.start()]);
                            java_replacement(&rep, &caps, &mut out);
                            last = m.end();
                            self.check_len(pos, out.len())?;
                            if name == "replaceFirst" {
                                break;
                            }
                        }
                        out.push_str(&s[last..]);
                        self.check_len(pos, out.len())?;
                        V::str(out)
                    }
                }
            }
            _ => V::Null,
        };
        Ok(out)
    }

    fn bounded_replace(&mut self, s: &str, from: &str, to: &str, pos: usize) -> R<V> {
        if from.is_empty() {
            // Java inserts `to` between every character.
            let n = s.chars().count() + 1;
            self.check_len(pos, s.len().saturating_add(n.saturating_mul(to.len())))?;
        } else {
            let n = s.matches(from).count();
            self.check_len(
                pos,
                s.len()
                    .saturating_add(n.saturating_mul(to.len()))
                    .saturating_sub(n * from.len()),
            )?;
        }
        self.step(pos, s.len() as u64 / 64)?;
        Ok(V::str(s.replace(from, to)))
    }

    pub(crate) fn expr(&mut self, e: &Expr) -> R<V> {
        Ok(match e {
            Expr::Null => V::Null,
            Expr::Bool(b) => V::Bool(*b),
            Expr::Int(i) => V::Int(*i),
            Expr::Float(f) => V::Float(*f),
            Expr::Str(s) => V::str(s.as_str()),
            Expr::Interp(nodes) => {
                let saved = std::mem::take(&mut self.out);
                let r = self.render(nodes);
                let s = std::mem::replace(&mut self.out, saved);
                r?;
                V::str(s)
            }
            Expr::Ref(r) => {
                self.step(r.pos, 1)?;
                self.reference(r)?
            }
            Expr::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.expr(i)?);
                }
                let v = V::list(out);
                if v.depth() >= MAX_VALUE_DEPTH {
                    return Err(self.err(Kind::Limit, 0, "list nested too deeply"));
                }
                v
            }
            Expr::Map(entries) => {
                let mut m = Map::new(false);
                m.depth = 1;
                for (k, v) in entries {
                    let k = self.expr(k)?;
                    let k = self.text_of(&k, 0)?;
                    let v = self.expr(v)?;
                    m.insert(k, v);
                }
                if m.depth >= MAX_VALUE_DEPTH {
                    return Err(self.err(Kind::Limit, 0, "map nested too deeply"));
                }
                V::Map(Rc::new(m))
            }
            Expr::Range(a, b, pos) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                let (V::Int(a), V::Int(b)) = (a, b) else {
                    return Err(self.err(Kind::Eval, *pos, "a range needs two integers: `[1..5]`"));
                };
                let len = a.abs_diff(b).saturating_add(1);
                self.step(*pos, len)?;
                let items: Vec<V> = if a <= b {
                    (a..=b).map(V::Int).collect()
                } else {
                    (b..=a).rev().map(V::Int).collect()
                };
                V::list(items)
            }
            Expr::Not(e) => V::Bool(!self.expr(e)?.truthy()),
            Expr::Neg(e, pos) => match self.expr(e)? {
                V::Int(i) => V::Int(
                    i.checked_neg()
                        .ok_or_else(|| self.err(Kind::Eval, *pos, "integer overflow"))?,
                ),
                V::Float(f) => V::Float(-f),
                _ => V::Null,
            },
            Expr::Bin(op, a, b, pos) => {
                self.step(*pos, 1)?;
                match op {
                    BinOp::And => V::Bool(self.expr(a)?.truthy() && self.expr(b)?.truthy()),
                    BinOp::Or => V::Bool(self.expr(a)?.truthy() || self.expr(b)?.truthy()),
                    _ => {
                        let (x, y) = (self.expr(a)?, self.expr(b)?);
                        self.binary(*op, x, y, *pos)?
                    }
                }
            }
        })
    }

    fn binary(&mut self, op: BinOp, x: V, y: V, pos: usize) -> R<V> {
        let overflow = |this: &Self| this.err(Kind::Eval, pos, "integer overflow");
        Ok(match op {
            BinOp::Eq => V::Bool(self.eq(&x, &y, pos)?),
            BinOp::Ne => V::Bool(!self.eq(&x, &y, pos)?),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ord = match (&x, &y) {
                    (V::Int(a), V::Int(b)) => Some(a.cmp(b)),
                    (V::Str(a), V::Str(b)) => Some(a.cmp(b)),
                    _ => x.num().zip(y.num()).and_then(|(a, b)| a.partial_cmp(&b)),
                };
                let Some(ord) = ord else {
                    return Ok(V::Bool(false));
                };
                V::Bool(match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                })
            }
            BinOp::Add if matches!(x, V::Str(_)) || matches!(y, V::Str(_)) => {
                let max = self.limits.max_output;
                let (a, b) = (x.text(max), y.text(max));
                self.check_len(pos, a.len() + b.len())?;
                V::str(a + &b)
            }
            _ => match (&x, &y) {
                (V::Int(a), V::Int(b)) => {
                    let r = match op {
                        BinOp::Add => a.checked_add(*b),
                        BinOp::Sub => a.checked_sub(*b),
                        BinOp::Mul => a.checked_mul(*b),
                        BinOp::Div if *b == 0 => return Ok(V::Null),
                        BinOp::Div => a.checked_div(*b),
                        BinOp::Rem if *b == 0 => return Ok(V::Null),
                        _ => a.checked_rem(*b),
                    };
                    V::Int(r.ok_or_else(|| overflow(self))?)
                }
                _ => match (x.num(), y.num()) {
                    (Some(a), Some(b)) => V::Float(match op {
                        BinOp::Add => a + b,
                        BinOp::Sub => a - b,
                        BinOp::Mul => a * b,
                        BinOp::Div if b == 0.0 => return Ok(V::Null),
                        BinOp::Div => a / b,
                        _ => a % b,
                    }),
                    _ => V::Null,
                },
            },
        })
    }
}

const MUTATORS: &[&str] = &["add", "put", "remove", "addAll", "putAll", "clear", "set"];

fn restore(vars: &mut HashMap<String, V>, name: &str, saved: Option<V>) {
    match saved {
        Some(v) => {
            vars.insert(name.to_string(), v);
        }
        None => {
            vars.remove(name);
        }
    }
}

fn insert_dotted(map: &mut Map, key: &str, v: V) {
    match key.split_once('.') {
        Some((head, rest)) if !head.is_empty() && !rest.is_empty() => {
            let mut child = match map.get(head) {
                Some(V::Map(m)) => (**m).clone(),
                _ => Map::new(false),
            };
            insert_dotted(&mut child, rest, v);
            map.insert(head.to_string(), V::Map(Rc::new(child)));
        }
        _ => {
            map.insert(key.to_string(), v);
        }
    }
}

fn navigate<'v>(mut cur: &'v mut V, keys: &[PathKey]) -> Option<&'v mut V> {
    for k in keys {
        cur = match (cur, k) {
            (V::Map(m), PathKey::Key(k)) => {
                let m = Rc::make_mut(m);
                let n = m.norm(k).into_owned();
                let i = *m.index.get(&n)?;
                &mut m.entries[i].1
            }
            (V::Map(m), PathKey::Idx(i)) => {
                let m = Rc::make_mut(m);
                let n = m.norm(&i.to_string()).into_owned();
                let i = *m.index.get(&n)?;
                &mut m.entries[i].1
            }
            (V::List(l), PathKey::Idx(i)) => {
                let l = Rc::make_mut(l);
                l.items.get_mut(usize::try_from(*i).ok()?)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

fn put(slot: &mut V, key: &PathKey, v: V) -> Option<()> {
    match (slot, key) {
        (V::Map(m), PathKey::Key(k)) => {
            Rc::make_mut(m).insert(k.clone(), v);
        }
        (V::Map(m), PathKey::Idx(i)) => {
            Rc::make_mut(m).insert(i.to_string(), v);
        }
        (V::List(l), PathKey::Idx(i)) => {
            let l = Rc::make_mut(l);
            l.depth = l.depth.max(v.depth() + 1);
            *l.items.get_mut(usize::try_from(*i).ok()?)? = v;
        }
        _ => return None,
    }
    Some(())
}

/// Java collection mutators; returns what Java returns.
fn mutate(target: &mut V, name: &str, args: Vec<V>, max: usize) -> Result<V, (Kind, String)> {
    let too_deep = |d: u32| d >= MAX_VALUE_DEPTH;
    match target {
        V::List(l) => {
            let l = Rc::make_mut(l);
            match (name, args.as_slice()) {
                ("add", [x]) => {
                    if too_deep(x.depth() + 1) {
                        return Err((Kind::Limit, "value nested too deeply".into()));
                    }
                    l.depth = l.depth.max(x.depth() + 1);
                    l.items.push(x.clone());
                    Ok(V::Bool(true))
                }
                ("addAll", [V::List(o)]) => {
                    l.depth = l.depth.max(o.depth);
                    l.items.extend(o.items.iter().cloned());
                    Ok(V::Bool(true))
                }
                ("remove", [V::Int(i)]) => match usize::try_from(*i) {
                    Ok(i) if i < l.items.len() => Ok(l.items.remove(i)),
                    _ => Ok(V::Null),
                },
                ("set", [V::Int(i), x]) => match usize::try_from(*i) {
                    Ok(i) if i < l.items.len() => {
                        if too_deep(x.depth() + 1) {
                            return Err((Kind::Limit, "value nested too deeply".into()));
                        }
                        l.depth = l.depth.max(x.depth() + 1);
                        Ok(std::mem::replace(&mut l.items[i], x.clone()))
                    }
                    _ => Ok(V::Null),
                },
                ("clear", []) => {
                    l.items.clear();
                    Ok(V::Null)
                }
                _ => Ok(V::Null),
            }
        }
        V::Map(m) => {
            let m = Rc::make_mut(m);
            match (name, args.as_slice()) {
                ("put", [k, v]) => {
                    if too_deep(v.depth() + 1) {
                        return Err((Kind::Limit, "value nested too deeply".into()));
                    }
                    Ok(m.insert(k.text(max), v.clone()).unwrap_or(V::Null))
                }
                ("putAll", [V::Map(o)]) => {
                    for (k, v) in &o.entries {
                        m.insert(k.clone(), v.clone());
                    }
                    Ok(V::Null)
                }
                ("remove", [k]) => Ok(m.remove(&k.text(max)).unwrap_or(V::Null)),
                ("clear", []) => {
                    let ci = m.ci;
                    *m = Map::new(ci);
                    Ok(V::Null)
                }
                _ => Ok(V::Null),
            }
        }
        _ => Ok(V::Null),
    }
}

fn index(cur: &V, idx: &V, max: usize) -> V {
    match (cur, idx) {
        (V::List(l), V::Int(i)) => {
            let i = if *i < 0 { l.items.len() as i64 + i } else { *i };
            usize::try_from(i)
                .ok()
                .and_then(|i| l.items.get(i))
                .cloned()
                .unwrap_or(V::Null)
        }
        (V::Map(m), k) => m.get(&k.text(max)).cloned().unwrap_or(V::Null),
        _ => V::Null,
    }
}

/// Velocity's `==`: numbers by value, strings, booleans and collections by value (lists in
/// order, maps by key), other mixes by `toString()`. `None` when `budget` (nodes to visit) runs
/// out.
fn equals(x: &V, y: &V, budget: &mut u64) -> Option<bool> {
    *budget = budget.checked_sub(1)?;
    Some(match (x, y) {
        (V::Null, V::Null) => true,
        (V::Null, _) | (_, V::Null) => false,
        (V::Int(a), V::Int(b)) => a == b,
        (V::Str(a), V::Str(b)) => a == b,
        (V::Bool(a), V::Bool(b)) => a == b,
        (V::List(a), V::List(b)) => {
            if Rc::ptr_eq(a, b) {
                return Some(true);
            }
            if a.items.len() != b.items.len() {
                return Some(false);
            }
            for (p, q) in a.items.iter().zip(&b.items) {
                if !equals(p, q, budget)? {
                    return Some(false);
                }
            }
            true
        }
        (V::Map(a), V::Map(b)) => {
            if Rc::ptr_eq(a, b) {
                return Some(true);
            }
            if a.entries.len() != b.entries.len() {
                return Some(false);
            }
            for (k, v) in &a.entries {
                match b.get(k) {
                    Some(w) if equals(v, w, budget)? => {}
                    _ => return Some(false),
                }
            }
            true
        }
        (V::List(_) | V::Map(_), _) | (_, V::List(_) | V::Map(_)) => false,
        _ => match (x.num(), y.num()) {
            (Some(a), Some(b)) => a == b,
            _ => x.text(64) == y.text(64),
        },
    })
}

/// Java's `Matcher.appendReplacement`: `$n` is group n, `\x` is a literal x.
fn java_replacement(rep: &str, caps: &regex_lite::Captures<'_>, out: &mut String) {
    let mut it = rep.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                if let Some(n) = it.next() {
                    out.push(n);
                }
            }
            '$' => {
                let mut n = String::new();
                while let Some(d) = it.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    it.next();
                }
                if let Some(m) = n.parse().ok().and_then(|g: usize| caps.get(g)) {
                    out.push_str(m.as_str());
                }
            }
            c => out.push(c),
        }
    }
}

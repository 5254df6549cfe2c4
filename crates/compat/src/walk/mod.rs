//! One OpenAPI-aware pass over the document that finds what API Gateway cannot import and says
//! how to fix it. Lint reports the findings; transform applies their operations.
//!
//! The walk keeps an explicit stack of `(value, pointer, context)`; [`Walker::visit`] hands each
//! object to the function for its context, which reports what it finds through
//! [`Walker::emit`] and lists the children to visit next, in document order. The contexts live
//! by part of the document:
//!
//! - `document`: the root, `info`, `license`, `components`, security schemes and root `security`;
//! - `paths`: path keys, path items, operations and callbacks;
//! - `parameters`: parameter lists, parameters, headers and the `example(s)` they hold;
//! - `bodies`: request bodies, `content`, media types and encodings;
//! - `responses`: response maps, responses and their schemas;
//! - `schema`: schemas and the positions that hold them;
//! - `lower`: the OpenAPI 3.1 → 3.0 lowering of one schema object.
//!
//! Every finding is made with the builder in `finding` and pushed by [`Walker::emit`], which
//! drops it when its rule is switched off.

mod bodies;
mod document;
mod finding;
mod lower;
mod parameters;
mod paths;
mod responses;
mod schema;

pub(crate) use finding::{Finding, Op};

use crate::options::CompatOptions;
use lambda_sync_spec::{Document, SpecVersion, pointer};
use serde_json::Value;
use std::collections::HashSet;

/// What the object at a place in the document is, as far as API Gateway's rules care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    Root,
    Info,
    License,
    Paths,
    PathItem,
    Operation,
    ParamList,
    Parameter,
    RequestBody,
    Content,
    MediaType,
    Encodings,
    Responses,
    Response,
    Headers,
    Header,
    Schema,
    SchemaMap,
    SchemaList,
    Components,
    ParamMap,
    ResponseMap,
    RequestBodyMap,
    CallbackMap,
    Callback,
    SecuritySchemes,
}

/// Where a place to visit is, relative to the object that lists it: the walk keeps one
/// pointer buffer and appends the segment when it gets there, so no pointer is built for a
/// place unless it is visited (and then without allocating).
enum Seg<'a> {
    /// Member `key` (unescaped).
    Key(&'a str),
    /// Element `i`.
    Index(usize),
    /// Member `key`'s member `inner` (an unescaped key, then a token that needs no escape).
    Keys(&'a str, &'static str),
}

impl Seg<'_> {
    /// Appends the segment's tokens to the pointer `at`.
    fn append_to(&self, at: &mut String) {
        match self {
            Seg::Key(k) => {
                at.push('/');
                at.push_str(&pointer::escape(k));
            }
            Seg::Index(i) => {
                use std::fmt::Write;
                let _ = write!(at, "/{i}");
            }
            Seg::Keys(k, inner) => {
                at.push('/');
                at.push_str(&pointer::escape(k));
                at.push('/');
                at.push_str(inner);
            }
        }
    }

    /// The pointer of the place under the object at `at`.
    fn pointer(&self, at: &str) -> String {
        let mut p = at.to_string();
        self.append_to(&mut p);
        p
    }
}

/// The places still to visit, as an object lists them: value, where, context.
type Children<'a> = Vec<(&'a Value, Seg<'a>, Ctx)>;

/// Lists member `key` (the value `v`) of the object being visited to be visited as `ctx`.
fn child<'a>(out: &mut Children<'a>, v: &'a Value, key: &'a str, ctx: Ctx) {
    out.push((v, Seg::Key(key), ctx));
}

struct Walker<'a> {
    doc: &'a Document,
    opts: &'a CompatOptions,
    /// Path keys whose problems the repairs handle.
    handled: &'a HashSet<String>,
    v2: bool,
    v31: bool,
    lower: bool,
    out: Vec<Finding>,
}

/// Finds everything the per-object rules see, in document order.
pub(crate) fn walk(
    doc: &Document,
    opts: &CompatOptions,
    handled: &HashSet<String>,
) -> Vec<Finding> {
    let version = doc.version();
    let mut w = Walker {
        doc,
        opts,
        handled,
        v2: version.is_v2(),
        v31: version == SpecVersion::OpenApi31,
        lower: version == SpecVersion::OpenApi31 && opts.is_enabled("openapi-31"),
        out: Vec::new(),
    };
    // Depth first, in document order: each entry holds the length of its parent's pointer, a
    // prefix of the buffer whenever the entry is taken (everything visited in between is under
    // that parent).
    let mut stack: Vec<(&Value, usize, Seg<'_>, Ctx)> = Vec::new();
    let mut children: Children<'_> = Vec::new();
    let mut at = String::new();
    w.visit(doc.value(), &at, Ctx::Root, &mut children);
    while let Some((v, seg, ctx)) = children.pop() {
        stack.push((v, 0, seg, ctx));
    }
    while let Some((value, parent, seg, ctx)) = stack.pop() {
        at.truncate(parent);
        seg.append_to(&mut at);
        w.visit(value, &at, ctx, &mut children);
        let len = at.len();
        while let Some((v, seg, ctx)) = children.pop() {
            stack.push((v, len, seg, ctx));
        }
    }
    w.out
}

impl<'a> Walker<'a> {
    fn on(&self, rule: &str) -> bool {
        self.opts.is_enabled(rule)
    }

    /// Keeps a finding when its rule is on. Every finding of the walk goes through here.
    fn emit(&mut self, finding: Finding) {
        if self.on(finding.rule) {
            self.out.push(finding);
        }
    }

    /// Visits one value: reports its findings, lists its children.
    fn visit(&mut self, value: &'a Value, at: &str, ctx: Ctx, out: &mut Children<'a>) {
        match ctx {
            Ctx::SchemaList => return self.schema_list(value, at, out),
            Ctx::ParamList => return self.param_list(value, at, out),
            _ => {}
        }
        let Value::Object(map) = value else {
            return;
        };
        match ctx {
            Ctx::Root => self.root(map, at, out),
            Ctx::Info => self.info(map, at, out),
            Ctx::License => self.license(map, at),
            Ctx::Components => self.components(map, at, out),
            Ctx::SecuritySchemes => self.security_schemes(map, at),
            Ctx::Paths => self.paths(map, at, out),
            Ctx::PathItem => self.path_item(map, at, out),
            Ctx::Operation => self.operation(map, at, out),
            // Maps whose every non-extension entry is of one kind.
            Ctx::CallbackMap => self.entries(map, Ctx::Callback, out),
            Ctx::Callback => self.entries(map, Ctx::PathItem, out),
            Ctx::ParamMap => self.entries(map, Ctx::Parameter, out),
            Ctx::ResponseMap => self.entries(map, Ctx::Response, out),
            Ctx::RequestBodyMap => self.entries(map, Ctx::RequestBody, out),
            Ctx::Content => self.entries(map, Ctx::MediaType, out),
            Ctx::Headers => self.entries(map, Ctx::Header, out),
            Ctx::Parameter => self.parameter(map, at, out),
            Ctx::Header => self.header(map, at, out),
            Ctx::RequestBody => self.request_body(map, out),
            Ctx::MediaType => self.media_type(map, at, out),
            Ctx::Encodings => self.encodings(map, out),
            Ctx::Responses => self.responses(map, at, out),
            Ctx::Response => self.response(map, at, out),
            Ctx::SchemaMap => self.schema_map(map, at, out),
            Ctx::Schema => self.schema(map, at, out),
            Ctx::SchemaList | Ctx::ParamList => {}
        }
    }

    /// Lists every non-extension entry of a map to be visited as `ctx`.
    fn entries(
        &mut self,
        map: &'a serde_json::Map<String, Value>,
        ctx: Ctx,
        out: &mut Children<'a>,
    ) {
        for (k, v) in map {
            if !k.starts_with("x-") {
                child(out, v, k, ctx);
            }
        }
    }
}

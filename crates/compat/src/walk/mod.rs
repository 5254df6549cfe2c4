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

/// The places still to visit: value, JSON Pointer, context.
type Children<'a> = Vec<(&'a Value, String, Ctx)>;

/// Lists member `key` (the value `v`) of the object at `at` to be visited as `ctx`.
fn child<'a>(out: &mut Children<'a>, v: &'a Value, at: &str, key: &str, ctx: Ctx) {
    out.push((v, pointer::push(at, key), ctx));
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
    let mut stack: Children<'_> = vec![(doc.value(), String::new(), Ctx::Root)];
    let mut children: Children<'_> = Vec::new();
    while let Some((value, at, ctx)) = stack.pop() {
        children.clear();
        w.visit(value, &at, ctx, &mut children);
        while let Some(c) = children.pop() {
            stack.push(c);
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
            Ctx::CallbackMap => self.entries(map, at, Ctx::Callback, out),
            Ctx::Callback => self.entries(map, at, Ctx::PathItem, out),
            Ctx::ParamMap => self.entries(map, at, Ctx::Parameter, out),
            Ctx::ResponseMap => self.entries(map, at, Ctx::Response, out),
            Ctx::RequestBodyMap => self.entries(map, at, Ctx::RequestBody, out),
            Ctx::Content => self.entries(map, at, Ctx::MediaType, out),
            Ctx::Headers => self.entries(map, at, Ctx::Header, out),
            Ctx::Parameter => self.parameter(map, at, out),
            Ctx::Header => self.header(map, at, out),
            Ctx::RequestBody => self.request_body(map, at, out),
            Ctx::MediaType => self.media_type(map, at, out),
            Ctx::Encodings => self.encodings(map, at, out),
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
        at: &str,
        ctx: Ctx,
        out: &mut Children<'a>,
    ) {
        for (k, v) in map {
            if !k.starts_with("x-") {
                child(out, v, at, k, ctx);
            }
        }
    }
}

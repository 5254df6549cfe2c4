//! Bodies: request bodies, media types (under `content`) and their encodings.

use super::{Children, Ctx, Seg, Walker, child};
use serde_json::{Map, Value};

impl<'a> Walker<'a> {
    pub(super) fn request_body(&mut self, map: &'a Map<String, Value>, out: &mut Children<'a>) {
        if let Some(v) = map.get("content") {
            child(out, v, "content", Ctx::Content);
        }
    }

    pub(super) fn media_type(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        self.examples(map, at, "a media type");
        for (k, v) in map {
            match k.as_str() {
                "schema" => self.schema_child(v, at, Seg::Key(k), out),
                "encoding" => child(out, v, k, Ctx::Encodings),
                _ => {}
            }
        }
    }

    /// A media type's `encoding`: each entry's `headers`.
    pub(super) fn encodings(&mut self, map: &'a Map<String, Value>, out: &mut Children<'a>) {
        for (k, v) in map {
            if let Some(h) = v.get("headers") {
                out.push((h, Seg::Keys(k, "headers"), Ctx::Headers));
            }
        }
    }
}

//! Finding every `$ref` in a document.

use crate::pointer;
use serde_json::Value;

/// One `$ref` in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefSite {
    /// Pointer to the object that holds the `$ref` key.
    pub pointer: String,
    /// The `$ref` string as written.
    pub target: String,
}

impl RefSite {
    /// Pointer to the `$ref` key itself (`{pointer}/$ref`).
    pub fn ref_pointer(&self) -> String {
        format!("{}/$ref", self.pointer)
    }
}

/// Every `$ref` whose value is a string, in document order, without recursion (a deep document
/// cannot overflow the stack).
///
/// Keys named `$ref` inside `properties` (a property called `$ref`) and inside `example`/`examples`
/// values are not references and are skipped.
pub fn collect_refs(root: &Value) -> Vec<RefSite> {
    collect_refs_at(root, "")
}

/// Like [`collect_refs`], for a sub-tree whose own pointer is `base`.
pub(crate) fn collect_refs_at(root: &Value, base: &str) -> Vec<RefSite> {
    #[derive(Clone, Copy)]
    enum Mode {
        /// An ordinary object: its `$ref` counts, its children are walked.
        Normal,
        /// A `properties` map: its keys are property names, so a `$ref` key is a property.
        Properties,
        /// An OpenAPI `examples` map: each entry may be a `$ref` to an Example Object.
        ExamplesMap,
        /// Only the object's own `$ref` counts (an Example Object).
        RefOnly,
    }
    #[derive(Clone, Copy)]
    enum Token<'a> {
        Root,
        Key(&'a str),
        Index(usize),
    }
    let mut out = Vec::new();
    // Depth-first, in document order, without recursion. Pointers are built only for objects
    // that hold a `$ref`, from the path of tokens down to them.
    let mut path: Vec<Token<'_>> = Vec::new();
    let mut stack: Vec<(&Value, Token<'_>, usize, Mode)> =
        vec![(root, Token::Root, 0, Mode::Normal)];
    while let Some((value, token, depth, mode)) = stack.pop() {
        path.truncate(depth);
        if !matches!(token, Token::Root) {
            path.push(token);
        }
        let depth = path.len();
        match value {
            Value::Object(map) => {
                if matches!(mode, Mode::Normal | Mode::RefOnly)
                    && let Some(Value::String(t)) = map.get("$ref")
                {
                    let mut at = String::from(base);
                    for t in &path {
                        at.push('/');
                        match t {
                            Token::Key(k) => at.push_str(&pointer::escape(k)),
                            Token::Index(i) => at.push_str(&i.to_string()),
                            Token::Root => {}
                        }
                    }
                    out.push(RefSite {
                        pointer: at,
                        target: t.clone(),
                    });
                }
                if matches!(mode, Mode::RefOnly) {
                    continue;
                }
                // Push in reverse so that popping visits children in document order.
                for (k, v) in map.iter().rev() {
                    if !matches!(v, Value::Object(_) | Value::Array(_)) {
                        continue;
                    }
                    let child_mode = match mode {
                        Mode::Properties => Mode::Normal,
                        Mode::ExamplesMap => {
                            if v.get("$ref").is_some_and(Value::is_string) {
                                Mode::RefOnly
                            } else {
                                continue;
                            }
                        }
                        _ => match k.as_str() {
                            // Literal values, not schemas.
                            "example" | "x-examples" | "enum" | "const" => continue,
                            "examples" if v.is_object() => Mode::ExamplesMap,
                            "examples" => continue,
                            "properties" | "patternProperties" if v.is_object() => Mode::Properties,
                            _ => Mode::Normal,
                        },
                    };
                    stack.push((v, Token::Key(k), depth, child_mode));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        stack.push((v, Token::Index(i), depth, Mode::Normal));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_refs_in_order_and_skips_property_names_and_examples() {
        let doc = json!({
            "a": {"$ref": "#/x"},
            "properties_holder": {"properties": {"$ref": {"type": "string"}, "p": {"$ref": "#/y"}}},
            "example": {"$ref": "#/not-a-ref"},
            "b": [{"$ref": "#/z"}],
            "examples": {"one": {"$ref": "#/components/examples/One"}}
        });
        let got: Vec<_> = collect_refs(&doc)
            .into_iter()
            .map(|r| (r.pointer, r.target))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/a".to_string(), "#/x".to_string()),
                ("/properties_holder/properties/p".into(), "#/y".into()),
                ("/b/0".into(), "#/z".into()),
                ("/examples/one".into(), "#/components/examples/One".into()),
            ]
        );
    }
}

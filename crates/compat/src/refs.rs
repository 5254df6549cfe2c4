//! Finding `$ref`s (and discriminator mappings) without recursion, with or without the
//! contents of the wrapper.

use crate::wrap::WRAPPER;
use lambda_sync_spec::pointer;
use serde_json::Value;

/// One reference: the object holding it, the key (`$ref`, or a discriminator mapping key) and
/// the target as written.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub holder: String,
    pub key: String,
    pub target: String,
    pub mapping: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    Properties,
    ExamplesMap,
    RefOnly,
    Discriminator,
    Mapping,
}

/// Every reference under `root` (whose pointer is `base`), in document order.
///
/// With `everything`, extensions (the wrapper included) are searched too, and discriminator
/// mappings are reported; without it, `x-` keys are skipped, so a reference kept under the
/// wrapper does not count (this is what the model graph uses).
pub(crate) fn collect(root: &Value, base: &str, everything: bool) -> Vec<Site> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Value, String, Mode)> = vec![(root, base.to_string(), Mode::Normal)];
    while let Some((value, at, mode)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if mode == Mode::Mapping {
                    for (k, v) in map {
                        if let Value::String(t) = v {
                            out.push(Site {
                                holder: at.clone(),
                                key: k.clone(),
                                target: t.clone(),
                                mapping: true,
                            });
                        }
                    }
                    continue;
                }
                if matches!(mode, Mode::Normal | Mode::RefOnly)
                    && let Some(Value::String(t)) = map.get("$ref")
                {
                    out.push(Site {
                        holder: at.clone(),
                        key: "$ref".to_string(),
                        target: t.clone(),
                        mapping: false,
                    });
                }
                if mode == Mode::RefOnly {
                    continue;
                }
                for (k, v) in map.iter().rev() {
                    if !matches!(v, Value::Object(_) | Value::Array(_)) {
                        continue;
                    }
                    let child = match mode {
                        Mode::Properties => Mode::Normal,
                        Mode::ExamplesMap => {
                            if v.get("$ref").is_some_and(Value::is_string) {
                                Mode::RefOnly
                            } else {
                                continue;
                            }
                        }
                        Mode::Discriminator => {
                            if k == "mapping" && everything {
                                Mode::Mapping
                            } else {
                                continue;
                            }
                        }
                        _ => match k.as_str() {
                            "example" | "x-examples" | "enum" | "const" | "default" => continue,
                            "examples" if v.is_object() => Mode::ExamplesMap,
                            "examples" => continue,
                            "discriminator" => Mode::Discriminator,
                            "properties" | "patternProperties" if v.is_object() => Mode::Properties,
                            // The wrapper's keys are keywords of the object that holds it.
                            WRAPPER if everything => Mode::Normal,
                            _ if k.starts_with("x-") && !everything => continue,
                            _ => Mode::Normal,
                        },
                    };
                    stack.push((v, pointer::push(&at, k), child));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        stack.push((v, format!("{at}/{i}"), Mode::Normal));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

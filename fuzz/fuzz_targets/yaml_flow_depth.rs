//! The linear pre-scan of YAML flow nesting against the parser: it visits each byte at most
//! once, never counts deeper than the parsed document nests (so it never refuses what the
//! parser takes), and what it refuses is refused by `parse_yaml` at the same place.
#![no_main]

use lambda_sync_spec::{MAX_DEPTH, decode, flow_depth, parse_yaml};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    let scan = flow_depth(&text, MAX_DEPTH);
    assert!(scan.steps <= text.len());
    match parse_yaml(&text) {
        Ok(v) => {
            assert!(scan.too_deep_at.is_none());
            assert!(scan.max <= depth(&v), "scan {} > parsed {}", scan.max, depth(&v));
        }
        Err(e) => {
            if let Some(at) = scan.too_deep_at {
                assert_eq!(e.position(), Some(at));
            }
        }
    }
});

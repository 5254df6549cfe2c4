//! Arbitrary text into the JSON and YAML parsers and the format detection.
#![no_main]

use lambda_sync_spec::{Format, decode, parse, parse_json, parse_yaml, to_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    let _ = parse_json(&text);
    let _ = parse_yaml(&text);
    if let Ok((value, format)) = parse(&text) {
        // Whatever parses writes back in both formats and parses again to the same value.
        for fmt in [format, Format::Json, Format::Yaml] {
            let written = to_text(&value, fmt).expect("writes");
            let (again, _) = parse(&written).expect("what was written parses");
            assert_eq!(
                serde_json::to_string(&again).unwrap(),
                serde_json::to_string(&value).unwrap(),
                "{fmt} round trip"
            );
        }
    }
});

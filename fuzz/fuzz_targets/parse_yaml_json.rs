//! Arbitrary text into the JSON and YAML parsers and the format detection.
#![no_main]

use lambda_sync_spec::{Format, decode, parse, parse_json, parse_json_serde, parse_yaml, to_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    // The fast JSON parser reads exactly what serde_json reads, or leaves it to serde_json.
    match (parse_json(&text), parse_json_serde(&text)) {
        (Ok(fast), Ok(serde)) => assert_eq!(
            serde_json::to_string(&fast).unwrap(),
            serde_json::to_string(&serde).unwrap(),
            "the fast JSON parser read another value"
        ),
        (Err(fast), Err(serde)) => assert_eq!(fast.to_string(), serde.to_string()),
        (fast, serde) => panic!("the two JSON routes disagree: {fast:?} / {serde:?}"),
    }
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

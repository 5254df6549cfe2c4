//! Integration tests of the mapping-template evaluator.

use lambda_sync_mapping::{Error, Limits, Request, evaluate, evaluate_with};
use proptest::prelude::*;

mod cases;

#[track_caller]
fn check(template: &str, request: &Request, expected: &str) {
    match evaluate(template, request) {
        Ok(out) => assert_eq!(out, expected, "template: {template}"),
        Err(e) => panic!("template {template:?} failed: {e}"),
    }
}

#[track_caller]
fn check_err(template: &str, request: &Request, expected: &str) {
    match evaluate(template, request) {
        Ok(out) => panic!("template {template:?} should fail, gave {out:?}"),
        Err(e) => assert_eq!(e.to_string(), expected, "template: {template}"),
    }
}

fn req() -> Request {
    Request::new("GET", "/user/{username}")
        .with_path_param("username", "user1")
        .with_query("limit", "10")
        .with_query("tag", "a")
        .with_query("tag", "b")
        .with_header("X-Trace", "t-1")
        .with_body(r#"{"name": "Rex", "tags": ["x", "y"], "owner": {"id": 7}}"#)
        .with_context("requestId", "req-1")
        .with_context("identity.sourceIp", "192.0.2.1")
        .with_stage_variable("env", "dev")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever the template, evaluation returns (an output or an error); it never panics.
    #[test]
    fn never_panics(template in "[ -~\n\u{e9}\u{1F600}]{0,80}") {
        let _ = evaluate(&template, &req());
    }

    /// Templates built from the language's own pieces, recombined: never a panic.
    #[test]
    fn never_panics_on_vtl_fragments(parts in proptest::collection::vec(proptest::sample::select(vec![
        "$", "$!", "${", "}", "#set(", "#if(", "#elseif(", "#else", "#end", "#foreach(", " in ",
        "$x", "$input.params()", "$input.json('$')", "$util.escapeJavaScript(", "'a'", "\"b$x\"",
        ")", "(", "[", "]", "[1..3]", "==", "&&", "!", "=", ",", ".get(", "#*", "*#", "##", "\n",
        "$foreach.hasNext", "#break", "{", ":", "1", "-", ".add(", ".put('k',", "$context.stage",
    ]), 0..24)) {
        let template: String = parts.concat();
        let _ = evaluate(&template, &req());
    }

    /// escapeJavaScript plus the replaceAll technique always yields a JSON string equal to
    /// the input.
    #[test]
    fn escaped_strings_round_trip(value in any::<String>()) {
        let t = r#""$util.escapeJavaScript($input.params('v')).replaceAll("\\'","'")""#;
        let out = evaluate(t, &Request::new("GET", "/").with_query("v", value.clone())).unwrap();
        let back: String = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(back, value);
    }
}

#[test]
fn hostile_loops_stop() {
    let r = req();
    for t in [
        "#foreach($i in [1..100000000])#foreach($j in [1..100000000])x#end#end",
        "#set($s = 'xxxxxxxxxxxxxxxx')#foreach($i in [1..64])#set($s = \"$s$s\")#end$s",
        "#set($l = [])#foreach($i in [1..1000])#set($d = $l.add($l))#end",
        "#foreach($i in [1..200000])#foreach($j in [1..200000])#end#end",
        "#set($s = 'ab')#foreach($i in [1..40])#set($s = $s.replace('a', 'aaaa'))#end",
        // Shared structure: 30 doublings render to 2^30 elements.
        "#set($l = [1])#foreach($i in [1..30])#set($l = [$l, $l])#end$l",
        "#set($l = [1])#foreach($i in [1..30])#set($l = [$l, $l])#end#set($m = {$l: 1})",
        "#set($a = [1])#set($b = [1])#foreach($i in [1..40])#set($a = [$a, $a])#set($b = [$b, $b])#end#if($a == $b)eq#end",
        "#set($a = [1])#set($b = [1])#foreach($i in [1..40])#set($a = [$a, $a])#set($b = [$b, $b])#end#set($c = [$a])$c.contains($b)",
        "#foreach($i in [1..100000])$input.params()#end",
    ] {
        match evaluate_with(
            t,
            &r,
            Limits {
                max_steps: 200_000,
                max_output: 1 << 20,
            },
        ) {
            Err(Error::Limit { .. }) => {}
            other => panic!("{t}: expected a limit error, got {other:?}"),
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = "#if(true)".repeat(500) + &"#end".repeat(500);
    assert!(matches!(evaluate(&deep, &req()), Err(Error::Limit { .. })));
    let parens = "#set($a = ".to_string() + &"(".repeat(10_000) + "1" + &")".repeat(10_000) + ")";
    assert!(evaluate(&parens, &req()).is_err());
    let lists = "#set($a = 1)#foreach($i in [1..1000])#set($a = [$a])#end".to_string();
    assert!(matches!(evaluate(&lists, &req()), Err(Error::Limit { .. })));
}

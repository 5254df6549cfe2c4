//! Function errors, timeouts and crashes answer as API Gateway does, with the log.

use std::time::Duration;

use lambda_sync_aws::FakeAws;
use lambda_sync_local::{HttpRequest, LocalApi};
use serde_json::{Value, json};

use crate::support::*;

fn source(lang: Lang, behaviour: &str) -> String {
    match (lang, behaviour) {
        (Lang::Node, "notFound") => "exports.handler = async (e) => { console.log('looking for', e.id); throw new Error(`[404] no pet ${e.id} \"here\"`); };".into(),
        (Lang::Python, "notFound") => "def lambda_handler(e, c):\n    print('looking for', e['id'])\n    raise Exception('[404] no pet %s \"here\"' % e['id'])\n".into(),
        (Lang::Node, "multiline") => "exports.handler = async () => { throw new Error('[404] first\\nsecond'); };".into(),
        (Lang::Python, "multiline") => "def lambda_handler(e, c):\n    raise ValueError('[404] first\\nsecond')\n".into(),
        (Lang::Node, "unmapped") => "exports.handler = async () => { throw new TypeError('boom'); };".into(),
        (Lang::Python, "unmapped") => "def lambda_handler(e, c):\n    raise KeyError('boom')\n".into(),
        (Lang::Node, "sleep") => "exports.handler = async () => { console.log('going to sleep'); await new Promise(r => setTimeout(r, 30000)); return 1; };".into(),
        (Lang::Python, "sleep") => "import time\ndef lambda_handler(e, c):\n    print('going to sleep')\n    time.sleep(30)\n".into(),
        (Lang::Node, "crash") => "exports.handler = async () => { console.error('about to exit'); process.exit(3); };".into(),
        (Lang::Python, "crash") => "import os, sys\ndef lambda_handler(e, c):\n    print('about to exit', file=sys.stderr)\n    os._exit(3)\n".into(),
        (Lang::Node, "logs") => "exports.handler = async (e, ctx) => { console.log('out line'); console.error('err line'); return {ok: true, left: ctx.getRemainingTimeInMillis() > 0, id: ctx.awsRequestId.length, fn: ctx.functionName}; };".into(),
        (Lang::Python, "logs") => "import sys\ndef lambda_handler(e, c):\n    print('out line')\n    print('err line', file=sys.stderr)\n    return {'ok': True, 'left': c.get_remaining_time_in_millis() > 0, 'id': len(c.aws_request_id), 'fn': c.function_name}\n".into(),
        (Lang::Node, "callback") => "exports.handler = function (e, ctx, callback) { setTimeout(() => callback(null, {via: 'callback'}), 10); };".into(),
        (Lang::Python, "callback") => "def lambda_handler(e, c):\n    return {'via': 'callback'}\n".into(),
        (Lang::Node, "string") => "exports.handler = async () => 'plain \"text\"';".into(),
        (Lang::Python, "string") => "def lambda_handler(e, c):\n    return 'plain \"text\"'\n".into(),
        _ => unreachable!(),
    }
}

const BEHAVIOURS: [&str; 8] = [
    "notFound",
    "multiline",
    "unmapped",
    "sleep",
    "crash",
    "logs",
    "callback",
    "string",
];

async fn api(lang: Lang) -> (LocalApi, tempfile::TempDir) {
    let aws = FakeAws::default();
    let mut paths = serde_json::Map::new();
    let fields = vec![("id".to_string(), "path", "id".to_string())];
    for b in BEHAVIOURS {
        paths.insert(
            format!("/{b}/{{id}}"),
            json!({"get": {"operationId": b, "responses": {"200": {"description": "ok"}, "404": {"description": "nf"}},
                "x-amazon-apigateway-integration": aws_integration(b, &fields, 200, &[404])}}),
        );
        create(&aws, b, lang, &source(lang, b)).await;
    }
    let spec =
        json!({"swagger": "2.0", "info": {"title": "errors", "version": "1"}, "paths": paths});
    let api_id = import(&aws, &spec).await;
    local(&aws, &api_id).await
}

async fn errors(lang: Lang) {
    let (api, cache) = api(lang).await;
    let get = |path: &str| api.invoke(HttpRequest::new("GET", path));

    let r = get("/notFound/7").await.unwrap();
    assert_eq!(r.status, 404, "{}", r.body_text());
    assert_eq!(json_body(&r), json!({"message": "no pet 7 \"here\""}));
    assert!(r.logs.contains("looking for 7"), "{}", r.logs);
    assert_eq!(r.function.as_deref(), Some("notFound"));

    // The generated pattern spans line breaks with [\s\S]*.
    let r = get("/multiline/1").await.unwrap();
    assert_eq!(r.status, 404, "{}", r.body_text());
    assert_eq!(json_body(&r), json!({"message": "first\nsecond"}));

    // Without a matching pattern: the default response, 200, with Lambda's error JSON.
    let r = get("/unmapped/1").await.unwrap();
    assert_eq!(r.status, 200);
    let body = json_body(&r);
    let (message, kind) = match lang {
        Lang::Node => ("boom", "TypeError"),
        Lang::Python => ("'boom'", "KeyError"),
    };
    assert_eq!(body["errorMessage"], message, "{body}");
    assert_eq!(body["errorType"], kind, "{body}");

    // A short timeout for the sleeper (a separate LocalApi over the same account).
    let short = LocalApi::new(
        api.account().clone(),
        api.api_id(),
        api.options()
            .clone()
            .with_timeout(Duration::from_millis(1500)),
    )
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let r = short
        .invoke(HttpRequest::new("GET", "/sleep/1"))
        .await
        .unwrap();
    assert_eq!(
        (r.status, json_body(&r)),
        (504, json!({"message": "Endpoint request timed out"}))
    );
    assert!(r.logs.contains("going to sleep"), "{}", r.logs);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the process was not killed"
    );

    let r = get("/crash/1").await.unwrap();
    assert_eq!(
        (r.status, json_body(&r)),
        (502, json!({"message": "Internal server error"}))
    );
    assert!(r.logs.contains("about to exit"), "{}", r.logs);

    let r = get("/logs/1").await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(
        json_body(&r),
        json!({"ok": true, "left": true, "id": 36, "fn": "logs"})
    );
    assert!(
        r.logs.contains("out line") && r.logs.contains("err line"),
        "{}",
        r.logs
    );
    assert_eq!(r.header("content-type"), Some("application/json"));

    let r = get("/callback/1").await.unwrap();
    assert_eq!(json_body(&r), json!({"via": "callback"}));

    let r = get("/string/1").await.unwrap();
    assert_eq!(json_body(&r), Value::String("plain \"text\"".into()));

    // The environments' scratch folders go with them, whatever the outcome.
    assert!(api.idle_environments() > 0);
    drop((api, short));
    let scratch = std::fs::read_dir(cache.path().join("environments"))
        .unwrap()
        .count();
    assert_eq!(scratch, 0);
}

#[tokio::test]
async fn errors_node() {
    node();
    bounded(errors(Lang::Node)).await;
}

#[tokio::test]
async fn errors_python() {
    python();
    bounded(errors(Lang::Python)).await;
}

//! Where the code comes from: the zip, a locally edited folder; unsafe packages; runtimes.

use lambda_sync_aws::{CreateFunction, FakeAws, Lambda as _, minimal_zip};
use lambda_sync_local::{Error, HttpRequest, parse_header_arg, parse_query_arg};
use serde_json::json;

use crate::support::*;

async fn one_route(aws: &FakeAws) -> String {
    let spec = json!({"swagger": "2.0", "info": {"title": "code", "version": "1"}, "paths": {
        "/hello/{name}": {"get": {"responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": aws_integration("hello", &[("name".into(), "path", "name".into())], 200, &[])}}}});
    import(aws, &spec).await
}

#[tokio::test]
async fn an_edited_folder_overrides_the_zip() {
    bounded(async {
        let aws = FakeAws::default();
        let api_id = one_route(&aws).await;
        create(
            &aws,
            "hello",
            Lang::Node,
            "exports.handler = async (e) => 'zip ' + e.name;",
        )
        .await;
        let functions = tempfile::tempdir().unwrap();
        let (api, _cache) =
            local_with(&aws, &api_id, |o| o.with_functions_dir(functions.path())).await;
        let get = || api.invoke(HttpRequest::new("GET", "/hello/ann"));
        assert_eq!(json_body(&get().await.unwrap()), json!("zip ann"));
        std::fs::create_dir_all(functions.path().join("hello")).unwrap();
        std::fs::write(
            functions.path().join("hello/index.js"),
            "exports.handler = async (e) => 'edited ' + e.name;",
        )
        .unwrap();
        assert_eq!(json_body(&get().await.unwrap()), json!("edited ann"));
        // An ES module handler (index.mjs) as the Node.js stubs write it.
        std::fs::remove_file(functions.path().join("hello/index.js")).unwrap();
        std::fs::write(
            functions.path().join("hello/index.mjs"),
            "export const handler = async (event) => ({esm: event.name});",
        )
        .unwrap();
        assert_eq!(json_body(&get().await.unwrap()), json!({"esm": "ann"}));
    })
    .await;
}

#[tokio::test]
async fn unsafe_packages_and_other_runtimes_are_refused() {
    bounded(async {
        for (runtime, handler, zip, expect) in [
            (
                "nodejs22.x",
                "index.handler",
                minimal_zip("../evil.js", b"x"),
                "unsafe entry",
            ),
            (
                "nodejs22.x",
                "index.handler",
                minimal_zip("/etc/evil.js", b"x"),
                "unsafe entry",
            ),
            (
                "java21",
                "example.Handler::handleRequest",
                minimal_zip("a.class", b"x"),
                "cannot run locally",
            ),
            (
                "nodejs22.x",
                "nodot",
                minimal_zip("index.js", b"x"),
                "FILE.EXPORT",
            ),
        ] {
            let aws = FakeAws::default();
            let api_id = one_route(&aws).await;
            aws.create_function(CreateFunction::new("hello", ROLE, runtime, handler, zip))
                .await
                .unwrap();
            allow(&aws, "hello").await;
            let (api, cache) = local(&aws, &api_id).await;
            let err = api
                .invoke(HttpRequest::new("GET", "/hello/x"))
                .await
                .unwrap_err();
            assert!(err.to_string().contains(expect), "{runtime}: {err}");
            assert!(matches!(
                err,
                Error::Package { .. } | Error::UnsupportedRuntime { .. } | Error::BadHandler { .. }
            ));
            assert!(!cache.path().parent().unwrap().join("evil.js").exists());
        }
    })
    .await;
}

#[tokio::test]
async fn a_missing_interpreter_is_an_error() {
    bounded(async {
        let aws = FakeAws::default();
        let api_id = one_route(&aws).await;
        create(&aws, "hello", Lang::Node, Lang::Node.echo()).await;
        let (api, _cache) = local_with(&aws, &api_id, |o| o.with_node("/nonexistent/node")).await;
        let err = api
            .invoke(HttpRequest::new("GET", "/hello/x"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Spawn { .. }), "{err}");
    })
    .await;
}

#[test]
fn cli_arguments() {
    assert_eq!(
        parse_query_arg("a=b=c").unwrap(),
        ("a".into(), "b=c".into())
    );
    assert_eq!(
        parse_query_arg("empty=").unwrap(),
        ("empty".into(), "".into())
    );
    assert!(parse_query_arg("=x").is_err());
    assert_eq!(
        parse_header_arg("Content-Type: text/plain").unwrap(),
        ("Content-Type".into(), "text/plain".into())
    );
    assert_eq!(
        parse_header_arg("X-Empty:").unwrap(),
        ("X-Empty".into(), "".into())
    );
    assert!(parse_header_arg("no colon").is_err());
    assert!(parse_header_arg(": v").is_err());
}

#[tokio::test]
async fn concurrent_requests_share_one_extraction() {
    bounded(async {
        let aws = FakeAws::default();
        let api_id = one_route(&aws).await;
        create(
            &aws,
            "hello",
            Lang::Node,
            "exports.handler = async (e) => 'hi ' + e.name;",
        )
        .await;
        let (api, cache) = local(&aws, &api_id).await;
        let calls = (0..6).map(|i| api.invoke(HttpRequest::new("GET", format!("/hello/n{i}"))));
        let responses = futures_join(calls.collect()).await;
        for (i, r) in responses.into_iter().enumerate() {
            assert_eq!(json_body(&r.unwrap()), json!(format!("hi n{i}")));
        }
        let extracted = std::fs::read_dir(cache.path().join("code"))
            .unwrap()
            .count();
        assert_eq!(extracted, 1);
    })
    .await;
}

/// Runs futures concurrently on the current task, keeping their order.
async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

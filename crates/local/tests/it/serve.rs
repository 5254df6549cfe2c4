//! HTTP tests against `serve` with a real client on 127.0.0.1.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lambda_sync_aws::{ApiGateway as _, FakeAws, PutRestApi};
use lambda_sync_local::{ApiHandle, Error, LocalApi, LocalOptions, ServeOptions, ServedRequest};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::support::*;

pub(crate) struct Reply {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One HTTP/1.1 request over a fresh connection (`Connection: close`), bounded in time.
pub(crate) async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        raw
    };
    let raw = tokio::time::timeout(Duration::from_secs(30), exchange)
        .await
        .expect("HTTP request timed out");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn spec(path: &str) -> Value {
    json!({
        "openapi": "3.0.1",
        "info": {"title": "served", "version": "1"},
        "paths": {
            path: {"get": {"operationId": "getItem",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                               {"name": "q", "in": "query", "schema": {"type": "string"}},
                               {"name": "X-Token", "in": "header", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": aws_integration("getItem", &[
                    ("id".into(), "path", "id".into()),
                    ("q".into(), "querystring", "q".into()),
                    ("X-Token".into(), "header", "X-Token".into())], 200, &[404])}},
            "/echo": {"post": {"operationId": "echoBody",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": aws_integration("echoBody", &[("body".into(), "body", "body".into())], 200, &[])}}
        }
    })
}

#[tokio::test]
async fn serve_over_http_with_hot_reload() {
    bounded(async {
        let aws = FakeAws::default();
        let api_id = import(&aws, &spec("/items/{id}")).await;
        create(
            &aws,
            "getItem",
            Lang::Node,
            "exports.handler = async (e) => { console.log('got', e.id); return e; };",
        )
        .await;
        create(&aws, "echoBody", Lang::Python, Lang::Python.echo()).await;
        let cache = tempfile::tempdir().unwrap();
        let options = LocalOptions::new(cache.path())
            .with_node(node())
            .with_python(python())
            .with_max_processes(2);
        let handle = ApiHandle::new(
            LocalApi::new(aws.clone(), &api_id, options.clone())
                .await
                .unwrap(),
        );

        let seen: Arc<Mutex<Vec<ServedRequest>>> = Arc::default();
        let sink = seen.clone();
        let serve_options =
            ServeOptions::new().with_on_request(move |r| sink.lock().unwrap().push(r.clone()));
        let listener = lambda_sync_local::bind("127.0.0.1:0".parse().unwrap(), &serve_options)
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(lambda_sync_local::serve_listener(
            handle.clone(),
            listener,
            serve_options,
            async {
                let _ = stopped.await;
            },
        ));

        let r = request(
            addr,
            "GET",
            "/items/a%20%22b%22?q=x%26y%3D%F0%9F%8E%89",
            &[("X-Token", "O'Brien \\ \"t\"")],
            b"",
        )
        .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(
            r.json(),
            json!({"id": "a \"b\"", "q": "x&y=🎉", "X-Token": "O'Brien \\ \"t\""})
        );
        assert_eq!(r.header("x-lambda-sync-function"), Some("getItem"));
        assert_eq!(r.header("content-type"), Some("application/json"));

        let body = br#"{"name": "caf\u00e9 \"x\"", "list": [1, 2]}"#;
        let r = request(
            addr,
            "POST",
            "/echo",
            &[("Content-Type", "application/json")],
            body,
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.json(),
            json!({"body": {"name": "café \"x\"", "list": [1, 2]}})
        );
        assert_eq!(r.header("x-lambda-sync-function"), Some("echoBody"));

        let r = request(addr, "GET", "/nowhere", &[], b"").await;
        assert_eq!(
            (r.status, r.json()),
            (403, json!({"message": "Missing Authentication Token"}))
        );
        assert_eq!(r.header("x-lambda-sync-function"), None);

        // Hot reload: the definition changes, the handle gets the new API.
        aws.put_rest_api(PutRestApi::new(&api_id, spec("/things/{id}").to_string()))
            .await
            .unwrap();
        assert_eq!(
            request(addr, "GET", "/things/1", &[], b"").await.status,
            403
        );
        handle.replace(LocalApi::new(aws.clone(), &api_id, options).await.unwrap());
        let r = request(addr, "GET", "/things/1", &[], b"").await;
        assert_eq!((r.status, r.json()["id"].clone()), (200, json!("1")));
        assert_eq!(request(addr, "GET", "/items/1", &[], b"").await.status, 403);

        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 6);
        assert_eq!(seen[0].target, "/items/a%20%22b%22?q=x%26y%3D%F0%9F%8E%89");
        assert_eq!(seen[0].function.as_deref(), Some("getItem"));
        assert!(seen[0].logs.contains("got a \"b\""), "{}", seen[0].logs);
        assert_eq!(seen[2].status, 403);

        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "still listening"
        );
    })
    .await;
}

#[tokio::test]
async fn setup_errors_answer_500_and_are_reported() {
    bounded(async {
        let aws = FakeAws::default();
        let api_id = import(&aws, &spec("/items/{id}")).await; // no function created
        let cache = tempfile::tempdir().unwrap();
        let handle = ApiHandle::new(
            LocalApi::new(aws, &api_id, LocalOptions::new(cache.path()))
                .await
                .unwrap(),
        );
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = errors.clone();
        let options = ServeOptions::new()
            .with_on_request(move |r| sink.lock().unwrap().extend(r.error.clone()));
        let listener = lambda_sync_local::bind("127.0.0.1:0".parse().unwrap(), &options)
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(lambda_sync_local::serve_listener(
            handle,
            listener,
            options,
            async {
                let _ = stopped.await;
            },
        ));
        let r = request(addr, "GET", "/items/1", &[], b"").await;
        assert_eq!(
            (r.status, r.json()),
            (500, json!({"message": "Internal server error"}))
        );
        let errors = errors.lock().unwrap().clone();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("getItem"), "{errors:?}");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn only_loopback_unless_allowed() {
    let options = ServeOptions::new();
    let err = lambda_sync_local::bind("0.0.0.0:0".parse().unwrap(), &options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    let listener = lambda_sync_local::bind("[::1]:0".parse().unwrap(), &options).await;
    // ::1 may be unavailable in some sandboxes; when it binds, it is accepted.
    if let Err(e) = listener {
        assert!(matches!(e, Error::Io { .. }), "{e}");
    }
    let allowed = ServeOptions::new().with_allow_non_loopback(true);
    assert!(
        lambda_sync_local::bind("0.0.0.0:0".parse().unwrap(), &allowed)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn shutdown_ends_idle_keep_alive_connections() {
    bounded(async {
        let aws = FakeAws::default();
        let api_id = import(&aws, &spec("/items/{id}")).await;
        create(&aws, "getItem", Lang::Node, Lang::Node.echo()).await;
        let (api, _cache) = local(&aws, &api_id).await;
        let options = ServeOptions::new();
        let listener = lambda_sync_local::bind("127.0.0.1:0".parse().unwrap(), &options)
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(lambda_sync_local::serve_listener(
            ApiHandle::new(api),
            listener,
            options,
            async {
                let _ = stopped.await;
            },
        ));
        // Two requests on one kept-alive connection, which then stays open.
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        for id in ["1", "2"] {
            let head = format!("GET /items/{id} HTTP/1.1\r\nHost: x\r\n\r\n");
            stream.write_all(head.as_bytes()).await.unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            let expected = format!("\"id\":\"{id}\"");
            while !String::from_utf8_lossy(&seen).contains(&expected) {
                let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf))
                    .await
                    .expect("a response")
                    .unwrap();
                assert!(n > 0, "connection closed early");
                seen.extend_from_slice(&buf[..n]);
            }
            assert!(seen.starts_with(b"HTTP/1.1 200"));
        }
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the server stops despite the open connection")
            .unwrap()
            .unwrap();
        let mut rest = Vec::new();
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
        assert!(n.is_ok(), "the connection was closed");
    })
    .await;
}

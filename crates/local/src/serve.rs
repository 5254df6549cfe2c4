//! Serving a [`LocalApi`] over HTTP/1.1 on loopback, with hot swapping.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::http::{HttpRequest, HttpResponse, parse_query_string};
use crate::{Error, LocalApi, Result};

/// API Gateway's largest request payload (10 MB); a larger body answers 413.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// The response header naming the function that handled a request.
pub const FUNCTION_HEADER: &str = "x-lambda-sync-function";

/// A shared, swappable [`LocalApi`]: the server reads the current one for every request,
/// and [`ApiHandle::replace`] swaps in a new one (built from the changed spec) without
/// stopping the server. Requests already running finish on the API they started with.
///
/// ```
/// # async fn f(api: lambda_sync_local::LocalApi, new_api: lambda_sync_local::LocalApi) {
/// let handle = lambda_sync_local::ApiHandle::new(api);
/// let for_server = handle.clone();
/// handle.replace(new_api); // for_server sees the new API from its next request on
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ApiHandle {
    current: Arc<RwLock<Arc<LocalApi>>>,
}

impl ApiHandle {
    /// A handle serving `api`.
    pub fn new(api: LocalApi) -> Self {
        ApiHandle {
            current: Arc::new(RwLock::new(Arc::new(api))),
        }
    }

    /// The API requests are served by now.
    pub fn current(&self) -> Arc<LocalApi> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves `api` from the next request on.
    pub fn replace(&self, api: LocalApi) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(api);
    }
}

/// What the server reports about each request it answered (for the CLI to print).
#[derive(Debug, Clone)]
pub struct ServedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path and query as requested.
    pub target: String,
    /// The status answered.
    pub status: u16,
    /// The function that ran, if any.
    pub function: Option<String>,
    /// The function's log (stdout and stderr), empty when it logged nothing.
    pub logs: String,
    /// A set-up error (the request answered 500), such as a missing function.
    pub error: Option<String>,
    /// How long the request took.
    pub elapsed: Duration,
}

type Callback = Arc<dyn Fn(&ServedRequest) + Send + Sync>;

/// Settings of [`serve`].
#[derive(Clone, Default)]
pub struct ServeOptions {
    allow_non_loopback: bool,
    on_request: Option<Callback>,
}

impl fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServeOptions")
            .field("allow_non_loopback", &self.allow_non_loopback)
            .field("on_request", &self.on_request.is_some())
            .finish()
    }
}

impl ServeOptions {
    /// Loopback only, no callback.
    pub fn new() -> Self {
        ServeOptions::default()
    }

    /// Allows binding an address other than loopback (the API then answers anyone who can
    /// reach the machine: functions run with the user's rights).
    pub fn with_allow_non_loopback(mut self, allow: bool) -> Self {
        self.allow_non_loopback = allow;
        self
    }

    /// Calls `f` after each request is answered (the server itself prints nothing).
    pub fn with_on_request(mut self, f: impl Fn(&ServedRequest) + Send + Sync + 'static) -> Self {
        self.on_request = Some(Arc::new(f));
        self
    }
}

/// Binds `addr`, refusing a non-loopback address unless the options allow it. Port 0 picks a
/// free port: read it with [`TcpListener::local_addr`].
///
/// # Errors
///
/// [`Error::InvalidInput`] for a non-loopback address; [`Error::Io`] when binding fails.
pub async fn bind(addr: SocketAddr, options: &ServeOptions) -> Result<TcpListener> {
    if !addr.ip().is_loopback() && !options.allow_non_loopback {
        return Err(Error::InvalidInput(format!(
            "refusing to serve on {addr}: only loopback addresses (127.0.0.1, ::1) unless allowed"
        )));
    }
    TcpListener::bind(addr)
        .await
        .map_err(|e| Error::io("bind", addr.to_string(), e))
}

/// Binds `addr` (see [`bind`]) and serves the API until `shutdown` completes.
///
/// # Errors
///
/// As [`bind`].
pub async fn serve(
    api: ApiHandle,
    addr: SocketAddr,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let listener = bind(addr, &options).await?;
    serve_listener(api, listener, options, shutdown).await
}

/// Serves the API on an already bound listener until `shutdown` completes; then stops
/// accepting, ends open connections, kills functions still running and ends the warm
/// execution environments.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the listener is not on loopback and the options do not allow it.
pub async fn serve_listener(
    api: ApiHandle,
    listener: TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    if let Ok(addr) = listener.local_addr()
        && !addr.ip().is_loopback()
        && !options.allow_non_loopback
    {
        return Err(Error::InvalidInput(format!(
            "refusing to serve on {addr}: only loopback addresses unless allowed"
        )));
    }
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let api = api.clone();
                let options = options.clone();
                connections.spawn(async move {
                    let service = service_fn(move |request| {
                        let api = api.current();
                        let options = options.clone();
                        async move { Ok::<_, Infallible>(handle(&api, &options, request).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
    // Calls still running were dropped with their connections (their environments with
    // them); end the warm ones too.
    api.current().shutdown();
    Ok(())
}

async fn handle(
    api: &LocalApi,
    options: &ServeOptions,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_string();
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let mut error = None;
    let response = match Limited::new(body, MAX_BODY).collect().await {
        Err(_) => HttpResponse::message(413, "Request Too Long"),
        Ok(collected) => {
            let request = HttpRequest {
                method: method.clone(),
                path: parts.uri.path().to_string(),
                query: parse_query_string(parts.uri.query().unwrap_or("")),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: collected.to_bytes().to_vec(),
            };
            match api.invoke(request).await {
                Ok(response) => response,
                Err(e) => {
                    error = Some(e.to_string());
                    HttpResponse::message(500, "Internal server error")
                }
            }
        }
    };
    if let Some(callback) = &options.on_request {
        callback(&ServedRequest {
            method,
            target,
            status: response.status,
            function: response.function.clone(),
            logs: response.logs.clone(),
            error,
            elapsed: started.elapsed(),
        });
    }
    to_hyper(response)
}

fn to_hyper(response: HttpResponse) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(function) = &response.function {
        builder = builder.header(FUNCTION_HEADER, function.as_str());
    }
    builder
        .body(Full::new(Bytes::from(response.body)))
        .unwrap_or_else(|e| {
            // A header the function set is not valid HTTP: API Gateway answers 502.
            let body = serde_json::json!({ "message": "Internal server error" }).to_string();
            let mut fallback = hyper::Response::new(Full::new(Bytes::from(body)));
            *fallback.status_mut() = hyper::StatusCode::BAD_GATEWAY;
            let _ = e;
            fallback
        })
}

//! The request and response values of a local invocation, and the CLI's argument helpers.

use crate::{Error, Result};

/// An HTTP request to the local API.
///
/// `path` is the request path as sent (percent-encoded segments are decoded for path
/// parameters); `query` holds decoded pairs in the order sent (a name may repeat).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The HTTP method (`GET`); matched without regard to case.
    pub method: String,
    /// The path (`/user/user1`), without the query string.
    pub path: String,
    /// Query parameters, decoded, in the order sent.
    pub query: Vec<(String, String)>,
    /// Headers in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body (empty when there is none).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request without query, headers or body.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        HttpRequest {
            method: method.into(),
            path: path.into(),
            ..HttpRequest::default()
        }
    }

    /// A request for a target as typed on a command line or sent on the wire: the path, then
    /// optionally `?` and a raw query string (decoded with [`parse_query_string`]).
    ///
    /// ```
    /// let r = lambda_sync_local::HttpRequest::from_target("GET", "/pets?tag=a%20b&tag=c");
    /// assert_eq!(r.path, "/pets");
    /// assert_eq!(r.query, [("tag".to_string(), "a b".to_string()), ("tag".to_string(), "c".to_string())]);
    /// ```
    pub fn from_target(method: impl Into<String>, target: &str) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        HttpRequest {
            query: parse_query_string(query),
            ..HttpRequest::new(method, path)
        }
    }

    /// Adds a query parameter.
    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The last value of a header, matched without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The answer of the local API, as API Gateway would give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers in order (a name may repeat).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The Lambda function that ran, if the request reached one.
    pub function: Option<String>,
    /// What the function wrote to stdout and stderr (empty when none ran).
    pub logs: String,
}

impl HttpResponse {
    /// A response with a JSON body and `Content-Type: application/json`.
    pub(crate) fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            function: None,
            logs: String::new(),
        }
    }

    /// API Gateway's `{"message": "..."}` answer.
    pub(crate) fn message(status: u16, message: &str) -> Self {
        HttpResponse::json(
            status,
            serde_json::json!({ "message": message }).to_string(),
        )
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The last value of a header, matched without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a `--query k=v` argument: the name is what comes before the first `=`; the value
/// (possibly empty) is taken literally, without percent-decoding.
///
/// ```
/// assert_eq!(lambda_sync_local::parse_query_arg("q=a=b")?, ("q".into(), "a=b".into()));
/// assert!(lambda_sync_local::parse_query_arg("novalue").is_err());
/// # Ok::<(), lambda_sync_local::Error>(())
/// ```
pub fn parse_query_arg(arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(Error::InvalidInput(format!(
            "--query {arg:?}: expected NAME=VALUE"
        ))),
    }
}

/// Parses a `--header k:v` argument: the name is what comes before the first `:` (trimmed,
/// a valid HTTP token); the value is the rest with surrounding blanks removed.
///
/// ```
/// let (name, value) = lambda_sync_local::parse_header_arg("X-Id: a:b")?;
/// assert_eq!((name.as_str(), value.as_str()), ("X-Id", "a:b"));
/// assert!(lambda_sync_local::parse_header_arg("bad name: x").is_err());
/// # Ok::<(), lambda_sync_local::Error>(())
/// ```
pub fn parse_header_arg(arg: &str) -> Result<(String, String)> {
    let bad = || Error::InvalidInput(format!("--header {arg:?}: expected NAME:VALUE"));
    let (name, value) = arg.split_once(':').ok_or_else(bad)?;
    let name = name.trim();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(bad());
    }
    let value = value.trim_matches([' ', '\t']);
    if value.contains(['\r', '\n']) {
        return Err(bad());
    }
    Ok((name.to_string(), value.to_string()))
}

/// Splits a raw query string (`a=1&b=%20x`) into decoded pairs, in order. `+` is kept as is
/// (only `%XX` escapes are decoded); a part without `=` is a name with an empty value.
///
/// ```
/// let pairs = lambda_sync_local::parse_query_string("a=1&b=%C3%A9&c&a=2");
/// assert_eq!(pairs, [("a", "1"), ("b", "é"), ("c", ""), ("a", "2")].map(|(k, v)| (k.to_string(), v.to_string())));
/// ```
pub fn parse_query_string(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes (invalid UTF-8 is replaced).
pub(crate) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

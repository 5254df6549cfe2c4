//! An evaluator for Amazon API Gateway mapping templates: the subset of the Velocity Template
//! Language (VTL) and of API Gateway's `$input`, `$util`, `$context` and `$stageVariables`
//! variables that generated templates and common hand-written ones use.
//!
//! lambda-sync uses it to check that the request templates it generates build valid JSON
//! events from hostile requests, and the fake AWS backend uses it to invoke an API locally.
//!
//! ```
//! use lambda_sync_mapping::{evaluate, Request};
//!
//! let template = r#"{
//!   "username": "$util.escapeJavaScript($input.params('username')).replaceAll("\\'","'")",
//!   "body": $input.json('$')
//! }"#;
//! let request = Request::new("POST", "/user/{username}")
//!     .with_path_param("username", "O'Brien \"the\" \\ 🎉")
//!     .with_body(r#"{"a": [1, 2]}"#);
//! let event: serde_json::Value = serde_json::from_str(&evaluate(template, &request)?).unwrap();
//! assert_eq!(event["username"], "O'Brien \"the\" \\ 🎉");
//! assert_eq!(event["body"]["a"][1], 2);
//! # Ok::<(), lambda_sync_mapping::Error>(())
//! ```
//!
//! # What is supported
//!
//! - References: `$x`, `$!x` (quiet: renders nothing when null), `${x}`, `$!{x}`, property
//!   access `$a.b`, method calls `$a.b('x', 1)`, indexing `$a[0]`. A null reference that is
//!   not quiet renders as its own source text, as in Velocity.
//! - Directives: `#set`, `#if`/`#elseif`/`#else`/`#end` (also `#{else}`, `#{end}`),
//!   `#foreach($x in ...)` with `$foreach.hasNext`/`index`/`count`/`first`/`last` and
//!   `$velocityCount`, `#break`, `#stop`; comments `##` and `#* *#`; `#[[unparsed]]#`.
//!   A directive alone on its line takes the whole line with it.
//! - Expressions: string (`'...'` literal, `"..."` interpolated; a doubled quote is a quote;
//!   backslashes are kept as written, as Velocity does), integer, float, `true`, `false`,
//!   `null`, lists `[1, 2]`, ranges `[1..5]`, maps `{"k": v}`, `== != < <= > >=`
//!   (also `eq ne lt le gt ge`), `&& || !` (also `and or not`), `+ - * / %`.
//! - `$input.params()` (`path`, `querystring`, `header` maps; header names match in any
//!   case), `$input.params('x')` (path, then query, then header; `""` when absent),
//!   `$input.json(path)`, `$input.path(path)` with simple JSONPath (`$`, `$.a.b`, `$['a']`,
//!   `$.a[0]`), `$input.body`. An empty body reads as `{}`. A body that is not JSON reads, at
//!   path `$`, as one JSON string holding the text (so `$input.json('$')` stays valid JSON).
//! - `$util.escapeJavaScript` (exactly as API Gateway: see [`escape_javascript`]),
//!   `parseJson`, `urlEncode`, `urlDecode`, `base64Encode`, `base64Decode`.
//! - `$context.httpMethod`, `resourcePath`, `requestId`, `stage` and any other context
//!   variable the [`Request`] carries; `$stageVariables`.
//! - Methods of strings (`length`, `trim`, `toLowerCase`, `contains`, `startsWith`,
//!   `substring`, `indexOf`, `replace`, `replaceAll`/`replaceFirst`/`matches`/`split` with
//!   Java-like regular expressions, ...), lists (`size`, `get`, `contains`, `add`, ...) and
//!   maps (`get`, `containsKey`, `keySet`, `values`, `entrySet`, `put`, `remove`, ...).
//!   An unknown method or property is null, as in Velocity.
//!
//! `#macro`, `#parse`, `#include`, `#define` and `#evaluate` are refused with an
//! [`Error::Unsupported`] that points at them; malformed templates give an
//! [`Error::Syntax`] with the line and column.
//!
//! # Bounded work
//!
//! Every evaluation runs within [`Limits`]: a step budget (loops, ranges and work on long
//! strings count), a cap on the output and on every string built, and on nesting depth. A
//! hostile template ends with [`Error::Limit`] instead of running forever or exhausting memory.
#![deny(missing_docs)]

mod error;
mod eval;
mod parse;
mod request;
mod util;

pub use error::{Error, Result};
pub use eval::Limits;
pub use request::Request;
pub use util::{base64_decode, base64_encode, escape_javascript, url_decode, url_encode};

/// Evaluates `template` against `request` with the default [`Limits`].
///
/// ```
/// use lambda_sync_mapping::{evaluate, Request};
/// let out = evaluate(
///     "#foreach($k in $input.params().querystring.keySet())$k#if($foreach.hasNext),#end#end",
///     &Request::new("GET", "/").with_query("a", "1").with_query("b", "2"),
/// )?;
/// assert_eq!(out, "a,b");
/// # Ok::<(), lambda_sync_mapping::Error>(())
/// ```
pub fn evaluate(template: &str, request: &Request) -> Result<String> {
    evaluate_with(template, request, Limits::default())
}

/// Evaluates `template` against `request` within `limits`.
pub fn evaluate_with(template: &str, request: &Request, limits: Limits) -> Result<String> {
    let chars: Vec<char> = template.chars().collect();
    let nodes = parse::parse(&chars)?;
    eval::Eval::new(request, &chars, limits).run(&nodes)
}

/// Checks that `template` parses, without evaluating it.
///
/// ```
/// assert!(lambda_sync_mapping::check_syntax("#if($a)x#end").is_ok());
/// let err = lambda_sync_mapping::check_syntax("ok\n  #if($a)x").unwrap_err();
/// assert_eq!(err.position(), (2, 3));
/// ```
pub fn check_syntax(template: &str) -> Result<()> {
    let chars: Vec<char> = template.chars().collect();
    parse::parse(&chars).map(|_| ())
}

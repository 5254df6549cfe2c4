//! The catalogue of AWS Lambda runtimes that stubs can be generated for.
//!
//! Dates are AWS's published lifecycle dates for each managed runtime ("Lambda runtimes" in the
//! AWS Lambda Developer Guide: deprecation date, block function create, block function update),
//! as they stood on 2026-11-28. AWS has moved these dates more than once (usually later); update
//! the table when it changes. `None` means AWS has not scheduled that step yet.

use crate::date::Date;
use crate::error::{Error, Result};

/// The language of a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Node.js (`nodejsNN.x`).
    Node,
    /// Python (`python3.N`).
    Python,
}

/// Which module system a Node.js handler file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeModule {
    /// CommonJS `index.js`: `exports.handler = async (event, context) => { ... }`.
    CommonJs,
    /// ES module `index.mjs`: `export const handler = async (event, context) => { ... }`.
    Esm,
}

/// One Lambda runtime: what the handler file is called and when AWS retires it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuntimeInfo {
    /// The runtime identifier (`"nodejs20.x"`, `"python3.12"`).
    pub id: &'static str,
    /// The language.
    pub family: Family,
    /// The file the stub is written to (`"index.mjs"`, `"lambda_function.py"`).
    pub handler_file: &'static str,
    /// The function's `Handler` setting (`"index.handler"`, `"lambda_function.lambda_handler"`).
    pub handler: &'static str,
    /// The date AWS deprecates (deprecated) the runtime, `YYYY-MM-DD`.
    pub deprecated: Option<&'static str>,
    /// The date AWS blocks creating functions with the runtime.
    pub block_create: Option<&'static str>,
    /// The date AWS blocks updating functions that use the runtime.
    pub block_update: Option<&'static str>,
    /// The newest runtime of the same language, to move to.
    pub replacement: &'static str,
}

impl RuntimeInfo {
    /// The module system of a Node.js handler (from the handler file's extension); `None` for
    /// other languages.
    pub fn node_module(&self) -> Option<NodeModule> {
        match self.family {
            Family::Node if self.handler_file.ends_with(".mjs") => Some(NodeModule::Esm),
            Family::Node => Some(NodeModule::CommonJs),
            Family::Python => None,
        }
    }

    /// Whether AWS blocks creating functions with this runtime on `today`.
    pub fn is_create_blocked(&self, today: Date) -> bool {
        on_or_after(today, self.block_create)
    }

    /// Whether the runtime is deprecated on `today`.
    pub fn is_deprecated(&self, today: Date) -> bool {
        on_or_after(today, self.deprecated)
    }
}

fn on_or_after(today: Date, date: Option<&str>) -> bool {
    date.and_then(|d| Date::parse(d).ok())
        .is_some_and(|d| today >= d)
}

const NODE_LATEST: &str = "nodejs24.x";
const PYTHON_LATEST: &str = "python3.14";

/// The runtime used when none is configured: the newest Node.js LTS runtime, supported by AWS
/// until 2028-04-30.
pub const DEFAULT_RUNTIME: &str = "nodejs24.x";

// Node.js 12–16 predate ES module handlers in the Lambda console and get CommonJS `index.js`;
// Node.js 18 and later get an ES module `index.mjs`, as the Lambda console creates. Either way
// the handler is `index.handler` and it is async (Node.js 24 dropped callback handlers).
const fn node(
    id: &'static str,
    esm: bool,
    deprecated: Option<&'static str>,
    block_create: Option<&'static str>,
    block_update: Option<&'static str>,
) -> RuntimeInfo {
    RuntimeInfo {
        id,
        family: Family::Node,
        handler_file: if esm { "index.mjs" } else { "index.js" },
        handler: "index.handler",
        deprecated,
        block_create,
        block_update,
        replacement: NODE_LATEST,
    }
}

const fn python(
    id: &'static str,
    deprecated: Option<&'static str>,
    block_create: Option<&'static str>,
    block_update: Option<&'static str>,
) -> RuntimeInfo {
    RuntimeInfo {
        id,
        family: Family::Python,
        handler_file: "lambda_function.py",
        handler: "lambda_function.lambda_handler",
        deprecated,
        block_create,
        block_update,
        replacement: PYTHON_LATEST,
    }
}

static RUNTIMES: [RuntimeInfo; 16] = [
    node(
        "nodejs12.x",
        false,
        Some("2023-03-31"),
        Some("2023-03-31"),
        Some("2023-04-30"),
    ),
    node(
        "nodejs14.x",
        false,
        Some("2023-12-04"),
        Some("2024-07-09"),
        Some("2027-03-03"),
    ),
    node(
        "nodejs16.x",
        false,
        Some("2024-06-12"),
        Some("2025-10-01"),
        Some("2027-03-03"),
    ),
    node(
        "nodejs18.x",
        true,
        Some("2025-09-01"),
        Some("2027-02-01"),
        Some("2027-03-03"),
    ),
    node(
        "nodejs20.x",
        true,
        Some("2026-04-30"),
        Some("2027-02-01"),
        Some("2027-03-03"),
    ),
    node(
        "nodejs22.x",
        true,
        Some("2027-04-30"),
        Some("2027-06-01"),
        Some("2027-07-01"),
    ),
    node(
        "nodejs24.x",
        true,
        Some("2028-04-30"),
        Some("2028-06-01"),
        Some("2028-07-01"),
    ),
    python(
        "python3.6",
        Some("2022-07-18"),
        Some("2022-07-18"),
        Some("2022-08-29"),
    ),
    python(
        "python3.7",
        Some("2023-12-04"),
        Some("2024-01-09"),
        Some("2027-03-03"),
    ),
    python(
        "python3.8",
        Some("2024-10-14"),
        Some("2025-10-01"),
        Some("2027-03-03"),
    ),
    python(
        "python3.9",
        Some("2025-12-15"),
        Some("2027-02-01"),
        Some("2027-03-03"),
    ),
    python(
        "python3.10",
        Some("2026-10-31"),
        Some("2027-02-01"),
        Some("2027-03-03"),
    ),
    python("python3.11", Some("2027-06-30"), None, None),
    python(
        "python3.12",
        Some("2028-10-31"),
        Some("2028-11-30"),
        Some("2029-01-10"),
    ),
    python(
        "python3.13",
        Some("2029-06-30"),
        Some("2029-07-31"),
        Some("2029-08-31"),
    ),
    python(
        "python3.14",
        Some("2029-06-30"),
        Some("2029-07-31"),
        Some("2029-08-31"),
    ),
];

/// Every runtime in the catalogue: Node.js oldest to newest, then Python oldest to newest.
pub fn runtimes() -> &'static [RuntimeInfo] {
    &RUNTIMES
}

/// The runtime with this id, if the catalogue has it.
pub fn runtime(id: &str) -> Option<&'static RuntimeInfo> {
    RUNTIMES.iter().find(|r| r.id == id)
}

/// How many days ahead of a deprecation [`check_runtime`] starts warning.
const WARN_DAYS: i64 = 90;

/// Checks that new functions can be created with runtime `id` on `today`.
///
/// Returns the warnings to show (deprecated, or deprecated within 90 days), or an error when
/// the runtime is unknown or AWS blocks creating functions with it — naming the newest runtime
/// of the same language to use instead.
///
/// ```
/// use lambda_sync_stubs::{check_runtime, Date};
/// let today = Date::parse("2026-11-28").unwrap();
/// assert!(check_runtime("nodejs24.x", today).unwrap().is_empty());
/// assert_eq!(check_runtime("nodejs20.x", today).unwrap().len(), 1);
/// assert!(check_runtime("python3.8", today).unwrap_err().to_string().contains("python3.14"));
/// ```
pub fn check_runtime(id: &str, today: Date) -> Result<Vec<String>> {
    let Some(rt) = runtime(id) else {
        return Err(Error::UnknownRuntime {
            id: id.to_string(),
            known: RUNTIMES.iter().map(|r| r.id.to_string()).collect(),
        });
    };
    if rt.is_create_blocked(today) {
        return Err(Error::RuntimeBlocked {
            id: rt.id.to_string(),
            since: rt.block_create.unwrap_or_default().to_string(),
            replacement: rt.replacement.to_string(),
        });
    }
    let mut warnings = Vec::new();
    if let Some(dep) = rt.deprecated.and_then(|d| Date::parse(d).ok()) {
        let days = dep.days_since_epoch() - today.days_since_epoch();
        let mut blocks = String::new();
        if let Some(c) = rt.block_create {
            blocks.push_str(&format!("; AWS blocks creating functions with it from {c}"));
            if let Some(u) = rt.block_update {
                blocks.push_str(&format!(" and updating them from {u}"));
            }
        }
        if days <= 0 {
            warnings.push(format!(
                "{} was deprecated on {dep}{blocks}; move to {}",
                rt.id, rt.replacement
            ));
        } else if days <= WARN_DAYS {
            warnings.push(format!(
                "{} will be deprecated on {dep}, in {days} days{blocks}; consider {}",
                rt.id, rt.replacement
            ));
        }
    }
    Ok(warnings)
}

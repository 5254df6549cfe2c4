//! The catalogue of AWS Lambda runtimes: the one home of runtime facts for the stubs, the
//! engine's check, the fake and the local runner.
//!
//! Dates are AWS's published lifecycle dates for each managed runtime ("Lambda runtimes" in the
//! AWS Lambda Developer Guide, <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html>:
//! deprecation date, block function create, block function update), as they stood on
//! [`CATALOGUE_DATE`]. AWS has moved these dates more than once (usually later, and it adds new
//! runtimes); update the table when it changes. `None` means AWS has not scheduled that step yet.
//!
//! Because the table can be out of date, [`check_runtime`] never refuses the newest runtime it
//! knows in a family: it warns instead, and points to the `runtime` setting.

use crate::date::Date;

/// The day the dates of this catalogue were last checked against AWS's runtime list.
pub const CATALOGUE_DATE: &str = "2026-11-28";

/// Why a runtime cannot be used to create functions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuntimeError {
    /// The runtime id is not in the catalogue.
    #[error("unknown Lambda runtime {id:?}; known runtimes: {}", known.join(", "))]
    Unknown {
        /// The id that was asked for.
        id: String,
        /// Every id the catalogue knows, oldest first per family.
        known: Vec<String>,
    },
    /// AWS no longer lets anyone create functions with this runtime.
    #[error(
        "AWS Lambda has blocked creating functions with {id} since {since}; use {replacement} instead"
    )]
    Blocked {
        /// The blocked runtime.
        id: String,
        /// The date creation was blocked (`YYYY-MM-DD`).
        since: String,
        /// The newest runtime of the same language.
        replacement: String,
    },
}

type Result<T> = std::result::Result<T, RuntimeError>;

/// The language of a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Node.js (`nodejsNN.x`).
    Node,
    /// Python (`python3.N`).
    Python,
}

impl Family {
    /// `Node.js`, `Python`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Node => "Node.js",
            Family::Python => "Python",
        }
    }
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

    /// Whether this is the newest runtime of its language in the catalogue.
    pub fn is_newest(&self) -> bool {
        self.replacement == self.id
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
/// use lambda_sync_aws::{Date, runtimes::check_runtime};
/// let today = Date::parse("2026-11-28").unwrap();
/// assert!(check_runtime("nodejs24.x", today).unwrap().is_empty());
/// assert_eq!(check_runtime("nodejs20.x", today).unwrap().len(), 1);
/// assert!(check_runtime("python3.8", today).unwrap_err().to_string().contains("python3.14"));
/// ```
pub fn check_runtime(id: &str, today: Date) -> Result<Vec<String>> {
    let Some(rt) = runtime(id) else {
        return Err(RuntimeError::Unknown {
            id: id.to_string(),
            known: RUNTIMES.iter().map(|r| r.id.to_string()).collect(),
        });
    };
    if rt.is_create_blocked(today) && !rt.is_newest() {
        return Err(RuntimeError::Blocked {
            id: rt.id.to_string(),
            since: rt.block_create.unwrap_or_default().to_string(),
            replacement: rt.replacement.to_string(),
        });
    }
    let mut warnings = Vec::new();
    if rt.is_newest() && (rt.is_create_blocked(today) || rt.is_deprecated(today)) {
        let step = if rt.is_create_blocked(today) {
            format!(
                "blocks creating functions with it from {}",
                rt.block_create.unwrap_or_default()
            )
        } else {
            format!("deprecates it on {}", rt.deprecated.unwrap_or_default())
        };
        warnings.push(format!(
            "the runtime catalogue of this lambda-sync (checked on {CATALOGUE_DATE}) says AWS {step}, \
             but {} is the newest {} runtime it knows: the catalogue may be out of date; check \
             AWS's list of Lambda runtimes and set `runtime = \"...\"` in lambda-sync.toml to a \
             newer one, or update lambda-sync",
            rt.id,
            rt.family.name()
        ));
        return Ok(warnings);
    }
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

/// Runtime ids outside the catalogue above that AWS refuses for new functions: Node.js and
/// Python ids older than the catalogue, and retired runtimes of other languages (AWS Lambda
/// Developer Guide, "Deprecated runtimes"). The fake refuses them as Lambda does.
pub const OTHER_RETIRED: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "python2.7",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet6",
    "dotnet7",
    "ruby2.5",
    "ruby2.7",
    "go1.x",
    "java8",
];

/// Runtime ids of other languages that AWS accepts for new functions (AWS Lambda Developer
/// Guide, "Supported runtimes"): lambda-sync generates no stubs for them, but the fake accepts
/// them as Lambda does.
pub const OTHER_CURRENT: &[&str] = &[
    "java8.al2",
    "java11",
    "java17",
    "java21",
    "java25",
    "dotnet8",
    "dotnet10",
    "ruby3.2",
    "ruby3.3",
    "ruby3.4",
    "provided",
    "provided.al2",
    "provided.al2023",
];

//! The pure planner: what is wanted, what exists → every request a push will make.
//!
//! A [`Plan`] is self-contained: each step carries its request (the function's configuration
//! and code digest, the body's digest with the import or put parameters, each permission's
//! statement id and SourceArn, each stale statement to remove, the deployment), so `apply`
//! executes steps without looking anything up, and `plan --format json` shows exactly what a
//! push would send. A value that depends on the id of an API not yet created (statement ids
//! and SourceArns of a first push) is an [`ApiScoped`] text, resolved once the import
//! returns the id.

use crate::config::{DeploymentMode, Settings};
use crate::error::{Error, Result};
use crate::prepare::Prepared;
use lambda_sync_aws::limits::MAX_FUNCTION_POLICY_BYTES;
use lambda_sync_aws::{
    BasePathMode, EndpointType, PolicyStatement, PutMode, RestApi, policy_document_len,
};
use lambda_sync_integration::STATEMENT_PREFIX;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// What exists in the account, as read before planning.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Observed {
    /// Names of every function in the region (one paginated listing).
    pub functions: BTreeSet<String>,
    /// The target API, when an id is known and it exists.
    pub api: Option<RestApi>,
    /// Resource-policy statements of the existing functions the definition uses (read with
    /// `GetPolicy`, or taken from the state's cache).
    pub policies: BTreeMap<String, Vec<PolicyStatement>>,
    /// The functions whose statements came from the state's cache rather than `GetPolicy`.
    pub cached_policies: BTreeSet<String>,
    /// The functions the target API's integrations call today (read with `GetResources`).
    pub api_functions: BTreeSet<String>,
}

/// The API that a value belongs to: one that exists, or the one this push's import creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiId {
    /// The API the import will create; its id is known only once the import returns.
    New,
    /// An existing API.
    Existing(String),
}

impl ApiId {
    /// The id when it is known.
    pub fn known(&self) -> Option<&str> {
        match self {
            ApiId::New => None,
            ApiId::Existing(id) => Some(id),
        }
    }
}

/// Text that contains an API id (a statement id, a SourceArn). For a new API it holds
/// [`ApiScoped::PLACEHOLDER`] where the id goes, until [`ApiScoped::resolve`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiScoped(String);

impl ApiScoped {
    /// Where the id of an API not yet created goes.
    pub const PLACEHOLDER: &'static str = "{new-api-id}";

    /// The text made by `make` for the API `api`.
    pub fn new(api: &ApiId, make: impl FnOnce(&str) -> String) -> ApiScoped {
        ApiScoped(make(api.known().unwrap_or(Self::PLACEHOLDER)))
    }

    /// The text with `api_id` in place of the placeholder (unchanged when the id was known).
    pub fn resolve(&self, api_id: &str) -> String {
        self.0.replace(Self::PLACEHOLDER, api_id)
    }

    /// The text as planned (with the placeholder for a new API).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApiScoped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ApiScoped {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// One function to create (`CreateFunction`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateFunctionStep {
    /// Function name.
    pub name: String,
    /// The operation it backs (`GET /user/{username}`).
    pub operation: String,
    /// Execution role ARN.
    pub role: String,
    /// Runtime id.
    pub runtime: String,
    /// Handler.
    pub handler: String,
    /// Description.
    pub description: String,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// The stub's file name inside the zip.
    pub file_name: String,
    /// Base64 SHA-256 of the zip (Lambda's `CodeSha256`).
    pub code_sha256: String,
    /// Size of the zip in bytes.
    pub code_size: usize,
    /// The zip package.
    #[serde(skip)]
    pub zip: Arc<Vec<u8>>,
}

/// What happens to the REST API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ApiAction {
    /// Create a new API by importing the definition (`ImportRestApi`).
    Import {
        /// `endpointConfigurationTypes`.
        endpoint_type: EndpointType,
    },
    /// Update an existing API (`PutRestApi`).
    Put {
        /// Its id.
        api_id: String,
        /// Overwrite or merge.
        mode: PutMode,
    },
}

/// The import or put of the definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiStep {
    /// Import or put.
    #[serde(flatten)]
    pub action: ApiAction,
    /// API name (`info.title`).
    pub name: String,
    /// The `basepath` parameter.
    pub basepath: BasePathMode,
    /// `failonwarnings`.
    pub fail_on_warnings: bool,
    /// Base64 SHA-256 of the body.
    pub body_sha256: String,
    /// Size of the body in bytes.
    pub body_bytes: usize,
    /// The body (JSON).
    #[serde(skip)]
    pub body: Arc<Vec<u8>>,
    /// On an import, the marker lambda-sync puts in the new API's description (see
    /// [`crate::Journal`]): with its name, what tells the API a killed push created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// One statement to add to a function's resource policy (`AddPermission`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddPermissionStep {
    /// Function name.
    pub function: String,
    /// Statement id (`lambda-sync-{api id}-{digest}`).
    pub statement_id: ApiScoped,
    /// `lambda:InvokeFunction`.
    pub action: String,
    /// `apigateway.amazonaws.com`.
    pub principal: String,
    /// The method's ARN pattern on the API (`…:{api id}/*/GET/v2/pet/*`), or the whole API
    /// (`…:{api id}/*/*/*`) when the function's policy would pass Lambda's size limit.
    pub source_arn: ApiScoped,
    /// The operations it allows (`GET /pet/{petId}`).
    pub operations: Vec<String>,
    /// Whether it replaces a statement with the same id whose SourceArn no longer matches
    /// (removed first, in [`Plan::remove_permissions`]).
    pub replaces: bool,
}

/// One statement lambda-sync made that is removed (`RemovePermission`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovePermissionStep {
    /// Function name.
    pub function: String,
    /// Statement id.
    pub statement_id: String,
    /// Its SourceArn, as read.
    pub source_arn: Option<String>,
    /// Why it goes.
    pub reason: String,
}

/// The deployment after the push (`CreateDeployment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployStep {
    /// Stage name.
    pub stage: String,
    /// Deployment description.
    pub description: String,
}

/// The plan of a push: printable, serialisable, comparable, and self-contained;
/// [`Engine::push`](crate::Engine::push) carries out exactly this, in this order: create the
/// functions, import or put the API, remove statements, add statements, deploy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Why nothing is sent (`enabled = false`, `deployment = never`), if so.
    pub skipped: Option<String>,
    /// API name (`info.title`).
    pub api_name: String,
    /// The API the permissions are for.
    #[serde(serialize_with = "api_id_json")]
    pub api_id: ApiId,
    /// Functions to create, in document order.
    pub create_functions: Vec<CreateFunctionStep>,
    /// Functions that exist and are used as they are.
    pub reuse_functions: Vec<String>,
    /// Functions the API called before this push and no longer does (after a granularity
    /// change, say): listed, never changed or deleted.
    pub unused_functions: Vec<String>,
    /// The import or put.
    pub api: ApiStep,
    /// Statements to remove (stale ones lambda-sync made for this API, and those replaced).
    pub remove_permissions: Vec<RemovePermissionStep>,
    /// Statements to add.
    pub add_permissions: Vec<AddPermissionStep>,
    /// Statements that are already right.
    pub kept_permissions: usize,
    /// The deployment, if a stage is set.
    pub deployment: Option<DeployStep>,
    /// Warnings about the plan (a function's permissions collapsed to one per API, ...).
    pub warnings: Vec<String>,
    /// Operations compat leaves out because API Gateway cannot tell them apart from another
    /// one and that nothing reaches (method, path, `operationId`, reason; each is also a
    /// warning).
    pub left_out: Vec<lambda_sync_compat::LeftOut>,
    /// Operations compat leaves out that a router reaches (method, path, `operationId`, the
    /// method API Gateway calls, the function, the discriminators).
    pub dispatched: Vec<crate::Dispatched>,
}

fn api_id_json<S: Serializer>(id: &ApiId, s: S) -> std::result::Result<S::Ok, S::Error> {
    match id {
        ApiId::New => s.serialize_none(),
        ApiId::Existing(id) => s.serialize_str(id),
    }
}

impl Plan {
    /// Whether the plan sends anything.
    pub fn is_skipped(&self) -> bool {
        self.skipped.is_some()
    }

    /// How many calls that write the plan makes (function creations, the import or put,
    /// statement removals and additions, the deployment).
    pub fn write_calls(&self) -> usize {
        if self.is_skipped() {
            return 0;
        }
        self.create_functions.len()
            + 1
            + self.remove_permissions.len()
            + self.add_permissions.len()
            + usize::from(self.deployment.is_some())
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(why) = &self.skipped {
            return writeln!(f, "nothing to do: {why}");
        }
        let options = format!(
            "basepath {}{}",
            self.api.basepath.as_str(),
            if self.api.fail_on_warnings {
                ", fail on warnings"
            } else {
                ""
            }
        );
        match &self.api.action {
            ApiAction::Import { endpoint_type } => writeln!(
                f,
                "import a new REST API \"{}\" ({}, {options})",
                self.api_name,
                endpoint_type.as_str()
            )?,
            ApiAction::Put { api_id, mode } => writeln!(
                f,
                "{} REST API {api_id} \"{}\" ({options})",
                if *mode == PutMode::Merge {
                    "merge into"
                } else {
                    "overwrite"
                },
                self.api_name,
            )?,
        }
        writeln!(
            f,
            "create {} function(s), reuse {} existing",
            self.create_functions.len(),
            self.reuse_functions.len()
        )?;
        for step in &self.create_functions {
            writeln!(f, "  + {} ({})", step.name, step.runtime)?;
        }
        for name in &self.reuse_functions {
            writeln!(f, "  = {name}")?;
        }
        if !self.unused_functions.is_empty() {
            writeln!(
                f,
                "{} function(s) no longer used by this API (kept as they are; delete them yourself when you no longer need them)",
                self.unused_functions.len()
            )?;
            for name in &self.unused_functions {
                writeln!(f, "  ? {name}")?;
            }
        }
        let replaced: BTreeSet<(&str, &str)> = self
            .add_permissions
            .iter()
            .filter(|p| p.replaces)
            .map(|p| (p.function.as_str(), p.statement_id.as_str()))
            .collect();
        let removed: Vec<_> = self
            .remove_permissions
            .iter()
            .filter(|r| !replaced.contains(&(r.function.as_str(), r.statement_id.as_str())))
            .collect();
        writeln!(
            f,
            "invoke permissions: add {}, replace {}, remove {}, keep {}",
            self.add_permissions.len() - replaced.len(),
            replaced.len(),
            removed.len(),
            self.kept_permissions
        )?;
        for p in &self.add_permissions {
            writeln!(
                f,
                "  {} {} on {}: {}",
                if p.replaces { "~" } else { "+" },
                p.statement_id,
                p.function,
                p.source_arn
            )?;
        }
        for r in removed {
            writeln!(f, "  - {} on {} ({})", r.statement_id, r.function, r.reason)?;
        }
        if let Some(d) = &self.deployment {
            writeln!(f, "deploy to stage {}", d.stage)?;
        }
        if !self.left_out.is_empty() {
            writeln!(
                f,
                "left out ({} operation(s) API Gateway cannot tell apart from another, reached by nothing):",
                self.left_out.len()
            )?;
            for l in &self.left_out {
                match &l.operation_id {
                    Some(id) => writeln!(f, "  {} {} ({id})", l.method, l.path)?,
                    None => writeln!(f, "  {} {}", l.method, l.path)?,
                }
            }
        }
        if !self.dispatched.is_empty() {
            writeln!(
                f,
                "dispatched ({} operation(s) API Gateway cannot tell apart from another, reached through a router):",
                self.dispatched.len()
            )?;
            for d in &self.dispatched {
                writeln!(f, "  {}", d.summary())?;
            }
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

/// The statement id of the one statement per API that replaces a function's per-method
/// statements when they would not fit in its policy.
pub fn api_statement_id(api_id: &str) -> String {
    format!("{STATEMENT_PREFIX}{api_id}-api")
}

/// Whether lambda-sync made this statement for the API `api_id`: its id starts with
/// `lambda-sync-{api_id}-`, or it has the id form of earlier versions (`lambda-sync-` and 16
/// hex digits, which did not name the API) and its SourceArn names this API.
pub fn made_for_api(statement: &PolicyStatement, api_id: &str) -> bool {
    let sid = statement.sid.as_str();
    if sid
        .strip_prefix(STATEMENT_PREFIX)
        .and_then(|rest| rest.strip_prefix(api_id))
        .is_some_and(|rest| rest.starts_with('-'))
    {
        return true;
    }
    let legacy = sid
        .strip_prefix(STATEMENT_PREFIX)
        .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    legacy
        && statement
            .source_arn
            .as_deref()
            .is_some_and(|arn| arn.contains(&format!(":{api_id}/")))
}

/// Plans a push. Pure: the same inputs give the same plan.
///
/// `api_id` is the API the definition goes to (configuration, `x-aws-api-id`, or the id an
/// earlier push recorded); `None` imports a new API.
pub fn plan(
    prepared: &Prepared,
    observed: &Observed,
    settings: &Settings,
    api_id: Option<&str>,
) -> Result<Plan> {
    let skipped = if !settings.enabled {
        Some("the integration is disabled (`enabled = false`)".to_string())
    } else if settings.deployment == DeploymentMode::Never {
        Some("`deployment = \"never\"`".to_string())
    } else {
        None
    };
    let api = match api_id {
        Some(id) => ApiId::Existing(id.to_string()),
        None => ApiId::New,
    };
    let (create_functions, reuse_functions) = plan_functions(prepared, observed, settings)?;
    if skipped.is_none() && !create_functions.is_empty() && settings.execution_role.is_none() {
        let names: Vec<&str> = create_functions.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::NoExecutionRole {
            count: names.len(),
            names: names[..names.len().min(5)].join(", ")
                + if names.len() > 5 { ", ..." } else { "" },
        });
    }
    let (body, marker) = match &api {
        ApiId::New => {
            let (body, marker) = crate::journal::mark_compact_body(&prepared.body);
            (body, Some(marker))
        }
        ApiId::Existing(_) => (prepared.body.clone(), None),
    };
    let api_step = ApiStep {
        action: match &api {
            ApiId::New => ApiAction::Import {
                endpoint_type: settings.endpoint_type,
            },
            ApiId::Existing(id) => ApiAction::Put {
                api_id: id.clone(),
                mode: settings.publish_mode,
            },
        },
        name: prepared.api_name.clone(),
        basepath: settings.basepath,
        fail_on_warnings: settings.fail_on_warnings,
        body_sha256: lambda_sync_stubs::code_sha256(&body),
        body_bytes: body.len(),
        body: Arc::new(body),
        marker,
    };
    let permissions = plan_permissions(prepared, observed, settings, &api);
    let wanted: BTreeSet<&str> = prepared.functions.iter().map(|f| f.name.as_str()).collect();
    let unused_functions = observed
        .api_functions
        .iter()
        .filter(|f| !wanted.contains(f.as_str()))
        .cloned()
        .collect();
    Ok(Plan {
        skipped,
        api_name: prepared.api_name.clone(),
        api_id: api,
        create_functions,
        reuse_functions,
        unused_functions,
        api: api_step,
        remove_permissions: permissions.remove,
        add_permissions: permissions.add,
        kept_permissions: permissions.kept,
        deployment: settings.stage.as_ref().map(|stage| DeployStep {
            stage: stage.clone(),
            description: "lambda-sync push".into(),
        }),
        warnings: permissions.warnings,
        left_out: prepared.left_out.clone(),
        dispatched: prepared.dispatched.clone(),
    })
}

/// Only missing functions are created; an existing one is used as it is.
fn plan_functions(
    prepared: &Prepared,
    observed: &Observed,
    settings: &Settings,
) -> Result<(Vec<CreateFunctionStep>, Vec<String>)> {
    let (mut create, mut reuse) = (Vec::new(), Vec::new());
    for f in &prepared.functions {
        if observed.functions.contains(&f.name) {
            reuse.push(f.name.clone());
            continue;
        }
        // Code is made only for the functions created (an existing one is never changed).
        let code = f.code()?;
        create.push(CreateFunctionStep {
            name: f.name.clone(),
            operation: f.operation.clone(),
            role: settings.execution_role.clone().unwrap_or_default(),
            runtime: f.runtime.clone(),
            handler: f.handler.clone(),
            description: f.description.clone(),
            tags: BTreeMap::from([("managed-by".to_string(), "lambda-sync".to_string())]),
            file_name: f.file_name.clone(),
            code_sha256: code.code_sha256.clone(),
            code_size: code.zip.len(),
            zip: Arc::new(code.zip.clone()),
        });
    }
    Ok((create, reuse))
}

#[derive(Default)]
struct PermissionPlan {
    add: Vec<AddPermissionStep>,
    remove: Vec<RemovePermissionStep>,
    kept: usize,
    warnings: Vec<String>,
}

/// A statement the plan wants on one function.
struct Wanted {
    statement_id: ApiScoped,
    source_arn: ApiScoped,
    operations: Vec<String>,
}

/// Per function: the statements this API needs (one per method, or one for the whole API when
/// those would pass Lambda's policy size limit) against those lambda-sync made for this API.
/// Statements of other APIs and statements lambda-sync did not make are never touched.
fn plan_permissions(
    prepared: &Prepared,
    observed: &Observed,
    settings: &Settings,
    api: &ApiId,
) -> PermissionPlan {
    let mut out = PermissionPlan::default();
    let mut by_function: BTreeMap<&str, Vec<&crate::prepare::DesiredPermission>> = BTreeMap::new();
    for p in &prepared.permissions {
        by_function.entry(p.function.as_str()).or_default().push(p);
    }
    let empty = Vec::new();
    for f in &prepared.functions {
        let Some(desired) = by_function.get(f.name.as_str()) else {
            continue;
        };
        let existing = observed.policies.get(&f.name).unwrap_or(&empty);
        let own = |s: &&PolicyStatement| api.known().is_some_and(|id| made_for_api(s, id));
        let mut wanted: Vec<Wanted> = if f.grouped {
            // A grouped function: one statement for every method of the API.
            let any = desired[0];
            vec![Wanted {
                statement_id: ApiScoped::new(api, api_statement_id),
                source_arn: ApiScoped::new(api, |id| format!("{}/*/*/*", any.api_arn(id))),
                operations: desired.iter().map(|p| p.operation()).collect(),
            }]
        } else {
            desired
                .iter()
                .map(|p| Wanted {
                    statement_id: ApiScoped::new(api, |id| p.statement_id(id)),
                    source_arn: ApiScoped::new(api, |id| p.source_arn(id)),
                    operations: vec![p.operation()],
                })
                .collect()
        };
        // Would the policy fit? Statements that stay (others') plus the wanted ones, measured
        // as Lambda measures the policy document, with a margin for its own formatting.
        let function_arn = format!(
            "arn:aws:lambda:{}:{}:function:{}",
            settings.region, settings.account_id, f.name
        );
        let stand_in = api.known().unwrap_or("abcdefghij");
        let mut after: Vec<PolicyStatement> =
            existing.iter().filter(|s| !own(s)).cloned().collect();
        after.extend(wanted.iter().map(|w| PolicyStatement {
            sid: w.statement_id.resolve(stand_in),
            action: Some("lambda:InvokeFunction".into()),
            principal: Some("apigateway.amazonaws.com".into()),
            source_arn: Some(w.source_arn.resolve(stand_in)),
        }));
        let size = policy_document_len(&function_arn, &after);
        if !f.grouped && size + POLICY_MARGIN > MAX_FUNCTION_POLICY_BYTES {
            let operations: Vec<String> = wanted.drain(..).flat_map(|w| w.operations).collect();
            out.warnings.push(format!(
                "function {}: {} per-method invoke permissions would make its policy {size} bytes, \
                 past Lambda's {MAX_FUNCTION_POLICY_BYTES}-byte limit; one statement allows every \
                 method of the API instead",
                f.name,
                operations.len()
            ));
            let any = desired[0];
            wanted.push(Wanted {
                statement_id: ApiScoped::new(api, api_statement_id),
                source_arn: ApiScoped::new(api, |id| format!("{}/*/*/*", any.api_arn(id))),
                operations,
            });
        }
        let mine: Vec<&PolicyStatement> = existing.iter().filter(own).collect();
        let wanted_ids: BTreeSet<&str> = wanted.iter().map(|w| w.statement_id.as_str()).collect();
        for s in &mine {
            if !wanted_ids.contains(s.sid.as_str()) {
                out.remove.push(RemovePermissionStep {
                    function: f.name.clone(),
                    statement_id: s.sid.clone(),
                    source_arn: s.source_arn.clone(),
                    reason: "no longer wanted for this API".into(),
                });
            }
        }
        for w in wanted {
            let same = mine.iter().find(|s| s.sid == w.statement_id.as_str());
            let replaces = match same {
                Some(s) if s.source_arn.as_deref() == Some(w.source_arn.as_str()) => {
                    out.kept += 1;
                    continue;
                }
                Some(s) => {
                    out.remove.push(RemovePermissionStep {
                        function: f.name.clone(),
                        statement_id: s.sid.clone(),
                        source_arn: s.source_arn.clone(),
                        reason: format!("its SourceArn is now {}", w.source_arn),
                    });
                    true
                }
                None => false,
            };
            out.add.push(AddPermissionStep {
                function: f.name.clone(),
                statement_id: w.statement_id,
                action: "lambda:InvokeFunction".into(),
                principal: "apigateway.amazonaws.com".into(),
                source_arn: w.source_arn,
                operations: w.operations,
                replaces,
            });
        }
    }
    out
}

/// Room left for differences between this measure of a policy and Lambda's own.
const POLICY_MARGIN: usize = 512;

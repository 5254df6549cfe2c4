//! The pure planner: what is wanted, what exists → what to do.

use crate::config::{DeploymentMode, Settings};
use crate::error::{Error, Result};
use crate::prepare::Prepared;
use lambda_sync_aws::{BasePathMode, PolicyStatement, PutMode, RestApi};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What exists in the account, as read before planning.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Observed {
    /// Names of every function in the region (one paginated listing).
    pub functions: BTreeSet<String>,
    /// The target API, when an id is known and it exists.
    pub api: Option<RestApi>,
    /// Resource-policy statements of the existing functions the definition uses.
    pub policies: BTreeMap<String, Vec<PolicyStatement>>,
}

/// What happens to the REST API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ApiAction {
    /// Create a new API by importing the definition.
    Import,
    /// Update an existing API.
    Put {
        /// Its id.
        api_id: String,
        /// Overwrite or merge.
        mode: PutMode,
    },
}

/// One invoke permission to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedPermission {
    /// Function name.
    pub function: String,
    /// Statement id.
    pub statement_id: String,
    /// `GET /pets/{id}`.
    pub operation: String,
    /// Source ARN; `None` until a new API has an id.
    pub source_arn: Option<String>,
}

/// The plan of a push: printable, serialisable, comparable; [`Engine::push`](crate::Engine::push)
/// carries out exactly this.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Why nothing is sent (`enabled = false`, `deployment = never`), if so.
    pub skipped: Option<String>,
    /// API name (`info.title`).
    pub api_name: String,
    /// Import or put.
    pub api: ApiAction,
    /// basePath mode.
    pub basepath: BasePathMode,
    /// failonwarnings.
    pub fail_on_warnings: bool,
    /// Functions to create, in document order.
    pub create_functions: Vec<String>,
    /// Functions that exist and are used as they are.
    pub reuse_functions: Vec<String>,
    /// Permissions to add.
    pub add_permissions: Vec<PlannedPermission>,
    /// Stage to deploy to after the push.
    pub deployment: Option<String>,
}

impl Plan {
    /// Whether the plan sends anything.
    pub fn is_skipped(&self) -> bool {
        self.skipped.is_some()
    }

    /// How many calls that write the plan makes (function creations, the import or put,
    /// permissions, the deployment).
    pub fn write_calls(&self) -> usize {
        if self.is_skipped() {
            return 0;
        }
        self.create_functions.len()
            + 1
            + self.add_permissions.len()
            + usize::from(self.deployment.is_some())
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(why) = &self.skipped {
            return writeln!(f, "nothing to do: {why}");
        }
        match &self.api {
            ApiAction::Import => writeln!(
                f,
                "import a new REST API \"{}\" (basepath {}{})",
                self.api_name,
                self.basepath.as_str(),
                if self.fail_on_warnings {
                    ", fail on warnings"
                } else {
                    ""
                }
            )?,
            ApiAction::Put { api_id, mode } => writeln!(
                f,
                "{} REST API {api_id} \"{}\" (basepath {}{})",
                if *mode == PutMode::Merge {
                    "merge into"
                } else {
                    "overwrite"
                },
                self.api_name,
                self.basepath.as_str(),
                if self.fail_on_warnings {
                    ", fail on warnings"
                } else {
                    ""
                }
            )?,
        }
        writeln!(
            f,
            "create {} function(s), reuse {} existing",
            self.create_functions.len(),
            self.reuse_functions.len()
        )?;
        for name in &self.create_functions {
            writeln!(f, "  + {name}")?;
        }
        for name in &self.reuse_functions {
            writeln!(f, "  = {name}")?;
        }
        writeln!(f, "add {} invoke permission(s)", self.add_permissions.len())?;
        for p in &self.add_permissions {
            writeln!(
                f,
                "  + {} for {} ({})",
                p.statement_id, p.function, p.operation
            )?;
        }
        if let Some(stage) = &self.deployment {
            writeln!(f, "deploy to stage {stage}")?;
        }
        Ok(())
    }
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
        Some(id) => ApiAction::Put {
            api_id: id.to_string(),
            mode: settings.publish_mode,
        },
        None => ApiAction::Import,
    };
    let (mut create_functions, mut reuse_functions) = (Vec::new(), Vec::new());
    for f in &prepared.functions {
        if observed.functions.contains(&f.name) {
            reuse_functions.push(f.name.clone());
        } else {
            create_functions.push(f.name.clone());
        }
    }
    if skipped.is_none() && !create_functions.is_empty() && settings.execution_role.is_none() {
        return Err(Error::NoExecutionRole {
            count: create_functions.len(),
            names: create_functions
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
                + if create_functions.len() > 5 {
                    ", ..."
                } else {
                    ""
                },
        });
    }
    let add_permissions = prepared
        .permissions
        .iter()
        .filter(|p| {
            !observed
                .policies
                .get(&p.function)
                .is_some_and(|st| st.iter().any(|s| s.sid == p.statement_id))
        })
        .map(|p| PlannedPermission {
            function: p.function.clone(),
            statement_id: p.statement_id.clone(),
            operation: format!("{} {}", p.method, p.path),
            source_arn: api_id.map(|id| p.source_arn(id)),
        })
        .collect();
    Ok(Plan {
        skipped,
        api_name: prepared.api_name.clone(),
        api,
        basepath: settings.basepath,
        fail_on_warnings: settings.fail_on_warnings,
        create_functions,
        reuse_functions,
        add_permissions,
        deployment: settings.stage.clone(),
    })
}

//! `lambda-sync.toml`: every option of a sync, with validation that names the key at fault.

use crate::error::{Error, Result};
use lambda_sync_aws::{BasePathMode, Date, EndpointType, PutMode};
use lambda_sync_integration::{Granularity, IntegrationType};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The account id of the local embedded account.
pub const LOCAL_ACCOUNT_ID: &str = "123456789012";
/// The region of the local embedded account.
pub const LOCAL_REGION: &str = "us-east-1";
/// The execution role given to functions created on the local account.
pub const LOCAL_ROLE: &str = "arn:aws:iam::123456789012:role/lambda-sync-local";
/// The name of the configuration file looked for next to the definition.
pub const CONFIG_FILE_NAME: &str = "lambda-sync.toml";

/// When a definition is pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeploymentMode {
    /// Every `push` (and every save under `watch`) sends the definition.
    #[default]
    OnSave,
    /// Nothing is sent (the same as `enabled = false`).
    Never,
}

/// Where the API and the functions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// The local embedded account (an in-memory fake saved on disk).
    #[default]
    Local,
    /// Real AWS (or an emulator at an endpoint URL).
    Aws,
}

/// The contents of `lambda-sync.toml`. Every key is optional; flags override it.
///
/// ```
/// let config = lambda_sync::Config::from_toml_str(r#"
/// region = "eu-west-1"
/// execution_role = "arn:aws:iam::111122223333:role/lambda-basic"
/// publish_mode = "merge"
/// basepath = "split"
/// runtime = "python3.12"
/// "#, None).unwrap();
/// let settings = config.resolve(lambda_sync::Target::Aws).unwrap();
/// assert_eq!(settings.account_id, "111122223333");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The day runtimes are checked for (which are deprecated, which blocked). Not a file key:
    /// the caller sets it (the CLI from the clock, or `LAMBDA_SYNC_TODAY`), because no library
    /// reads the clock; `None` checks as on the catalogue's own date
    /// ([`CATALOGUE_DATE`](lambda_sync_aws::runtimes::CATALOGUE_DATE)).
    #[serde(skip)]
    pub today: Option<Date>,
    /// AWS region (`us-east-1`).
    pub region: Option<String>,
    /// AWS account id (12 digits); taken from `execution_role` when not given.
    pub account_id: Option<String>,
    /// The API to update; else the definition's root `x-aws-api-id`, else the id recorded by an
    /// earlier push, else a new API is created.
    pub api_id: Option<String>,
    /// `overwrite` (default, recommended) or `merge`.
    pub publish_mode: PutMode,
    /// How API Gateway reads `basePath`: `ignore` (default), `prepend` or `split`.
    pub basepath: BasePathMode,
    /// The endpoint type of an API lambda-sync creates: `EDGE` (AWS's default), `REGIONAL`
    /// or `PRIVATE`. Sent on import; an existing API keeps its type.
    pub endpoint_type: EndpointType,
    /// Write the AWS-ready definition (transforms, extensions, generated operationIds,
    /// `x-aws-api-id`) back into the user's file. Off by default: the file is never touched.
    pub update_definition: bool,
    /// `on-save` (default) or `never`.
    pub deployment: DeploymentMode,
    /// When false nothing is sent.
    pub enabled: bool,
    /// Role ARN given to the functions lambda-sync creates.
    pub execution_role: Option<String>,
    /// Runtime of the functions lambda-sync creates (default: the stubs crate's default).
    pub runtime: Option<String>,
    /// `aws` (default, non-proxy) or `aws_proxy`.
    pub integration: IntegrationType,
    /// Function name template: `{prefix}`, `{title}`, `{version}`, `{tag}`, `{operationId}`.
    pub name_template: Option<String>,
    /// How operations map to functions: `operation` (default, one each), `tag` (one per first
    /// tag) or `api` (one for the API). `x-lambda-sync-function: NAME` groups by hand.
    pub granularity: Granularity,
    /// The value of `{prefix}` in `name_template`.
    pub prefix: Option<String>,
    /// Deploy the API to this stage after each push (no deployment when unset).
    pub stage: Option<String>,
    /// Refuse an import that API Gateway answers with warnings (default on).
    pub fail_on_warnings: bool,
    /// How many AWS calls run at once (1–32, default 4).
    pub concurrency: usize,
    /// Compat rules to switch off, by id.
    pub disable_rules: Vec<String>,
    /// Make no repair (paths, path variables, parameter names, operations API Gateway cannot
    /// tell apart): each one is an error instead. Off by default.
    pub strict: bool,
    /// The account's API Gateway quotas (`[quotas]`), for the checks made before any call.
    pub quotas: Quotas,
}

/// `[quotas]` in `lambda-sync.toml`: the account's API Gateway quotas, when raised in Service
/// Quotas. A definition that needs more is refused before any call.
///
/// ```
/// let config = lambda_sync::Config::from_toml_str("[quotas]\nresources_per_api = 1000", None).unwrap();
/// assert_eq!(config.quotas.resources_per_api, 1000);
/// assert_eq!(lambda_sync::Quotas::default().resources_per_api, 300);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Quotas {
    /// "Resources per API" (default 300, AWS's default quota).
    pub resources_per_api: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            resources_per_api: lambda_sync_aws::limits::DEFAULT_RESOURCES_PER_API,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            today: None,
            region: None,
            account_id: None,
            api_id: None,
            publish_mode: PutMode::Overwrite,
            basepath: BasePathMode::Ignore,
            endpoint_type: EndpointType::Edge,
            update_definition: false,
            deployment: DeploymentMode::OnSave,
            enabled: true,
            execution_role: None,
            runtime: None,
            integration: IntegrationType::Aws,
            granularity: Granularity::Operation,
            name_template: None,
            prefix: None,
            stage: None,
            fail_on_warnings: true,
            concurrency: 4,
            disable_rules: Vec::new(),
            quotas: Quotas::default(),
            strict: false,
        }
    }
}

/// Fully resolved and validated settings of one sync.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Local account or AWS.
    pub target: Target,
    /// Region.
    pub region: String,
    /// Account id.
    pub account_id: String,
    /// Configured API id, if any.
    pub api_id: Option<String>,
    /// Put mode for existing APIs.
    pub publish_mode: PutMode,
    /// basePath handling.
    pub basepath: BasePathMode,
    /// Endpoint type of a new API.
    pub endpoint_type: EndpointType,
    /// Write-back of the AWS-ready definition.
    pub update_definition: bool,
    /// Deployment mode.
    pub deployment: DeploymentMode,
    /// Whether syncing is enabled.
    pub enabled: bool,
    /// Execution role for new functions (`None`: creating a function is an error).
    pub execution_role: Option<String>,
    /// Runtime id for new functions.
    pub runtime: String,
    /// The day the runtime was checked for ([`Config::today`]).
    pub today: Date,
    /// What the runtime check warns about (deprecated or soon deprecated, or the catalogue may
    /// be out of date); `push`, `plan` and `stubs` show them.
    pub runtime_warnings: Vec<String>,
    /// Integration type.
    pub integration: IntegrationType,
    /// Function name template.
    pub name_template: Option<String>,
    /// How operations map to functions.
    pub granularity: Granularity,
    /// Name prefix.
    pub prefix: Option<String>,
    /// Stage to deploy to.
    pub stage: Option<String>,
    /// failonwarnings.
    pub fail_on_warnings: bool,
    /// Concurrency.
    pub concurrency: usize,
    /// Compat rules switched off.
    pub disable_rules: Vec<String>,
    /// The account's quotas.
    pub quotas: Quotas,
    /// Strict mode: repairs are errors.
    pub strict: bool,
}

impl Config {
    /// Parses TOML; an unknown key or a wrong value is an error naming the key and the line.
    pub fn from_toml_str(text: &str, path: Option<&Path>) -> Result<Config> {
        toml::from_str(text).map_err(|e| Error::Config {
            key: String::new(),
            message: match path {
                Some(p) => format!("{}: {}", p.display(), e.to_string().trim_end()),
                None => e.to_string().trim_end().to_string(),
            },
        })
    }

    /// Reads a configuration file.
    pub fn from_path(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            key: String::new(),
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        Config::from_toml_str(&text, Some(path))
    }

    /// Validates every value and fills in the defaults of the target: on the local account
    /// everything has a working default; on AWS the region and the account (or an execution
    /// role to take it from) must be known.
    pub fn resolve(&self, target: Target) -> Result<Settings> {
        let bad = |key: &str, message: String| Error::Config {
            key: key.to_string(),
            message,
        };
        let region = match (&self.region, target) {
            (Some(r), _) => r.clone(),
            (None, Target::Local) => LOCAL_REGION.to_string(),
            (None, Target::Aws) => {
                return Err(bad(
                    "region",
                    "no region: set `region` in lambda-sync.toml, pass --region, or set AWS_REGION"
                        .into(),
                ));
            }
        };
        if !valid_region(&region) {
            return Err(bad(
                "region",
                format!("`{region}` is not an AWS region name (like `us-east-1` or `eu-west-2`)"),
            ));
        }
        if let Some(role) = &self.execution_role
            && role_account(role).is_none()
        {
            return Err(bad(
                "execution_role",
                format!(
                    "`{role}` is not an IAM role ARN; it looks like `arn:aws:iam::123456789012:role/lambda-basic-execution`"
                ),
            ));
        }
        let account_id = match (&self.account_id, &self.execution_role, target) {
            (Some(a), _, _) => a.clone(),
            (None, Some(role), _) => role_account(role).expect("validated").to_string(),
            (None, None, Target::Local) => LOCAL_ACCOUNT_ID.to_string(),
            (None, None, Target::Aws) => {
                return Err(bad(
                    "account_id",
                    "the AWS account id is unknown: set `execution_role` (the account is taken from its ARN) or `account_id`".into(),
                ));
            }
        };
        if account_id.len() != 12 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(
                "account_id",
                format!("`{account_id}` is not an AWS account id (12 digits)"),
            ));
        }
        if let (Some(role), Some(explicit)) = (&self.execution_role, &self.account_id)
            && role_account(role) != Some(explicit.as_str())
        {
            return Err(bad(
                "execution_role",
                format!(
                    "the role `{role}` belongs to another account than account_id `{explicit}`"
                ),
            ));
        }
        if let Some(id) = &self.api_id
            && (id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(bad(
                "api_id",
                format!("`{id}` is not a REST API id (like `a1b2c3d4e5`)"),
            ));
        }
        let runtime = self
            .runtime
            .clone()
            .unwrap_or_else(|| lambda_sync_stubs::DEFAULT_RUNTIME.to_string());
        let today = self.today.unwrap_or_else(|| {
            Date::parse(lambda_sync_aws::runtimes::CATALOGUE_DATE).expect("the catalogue date")
        });
        let runtime_warnings = crate::prepare::check_runtime(&runtime, today)
            .map_err(|message| bad("runtime", message))?;
        if let Some(stage) = &self.stage
            && (stage.is_empty()
                || stage.len() > 128
                || !stage
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        {
            return Err(bad(
                "stage",
                format!("`{stage}` is not a stage name (letters, digits, `-` and `_`)"),
            ));
        }
        if !(1..=32).contains(&self.concurrency) {
            return Err(bad(
                "concurrency",
                format!("{} is out of range: use 1 to 32", self.concurrency),
            ));
        }
        if self.quotas.resources_per_api == 0 {
            return Err(bad(
                "quotas.resources_per_api",
                "0 is not a quota: use the value Service Quotas shows for \"Resources per API\" (default 300)".into(),
            ));
        }
        let execution_role = match (&self.execution_role, target) {
            (Some(r), _) => Some(r.clone()),
            (None, Target::Local) => Some(LOCAL_ROLE.replace(LOCAL_ACCOUNT_ID, &account_id)),
            (None, Target::Aws) => None,
        };
        Ok(Settings {
            target,
            region,
            account_id,
            api_id: self.api_id.clone(),
            publish_mode: self.publish_mode,
            basepath: self.basepath,
            endpoint_type: self.endpoint_type,
            update_definition: self.update_definition,
            deployment: self.deployment,
            enabled: self.enabled,
            execution_role,
            runtime,
            today,
            runtime_warnings,
            integration: self.integration,
            granularity: self.granularity,
            name_template: self.name_template.clone(),
            prefix: self.prefix.clone(),
            stage: self.stage.clone(),
            fail_on_warnings: self.fail_on_warnings,
            concurrency: self.concurrency,
            disable_rules: self.disable_rules.clone(),
            quotas: self.quotas,
            strict: self.strict,
        })
    }
}

/// `us-east-1`, `eu-central-2`, `cn-north-1`, `us-gov-west-1`, `ap-southeast-4`, ...
pub fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    if parts.len() < 3 || parts.len() > 4 {
        return false;
    }
    let (last, rest) = parts.split_last().expect("non-empty");
    !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// The account id of an IAM role ARN (`arn:aws:iam::123456789012:role/name`), if it is one.
pub fn role_account(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov") {
        return None;
    }
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let name = resource.strip_prefix("role/")?;
    let name_ok = !name.is_empty()
        && name.len() <= 512
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b));
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && name_ok)
        .then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_err(toml: &str, target: Target, key: &str, needle: &str) {
        let err = Config::from_toml_str(toml, None)
            .and_then(|c| c.resolve(target))
            .expect_err("must fail");
        let text = err.to_string();
        assert!(text.contains(key), "{text} should name {key}");
        assert!(text.contains(needle), "{text} should contain {needle}");
    }

    #[test]
    fn local_defaults_need_no_file() {
        let s = Config::default().resolve(Target::Local).unwrap();
        assert_eq!(s.region, LOCAL_REGION);
        assert_eq!(s.account_id, LOCAL_ACCOUNT_ID);
        assert_eq!(s.execution_role.as_deref(), Some(LOCAL_ROLE));
        assert_eq!(s.publish_mode, PutMode::Overwrite);
        assert!(s.fail_on_warnings && s.enabled);
    }

    #[test]
    fn bad_values_name_their_key() {
        check_err("region = \"useast1\"", Target::Local, "region", "useast1");
        check_err(
            "execution_role = \"role/x\"",
            Target::Local,
            "execution_role",
            "ARN",
        );
        check_err(
            "publish_mode = \"replace\"",
            Target::Local,
            "publish_mode",
            "replace",
        );
        check_err("basepath = \"strip\"", Target::Local, "basepath", "strip");
        check_err("concurrency = 0", Target::Local, "concurrency", "1 to 32");
        check_err(
            "regoin = \"us-east-1\"",
            Target::Local,
            "regoin",
            "unknown field",
        );
        check_err("runtime = \"cobol1\"", Target::Local, "runtime", "cobol1");
        check_err("stage = \"a b\"", Target::Local, "stage", "a b");
        check_err("", Target::Aws, "region", "AWS_REGION");
        check_err(
            "region = \"eu-west-1\"",
            Target::Aws,
            "account_id",
            "execution_role",
        );
        check_err(
            "account_id = \"111122223333\"\nexecution_role = \"arn:aws:iam::444455556666:role/r\"",
            Target::Local,
            "execution_role",
            "another account",
        );
    }

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "cn-north-1",
            "us-gov-west-1",
            "ap-southeast-4",
        ] {
            assert!(valid_region(ok), "{ok}");
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "us_east_1",
            "us-east-1a",
            "-east-1",
        ] {
            assert!(!valid_region(bad), "{bad}");
        }
    }
}

//! What a push wants to exist: the AWS-ready body, the functions and their permissions.
//! Pure: no IO.

use crate::config::Settings;
use crate::error::{Error, Result};
use lambda_sync_aws::BasePathMode;
use lambda_sync_compat::{Change, CompatOptions};
use lambda_sync_integration::{BindOptions, Binding, InvokePermission};
use lambda_sync_spec::{Diagnostic, Document};
use serde::Serialize;
use serde_json::Value;

/// The root key that names the REST API a definition is pushed to.
pub const API_ID_KEY: &str = "x-aws-api-id";

/// A function that must exist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesiredFunction {
    /// Function name.
    pub name: String,
    /// The operation it backs (`GET /user/{username}`).
    pub operation: String,
    /// Runtime id.
    pub runtime: String,
    /// Handler (`index.handler`).
    pub handler: String,
    /// Description given to a new function.
    pub description: String,
    /// The stub's file name inside the zip.
    pub file_name: String,
    /// The stub's source.
    #[serde(skip)]
    pub source: String,
    /// The deterministic zip package.
    #[serde(skip)]
    pub zip: Vec<u8>,
    /// Base64 SHA-256 of the zip, as Lambda reports `CodeSha256`.
    pub code_sha256: String,
}

/// An invoke permission that must exist, for one operation, on whatever API the push targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesiredPermission {
    /// Function name.
    pub function: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The definition's path.
    pub path: String,
    /// The method's resource path on the API (the base path placed as the `basepath` mode
    /// places it).
    pub resource_path: String,
    #[serde(skip)]
    pub(crate) permission: InvokePermission,
}

impl DesiredPermission {
    /// The statement id on the API `api_id` (`lambda-sync-{api_id}-{digest}`).
    pub fn statement_id(&self, api_id: &str) -> String {
        self.permission.statement_id_for(api_id)
    }

    /// The least-privilege source ARN on the API `api_id`, from the method's resource path.
    pub fn source_arn(&self, api_id: &str) -> String {
        self.permission.source_arn_at(api_id, &self.resource_path)
    }

    /// The ARN of the API `api_id` (`arn:aws:execute-api:REGION:ACCOUNT:ID`).
    pub fn api_arn(&self, api_id: &str) -> String {
        self.permission.api_arn(api_id)
    }

    /// `GET /pets/{id}`.
    pub fn operation(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Everything a push wants, computed from the definition and the settings.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The API name (`info.title`).
    pub api_name: String,
    /// The AWS-ready document: compat transforms plus integration extensions.
    pub document: Document,
    /// The body sent to API Gateway: the slim document (see
    /// [`lambda_sync_compat::slim`]) as compact JSON.
    pub body: Vec<u8>,
    /// How many resources the API has (the root, every path and each of its prefixes).
    pub resources: usize,
    /// Functions, one per bound operation, in document order.
    pub functions: Vec<DesiredFunction>,
    /// Invoke permissions, one per operation.
    pub permissions: Vec<DesiredPermission>,
    /// What compat changed.
    pub changes: Vec<Change>,
    /// Warnings and notes (compat findings that remain, binding notes).
    pub diagnostics: Vec<Diagnostic>,
    /// The root `x-aws-api-id` of the definition, if any.
    pub api_id_in_document: Option<String>,
    /// Operations compat left out because API Gateway cannot tell them apart from another one
    /// (each is also a warning in `diagnostics`).
    pub left_out: Vec<lambda_sync_compat::LeftOut>,
}

/// Checks a runtime id against the catalogue and today's date: blocked → error (naming the
/// replacement), unknown → error.
pub fn check_runtime(id: &str) -> std::result::Result<Vec<String>, String> {
    lambda_sync_stubs::check_runtime(id, today()).map_err(|e| e.to_string())
}

fn today() -> lambda_sync_stubs::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    lambda_sync_stubs::Date::new(y as u16, m as u8, d as u8).expect("a civil date is valid")
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The integration options for these settings.
pub fn bind_options(settings: &Settings, api_id: Option<&str>) -> BindOptions {
    let mut o = BindOptions::new(settings.region.clone(), settings.account_id.clone())
        .with_integration(settings.integration)
        .with_write_operation_ids(settings.update_definition)
        .with_api_id(api_id.map(str::to_string));
    if let Some(t) = &settings.name_template {
        o = o.with_name_template(t);
    }
    if let Some(p) = &settings.prefix {
        o = o.with_prefix(p.clone());
    }
    o
}

/// Computes what a push wants. Refuses a definition with errors that API Gateway would refuse.
pub fn prepare(doc: &Document, settings: &Settings) -> Result<Prepared> {
    lambda_sync_compat::validate_rule_ids(&settings.disable_rules).map_err(|e| Error::Config {
        key: "disable_rules".into(),
        message: e.to_string(),
    })?;
    let compat_options = CompatOptions::default()
        .with_disabled(settings.disable_rules.iter().cloned())
        .with_strict(settings.strict);
    let transformed = lambda_sync_compat::transform(doc, &compat_options);
    let errors: Vec<Diagnostic> = transformed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(Error::Definition {
            diagnostics: errors,
        });
    }
    let mut diagnostics = transformed.diagnostics;
    let left_out = transformed.repairs.left_out;
    let api_id_in_document = doc
        .value()
        .get(API_ID_KEY)
        .and_then(Value::as_str)
        .map(str::to_string);
    let options = bind_options(settings, None);
    let (bindings, bind_diags) = lambda_sync_integration::bind(&transformed.document, &options)?;
    diagnostics.extend(bind_diags);
    // The transformed document is ours: the integrations go into it in place, and the body
    // copies only what it keeps (no whole-document copies on the way).
    let mut document = transformed.document;
    lambda_sync_integration::apply_in_place(&mut document, &bindings, &options);
    let api_name = document.title().unwrap_or("untitled API").to_string();
    let body_value = lambda_sync_compat::slim(document.value());
    let body = serde_json::to_vec(&body_value).expect("a JSON value serialises");
    let limit = lambda_sync_aws::limits::MAX_API_DEFINITION_BYTES;
    if body.len() > limit {
        return Err(Error::BodyTooLarge {
            bytes: body.len(),
            limit,
            largest: lambda_sync_compat::largest_parts(&body_value, 5),
        });
    }
    let base = lambda_sync_compat::base_path_segments(&body_value);
    let prefix: &[String] = match settings.basepath {
        BasePathMode::Ignore => &[],
        BasePathMode::Prepend => &base,
        BasePathMode::Split => base.get(1..).unwrap_or(&[]),
    };
    let resources = lambda_sync_compat::resource_paths(&body_value, prefix).len();
    if resources > settings.quotas.resources_per_api {
        return Err(Error::TooManyResources {
            count: resources,
            quota: settings.quotas.resources_per_api,
        });
    }

    let runtime = lambda_sync_stubs::runtime(&settings.runtime).ok_or_else(|| Error::Config {
        key: "runtime".into(),
        message: format!("unknown runtime `{}`", settings.runtime),
    })?;
    let templates = lambda_sync_stubs::Templates::builtin();
    let mut functions: Vec<DesiredFunction> = Vec::new();
    let mut permissions = Vec::new();
    for b in &bindings.bindings {
        if !functions.iter().any(|f| f.name == b.function_name) {
            functions.push(desired_function(b, runtime, &templates)?);
        }
        permissions.push(DesiredPermission {
            function: b.function_name.clone(),
            method: b.method.as_upper().to_string(),
            path: b.path.clone(),
            resource_path: lambda_sync_aws::resource_path(&body_value, settings.basepath, &b.path),
            permission: b.permission.clone(),
        });
    }
    Ok(Prepared {
        api_name,
        document,
        body,
        resources,
        functions,
        permissions,
        changes: transformed.changes,
        diagnostics,
        api_id_in_document,
        left_out,
    })
}

fn desired_function(
    b: &Binding,
    runtime: &'static lambda_sync_stubs::RuntimeInfo,
    templates: &lambda_sync_stubs::Templates,
) -> Result<DesiredFunction> {
    let stub = lambda_sync_stubs::render(&b.contract, runtime, templates)?;
    let zip = lambda_sync_stubs::package(&stub)?;
    let code_sha256 = lambda_sync_stubs::code_sha256(&zip);
    let operation = format!("{} {}", b.method.as_upper(), b.path);
    let mut description = format!("lambda-sync: {operation}");
    description.truncate(256);
    Ok(DesiredFunction {
        name: b.function_name.clone(),
        operation,
        runtime: stub.runtime.clone(),
        handler: stub.handler.clone(),
        description,
        file_name: stub.file_name.clone(),
        source: stub.source,
        zip,
        code_sha256,
    })
}

/// The definition to write back into the user's file (when `update_definition` is on): the
/// AWS-ready document with the API id recorded at the root.
pub fn write_back_document(prepared: &Prepared, api_id: Option<&str>) -> Document {
    let mut doc = prepared.document.clone();
    if let (Some(id), Some(obj)) = (api_id, doc.value_mut().as_object_mut())
        && obj.get(API_ID_KEY).and_then(Value::as_str) != Some(id)
    {
        obj.insert(API_ID_KEY.to_string(), Value::String(id.to_string()));
    }
    doc
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_785), (2026, 11, 28));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }
}

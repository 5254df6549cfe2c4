//! Export of the desired state as a CloudFormation or SAM template. Pure: no IO; the caller
//! writes the files [`export()`] returns (the main template last).
//!
//! - The API is the body `push` sends, as `AWS::Serverless::Api` `DefinitionBody` (SAM) or
//!   `AWS::ApiGateway::RestApi` `Body` (CloudFormation, and SAM when `basepath` is not
//!   `ignore`: only the plain resource takes the `basepath` import parameter). The generated
//!   integration URIs are written with `Fn::Sub` so the template deploys into any account and
//!   region.
//! - One function per desired function (`FunctionName` as `push` names it), its code in the
//!   code folder (a folder per function for SAM's `CodeUri`, a zip for `AWS::Lambda::Function`
//!   `Code`, both uploaded by `sam deploy` / `aws cloudformation package`).
//! - One `AWS::Lambda::Permission` per operation (one per API for a grouped function), its
//!   `SourceArn` built from the API's id and
//!   the method's resource path; one per function and API when the function's policy would pass
//!   Lambda's 20 KB.
//! - CloudFormation's limits: a body that makes the template pass 51,200 bytes goes to a file
//!   inserted with `AWS::Include` (intrinsic functions still work in it); a body that would
//!   make the processed template pass 1 MB is referenced with `BodyS3Location` /
//!   `DefinitionUri` (no intrinsic functions there: the URIs keep the configured account and
//!   region); more than 500 resources are split into nested stacks of functions.

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::prepare::{DesiredFunction, Prepared, bind_options};
use lambda_sync_aws::{BasePathMode, EndpointType, limits};
use lambda_sync_spec::Format;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The stage an export deploys to when no `stage` is configured.
pub const DEFAULT_EXPORT_STAGE: &str = "prod";

/// The kind of template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// An AWS SAM template (`Transform: AWS::Serverless-2016-10-31`), for `sam deploy`.
    Sam,
    /// A plain CloudFormation template, for `aws cloudformation package` + `deploy`.
    #[serde(rename = "cloudformation")]
    CloudFormation,
}

/// How to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// SAM or CloudFormation.
    pub format: ExportFormat,
    /// The main template's file name (`template.yaml`; `.json` writes JSON). Other files are
    /// named after its stem.
    pub template_name: String,
    /// The code folder, relative to the template's folder (`/`-separated) or absolute.
    pub code_dir: String,
    /// The execution role given as the default of the `ExecutionRoleArn` parameter; `None`: the
    /// template creates a role with basic execution.
    pub execution_role: Option<String>,
    /// Whether the settings' region and account are the ones the template is deployed to
    /// (configured, not defaults): needed only when the body is too large to carry intrinsic
    /// functions.
    pub pinned_account: bool,
}

impl ExportOptions {
    /// Options for `format`: `template.yaml`, code in `lambda-sync-code`, a role resource.
    pub fn new(format: ExportFormat) -> ExportOptions {
        ExportOptions {
            format,
            template_name: "template.yaml".into(),
            code_dir: "lambda-sync-code".into(),
            execution_role: None,
            pinned_account: false,
        }
    }
    /// Sets the main template's file name.
    pub fn with_template_name(mut self, name: impl Into<String>) -> Self {
        self.template_name = name.into();
        self
    }
    /// Sets the code folder.
    pub fn with_code_dir(mut self, dir: impl Into<String>) -> Self {
        self.code_dir = dir.into();
        self
    }
    /// Sets the execution role (the default of the `ExecutionRoleArn` parameter).
    pub fn with_execution_role(mut self, role: Option<String>) -> Self {
        self.execution_role = role;
        self
    }
    /// Says whether the settings' region and account are the deployment's.
    pub fn with_pinned_account(mut self, pinned: bool) -> Self {
        self.pinned_account = pinned;
        self
    }
}

/// What a file of an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFileKind {
    /// The main template.
    Template,
    /// A nested stack's template.
    NestedTemplate,
    /// The API body (inserted with `AWS::Include` or referenced by location).
    Body,
    /// A function's code (source file or zip).
    Code,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFile {
    /// Path relative to the main template's folder (`/`-separated), or absolute.
    pub path: String,
    /// What it is.
    pub kind: ExportFileKind,
    /// Its bytes.
    #[serde(skip)]
    pub contents: Vec<u8>,
}

/// Where the API body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyPlacement {
    /// Inside the template.
    Inline,
    /// In a file inserted by `AWS::Include` (the template would pass 51,200 bytes).
    Include,
    /// In a file referenced by `BodyS3Location` / `DefinitionUri` (the processed template
    /// would pass 1 MB); its URIs name the configured account and region.
    Location,
}

/// The result of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    /// The files, the main template last.
    pub files: Vec<ExportFile>,
    /// Where the body is.
    pub body: BodyPlacement,
    /// Resources across all templates.
    pub resources: usize,
    /// Nested stacks (0: one template).
    pub nested_stacks: usize,
    /// Function resources.
    pub functions: usize,
    /// Permission resources.
    pub permissions: usize,
    /// The stage.
    pub stage: String,
    /// Things the user should know (functions referenced but not created, permissions merged).
    pub notes: Vec<String>,
}

impl Export {
    /// The main template's text.
    pub fn template(&self) -> &[u8] {
        &self
            .files
            .last()
            .expect("an export has a template")
            .contents
    }
}

/// The logical id of the API resource.
const API_ID: &str = "Api";
/// The logical id of the role resource, and the name of the role parameter.
const ROLE_RESOURCE: &str = "ExecutionRole";
const ROLE_PARAM: &str = "ExecutionRoleArn";
/// The nested stacks' parameter that carries the API id.
const API_PARAM: &str = "ApiId";

/// Exports the desired state as a template (see the module documentation).
pub fn export(prepared: &Prepared, settings: &Settings, options: &ExportOptions) -> Result<Export> {
    let bad = |message: String| Error::Export { message };
    let out_format =
        Format::from_path(std::path::Path::new(&options.template_name)).unwrap_or(Format::Yaml);
    let ext = if out_format == Format::Json {
        "json"
    } else {
        "yaml"
    };
    let stem = std::path::Path::new(&options.template_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "template".into());
    let stage = settings
        .stage
        .clone()
        .unwrap_or_else(|| DEFAULT_EXPORT_STAGE.to_string());
    let body: Value = serde_json::from_slice(&prepared.body)
        .map_err(|e| bad(format!("the API body is not JSON: {e}")))?;
    if let Some(pointer) = intrinsic_lookalike(&body, String::new()) {
        return Err(bad(format!(
            "the definition has an object at {pointer} whose only key looks like a CloudFormation function (`Ref` or `Fn::...`); CloudFormation would evaluate it inside the API body. Rename the key or add a sibling key"
        )));
    }
    let sam = options.format == ExportFormat::Sam;
    let sam_api = sam && settings.basepath == BasePathMode::Ignore;
    let code_dir = options.code_dir.trim_end_matches('/').to_string();

    // Which functions the generated integrations call (the others are named by the user's own
    // integrations: referenced, never created).
    let bind = bind_options(settings, None);
    let generated_uris: BTreeMap<String, &DesiredFunction> = prepared
        .functions
        .iter()
        .map(|f| (lambda_sync_integration::invocation_uri(&f.name, &bind), f))
        .collect();
    let mut generated = BTreeSet::new();
    let mut external_arns: BTreeMap<String, String> = BTreeMap::new();
    for uri in integration_uris(&body) {
        if let Some(f) = generated_uris.get(uri) {
            generated.insert(f.name.clone());
        } else if let Some((name, arn)) = function_arn_of_uri(uri) {
            external_arns.entry(name).or_insert(arn);
        }
    }
    let mut notes = Vec::new();
    let functions: Vec<&DesiredFunction> = prepared
        .functions
        .iter()
        .filter(|f| generated.contains(&f.name))
        .collect();
    for f in &prepared.functions {
        if !generated.contains(&f.name) {
            notes.push(format!(
                "function {} is named by an integration of the definition; the template references it and does not create it",
                f.name
            ));
        }
    }

    let ids = logical_ids(prepared.functions.iter().map(|f| f.name.as_str()));
    let base = base_path_segments(&body, settings.basepath);

    // Permissions per function, merged into one per API when the policy would pass 20 KB.
    let mut perms: BTreeMap<&str, Vec<Permission>> = BTreeMap::new();
    for p in &prepared.permissions {
        perms
            .entry(p.function.as_str())
            .or_default()
            .push(Permission {
                logical: format!(
                    "Perm{}{}",
                    &ids[&p.function][2..],
                    hex8(p.permission.statement_id.as_bytes())
                ),
                path: source_path(&p.method, &resource_path(&base, &p.path)),
            });
    }
    for (name, list) in perms.iter_mut() {
        let arn_len = format!(
            "arn:aws:lambda:{}:{}:function:{name}",
            settings.region, settings.account_id
        )
        .len();
        let policy: usize = list
            .iter()
            .map(|p| statement_bytes(arn_len, &settings.region, &settings.account_id, &p.path))
            .sum();
        let grouped = prepared
            .functions
            .iter()
            .any(|f| f.name == *name && f.grouped);
        if grouped {
            // A grouped function (granularity `tag` or `api`, or a dispatching one): one
            // permission for the API, as push gives it.
            *list = vec![Permission {
                logical: format!("Perm{}Api", &ids[*name][2..]),
                path: "/*".to_string(),
            }];
        } else if policy > limits::MAX_FUNCTION_POLICY_BYTES {
            notes.push(format!(
                "function {name}: {} operation permissions would make a {policy}-byte policy (Lambda's limit is {} bytes); one permission covers every method and path of the API",
                list.len(),
                limits::MAX_FUNCTION_POLICY_BYTES
            ));
            *list = vec![Permission {
                logical: format!("Perm{}Api", &ids[*name][2..]),
                path: "/*".to_string(),
            }];
        }
    }

    // Group functions (with their permissions) into stacks.
    let role_resources = usize::from(options.execution_role.is_none());
    let api_resources = if sam_api { 1 } else { 3 };
    let fixed = role_resources + api_resources;
    let cost =
        |name: &str| usize::from(generated.contains(name)) + perms.get(name).map_or(0, Vec::len);
    let names: Vec<&str> = {
        let mut seen = BTreeSet::new();
        prepared
            .functions
            .iter()
            .map(|f| f.name.as_str())
            .chain(prepared.permissions.iter().map(|p| p.function.as_str()))
            .filter(|n| seen.insert(*n))
            .collect()
    };
    let total: usize = names.iter().map(|n| cost(n)).sum();
    let per_function_bytes: usize = 1200;
    let nested = fixed + total > limits::MAX_TEMPLATE_RESOURCES
        || total * per_function_bytes > limits::MAX_TEMPLATE_S3_BYTES / 2;
    let mut groups: Vec<Vec<&str>> = Vec::new();
    if nested {
        let budget = limits::MAX_TEMPLATE_RESOURCES;
        let mut current: Vec<&str> = Vec::new();
        let mut used = 0;
        for n in &names {
            let c = cost(n);
            if !current.is_empty()
                && (used + c > budget
                    || (used + c) * per_function_bytes > limits::MAX_TEMPLATE_S3_BYTES / 2)
            {
                groups.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push(n);
            used += c;
        }
        if !current.is_empty() {
            groups.push(current);
        }
        if fixed + groups.len() > limits::MAX_TEMPLATE_RESOURCES {
            return Err(bad(format!(
                "{total} function and permission resources need {} nested stacks, more than one template's {} resources can hold; split the definition",
                groups.len(),
                limits::MAX_TEMPLATE_RESOURCES
            )));
        }
    } else {
        groups.push(names.clone());
    }

    let role_value = match &options.execution_role {
        Some(_) => json!({"Ref": ROLE_PARAM}),
        None => json!({"Fn::GetAtt": [ROLE_RESOURCE, "Arn"]}),
    };
    let function_resource = |f: &DesiredFunction, role: Value| -> Value {
        if sam {
            json!({
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "FunctionName": f.name,
                    "Description": f.description,
                    "CodeUri": format!("{code_dir}/{}/", f.name),
                    "Handler": f.handler,
                    "Runtime": f.runtime,
                    "Role": role,
                    "Tags": {"managed-by": "lambda-sync"},
                }
            })
        } else {
            json!({
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "FunctionName": f.name,
                    "Description": f.description,
                    "Code": format!("{code_dir}/{}.zip", f.name),
                    "Handler": f.handler,
                    "Runtime": f.runtime,
                    "Role": role,
                    "Tags": [{"Key": "managed-by", "Value": "lambda-sync"}],
                }
            })
        }
    };
    let function_of = |name: &str| prepared.functions.iter().find(|f| f.name == name);
    // Function and permission resources of a group; `api_var` names the API id in `Fn::Sub`.
    let group_resources = |group: &[&str], api_var: &str, role: &Value| -> Map<String, Value> {
        let mut resources = Map::new();
        for name in group {
            let function_ref = if generated.contains(*name) {
                let f = function_of(name).expect("a desired function");
                resources.insert(ids[*name].clone(), function_resource(f, role.clone()));
                json!({"Ref": ids[*name]})
            } else {
                match external_arns.get(*name) {
                    Some(arn) => json!(arn),
                    None => json!(name),
                }
            };
            for p in perms.get(name).map(Vec::as_slice).unwrap_or_default() {
                resources.insert(
                    p.logical.clone(),
                    json!({
                        "Type": "AWS::Lambda::Permission",
                        "Properties": {
                            "Action": "lambda:InvokeFunction",
                            "FunctionName": function_ref,
                            "Principal": "apigateway.amazonaws.com",
                            "SourceArn": {"Fn::Sub": format!(
                                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api_var}}}{}",
                                p.path
                            )},
                        }
                    }),
                );
            }
        }
        resources
    };

    // The body with the generated URIs as `Fn::Sub`.
    let sub_body = {
        let mut b = body.clone();
        rewrite_uris(&mut b, &|uri| {
            let f = generated_uris.get(uri)?;
            let function = if nested {
                format!(
                    "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{}",
                    f.name
                )
            } else {
                format!("${{{}.Arn}}", ids[&f.name])
            };
            Some(json!({"Fn::Sub": format!(
                "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{function}/invocations"
            )}))
        });
        b
    };

    let title = prepared.api_name.clone();
    let mut description = format!("lambda-sync export of the API \"{title}\"");
    truncate_chars(&mut description, 1024);
    let body_file = format!("{stem}-api.json");
    let mut files: Vec<ExportFile> = Vec::new();
    let mut nested_files: Vec<ExportFile> = Vec::new();
    let mut resources_total = fixed;

    // The main template, with the API body given by `api_body` (`(property, value)`).
    let build_main = |api_body: (&str, Value)| -> Map<String, Value> {
        let mut t = Map::new();
        t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        if sam {
            t.insert("Transform".into(), json!("AWS::Serverless-2016-10-31"));
        }
        t.insert("Description".into(), json!(description));
        if let Some(role) = &options.execution_role {
            t.insert(
                "Parameters".into(),
                json!({ROLE_PARAM: {
                    "Type": "String",
                    "Description": "The IAM role the functions run with",
                    "Default": role,
                }}),
            );
        }
        let mut resources = Map::new();
        if options.execution_role.is_none() {
            resources.insert(
                ROLE_RESOURCE.into(),
                json!({
                    "Type": "AWS::IAM::Role",
                    "Properties": {
                        "AssumeRolePolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{
                                "Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }],
                        },
                        "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}],
                        "Tags": [{"Key": "managed-by", "Value": "lambda-sync"}],
                    }
                }),
            );
        }
        if sam_api {
            let mut props = Map::new();
            props.insert("Name".into(), json!(title));
            props.insert("StageName".into(), json!(stage));
            props.insert(api_body.0.into(), api_body.1);
            props.insert("FailOnWarnings".into(), json!(settings.fail_on_warnings));
            // EDGE is AWS's default and is left unsaid, as push leaves it.
            if settings.endpoint_type != EndpointType::Edge {
                props.insert(
                    "EndpointConfiguration".into(),
                    json!({"Type": settings.endpoint_type.as_str()}),
                );
            }
            resources.insert(
                API_ID.into(),
                json!({"Type": "AWS::Serverless::Api", "Properties": props}),
            );
        } else {
            let mut props = Map::new();
            props.insert("Name".into(), json!(title));
            props.insert(api_body.0.into(), api_body.1);
            props.insert("FailOnWarnings".into(), json!(settings.fail_on_warnings));
            if settings.basepath != BasePathMode::Ignore {
                props.insert(
                    "Parameters".into(),
                    json!({"basepath": settings.basepath.as_str()}),
                );
            }
            if settings.endpoint_type != EndpointType::Edge {
                props.insert(
                    "EndpointConfiguration".into(),
                    json!({"Types": [settings.endpoint_type.as_str()]}),
                );
            }
            resources.insert(
                API_ID.into(),
                json!({"Type": "AWS::ApiGateway::RestApi", "Properties": props}),
            );
            // A new deployment whenever the body or the stage changes.
            let mut seed = prepared.body.clone();
            seed.extend_from_slice(stage.as_bytes());
            let deployment = format!("Deployment{}", hex8(&seed));
            resources.insert(
                deployment.clone(),
                json!({
                    "Type": "AWS::ApiGateway::Deployment",
                    "Properties": {"RestApiId": {"Ref": API_ID}, "Description": "lambda-sync export"},
                }),
            );
            resources.insert(
                "Stage".into(),
                json!({
                    "Type": "AWS::ApiGateway::Stage",
                    "Properties": {
                        "RestApiId": {"Ref": API_ID},
                        "DeploymentId": {"Ref": deployment},
                        "StageName": stage,
                    }
                }),
            );
        }
        if nested {
            for (i, _) in groups.iter().enumerate() {
                let file = format!("{stem}-functions-{}.{ext}", i + 1);
                let params = json!({API_PARAM: {"Ref": API_ID}, ROLE_PARAM: role_value});
                let resource = if sam {
                    json!({"Type": "AWS::Serverless::Application", "Properties": {"Location": file, "Parameters": params}})
                } else {
                    json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": file, "Parameters": params}})
                };
                resources.insert(format!("Functions{}", i + 1), resource);
            }
        } else {
            resources.extend(group_resources(&groups[0], API_ID, &role_value));
        }
        t.insert("Resources".into(), Value::Object(resources));
        let url = if sam_api {
            format!(
                "https://${{{API_ID}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{stage}/"
            )
        } else {
            format!(
                "https://${{{API_ID}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{Stage}}/"
            )
        };
        t.insert(
            "Outputs".into(),
            json!({
                "ApiId": {"Description": "The REST API id", "Value": {"Ref": API_ID}},
                "ApiUrl": {"Description": "The URL of the stage", "Value": {"Fn::Sub": url}},
            }),
        );
        t
    };

    // Nested stacks.
    if nested {
        for (i, group) in groups.iter().enumerate() {
            let mut t = Map::new();
            t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
            if sam {
                t.insert("Transform".into(), json!("AWS::Serverless-2016-10-31"));
            }
            let mut d = format!(
                "lambda-sync export of the API \"{title}\": functions, part {}",
                i + 1
            );
            truncate_chars(&mut d, 1024);
            t.insert("Description".into(), json!(d));
            t.insert(
                "Parameters".into(),
                json!({
                    API_PARAM: {"Type": "String", "Description": "The REST API id"},
                    ROLE_PARAM: {"Type": "String", "Description": "The IAM role the functions run with"},
                }),
            );
            let resources = group_resources(group, API_PARAM, &json!({"Ref": ROLE_PARAM}));
            resources_total += resources.len();
            t.insert("Resources".into(), Value::Object(resources));
            let text = serialise(&Value::Object(t), out_format)?;
            if text.len() > limits::MAX_TEMPLATE_S3_BYTES {
                return Err(bad(format!(
                    "nested template {} would be {} bytes, over CloudFormation's {} bytes",
                    i + 1,
                    text.len(),
                    limits::MAX_TEMPLATE_S3_BYTES
                )));
            }
            nested_files.push(ExportFile {
                path: format!("{stem}-functions-{}.{ext}", i + 1),
                kind: ExportFileKind::NestedTemplate,
                contents: text.into_bytes(),
            });
        }
        resources_total += groups.len();
    } else {
        resources_total += total;
    }

    // Where the body goes.
    let body_key = if sam_api { "DefinitionBody" } else { "Body" };
    let inline = Value::Object(build_main((body_key, sub_body.clone())));
    let inline_text = serialise(&inline, out_format)?;
    let (placement, main_text) = if inline_text.len() <= limits::MAX_TEMPLATE_BODY_BYTES {
        (BodyPlacement::Inline, inline_text)
    } else {
        let processed = serde_json::to_vec(&inline).expect("JSON").len();
        if processed <= limits::MAX_TEMPLATE_S3_BYTES {
            files.push(ExportFile {
                path: body_file.clone(),
                kind: ExportFileKind::Body,
                contents: serialise(&sub_body, Format::Json)?.into_bytes(),
            });
            let include = json!({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": body_file}}});
            let t = Value::Object(build_main((body_key, include)));
            (BodyPlacement::Include, serialise(&t, out_format)?)
        } else if options.pinned_account {
            notes.push(format!(
                "the API body ({} bytes) would make the processed template {processed} bytes, over CloudFormation's {}: it is written to {body_file} with the function ARNs of account {} in {} and deploys there only",
                prepared.body.len(),
                limits::MAX_TEMPLATE_S3_BYTES,
                settings.account_id,
                settings.region
            ));
            files.push(ExportFile {
                path: body_file.clone(),
                kind: ExportFileKind::Body,
                contents: prepared.body.clone(),
            });
            let key = if sam_api {
                "DefinitionUri"
            } else {
                "BodyS3Location"
            };
            let t = Value::Object(build_main((key, json!(body_file))));
            (BodyPlacement::Location, serialise(&t, out_format)?)
        } else {
            return Err(bad(format!(
                "the API body is {} bytes: inside the template (where its function ARNs can follow the account and region) the processed template would be {processed} bytes, over CloudFormation's {} bytes. Set `region` and `account_id` (or `execution_role`) of the account you deploy to, and the body is written to a separate file with that account's function ARNs",
                prepared.body.len(),
                limits::MAX_TEMPLATE_S3_BYTES
            )));
        }
    };
    if main_text.len() > limits::MAX_TEMPLATE_S3_BYTES {
        return Err(bad(format!(
            "the template would be {} bytes, over CloudFormation's {} bytes",
            main_text.len(),
            limits::MAX_TEMPLATE_S3_BYTES
        )));
    }

    // Code, then the body, the nested templates and the main template.
    let mut code = Vec::new();
    for f in &functions {
        if sam {
            code.push(ExportFile {
                path: format!("{code_dir}/{}/{}", f.name, f.file_name),
                kind: ExportFileKind::Code,
                contents: f.code()?.source.clone().into_bytes(),
            });
        } else {
            code.push(ExportFile {
                path: format!("{code_dir}/{}.zip", f.name),
                kind: ExportFileKind::Code,
                contents: f.code()?.zip.clone(),
            });
        }
    }
    code.append(&mut files);
    code.append(&mut nested_files);
    code.push(ExportFile {
        path: options.template_name.clone(),
        kind: ExportFileKind::Template,
        contents: main_text.into_bytes(),
    });
    Ok(Export {
        files: code,
        body: placement,
        resources: resources_total,
        nested_stacks: if nested { groups.len() } else { 0 },
        functions: functions.len(),
        permissions: perms.values().map(Vec::len).sum(),
        stage,
        notes,
    })
}

/// A permission resource: its logical id and the part of the source ARN after the API id.
struct Permission {
    logical: String,
    path: String,
}

fn serialise(value: &Value, format: Format) -> Result<String> {
    Ok(lambda_sync_spec::to_text(value, format)?)
}

fn truncate_chars(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

fn hex8(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..4]).to_ascii_uppercase()
}

/// Logical ids of functions: `Fn` and the name in PascalCase (alphanumerics only), at most 255
/// characters; names that would share an id all get 8 hex digits of their SHA-256 appended,
/// so an id never depends on the order of the functions.
///
/// ```
/// let ids = lambda_sync::export_logical_ids(["get-pet", "getPet", "list_pets"]);
/// assert_eq!(ids["list_pets"], "FnListPets");
/// assert!(ids["get-pet"].starts_with("FnGetPet") && ids["get-pet"].len() == 16);
/// assert_ne!(ids["get-pet"], ids["getPet"]);
/// ```
pub fn logical_ids<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let max = limits::MAX_LOGICAL_ID_CHARS;
    let names: BTreeSet<&str> = names.into_iter().collect();
    let base = |name: &str| {
        let mut id = String::from("Fn");
        for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(chars);
            }
        }
        id.truncate(max - 8);
        id
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for n in &names {
        *count.entry(base(n)).or_default() += 1;
    }
    names
        .iter()
        .map(|n| {
            let b = base(n);
            let id = if count[&b] > 1 || b == "Fn" {
                format!("{b}{}", hex8(n.as_bytes()))
            } else {
                b
            };
            (n.to_string(), id)
        })
        .collect()
}

/// The `uri` of every `x-amazon-apigateway-integration` under `paths`.
fn integration_uris(body: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(paths) = body.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values() {
                if let Some(uri) = op
                    .pointer("/x-amazon-apigateway-integration/uri")
                    .and_then(Value::as_str)
                {
                    out.push(uri);
                }
            }
        }
    }
    out
}

/// Replaces the integration URIs for which `f` has a replacement.
fn rewrite_uris(body: &mut Value, f: &dyn Fn(&str) -> Option<Value>) {
    if let Some(paths) = body.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                if let Some(uri) = op.pointer_mut("/x-amazon-apigateway-integration/uri")
                    && let Some(new) = uri.as_str().and_then(f)
                {
                    *uri = new;
                }
            }
        }
    }
}

/// `(name, arn)` of the function a Lambda invocation URI calls
/// ([`lambda_sync_integration::LambdaUri`]).
fn function_arn_of_uri(uri: &str) -> Option<(String, String)> {
    lambda_sync_integration::LambdaUri::parse(uri).map(|u| (u.function_name, u.function_arn))
}

/// The pointer of an object in `value` whose only key CloudFormation would read as an
/// intrinsic function.
fn intrinsic_lookalike(value: &Value, pointer: String) -> Option<String> {
    match value {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(key) = map.keys().next()
                && (key == "Ref" || key.starts_with("Fn::"))
            {
                return Some(if pointer.is_empty() {
                    "/".into()
                } else {
                    pointer
                });
            }
            map.iter().find_map(|(k, v)| {
                intrinsic_lookalike(v, lambda_sync_spec::pointer::push(&pointer, k))
            })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| intrinsic_lookalike(v, format!("{pointer}/{i}"))),
        _ => None,
    }
}

// --- The permission model: one place, to follow push's. ---

/// The segments API Gateway puts before every path for a basePath mode: none (`ignore`),
/// the whole base path (`prepend`), the base path without its first segment (`split`). The
/// base path is `basePath` (2.0) or the path of `servers[0].url` with its variables at their
/// defaults (3.0), as the importer reads it.
fn base_path_segments(body: &Value, mode: BasePathMode) -> Vec<String> {
    let mut segments = match mode {
        BasePathMode::Ignore => return Vec::new(),
        _ => lambda_sync_spec::base_path_segments(body),
    };
    if mode == BasePathMode::Split && !segments.is_empty() {
        segments.remove(0);
    }
    segments
}

/// The API Gateway resource path of a definition path.
fn resource_path(base: &[String], path: &str) -> Vec<String> {
    base.iter()
        .cloned()
        .chain(
            path.split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        )
        .collect()
}

/// The source ARN after the API id: `/*/GET/pets/*` (any stage, path variables as `*`),
/// escaped for `Fn::Sub`.
fn source_path(method: &str, resource: &[String]) -> String {
    let parts: Vec<&str> = resource
        .iter()
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "*"
            } else {
                s.as_str()
            }
        })
        .collect();
    format!("/*/{method}/{}", parts.join("/")).replace("${", "${!")
}

/// The size of one invoke statement in a function's policy (what AWS stores: the statement
/// JSON; the statement id CloudFormation generates is up to about 100 characters).
fn statement_bytes(function_arn_len: usize, region: &str, account: &str, path: &str) -> usize {
    let source = format!("arn:aws:execute-api:{region}:{account}:a1b2c3d4e5{path}");
    let skeleton = r#"{"Sid":"","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"","Condition":{"ArnLike":{"AWS:SourceArn":""}}},"#;
    skeleton.len() + 100 + function_arn_len + source.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        let v2 = json!({"swagger": "2.0", "basePath": "/v1/pets"});
        assert!(base_path_segments(&v2, BasePathMode::Ignore).is_empty());
        assert_eq!(
            base_path_segments(&v2, BasePathMode::Prepend),
            ["v1", "pets"]
        );
        assert_eq!(base_path_segments(&v2, BasePathMode::Split), ["pets"]);
        let v3 = json!({"openapi": "3.0.3", "servers": [{"url": "https://{host}/{ver}/x", "variables": {"host": {"default": "h"}, "ver": {"default": "v2"}}}]});
        assert_eq!(base_path_segments(&v3, BasePathMode::Prepend), ["v2", "x"]);
    }

    #[test]
    fn source_paths() {
        let r = resource_path(&["v1".into()], "/pets/{petId}");
        assert_eq!(source_path("GET", &r), "/*/GET/v1/pets/*");
        assert_eq!(source_path("POST", &resource_path(&[], "/")), "/*/POST/");
    }

    #[test]
    fn uris_of_functions() {
        assert_eq!(
            function_arn_of_uri(
                "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:f:live/invocations"
            ),
            Some((
                "f".into(),
                "arn:aws:lambda:us-east-1:111122223333:function:f:live".into()
            ))
        );
        assert_eq!(function_arn_of_uri("http://example.com"), None);
    }

    #[test]
    fn lookalikes() {
        assert_eq!(
            intrinsic_lookalike(&json!({"a": [{"Ref": "x"}]}), String::new()),
            Some("/a/0".into())
        );
        assert_eq!(
            intrinsic_lookalike(&json!({"a": {"Ref": "x", "type": "string"}}), String::new()),
            None
        );
    }
}

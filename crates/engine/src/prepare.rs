//! What a push wants to exist: the AWS-ready body, the functions and their permissions.
//! Pure: no IO.

use crate::config::Settings;
use crate::error::{Error, Result};
use lambda_sync_aws::{BasePathMode, Date};
use lambda_sync_compat::{CompatOptions, RepairChange};
use lambda_sync_integration::{BindOptions, Binding, InvokePermission};
use lambda_sync_spec::{Diagnostic, Document};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, LazyLock, OnceLock};

/// The built-in stub templates, parsed once per process and only when some code is made.
static TEMPLATES: LazyLock<lambda_sync_stubs::Templates> =
    LazyLock::new(lambda_sync_stubs::Templates::builtin);

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
    /// The function's first code, made on first use ([`DesiredFunction::code`]): a push needs
    /// only the code of the functions it creates, `render` none. Serialised as `code_sha256`.
    #[serde(rename = "code_sha256", serialize_with = "serialize_code_sha256")]
    code: LazyCode,
    /// Whether it serves a group of operations (its code is a router, and it gets one invoke
    /// permission for the whole API).
    pub grouped: bool,
    /// The operations it serves (`GET /pets`), in document order.
    pub operations: Vec<String>,
}

impl DesiredFunction {
    /// The function's first code (its stub, the zip and the zip's digest), made on the first
    /// call and kept (clones share it).
    pub fn code(&self) -> Result<&FunctionCode> {
        self.code.get()
    }
}

/// The first code of a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCode {
    /// The stub's source.
    pub source: String,
    /// The deterministic zip package.
    pub zip: Vec<u8>,
    /// Base64 SHA-256 of the zip, as Lambda reports `CodeSha256`.
    pub code_sha256: String,
}

/// What a function's code is made from, and the code once it is made.
#[derive(Clone)]
struct LazyCode(Arc<CodeInputs>);

struct CodeInputs {
    /// The bindings of the whole definition (shared by every function).
    bindings: Arc<[Binding]>,
    /// This function's, as indices into `bindings`, in document order.
    members: Vec<usize>,
    runtime: &'static lambda_sync_stubs::RuntimeInfo,
    code: OnceLock<FunctionCode>,
}

impl LazyCode {
    fn get(&self) -> Result<&FunctionCode> {
        let inputs = &*self.0;
        if let Some(code) = inputs.code.get() {
            return Ok(code);
        }
        let list: Vec<&Binding> = inputs
            .members
            .iter()
            .map(|&i| &inputs.bindings[i])
            .collect();
        let stub = function_stub(&list, inputs.runtime, &TEMPLATES)?;
        let zip = lambda_sync_stubs::package(&stub)?;
        let code_sha256 = lambda_sync_stubs::code_sha256(&zip);
        Ok(inputs.code.get_or_init(|| FunctionCode {
            source: stub.source,
            zip,
            code_sha256,
        }))
    }
}

impl std::fmt::Debug for LazyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.code.get() {
            Some(code) => f
                .debug_struct("LazyCode")
                .field("code_sha256", &code.code_sha256)
                .finish(),
            None => f.write_str("LazyCode(not made yet)"),
        }
    }
}

impl PartialEq for LazyCode {
    fn eq(&self, other: &LazyCode) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || match (self.get(), other.get()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            }
    }
}

fn serialize_code_sha256<S: serde::Serializer>(
    code: &LazyCode,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    let code = code.get().map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&code.code_sha256)
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
    pub changes: Vec<RepairChange>,
    /// Warnings and notes (compat findings that remain, binding notes).
    pub diagnostics: Vec<Diagnostic>,
    /// The root `x-aws-api-id` of the definition, if any.
    pub api_id_in_document: Option<String>,
    /// Operations compat left out because API Gateway cannot tell them apart from another one
    /// (each is also a warning in `diagnostics`).
    /// Those that a router still reaches are in `dispatched` instead.
    pub left_out: Vec<lambda_sync_compat::LeftOut>,
    /// Operations compat left out that a router reaches (through another operation's method or
    /// one added for them).
    pub dispatched: Vec<crate::Dispatched>,
    /// Pointers of the methods added to `document` for operations compat left out (their
    /// function dispatches on the discriminating parameters); not written back.
    pub dispatch_methods: Vec<String>,
}

/// Checks a runtime id against the catalogue on `today` (given by the caller: no library reads
/// the clock): blocked → error (naming the replacement), unknown → error; otherwise the warnings
/// to show (deprecated, soon deprecated, or the catalogue may be out of date).
pub fn check_runtime(id: &str, today: Date) -> std::result::Result<Vec<String>, String> {
    lambda_sync_stubs::check_runtime(id, today).map_err(|e| e.to_string())
}

/// The integration options for these settings.
pub fn bind_options(settings: &Settings, api_id: Option<&str>) -> BindOptions {
    let mut o = BindOptions::new(settings.region.clone(), settings.account_id.clone())
        .with_integration(settings.integration)
        .with_granularity(settings.granularity)
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
///
/// A caller that does not need `doc` afterwards gives it to [`prepare_owned`], which saves a
/// copy of the whole tree.
pub fn prepare(doc: &Document, settings: &Settings) -> Result<Prepared> {
    prepare_owned(doc.clone(), settings)
}

/// [`prepare`] of a document the caller gives away: compat rewrites it in place.
pub fn prepare_owned(doc: Document, settings: &Settings) -> Result<Prepared> {
    lambda_sync_compat::validate_rule_ids(&settings.disable_rules).map_err(|e| Error::Config {
        key: "disable_rules".into(),
        message: e.to_string(),
    })?;
    let compat_options = CompatOptions::default()
        .with_disabled(settings.disable_rules.iter().cloned())
        .with_strict(settings.strict);
    let api_id_in_document = doc
        .value()
        .get(API_ID_KEY)
        .and_then(Value::as_str)
        .map(str::to_string);
    let transformed = lambda_sync_compat::transform_owned(doc, &compat_options);
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
    let options = bind_options(settings, None);
    let (bindings, bind_diags) = lambda_sync_integration::bind(&transformed.document, &options)?;
    diagnostics.extend(bind_diags);
    let (left_out, dispatched) = crate::dispatched::split(left_out, &bindings);
    // The transformed document is ours: the integrations go into it in place, and the body
    // copies only what it keeps (no whole-document copies on the way).
    let mut document = transformed.document;
    let integration_changes =
        lambda_sync_integration::apply_in_place(&mut document, &bindings, &options);
    // Methods added for operations compat left out exist for AWS only: the write-back leaves
    // them out (the next push adds them again from the set-aside operations).
    let dispatch_methods: Vec<String> = integration_changes
        .iter()
        .filter(|c| c.kind == lambda_sync_integration::ChangeKind::DispatchMethodAdded)
        .map(|c| c.pointer.clone())
        .collect();
    let api_name = document.title().unwrap_or("untitled API").to_string();
    // The body is written straight from the document (no slim copy). What is read from it
    // below (base path, paths) is the same in the document as in the body.
    let body = lambda_sync_compat::slim_to_vec(document.value());
    let limit = lambda_sync_aws::limits::MAX_API_DEFINITION_BYTES;
    if body.len() > limit {
        return Err(Error::BodyTooLarge {
            bytes: body.len(),
            limit,
            largest: lambda_sync_compat::largest_parts(
                &lambda_sync_compat::slim(document.value()),
                5,
            ),
        });
    }
    let base = lambda_sync_compat::base_path_segments(document.value());
    let prefix: &[String] = match settings.basepath {
        BasePathMode::Ignore => &[],
        BasePathMode::Prepend => &base,
        BasePathMode::Split => base.get(1..).unwrap_or(&[]),
    };
    let resources = lambda_sync_compat::resource_paths(document.value(), prefix).len();
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
    let mut permissions = Vec::new();
    for b in bindings.bindings.iter().filter(|b| !b.via_method) {
        // The method API Gateway calls: the operation's own, or the one added for it.
        let method_path = b.dispatch_path.as_deref().unwrap_or(&b.path);
        permissions.push(DesiredPermission {
            function: b.function_name.clone(),
            method: b.method.as_upper().to_string(),
            path: method_path.to_string(),
            resource_path: lambda_sync_aws::resource_path(
                document.value(),
                settings.basepath,
                method_path,
            ),
            permission: b.permission.clone(),
        });
    }
    let functions = desired_functions(bindings.bindings.into(), runtime);
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
        dispatched,
        dispatch_methods,
    })
}

/// The first code of the function that serves `list` (the bindings of one function, in
/// document order): the operation's stub, or for a grouped function the router over all of
/// them.
pub fn function_stub(
    list: &[&Binding],
    runtime: &lambda_sync_stubs::RuntimeInfo,
    templates: &lambda_sync_stubs::Templates,
) -> lambda_sync_stubs::Result<lambda_sync_stubs::Stub> {
    let b = list[0];
    if list.iter().any(|m| m.grouped) {
        let routes: Vec<lambda_sync_stubs::Route<'_>> = list
            .iter()
            .map(|m| lambda_sync_stubs::Route {
                contract: &m.contract,
                called_as: &m.called_as,
                discriminators: &m.discriminators,
            })
            .collect();
        lambda_sync_stubs::render_router(&b.function_name, &routes, runtime, templates)
    } else {
        lambda_sync_stubs::render(&b.contract, runtime, templates)
    }
}

/// The functions behind `bindings`, one per function name, in document order of its first
/// operation (one operation, or the group a router serves). Their code is made on first use.
fn desired_functions(
    bindings: Arc<[Binding]>,
    runtime: &'static lambda_sync_stubs::RuntimeInfo,
) -> Vec<DesiredFunction> {
    // Each function's operations, in document order of the function's first one.
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, b) in bindings.iter().enumerate() {
        match index.get(b.function_name.as_str()) {
            Some(&at) => members[at].push(i),
            None => {
                index.insert(&b.function_name, members.len());
                members.push(vec![i]);
            }
        }
    }
    members
        .into_iter()
        .map(|members| {
            let list: Vec<&Binding> = members.iter().map(|&i| &bindings[i]).collect();
            let b = list[0];
            let grouped = list.iter().any(|m| m.grouped);
            let operations: Vec<String> = list
                .iter()
                .map(|m| format!("{} {}", m.method.as_upper(), m.path))
                .collect();
            let operation = if operations.len() > 1 {
                format!("{} operations ({}, ...)", operations.len(), operations[0])
            } else {
                operations[0].clone()
            };
            let mut description = if operations.len() > 1 {
                format!("lambda-sync: router for {} operations", operations.len())
            } else {
                format!("lambda-sync: {operation}")
            };
            description.truncate(256);
            DesiredFunction {
                name: b.function_name.clone(),
                operation,
                runtime: runtime.id.to_string(),
                handler: runtime.handler.to_string(),
                description,
                file_name: runtime.handler_file.to_string(),
                code: LazyCode(Arc::new(CodeInputs {
                    bindings: Arc::clone(&bindings),
                    members,
                    runtime,
                    code: OnceLock::new(),
                })),
                grouped,
                operations,
            }
        })
        .collect()
}

/// The definition to write back into the user's file (when `update_definition` is on): the
/// AWS-ready document with the API id recorded at the root.
pub fn write_back_document(prepared: &Prepared, api_id: Option<&str>) -> Document {
    let mut doc = prepared.document.clone();
    for at in &prepared.dispatch_methods {
        if let Some((item, method)) = at.rsplit_once('/')
            && let Some(Value::Object(item)) = doc.value_mut().pointer_mut(item)
        {
            item.shift_remove(method);
        }
    }
    if let (Some(id), Some(obj)) = (api_id, doc.value_mut().as_object_mut())
        && obj.get(API_ID_KEY).and_then(Value::as_str) != Some(id)
    {
        obj.insert(API_ID_KEY.to_string(), Value::String(id.to_string()));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Observed, Target};

    const TWO: &str = r#"
openapi: 3.0.3
info: {title: Two, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses: {"200": {description: ok}}
  /b:
    get:
      operationId: getB
      responses: {"200": {description: ok}}
"#;

    /// The names of the functions whose code has been made.
    fn made(prepared: &Prepared) -> Vec<&str> {
        prepared
            .functions
            .iter()
            .filter(|f| f.code.0.code.get().is_some())
            .map(|f| f.name.as_str())
            .collect()
    }

    #[test]
    fn code_is_made_only_for_the_functions_a_plan_creates() {
        let doc = lambda_sync_spec::load_str(TWO).unwrap().document;
        let settings = Config::default().resolve(Target::Local).unwrap();
        let prepared = prepare_owned(doc, &settings).unwrap();
        assert_eq!(prepared.functions.len(), 2);
        // What `render` does (prepare, then the body) makes no code at all.
        assert!(made(&prepared).is_empty(), "{:?}", made(&prepared));

        // `getA` exists: the plan creates only `getB`, and makes only its code.
        let observed = Observed {
            functions: ["getA".to_string()].into(),
            ..Observed::default()
        };
        let plan = crate::plan(&prepared, &observed, &settings, None).unwrap();
        assert_eq!(made(&prepared), ["getB"]);
        // The digest the plan shows is the one of the code made (and that apply uploads).
        let code = prepared.functions[1].code().unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        assert!(json.contains(&code.code_sha256), "{json}");
        assert!(!code.zip.is_empty());
    }
}

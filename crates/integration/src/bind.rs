//! Binding operations to functions: names, event contracts, permissions.

use crate::contract::{
    Discriminator, ErrorResponse, EventContract, EventField, FieldSource, IntegrationType,
    OPERATION_KEY,
};
use crate::error::Result;
use crate::naming::{
    function_from_uri, generate_operation_id, sanitize_function_name, with_suffix,
};
use crate::options::{BindOptions, Granularity};
use lambda_sync_spec::{Diagnostic, Document, HttpMethod, Operation, ParameterLocation, Severity};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The key of the integration extension.
pub(crate) const EXTENSION: &str = "x-amazon-apigateway-integration";

/// The extension that groups operations by hand: `x-lambda-sync-function: NAME` on an
/// operation or a path item (the operation's wins) puts the operation in the function of that
/// group, whatever the granularity.
pub const FUNCTION_EXTENSION: &str = "x-lambda-sync-function";

/// Where compat keeps what it set aside.
const WRAPPER: &str = "x-disabled-for-amazon-gateway";

/// Every Lambda-backed operation of a definition and the function behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bindings {
    /// One binding per operation, in document order.
    pub bindings: Vec<Binding>,
}

impl Bindings {
    /// The binding of the operation at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.pointer == pointer)
    }

    /// The distinct function names, sorted.
    pub fn function_names(&self) -> Vec<&str> {
        let set: BTreeSet<&str> = self
            .bindings
            .iter()
            .map(|b| b.function_name.as_str())
            .collect();
        set.into_iter().collect()
    }
}

/// One operation and the Lambda function that serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Binding {
    /// JSON Pointer to the operation object.
    pub pointer: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path key.
    pub path: String,
    /// The operationId: as written, or generated (see
    /// [`generate_operation_id`](crate::generate_operation_id)).
    pub operation_id: String,
    /// Whether the operationId was generated.
    pub operation_id_generated: bool,
    /// The Lambda function's name.
    pub function_name: String,
    /// The qualifier (alias or version) the integration invokes, if any.
    pub qualifier: Option<String>,
    /// The media types the request body declares (3.x `content` keys, 2.0 `consumes`),
    /// without wildcards; empty when there is no body.
    pub body_content_types: Vec<String>,
    /// Whether the operation already had an `x-amazon-apigateway-integration` (kept as is;
    /// the function name comes from its `uri`).
    pub existing_integration: bool,
    /// What the function receives.
    pub contract: EventContract,
    /// The permission API Gateway needs to invoke the function for this operation.
    pub permission: InvokePermission,
    /// Whether the function serves a group of operations (by tag, by API, by
    /// `x-lambda-sync-function`, or operations API Gateway cannot tell apart): its code is a
    /// router, its event carries the operationId, and it gets one invoke permission per API.
    pub grouped: bool,
    /// The operationId API Gateway reports for the method that reaches this operation
    /// (`event["x-lambda-sync-operation"]`, `requestContext.operationName`): its own, or for an
    /// operation that shares a method with others, the id of the method's operation.
    pub called_as: String,
    /// The parameters whose presence selects this operation among those that share its method
    /// (from the path's `#fragment`, else its required query and header parameters); empty for
    /// the method's fallback operation.
    pub discriminators: Vec<Discriminator>,
    /// Whether the operation is reached through another operation's method (compat left it out
    /// of what AWS sees): it has no integration of its own.
    pub via_method: bool,
    /// For an operation compat left out whose method the API has not got: the path key (in the
    /// AWS-ready document) where [`apply`](crate::apply) adds the method that dispatches to it.
    pub dispatch_path: Option<String>,
    /// Fields of the other operations that share this operation's method, which its request
    /// template also passes (so the router can look at their discriminators).
    pub extra_fields: Vec<EventField>,
    /// Error responses of the other operations that share this operation's method.
    pub extra_errors: Vec<ErrorResponse>,
}

/// A resource-based policy statement that lets API Gateway invoke a function for one
/// method and path (`lambda:AddPermission`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvokePermission {
    /// `lambda-sync-` and 16 hex digits of the SHA-256 of `METHOD path` (and the API id when
    /// one is set): the same on every run, different for every operation.
    pub statement_id: String,
    /// `lambda:InvokeFunction`.
    pub action: String,
    /// `apigateway.amazonaws.com`.
    pub principal: String,
    partition: String,
    region: String,
    account: String,
    method: HttpMethod,
    path: String,
}

impl InvokePermission {
    /// The least-privilege source ARN for the API `api_id`:
    /// `arn:{partition}:execute-api:{region}:{account}:{api_id}/*/{METHOD}/{path}`, every path
    /// parameter as `*` (any stage).
    ///
    /// ```
    /// # use lambda_sync_integration::{bind, BindOptions};
    /// # let doc = lambda_sync_spec::load_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /user/{username}:\n    get:\n      operationId: getUserByName\n      parameters: [{name: username, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n").unwrap().document;
    /// # let (b, _) = bind(&doc, &BindOptions::new("us-east-1", "123456789012")).unwrap();
    /// assert_eq!(
    ///     b.bindings[0].permission.source_arn("a1b2c3d4e5"),
    ///     "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/user/*"
    /// );
    /// ```
    pub fn source_arn(&self, api_id: &str) -> String {
        self.source_arn_at(api_id, &self.path)
    }

    /// The least-privilege source ARN for the API `api_id` when the method's resource is at
    /// `resource_path` on that API (the definition's path with the base path as the import's
    /// `basepath` mode placed it): `…:{api_id}/*/{METHOD}/{resource path}`, any stage, every
    /// path parameter (greedy `{proxy+}` included) as `*`, which matches any value as
    /// API Gateway's `ArnLike` condition does.
    ///
    /// ```
    /// # use lambda_sync_integration::{bind, BindOptions};
    /// # let doc = lambda_sync_spec::load_str("swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /v2\npaths:\n  /pet/{petId}:\n    get:\n      operationId: getPetById\n      parameters: [{name: petId, in: path, required: true, type: string}]\n      responses: {'200': {description: ok}}\n").unwrap().document;
    /// # let (b, _) = bind(&doc, &BindOptions::new("us-east-1", "123456789012")).unwrap();
    /// assert_eq!(
    ///     b.bindings[0].permission.source_arn_at("a1b2c3d4e5", "/v2/pet/{petId}"),
    ///     "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/v2/pet/*"
    /// );
    /// ```
    pub fn source_arn_at(&self, api_id: &str, resource_path: &str) -> String {
        let path: Vec<&str> = resource_path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    "*"
                } else {
                    s
                }
            })
            .collect();
        format!(
            "{}/*/{}/{}",
            self.api_arn(api_id),
            self.method.as_upper(),
            path.join("/")
        )
    }

    /// The ARN of the API `api_id` itself, `arn:{partition}:execute-api:{region}:{account}:{api_id}`;
    /// followed by `/*/*/*` it covers every stage, method and path of the API.
    pub fn api_arn(&self, api_id: &str) -> String {
        format!(
            "arn:{}:execute-api:{}:{}:{}",
            self.partition, self.region, self.account, api_id
        )
    }

    /// The statement id of this permission on the API `api_id`:
    /// `lambda-sync-{api_id}-` and 16 hex digits of the SHA-256 of `METHOD path` (the
    /// definition's path). Different for every API and operation, the same on every run, so a
    /// second API that reuses a function gets statements of its own.
    ///
    /// ```
    /// # use lambda_sync_integration::{bind, BindOptions};
    /// # let doc = lambda_sync_spec::load_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses: {'200': {description: ok}}\n").unwrap().document;
    /// # let (b, _) = bind(&doc, &BindOptions::new("us-east-1", "123456789012")).unwrap();
    /// let p = &b.bindings[0].permission;
    /// assert!(p.statement_id_for("a1b2c3d4e5").starts_with("lambda-sync-a1b2c3d4e5-"));
    /// assert_ne!(p.statement_id_for("a1b2c3d4e5"), p.statement_id_for("f6g7h8i9j0"));
    /// ```
    pub fn statement_id_for(&self, api_id: &str) -> String {
        let key = format!("{} {}", self.method.as_upper(), self.path);
        format!(
            "{}{api_id}-{}",
            STATEMENT_PREFIX,
            crate::naming::long_hash(&key)
        )
    }
}

/// The prefix of every statement id lambda-sync makes; statements without it are never
/// touched.
pub const STATEMENT_PREFIX: &str = "lambda-sync-";

fn diag(severity: Severity, rule: &str, pointer: &str, message: String) -> Diagnostic {
    Diagnostic::new(rule, severity, pointer, message)
}

/// A name being decided.
struct Pending<'a> {
    op: Operation<'a>,
    operation_id: String,
    generated: bool,
    /// `Some((name, qualifier, type))` for an existing Lambda integration.
    existing: Option<(String, Option<String>, IntegrationType)>,
    /// The wanted name, and whether it is the operationId exactly as written.
    wanted: String,
    exact: bool,
    name: String,
    /// The group key (tag, title, `x-lambda-sync-function`), when the function is grouped.
    group: Option<String>,
    /// For an operation compat left out: its record.
    left: Option<lambda_sync_compat::LeftOut>,
}

/// Binds every operation of `doc` to a Lambda function.
///
/// Validates `options` first (the only error). Operations with an existing non-Lambda
/// integration are not bound (an `integration-not-lambda` info diagnostic says so). The
/// diagnostics report generated operationIds and sanitised or shortened names (info),
/// resolved name collisions and renamed event keys (warning).
pub fn bind(doc: &Document, options: &BindOptions) -> Result<(Bindings, Vec<Diagnostic>)> {
    options.validate()?;
    let mut diags = Vec::new();
    let ops = doc.operations();
    // What compat repaired (recorded in the document), so each event keeps the definition's
    // own names.
    let repairs = lambda_sync_compat::repairs(doc);

    // Operations with an existing integration: Lambda ones keep their function.
    let mut pending: Vec<Pending<'_>> = Vec::new();
    // Operations left unbound (a non-Lambda integration): `unsupported_names` looks them up too.
    let mut unbound: Vec<Operation<'_>> = Vec::new();
    for op in ops {
        let existing = match op.value.get(EXTENSION) {
            None => None,
            Some(ext) => {
                let uri = ext.get("uri").and_then(Value::as_str).unwrap_or("");
                match function_from_uri(uri) {
                    Some((name, qualifier)) => {
                        let ty = match ext.get("type").and_then(Value::as_str) {
                            Some(t) if t.eq_ignore_ascii_case("aws_proxy") => {
                                IntegrationType::AwsProxy
                            }
                            _ => IntegrationType::Aws,
                        };
                        Some((name, qualifier, ty))
                    }
                    None => {
                        diags.push(diag(
                            Severity::Info,
                            "integration-not-lambda",
                            &lambda_sync_spec::pointer::push(&op.pointer, EXTENSION),
                            format!(
                                "{} {} already has an integration that does not call a Lambda function by name; it is kept as it is and no function is bound to it",
                                op.method, op.path
                            ),
                        ));
                        unbound.push(op);
                        continue;
                    }
                }
            }
        };
        let written = op.operation_id.filter(|s| !s.trim().is_empty());
        pending.push(Pending {
            operation_id: written.unwrap_or_default().to_string(),
            generated: written.is_none(),
            existing,
            wanted: String::new(),
            exact: false,
            name: String::new(),
            group: None,
            left: None,
            op,
        });
    }
    // Operations compat left out (API Gateway cannot tell them from another one): the
    // set-aside path items, read as if they were the document's `paths`, get views like any
    // other (their `$ref`s resolve in the document, without a copy of it).
    if let Some(aside) = set_aside(doc, &repairs) {
        for op in doc.operations_in(aside) {
            let Some(lo) = repairs
                .left_out
                .iter()
                .find(|l| l.path == op.path && l.method.eq_ignore_ascii_case(op.method.as_str()))
            else {
                continue;
            };
            if op.value.get(EXTENSION).is_some() {
                continue;
            }
            let written = op.operation_id.filter(|s| !s.trim().is_empty());
            pending.push(Pending {
                operation_id: written.unwrap_or_default().to_string(),
                generated: written.is_none(),
                existing: None,
                wanted: String::new(),
                exact: false,
                name: String::new(),
                group: None,
                left: Some(lo.clone()),
                op,
            });
        }
    }

    assign_operation_ids(&mut pending, &mut diags);
    assign_groups(doc, options, &mut pending, &mut diags);
    assign_names(doc, options, &mut pending, &mut diags);
    let routes = dispatch(doc, &mut pending, &mut diags);
    // Reported after the dispatch's findings, as the bindings are made from `pending` below.
    let unsupported = unsupported_names(&pending, &unbound);

    let mut bindings = Vec::with_capacity(pending.len());
    for (i, p) in pending.into_iter().enumerate() {
        let route = &routes[i];
        let grouped = p.group.is_some() || route.shared;
        let integration = p.existing.as_ref().map_or(options.integration(), |e| e.2);
        let qualifier = match &p.existing {
            Some(e) => e.1.clone(),
            None => options.qualifier().map(str::to_string),
        };
        // A left-out operation reached through a path that names its variables differently
        // reads each from there.
        let left_repairs = p
            .left
            .as_ref()
            .filter(|lo| !lo.path_variables.is_empty())
            .map(|lo| lambda_sync_compat::OperationRepairs {
                original_path: Some(lo.path.clone()),
                path_variables: lo.path_variables.clone(),
                hidden_parameters: Vec::new(),
            });
        let contract = contract(
            &p.op,
            &p.operation_id,
            &p.name,
            integration,
            left_repairs
                .as_ref()
                .or_else(|| repairs.operation(&p.op.pointer)),
            grouped,
            &mut diags,
        );
        let (pointer, path) = match &p.left {
            Some(lo) => (lo.pointer.clone(), lo.path.clone()),
            None => (p.op.pointer.clone(), p.op.path.to_string()),
        };
        // The method API Gateway calls for this operation.
        let method_path = route.method_path.clone().unwrap_or_else(|| path.clone());
        let mut key = format!("{} {}", p.op.method.as_upper(), method_path);
        if let Some(api) = options.api_id() {
            key.push(' ');
            key.push_str(api);
        }
        let digest = crate::naming::long_hash(&key);
        bindings.push(Binding {
            pointer,
            method: p.op.method,
            path,
            called_as: route
                .called_as
                .clone()
                .unwrap_or_else(|| p.operation_id.clone()),
            operation_id: p.operation_id,
            operation_id_generated: p.generated,
            function_name: p.name,
            qualifier,
            body_content_types: p
                .op
                .request_body
                .as_ref()
                .map(|b| {
                    b.content_types
                        .iter()
                        .filter(|m| !m.contains('*') && !m.trim().is_empty())
                        .map(|m| m.to_string())
                        .collect()
                })
                .unwrap_or_default(),
            existing_integration: p.existing.is_some(),
            contract,
            permission: InvokePermission {
                statement_id: format!("lambda-sync-{digest}"),
                action: "lambda:InvokeFunction".into(),
                principal: "apigateway.amazonaws.com".into(),
                partition: options.partition().to_string(),
                region: options.region().to_string(),
                account: options.account_id().to_string(),
                method: p.op.method,
                path: method_path,
            },
            grouped,
            discriminators: Vec::new(),
            via_method: p.left.is_some() && route.dispatch_path.is_none(),
            dispatch_path: route.dispatch_path.clone(),
            extra_fields: Vec::new(),
            extra_errors: Vec::new(),
        });
    }
    finish_dispatch(&mut bindings, &routes, &mut diags);
    diags.extend(unsupported);
    doc.locate(&mut diags);
    Ok((Bindings { bindings }, diags))
}

/// Canonical order: by method, then path. Independent of where the operation is written.
fn canonical(p: &Pending<'_>) -> (HttpMethod, String) {
    (p.op.method, p.op.path.to_string())
}

/// Generates the missing operationIds, unique among all operationIds (written ones win;
/// generated ones get `2`, `3`, ... in canonical order).
fn assign_operation_ids(pending: &mut [Pending<'_>], diags: &mut Vec<Diagnostic>) {
    let mut taken: BTreeSet<String> = pending
        .iter()
        .filter(|p| !p.generated)
        .map(|p| p.operation_id.clone())
        .collect();
    let mut order: Vec<usize> = (0..pending.len())
        .filter(|&i| pending[i].generated)
        .collect();
    order.sort_by_key(|&i| canonical(&pending[i]));
    for i in order {
        let base = generate_operation_id(pending[i].op.method, pending[i].op.path);
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let p = &mut pending[i];
        diags.push(diag(
            Severity::Info,
            "operation-id-generated",
            &p.op.pointer,
            format!(
                "{} {} has no operationId; generated `{id}` (written back when write-back is on)",
                p.op.method, p.op.path
            ),
        ));
        p.operation_id = id;
    }
}

/// Decides every function name: the template applied to the operationId, sanitised, then
/// made unique.
fn assign_names(
    doc: &Document,
    options: &BindOptions,
    pending: &mut [Pending<'_>],
    diags: &mut Vec<Diagnostic>,
) {
    let title = doc.title().unwrap_or("");
    let version = doc.info_version().unwrap_or("");
    for p in pending.iter_mut() {
        if let Some((name, ..)) = &p.existing {
            p.name = name.clone();
            continue;
        }
        let tag = p.op.tags.first().copied().unwrap_or("default");
        let key = p.group.as_deref().unwrap_or(&p.operation_id);
        let candidate = options
            .name_template()
            .replace("{prefix}", options.prefix().unwrap_or(""))
            .replace("{title}", title)
            .replace("{version}", version)
            .replace("{tag}", tag)
            .replace("{operationId}", key);
        let sanitized = sanitize_function_name(&candidate).unwrap_or_else(|| {
            // Nothing usable in the operationId: the generated id stands in for it.
            let fallback = generate_operation_id(p.op.method, p.op.path);
            let c = options
                .name_template()
                .replace("{prefix}", options.prefix().unwrap_or(""))
                .replace("{title}", title)
                .replace("{version}", version)
                .replace("{tag}", tag)
                .replace("{operationId}", &fallback);
            sanitize_function_name(&c).unwrap_or(fallback)
        });
        if sanitized != candidate {
            let rule = if candidate.len() > crate::naming::MAX_NAME
                && sanitized.len() == crate::naming::MAX_NAME
            {
                "function-name-shortened"
            } else {
                "function-name-sanitised"
            };
            diags.push(diag(
                Severity::Info,
                rule,
                &p.op.pointer,
                format!(
                    "`{candidate}` is not a valid Lambda function name ([A-Za-z0-9_-], 1-64 characters); {} {} uses `{sanitized}`",
                    p.op.method, p.op.path
                ),
            ));
        }
        p.exact = sanitized == p.operation_id && !p.generated && p.group.is_none();
        p.wanted = sanitized;
    }

    // Names in use: existing integrations' functions are fixed.
    let mut taken: BTreeSet<String> = pending
        .iter()
        .filter(|p| p.existing.is_some())
        .map(|p| p.name.to_ascii_lowercase())
        .collect();
    // Group the new names (case-insensitively: `getPet` and `getpet` would share a stub folder
    // on a case-insensitive file system).
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pending.iter().enumerate() {
        if p.existing.is_none() {
            groups
                .entry(p.wanted.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
    }
    // Winners: per group, an exact operationId first, then canonical order; a name taken by
    // an existing integration has no winner.
    let mut losers = Vec::new();
    for (key, members) in &mut groups {
        members.sort_by_key(|&i| (!pending[i].exact, canonical(&pending[i])));
        if members.iter().any(|&i| pending[i].group.is_some()) {
            // A group's operations share its name; an operation of its own loses it.
            for &i in members.iter() {
                if pending[i].group.is_some() {
                    pending[i].name = pending[i].wanted.clone();
                } else {
                    losers.push(i);
                }
            }
            continue;
        }
        let start = if taken.contains(key) {
            0
        } else {
            let w = members[0];
            pending[w].name = pending[w].wanted.clone();
            1
        };
        losers.extend(members[start..].iter().copied());
    }
    for key in groups.keys() {
        taken.insert(key.clone());
    }
    losers.sort_by_key(|&i| canonical(&pending[i]));
    for i in losers {
        let base = pending[i].wanted.clone();
        let mut n = 2;
        let mut name = with_suffix(&base, n);
        while taken.contains(&name.to_ascii_lowercase()) {
            n += 1;
            name = with_suffix(&base, n);
        }
        taken.insert(name.to_ascii_lowercase());
        let holder = pending
            .iter()
            .find(|q| q.name.eq_ignore_ascii_case(&base))
            .map(|q| format!("{} {}", q.op.method, q.op.path))
            .unwrap_or_else(|| "another operation".into());
        let p = &mut pending[i];
        diags.push(diag(
            Severity::Warning,
            "function-name-collision",
            &p.op.pointer,
            format!(
                "function name `{base}` is already used by {holder}; {} {} uses `{name}` instead (give the operations distinct operationIds to choose the names yourself)",
                p.op.method, p.op.path
            ),
        ));
        p.name = name;
    }
}

/// The event contract of one operation, with the collision rule applied.
fn contract(
    op: &Operation<'_>,
    operation_id: &str,
    function_name: &str,
    integration: IntegrationType,
    repairs: Option<&lambda_sync_compat::OperationRepairs>,
    grouped: bool,
    diags: &mut Vec<Diagnostic>,
) -> EventContract {
    struct Candidate<'a> {
        source: FieldSource,
        name: &'a str,
        type_name: Option<&'a str>,
        format: Option<&'a str>,
        required: bool,
        description: Option<&'a str>,
        pointer: String,
        segment: Option<lambda_sync_compat::RepairedSegment>,
    }
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    let repaired_path = repairs.filter(|r| !r.path_variables.is_empty());
    for (loc, source) in [
        (ParameterLocation::Path, FieldSource::Path),
        (ParameterLocation::Query, FieldSource::Query),
        (ParameterLocation::Header, FieldSource::Header),
    ] {
        if let (ParameterLocation::Path, Some(r)) = (loc, repaired_path) {
            // The definition's variables, in its order, each read from its repaired segment.
            for v in &r.path_variables {
                let first = v.segment.parts.iter().find_map(|p| match p {
                    lambda_sync_compat::SegmentPart::Variable(n) => Some(n.as_str()),
                    lambda_sync_compat::SegmentPart::Text(_) => None,
                });
                let declared = op.parameters_in(loc).find(|p| {
                    p.name == v.name
                        || (first == Some(v.name.as_str()) && p.name == v.segment.variable)
                });
                let plain = v.segment.is_rename() && v.segment.variable == v.name;
                candidates.push(Candidate {
                    source,
                    name: &v.name,
                    type_name: declared.map_or(Some("string"), |p| p.type_name),
                    format: declared.and_then(|p| p.format),
                    required: true,
                    description: declared.and_then(|p| p.description),
                    pointer: declared.map_or(op.pointer.clone(), |p| p.pointer.clone()),
                    segment: (!plain).then(|| v.segment.clone()),
                });
            }
            continue;
        }
        for p in op.parameters_in(loc) {
            candidates.push(Candidate {
                source,
                name: p.name,
                type_name: p.type_name,
                format: p.format,
                required: p.required,
                description: p.description,
                pointer: p.pointer.clone(),
                segment: None,
            });
        }
        // Parameters left out of the method for their names are still read by name.
        for h in repairs.iter().flat_map(|r| &r.hidden_parameters) {
            if ParameterLocation::parse(&h.location) == Some(loc) {
                candidates.push(Candidate {
                    source,
                    name: &h.name,
                    type_name: h.type_name.as_deref(),
                    format: None,
                    required: h.required,
                    description: h.description.as_deref(),
                    pointer: op.pointer.clone(),
                    segment: None,
                });
            }
        }
        if loc == ParameterLocation::Path {
            // Path template names that no parameter declares still reach the function.
            for raw in op.path_template_names() {
                let name = raw.strip_suffix('+').unwrap_or(raw);
                if !op.parameters_in(loc).any(|p| p.name == name) {
                    candidates.push(Candidate {
                        source,
                        name,
                        type_name: Some("string"),
                        format: None,
                        required: true,
                        description: None,
                        pointer: op.pointer.clone(),
                        segment: None,
                    });
                }
            }
        }
    }
    let mut fields: Vec<EventField> = Vec::new();
    let taken = |fields: &[EventField], key: &str, source: FieldSource| {
        key == "body"
            || (grouped && key == OPERATION_KEY)
            || fields.iter().any(|f| {
                f.key == key
                    || (source == FieldSource::Header
                        && f.source == FieldSource::Header
                        && f.key.eq_ignore_ascii_case(key))
            })
    };
    for c in candidates {
        let mut key = c.name.to_string();
        if taken(&fields, &key, c.source) {
            let base = format!("{}_{}", source_word(c.source), c.name);
            key = base.clone();
            let mut n = 2;
            while taken(&fields, &key, c.source) {
                key = format!("{base}_{n}");
                n += 1;
            }
            diags.push(diag(
                Severity::Warning,
                "event-key-renamed",
                &c.pointer,
                format!(
                    "{} parameter `{}` of {} {} is passed to the function as `event[\"{key}\"]`: `{}` is already taken (by the request body or an earlier parameter)",
                    source_word(c.source),
                    c.name,
                    op.method,
                    op.path,
                    c.name
                ),
            ));
        }
        fields.push(EventField {
            key,
            source: c.source,
            name: c.name.to_string(),
            type_name: c.type_name.map(str::to_string),
            format: c.format.map(str::to_string),
            required: c.required,
            description: c.description.map(str::to_string),
            segment: c.segment,
        });
    }
    if let Some(body) = &op.request_body {
        fields.push(EventField {
            key: "body".into(),
            source: FieldSource::Body,
            name: body.name.unwrap_or("body").to_string(),
            type_name: body
                .schema
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| body.schema.map(|_| "object".to_string())),
            format: None,
            required: body.required,
            description: body.description.map(str::to_string),
            segment: None,
        });
    }
    let (success_status, errors) = statuses(op);
    EventContract {
        function_name: function_name.to_string(),
        operation_id: operation_id.to_string(),
        method: op.method,
        path: op.path.to_string(),
        summary: op.summary.map(str::to_string),
        description: op.description.map(str::to_string),
        integration,
        fields,
        success_status,
        errors,
    }
}

pub(crate) fn source_word(s: FieldSource) -> &'static str {
    match s {
        FieldSource::Path => "path",
        FieldSource::Query => "query",
        FieldSource::Header => "header",
        FieldSource::Body => "body",
    }
}

/// The success status and the error responses of an operation.
///
/// Success: the only declared 2xx code; else 200 when declared or when no 2xx is declared;
/// else the lowest declared 2xx. Errors: each declared 4xx/5xx code, in document order.
pub(crate) fn statuses(op: &Operation<'_>) -> (u16, Vec<ErrorResponse>) {
    let codes: Vec<(u16, Option<&str>)> = op
        .responses
        .iter()
        .filter_map(|r| {
            let code: u16 = r.code.parse().ok()?;
            (100..600).contains(&code).then_some((code, r.description))
        })
        .collect();
    let success: Vec<u16> = codes
        .iter()
        .map(|c| c.0)
        .filter(|c| (200..300).contains(c))
        .collect();
    let success_status = match success.as_slice() {
        [only] => *only,
        s if s.is_empty() || s.contains(&200) => 200,
        s => *s.iter().min().expect("non-empty"),
    };
    let errors = codes
        .iter()
        .filter(|c| (400..600).contains(&c.0))
        .map(|&(status, description)| ErrorResponse {
            status,
            description: description.map(str::to_string),
            message_prefix: format!("[{status}]"),
            selection_pattern: format!("^\\[{status}\\][\\s\\S]*"),
        })
        .collect();
    (success_status, errors)
}

/// API Gateway accepts query and header parameter names made of `A-Z a-z 0-9 - . _ $` only;
/// such operations are still bound (their template handles any name), but the import will
/// refuse them until the compat transforms or the user rename them.
fn unsupported_names(pending: &[Pending<'_>], unbound: &[Operation<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The document's operations (those of `paths`) by pointer.
    let ops: HashMap<&str, &Operation<'_>> = pending
        .iter()
        .filter(|p| p.left.is_none())
        .map(|p| &p.op)
        .chain(unbound)
        .map(|o| (o.pointer.as_str(), o))
        .collect();
    for b in pending {
        // The binding's pointer, method and path.
        let (pointer, path) = match &b.left {
            Some(lo) => (lo.pointer.as_str(), lo.path.as_str()),
            None => (b.op.pointer.as_str(), b.op.path),
        };
        let method = b.op.method;
        let Some(op) = ops.get(pointer) else {
            continue;
        };
        for p in &op.parameters {
            let checked = matches!(
                p.location,
                ParameterLocation::Query | ParameterLocation::Header
            );
            let ok = p
                .name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-._$".contains(&c));
            if checked && !ok {
                out.push(diag(
                    Severity::Warning,
                    "parameter-name-unsupported",
                    &p.pointer,
                    format!(
                        "API Gateway accepts only `A-Z a-z 0-9 - . _ $` in {} parameter names; `{}` of {} {} is bound, but the import will refuse it until it is renamed",
                        p.location, p.name, method, path
                    ),
                ));
            }
        }
    }
    out
}

/// The path items compat set aside (left out of what AWS sees), or `None` when there are none.
fn set_aside<'a>(doc: &'a Document, repairs: &lambda_sync_compat::Repairs) -> Option<&'a Value> {
    if repairs.left_out.is_empty() {
        return None;
    }
    doc.value()
        .get("paths")?
        .get(WRAPPER)
        .filter(|aside| aside.is_object())
}

/// The group of each operation: `x-lambda-sync-function` on the operation, else on its path
/// item, else the granularity's key (the first tag, or the API's title).
fn assign_groups(
    doc: &Document,
    options: &BindOptions,
    pending: &mut [Pending<'_>],
    diags: &mut Vec<Diagnostic>,
) {
    let title = doc
        .title()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or("api");
    for p in pending.iter_mut() {
        if p.existing.is_some() {
            continue;
        }
        let item_pointer =
            p.op.pointer
                .rsplit_once('/')
                .map_or("", |(item, _)| item)
                .to_string();
        let item = match &p.left {
            Some(lo) => lo.pointer.rsplit_once('/').and_then(|(i, _)| doc.get(i)),
            None => doc.get(&item_pointer),
        };
        let by_hand = [
            p.op.value.get(FUNCTION_EXTENSION),
            item.and_then(|i| i.get(FUNCTION_EXTENSION)),
        ]
        .into_iter()
        .flatten()
        .next();
        if let Some(v) = by_hand {
            match v.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                Some(name) => {
                    p.group = Some(name.to_string());
                    continue;
                }
                None => diags.push(diag(
                    Severity::Warning,
                    "function-extension-invalid",
                    &p.op.pointer,
                    format!(
                        "`{FUNCTION_EXTENSION}` of {} {} must be a non-empty string (a function name); it is ignored",
                        p.op.method, p.op.path
                    ),
                )),
            }
        }
        p.group = match options.granularity() {
            Granularity::Operation => None,
            Granularity::Tag => Some(p.op.tags.first().copied().unwrap_or("default").to_string()),
            Granularity::Api => Some(title.to_string()),
        };
    }
}

/// How one operation is reached, once operations that share a method are known.
#[derive(Debug, Default, Clone)]
struct Route {
    /// Whether the operation shares its method with others (its function dispatches).
    shared: bool,
    /// The operationId API Gateway reports for the method, when not the operation's own.
    called_as: Option<String>,
    /// The path of the method API Gateway calls, when not the operation's own.
    method_path: Option<String>,
    /// Where the method is added, for a left-out operation that carries its method.
    dispatch_path: Option<String>,
    /// The indexes of the operations that share the method (the carrier first), on the
    /// carrier only.
    members: Vec<usize>,
}

/// `/a/{x}/b` → `/a/{}/b`: paths API Gateway cannot tell apart compare equal (a `#fragment`,
/// a `?query` and a trailing `/` do not count).
fn shape(path: &str) -> String {
    let base = path.split(['#', '?']).next().unwrap_or(path);
    let base = if base.len() > 1 {
        base.trim_end_matches('/')
    } else {
        base
    };
    lambda_sync_compat::resource_shape(base)
}

/// Joins each operation compat left out to the operation that has its method and path (its
/// function dispatches on the discriminating parameters), or, when the API has no such
/// method, makes the first of them carry a method of its own at the path; the others join it.
fn dispatch(
    doc: &Document,
    pending: &mut [Pending<'_>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Route> {
    let mut routes = vec![Route::default(); pending.len()];
    // Active paths by shape.
    let active_paths: BTreeMap<String, String> = doc
        .value()
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .keys()
                .filter(|k| !k.starts_with("x-"))
                .map(|k| (shape(k), k.clone()))
                .collect()
        })
        .unwrap_or_default();
    // (method, shape) → carrier index.
    let mut carriers: BTreeMap<(HttpMethod, String), usize> = BTreeMap::new();
    for (i, p) in pending.iter().enumerate() {
        if p.left.is_none() {
            carriers.entry((p.op.method, shape(p.op.path))).or_insert(i);
        }
    }
    for i in 0..pending.len() {
        let Some(lo) = pending[i].left.clone() else {
            continue;
        };
        let key = (pending[i].op.method, shape(&lo.repaired_path));
        match carriers.get(&key).copied() {
            Some(c) => {
                pending[i].name = pending[c].name.clone();
                routes[i].called_as = Some(pending[c].operation_id.clone());
                routes[i].method_path = Some(
                    routes[c]
                        .dispatch_path
                        .clone()
                        .unwrap_or_else(|| pending[c].op.path.to_string()),
                );
                routes[c].members.push(i);
                routes[i].shared = true;
                routes[c].shared = true;
            }
            None => match active_paths.get(&key.1) {
                Some(path) => {
                    routes[i].dispatch_path = Some(path.clone());
                    routes[i].method_path = Some(path.clone());
                    carriers.insert(key, i);
                }
                None => diags.push(diag(
                    Severity::Warning,
                    "dispatch-unreachable",
                    &lo.pointer,
                    format!(
                        "{} {} stays out of what AWS sees: the API has no path `{}` to dispatch it from",
                        lo.method, lo.path, lo.repaired_path
                    ),
                )),
            },
        }
    }
    for (_, c) in carriers {
        if !routes[c].members.is_empty() {
            let mut m = vec![c];
            m.append(&mut routes[c].members);
            routes[c].members = m;
        }
    }
    routes
}

/// Fills in the discriminators, and each carrier's extra fields and errors.
fn finish_dispatch(bindings: &mut [Binding], routes: &[Route], diags: &mut Vec<Diagnostic>) {
    for route in routes.iter().filter(|r| !r.members.is_empty()) {
        let carrier = route.members[0];
        let mut sets: Vec<(usize, Vec<Discriminator>)> = Vec::new();
        for &m in &route.members {
            let d = discriminators(&bindings[m], &bindings[carrier]);
            bindings[m].discriminators = d.clone();
            sets.push((m, d));
        }
        // Two operations with the same discriminators: the router takes the first.
        for (a, (i, da)) in sets.iter().enumerate() {
            let names = |d: &Vec<Discriminator>| -> BTreeSet<(FieldSource, String)> {
                d.iter()
                    .map(|x| (x.source, x.name.to_ascii_lowercase()))
                    .collect()
            };
            if let Some((j, _)) = sets[..a].iter().find(|(_, db)| names(db) == names(da)) {
                diags.push(diag(
                    Severity::Warning,
                    "dispatch-ambiguous",
                    &bindings[*i].pointer,
                    format!(
                        "{} {} cannot be told apart from {} {} even by its parameters; the router sends such requests to {}",
                        bindings[*i].method,
                        bindings[*i].path,
                        bindings[*j].method,
                        bindings[*j].path,
                        bindings[*j].operation_id
                    ),
                ));
            }
        }
        let mut extra_fields: Vec<EventField> = Vec::new();
        let mut extra_errors: Vec<ErrorResponse> = Vec::new();
        for &m in &route.members[1..] {
            for f in &bindings[m].contract.fields {
                let known = bindings[carrier]
                    .contract
                    .fields
                    .iter()
                    .chain(&extra_fields)
                    .any(|g| g.key == f.key);
                if !known {
                    extra_fields.push(f.clone());
                }
            }
            for e in &bindings[m].contract.errors {
                let known = bindings[carrier]
                    .contract
                    .errors
                    .iter()
                    .chain(&extra_errors)
                    .any(|g| g.status == e.status);
                if !known {
                    extra_errors.push(e.clone());
                }
            }
        }
        bindings[carrier].extra_fields = extra_fields;
        bindings[carrier].extra_errors = extra_errors;
    }
}

/// The parameters that select `b` among the operations of its method: the names in its path's
/// `#fragment` (`#acl`, `#analytics&id`) that are query or header parameters of it; without a
/// fragment, its required query and header parameters that the method's own operation does
/// not require.
fn discriminators(b: &Binding, carrier: &Binding) -> Vec<Discriminator> {
    let field = |name: &str| -> Option<Discriminator> {
        b.contract
            .fields
            .iter()
            .find(|f| f.source == FieldSource::Query && f.name == name)
            .or_else(|| {
                b.contract
                    .fields
                    .iter()
                    .find(|f| f.source == FieldSource::Header && f.name.eq_ignore_ascii_case(name))
            })
            .map(|f| Discriminator {
                source: f.source,
                name: f.name.clone(),
                key: f.key.clone(),
            })
    };
    if let Some((_, fragment)) = b.path.split_once(['#', '?']) {
        let out: Vec<Discriminator> = fragment
            .split('&')
            .filter_map(|part| field(part.split('=').next().unwrap_or(part)))
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    if std::ptr::eq(b, carrier) {
        return Vec::new();
    }
    b.contract
        .fields
        .iter()
        .filter(|f| matches!(f.source, FieldSource::Query | FieldSource::Header) && f.required)
        .filter(|f| {
            !carrier
                .contract
                .fields
                .iter()
                .any(|g| g.required && g.source == f.source && g.name == f.name)
        })
        .map(|f| Discriminator {
            source: f.source,
            name: f.name.clone(),
            key: f.key.clone(),
        })
        .collect()
}

/// The error a router answers for an operation it does not know: mapped to 500.
pub(crate) fn unknown_operation_error() -> ErrorResponse {
    ErrorResponse {
        status: 500,
        description: Some("Unknown operation (the function's router does not know it)".into()),
        message_prefix: "[500]".into(),
        selection_pattern: "^\\[500\\][\\s\\S]*".into(),
    }
}

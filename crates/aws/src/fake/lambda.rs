//! The Lambda half of the fake account.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Account;
use crate::{
    AddPermission, CreateFunction, Error, FunctionInfo, FunctionPage, PolicyStatement, Result,
};

/// Functions per `ListFunctions` page, as on AWS.
pub(crate) const PAGE_SIZE: usize = 50;

/// Largest zip accepted in a direct upload (50 MB).
const MAX_ZIP: usize = 50 * 1024 * 1024;

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct StoredFunction {
    pub info: FunctionInfo,
    /// Shared so that copying the account for a mutating call does not copy packages.
    #[serde(with = "base64_bytes")]
    pub zip: Arc<Vec<u8>>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub timeout_seconds: u32,
    pub memory_mb: u32,
    #[serde(default)]
    pub policy: Vec<PolicyStatement>,
}

impl fmt::Debug for StoredFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredFunction")
            .field("info", &self.info)
            .field("zip_len", &self.zip.len())
            .finish_non_exhaustive()
    }
}

mod base64_bytes {
    use std::sync::Arc;

    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Arc<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes.as_slice()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Vec<u8>>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map(Arc::new)
            .map_err(serde::de::Error::custom)
    }
}

fn validation(value: &str, field: &str, constraint: &str) -> Error {
    Error::invalid(format!(
        "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"
    ))
}

/// Checks a bare function name: `[A-Za-z0-9_-]{1,64}`.
pub(crate) fn check_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(validation(
            name,
            "functionName",
            "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}",
        ));
    }
    Ok(())
}

/// The function name of a name, full ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`) or
/// partial ARN (`ACCOUNT:function:NAME`), without a qualifier.
pub(crate) fn name_of(input: &str) -> Result<String> {
    let parts: Vec<&str> = input.split(':').collect();
    let name = match parts.as_slice() {
        [one] => *one,
        ["arn", _, "lambda", _, _, "function", name, ..] => *name,
        [_, "function", name, ..] => *name,
        [name, _qualifier] => *name,
        _ => {
            return Err(validation(
                input,
                "functionName",
                "Member must be a function name or ARN",
            ));
        }
    };
    check_name(name)?;
    Ok(name.to_string())
}

/// `arn:aws[-partition]:iam::DDDDDDDDDDDD:role/NAME`.
pub(crate) fn check_role(role: &str) -> Result<()> {
    let ok = (|| {
        let rest = role.strip_prefix("arn:aws")?;
        let (partition, rest) = rest.split_once(':')?;
        if !partition
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-')
        {
            return None;
        }
        let rest = rest.strip_prefix("iam::")?;
        let (account, rest) = rest.split_once(':')?;
        if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let name = rest.strip_prefix("role/")?;
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@-_/".contains(c));
        ok.then_some(())
    })();
    ok.ok_or_else(|| {
        validation(
            role,
            "role",
            "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
        )
    })
}

/// Whether Lambda accepts `runtime` for a new function on `today`, from the runtime catalogue
/// ([`crate::runtimes`]).
pub(crate) fn check_runtime(runtime: &str, today: crate::Date) -> Result<()> {
    use crate::runtimes;
    let blocked = match runtimes::runtime(runtime) {
        // The newest of a family is never refused: the catalogue may be out of date.
        Some(rt) => rt.is_create_blocked(today) && !rt.is_newest(),
        None => runtimes::OTHER_RETIRED.contains(&runtime),
    };
    if blocked {
        return Err(Error::invalid(format!(
            "The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions."
        )));
    }
    if runtimes::runtime(runtime).is_none() && !runtimes::OTHER_CURRENT.contains(&runtime) {
        let accepted: Vec<&str> = runtimes::runtimes()
            .iter()
            .filter(|r| !r.is_create_blocked(today) || r.is_newest())
            .map(|r| r.id)
            .chain(runtimes::OTHER_CURRENT.iter().copied())
            .collect();
        return Err(validation(
            runtime,
            "runtime",
            &format!(
                "Member must satisfy enum value set: [{}]",
                accepted.join(", ")
            ),
        ));
    }
    Ok(())
}

fn check_zip(zip: &[u8]) -> Result<()> {
    if zip.is_empty() {
        return Err(Error::invalid(
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
        ));
    }
    if !(zip.starts_with(b"PK\x03\x04") || zip.starts_with(b"PK\x05\x06")) {
        return Err(Error::invalid(
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
        ));
    }
    if zip.len() > MAX_ZIP {
        return Err(Error::invalid(format!(
            "Unzipped size must be smaller than {MAX_ZIP} bytes: the zip has {} bytes",
            zip.len()
        )));
    }
    Ok(())
}

/// Statement ids: `[a-zA-Z0-9-_.]{1,100}`.
fn check_statement_id(sid: &str) -> Result<()> {
    if sid.is_empty()
        || sid.len() > 100
        || !sid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(validation(
            sid,
            "statementId",
            "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)",
        ));
    }
    Ok(())
}

fn encode_marker(name: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("after:{name}"))
}

fn decode_marker(marker: &str) -> Result<String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(marker)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("after:").map(str::to_string))
        .ok_or_else(|| Error::invalid(format!("Invalid marker: {marker}")))
}

impl Account {
    pub(crate) fn function_arn(&self, name: &str) -> String {
        format!(
            "arn:aws:lambda:{}:{}:function:{name}",
            self.region, self.account_id
        )
    }

    pub(crate) fn function(&self, name_or_arn: &str) -> Result<&StoredFunction> {
        let name = name_of(name_or_arn)?;
        self.functions.get(&name).map(|f| &**f).ok_or_else(|| {
            Error::not_found(format!("Function not found: {}", self.function_arn(&name)))
        })
    }

    pub(crate) fn list_functions(&self, marker: Option<&str>) -> Result<FunctionPage> {
        let after = marker.map(decode_marker).transpose()?;
        let mut items = self
            .functions
            .iter()
            .filter(|(name, _)| after.as_ref().is_none_or(|a| *name > a))
            .map(|(_, f)| f.info.clone());
        let functions: Vec<FunctionInfo> = items.by_ref().take(PAGE_SIZE).collect();
        let next_marker = match (items.next(), functions.last()) {
            (Some(_), Some(last)) => Some(encode_marker(&last.name)),
            _ => None,
        };
        Ok(FunctionPage {
            functions,
            next_marker,
        })
    }

    /// Checks everything before it inserts the function: a failed call changes nothing (it
    /// runs on the account in place).
    pub(crate) fn create_function(
        &mut self,
        req: &CreateFunction,
        today: crate::Date,
    ) -> Result<FunctionInfo> {
        check_name(&req.name)?;
        check_role(&req.role)?;
        check_runtime(&req.runtime, today)?;
        if req.handler.is_empty()
            || req.handler.len() > 128
            || req.handler.chars().any(char::is_whitespace)
        {
            return Err(validation(
                &req.handler,
                "handler",
                "Member must satisfy regular expression pattern: [^\\s]+",
            ));
        }
        if let Some(description) = &req.description
            && description.chars().count() > 256
        {
            return Err(validation(
                "...",
                "description",
                "Member must have length less than or equal to 256",
            ));
        }
        let timeout = req.timeout_seconds.unwrap_or(3);
        if !(1..=900).contains(&timeout) {
            return Err(validation(
                &timeout.to_string(),
                "timeout",
                "Member must have value between 1 and 900",
            ));
        }
        let memory = req.memory_mb.unwrap_or(128);
        if !(128..=10240).contains(&memory) {
            return Err(validation(
                &memory.to_string(),
                "memorySize",
                "Member must have value between 128 and 10240",
            ));
        }
        if req.tags.len() > 50 {
            return Err(Error::invalid("A function can have at most 50 tags"));
        }
        check_zip(&req.zip)?;
        if self.functions.contains_key(&req.name) {
            return Err(Error::conflict(format!(
                "Function already exist: {}",
                req.name
            )));
        }
        let info = FunctionInfo {
            name: req.name.clone(),
            arn: self.function_arn(&req.name),
            runtime: Some(req.runtime.clone()),
            handler: Some(req.handler.clone()),
            role: Some(req.role.clone()),
            code_sha256: Some(
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&req.zip)),
            ),
            code_size: Some(req.zip.len() as u64),
            description: req.description.clone().filter(|d| !d.is_empty()),
        };
        self.functions.insert(
            req.name.clone(),
            Arc::new(StoredFunction {
                info: info.clone(),
                zip: Arc::new(req.zip.clone()),
                tags: req.tags.clone(),
                timeout_seconds: timeout,
                memory_mb: memory,
                policy: Vec::new(),
            }),
        );
        Ok(info)
    }

    /// A failed call changes nothing (it runs on the account in place): every check is made
    /// before the statement is added, except the policy's size, which removes it again.
    pub(crate) fn add_permission(&mut self, req: &AddPermission) -> Result<()> {
        check_statement_id(&req.statement_id)?;
        if req.action.is_empty() {
            return Err(validation("", "action", "Member must not be empty"));
        }
        if req.principal.is_empty() {
            return Err(validation("", "principal", "Member must not be empty"));
        }
        let name = self.function(&req.function_name)?.info.name.clone();
        let function = Arc::make_mut(self.functions.get_mut(&name).expect("looked up above"));
        if function.policy.iter().any(|s| s.sid == req.statement_id) {
            return Err(Error::conflict(format!(
                "The statement id ({}) provided already exists. Please provide a new statement id, or remove the existing statement.",
                req.statement_id
            )));
        }
        function.policy.push(PolicyStatement {
            sid: req.statement_id.clone(),
            action: Some(req.action.clone()),
            principal: Some(req.principal.clone()),
            source_arn: req.source_arn.clone(),
        });
        let size = crate::policy_document_len(&function.info.arn, &function.policy);
        if size > crate::limits::MAX_FUNCTION_POLICY_BYTES {
            // The call changes the account in place: the statement goes before the error.
            function.policy.pop();
            return Err(Error::Service {
                code: "PolicyLengthExceededException".into(),
                message: format!(
                    "The final policy size ({size}) is bigger than the limit ({}).",
                    crate::limits::MAX_FUNCTION_POLICY_BYTES
                ),
            });
        }
        Ok(())
    }

    pub(crate) fn remove_permission(&mut self, function_name: &str, sid: &str) -> Result<()> {
        check_statement_id(sid)?;
        let name = self.function(function_name)?.info.name.clone();
        if !self.functions[&name].policy.iter().any(|s| s.sid == sid) {
            return Err(Error::not_found(format!(
                "Statement {sid} is not found in resource policy."
            )));
        }
        let function = Arc::make_mut(self.functions.get_mut(&name).expect("looked up above"));
        function.policy.retain(|s| s.sid != sid);
        Ok(())
    }
}

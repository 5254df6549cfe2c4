//! Settings for binding operations to functions.

use crate::contract::IntegrationType;
use crate::error::{Error, Result};

/// The placeholders a name template may use.
pub(crate) const PLACEHOLDERS: [&str; 5] = ["prefix", "title", "version", "operationId", "tag"];

/// How operations map to Lambda functions (`granularity` in `lambda-sync.toml`). An operation
/// or path item with `x-lambda-sync-function: NAME` is grouped by hand whatever the setting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One function per operation (the default): `{operationId}` is the operationId.
    #[default]
    Operation,
    /// One function per tag (an operation's first tag; `default` for an operation without
    /// tags): `{operationId}` in the name template stands for the tag.
    Tag,
    /// One function for the whole API: `{operationId}` stands for `info.title`.
    Api,
}

impl Granularity {
    /// `"operation"`, `"tag"` or `"api"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Operation => "operation",
            Granularity::Tag => "tag",
            Granularity::Api => "api",
        }
    }

    /// Reads `"operation"`, `"tag"` or `"api"`.
    pub fn parse(s: &str) -> Option<Granularity> {
        match s {
            "operation" => Some(Granularity::Operation),
            "tag" => Some(Granularity::Tag),
            "api" => Some(Granularity::Api),
            _ => None,
        }
    }
}

/// How operations are bound to Lambda functions. Build with [`BindOptions::new`] and the
/// `with_*` methods; [`bind`](crate::bind) calls [`BindOptions::validate`].
///
/// ```
/// use lambda_sync_integration::{BindOptions, IntegrationType};
/// let options = BindOptions::new("cn-north-1", "123456789012")
///     .with_integration(IntegrationType::AwsProxy)
///     .with_prefix("shop")
///     .with_name_template("{prefix}-{operationId}")
///     .with_qualifier("live");
/// assert_eq!(options.partition(), "aws-cn");
/// options.validate()?;
/// # Ok::<(), lambda_sync_integration::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindOptions {
    region: String,
    account_id: String,
    partition: Option<String>,
    integration: IntegrationType,
    name_template: String,
    prefix: Option<String>,
    qualifier: Option<String>,
    api_id: Option<String>,
    write_operation_ids: bool,
    granularity: Granularity,
}

impl BindOptions {
    /// Options for `region` and `account_id`: non-proxy integrations, function name =
    /// operationId, partition from the region, no qualifier, no API id, no write-back.
    pub fn new(region: impl Into<String>, account_id: impl Into<String>) -> BindOptions {
        BindOptions {
            region: region.into(),
            account_id: account_id.into(),
            partition: None,
            integration: IntegrationType::Aws,
            name_template: "{operationId}".into(),
            prefix: None,
            qualifier: None,
            api_id: None,
            write_operation_ids: false,
            granularity: Granularity::Operation,
        }
    }

    /// The partition: `aws`, `aws-cn` or `aws-us-gov` (default: from the region's prefix,
    /// `cn-` or `us-gov-`).
    pub fn with_partition(mut self, partition: impl Into<String>) -> Self {
        self.partition = Some(partition.into());
        self
    }

    /// `aws` (default) or `aws_proxy` integrations.
    pub fn with_integration(mut self, integration: IntegrationType) -> Self {
        self.integration = integration;
        self
    }

    /// The function name template, with the placeholders `{prefix}`, `{title}` (`info.title`),
    /// `{version}` (`info.version`), `{tag}` (the operation's first tag, `default` without one) and
    /// `{operationId}` (required; for a grouped function it stands for the group: the tag, the
    /// title, or the `x-lambda-sync-function` name). Default `{operationId}`.
    /// The result is sanitised like an operationId.
    pub fn with_name_template(mut self, template: &str) -> Self {
        self.name_template = template.to_string();
        self
    }

    /// The value of `{prefix}` in the name template.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// An alias or version appended to the function ARN in each new integration's `uri`.
    pub fn with_qualifier(mut self, qualifier: impl Into<String>) -> Self {
        self.qualifier = Some(qualifier.into());
        self
    }

    /// The REST API id, when known: it goes into invoke-permission statement ids.
    pub fn with_api_id(mut self, api_id: Option<String>) -> Self {
        self.api_id = api_id;
        self
    }

    /// Whether [`apply`](crate::apply) writes generated operationIds back into the definition.
    pub fn with_write_operation_ids(mut self, on: bool) -> Self {
        self.write_operation_ids = on;
        self
    }

    /// How operations map to functions (default: one per operation).
    pub fn with_granularity(mut self, granularity: Granularity) -> Self {
        self.granularity = granularity;
        self
    }

    /// How operations map to functions.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account id.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The partition: as set, or derived from the region.
    pub fn partition(&self) -> &str {
        match &self.partition {
            Some(p) => p,
            None => partition_of(&self.region),
        }
    }

    /// The integration type of new integrations.
    pub fn integration(&self) -> IntegrationType {
        self.integration
    }

    /// The function name template.
    pub fn name_template(&self) -> &str {
        &self.name_template
    }

    /// The prefix, when set.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// The qualifier, when set.
    pub fn qualifier(&self) -> Option<&str> {
        self.qualifier.as_deref()
    }

    /// The API id, when set.
    pub fn api_id(&self) -> Option<&str> {
        self.api_id.as_deref()
    }

    /// Whether generated operationIds are written back.
    pub fn write_operation_ids(&self) -> bool {
        self.write_operation_ids
    }

    /// Checks every setting: region shape (`us-east-1`), 12-digit account, a known partition
    /// that holds the region, a name template with known placeholders including
    /// `{operationId}` (and a prefix when it uses `{prefix}`), a valid qualifier and API id.
    pub fn validate(&self) -> Result<()> {
        if !valid_region(&self.region) {
            return Err(Error::InvalidRegion(self.region.clone()));
        }
        if self.account_id.len() != 12 || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidAccount(self.account_id.clone()));
        }
        let partition = self.partition();
        if !["aws", "aws-cn", "aws-us-gov"].contains(&partition) {
            return Err(Error::InvalidPartition {
                partition: partition.to_string(),
                reason: "expected `aws`, `aws-cn` or `aws-us-gov`".into(),
            });
        }
        let expected = partition_of(&self.region);
        if partition != expected {
            return Err(Error::InvalidPartition {
                partition: partition.to_string(),
                reason: format!("region `{}` is in partition `{expected}`", self.region),
            });
        }
        let names = template_placeholders(&self.name_template).map_err(|reason| {
            Error::InvalidTemplate {
                template: self.name_template.clone(),
                reason,
            }
        })?;
        if !names.iter().any(|n| n == "operationId") {
            return Err(Error::InvalidTemplate {
                template: self.name_template.clone(),
                reason:
                    "it must contain `{operationId}`, or every function would get the same name"
                        .into(),
            });
        }
        if names.iter().any(|n| n == "prefix") && self.prefix.as_deref().is_none_or(str::is_empty) {
            return Err(Error::InvalidTemplate {
                template: self.name_template.clone(),
                reason: "it uses `{prefix}` but no prefix is set".into(),
            });
        }
        if let Some(q) = &self.qualifier {
            let ok = q == "$LATEST"
                || (!q.is_empty()
                    && q.len() <= 128
                    && q.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            if !ok {
                return Err(Error::InvalidQualifier(q.clone()));
            }
        }
        if let Some(id) = &self.api_id
            && (id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(Error::InvalidApiId(id.clone()));
        }
        Ok(())
    }
}

/// The partition that holds a region.
fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// `us-east-1`, `us-gov-west-1`, `ap-southeast-2`, `cn-northwest-1`: two letters, an
/// optional `-gov`, a direction word, a number.
fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let (geo, rest) = match parts.as_slice() {
        [geo, "gov", rest @ ..] => (*geo, rest),
        [geo, rest @ ..] => (*geo, rest),
        [] => return false,
    };
    let [word, number] = rest else {
        return false;
    };
    geo.len() == 2
        && geo.bytes().all(|b| b.is_ascii_lowercase())
        && !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !number.is_empty()
        && number.len() <= 2
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The placeholder names of a template, or why it is malformed.
pub(crate) fn template_placeholders(template: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        if rest.as_bytes()[i] == b'}' {
            return Err("a `}` without its `{`".into());
        }
        let after = &rest[i + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| "a `{` without its `}`".to_string())?;
        let name = &after[..end];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder `{{{name}}}`; use {{prefix}}, {{title}}, {{version}}, {{tag}} or {{operationId}}"
            ));
        }
        out.push(name.to_string());
        rest = &after[end + 1..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for r in [
            "us-east-1",
            "eu-central-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "ap-southeast-2",
            "il-central-1",
        ] {
            assert!(valid_region(r), "{r}");
        }
        for r in [
            "",
            "us-east",
            "US-EAST-1",
            "useast1",
            "us-east-1a",
            "us--1",
            "u-east-1",
            "us-east-123",
        ] {
            assert!(!valid_region(r), "{r}");
        }
    }
}

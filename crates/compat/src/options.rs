//! Which rules run.

use std::collections::BTreeSet;

/// Settings for [`lint`](crate::lint) and [`transform`](crate::transform): every rule is on
/// unless disabled by id.
///
/// ```
/// use lambda_sync_compat::CompatOptions;
/// let opts = CompatOptions::default().with_disabled(["example", "xml"]);
/// assert!(!opts.is_enabled("xml"));
/// assert!(opts.is_enabled("model-name"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompatOptions {
    disabled: BTreeSet<String>,
    strict: bool,
}

impl CompatOptions {
    /// Every rule enabled.
    pub fn new() -> CompatOptions {
        CompatOptions::default()
    }

    /// Disables these rules (ids are not checked here; see
    /// [`validate_rule_ids`](crate::validate_rule_ids) or [`CompatOptions::validate`]).
    pub fn with_disabled<I, S>(mut self, ids: I) -> CompatOptions
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.disabled.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Strict mode: the repairs (paths, path variables, parameter names, operations API Gateway
    /// cannot tell apart) are not made; each of their findings is an error that blocks a push.
    ///
    /// ```
    /// use lambda_sync_compat::CompatOptions;
    /// assert!(CompatOptions::default().with_strict(true).strict());
    /// ```
    pub fn with_strict(mut self, strict: bool) -> CompatOptions {
        self.strict = strict;
        self
    }

    /// Whether strict mode is on (see [`CompatOptions::with_strict`]).
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// Disables one rule.
    pub fn disable(&mut self, id: impl Into<String>) -> &mut CompatOptions {
        self.disabled.insert(id.into());
        self
    }

    /// Whether the rule runs.
    pub fn is_enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }

    /// The disabled ids, sorted.
    pub fn disabled(&self) -> impl Iterator<Item = &str> {
        self.disabled.iter().map(String::as_str)
    }

    /// Checks that every disabled id names a rule.
    pub fn validate(&self) -> crate::Result<()> {
        let ids: Vec<String> = self.disabled.iter().cloned().collect();
        crate::validate_rule_ids(&ids)
    }
}

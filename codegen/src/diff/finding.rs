//! One reported change, with its two verdicts and a stable fingerprint.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::rules::{Category, Rule};

/// Whether a change breaks one kind of caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Existing callers keep working.
    Compatible,
    /// Existing callers break.
    Breaking,
}

/// One change between two versions of the specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The kind of change.
    pub rule: Rule,
    /// Service (directory name) it belongs to.
    pub service: String,
    /// Where: a `/`-separated path starting with the service
    /// (`rdsai/operations/GetConversations/params/WorkspaceId`). Together with
    /// the rule id it identifies the finding across runs.
    pub location: String,
    /// One sentence for humans; may be reworded freely.
    pub message: String,
    /// Verdict for callers of the HTTP API.
    pub wire: Impact,
    /// Verdict for code using the generated crate.
    pub rust: Impact,
    /// Operations affected, sorted; empty when the whole service is.
    pub operations: Vec<String>,
    /// The old value, when there is one worth showing (`string`).
    pub before: Option<String>,
    /// The new value, when there is one worth showing (`int64`).
    pub after: Option<String>,
}

impl Finding {
    /// Whether either verdict is breaking.
    pub fn is_breaking(&self) -> bool {
        self.wire == Impact::Breaking || self.rust == Impact::Breaking
    }

    /// The changelog section.
    pub fn category(&self) -> Category {
        self.rule.category()
    }

    /// A stable id for tracking the finding across runs (CI annotations,
    /// suppressions): the first 16 hex digits of SHA-256 over the rule id and
    /// the location, never over the wording.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.rule.id().as_bytes());
        hasher.update([0]);
        hasher.update(self.location.as_bytes());
        hasher
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(message: &str) -> Finding {
        Finding {
            rule: Rule::OperationRemoved,
            service: "svc".into(),
            location: "svc/operations/Op".into(),
            message: message.into(),
            wire: Impact::Breaking,
            rust: Impact::Breaking,
            operations: vec!["Op".into()],
            before: None,
            after: None,
        }
    }

    #[test]
    fn fingerprint_ignores_wording_but_not_location_or_rule() {
        let a = finding("operation `Op` was removed");
        let b = finding("`Op` is gone");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 16);
        let mut c = a.clone();
        c.location = "svc/operations/Other".into();
        assert_ne!(a.fingerprint(), c.fingerprint());
        let mut d = a.clone();
        d.rule = Rule::OperationAdded;
        assert_ne!(a.fingerprint(), d.fingerprint());
    }
}

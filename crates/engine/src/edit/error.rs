//! Why an edit was not made ([`EditError`]), for a UI to show beside the field it touched.

use super::labels::{bounded, quoted};
use super::MAX_MESSAGE_CHARS;
use crate::error::ValidationError;
use serde::Serialize;
use std::fmt;

/// What went wrong, for a UI to choose how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditErrorKind {
    /// A target named by the edit does not exist.
    NotFound,
    /// The edit's own input is refused (a name too long, a CIDR that is not one).
    BadInput,
    /// The target is still used by something else.
    InUse,
    /// The edited scenario does not validate: see `errors`.
    Invalid,
    /// A run cannot take this edit: make it at time 0.
    NotLive,
    /// An autosave that cannot be read back.
    Corrupt,
}

/// Why an edit was not made. The spec it was applied to is unchanged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditError {
    pub kind: EditErrorKind,
    /// A short reason for the field the edit touched (what the editor shows beside it).
    pub message: String,
    /// The field the edit touched, e.g. `functions[1].reserved_concurrency` or `vpc.subnets`.
    pub field: Option<String>,
    /// Every validation error of the edited scenario (empty unless `kind` is `Invalid` or
    /// `NotLive`).
    pub errors: Vec<ValidationError>,
}

impl EditError {
    pub(super) fn new(kind: EditErrorKind, field: &str, message: impl Into<String>) -> Self {
        EditError {
            kind,
            message: bounded(&message.into(), MAX_MESSAGE_CHARS),
            field: (!field.is_empty()).then(|| field.to_string()),
            errors: Vec::new(),
        }
    }
    pub(super) fn not_found(what: &str, name: &str, field: &str) -> Self {
        Self::new(EditErrorKind::NotFound, field, format!("no {what} named {}", quoted(name)))
    }
    pub(super) fn bad(field: &str, message: impl Into<String>) -> Self {
        Self::new(EditErrorKind::BadInput, field, message)
    }
    pub(super) fn in_use(field: &str, message: impl Into<String>) -> Self {
        Self::new(EditErrorKind::InUse, field, message)
    }
    pub(super) fn corrupt(message: impl Into<String>) -> Self {
        Self::new(EditErrorKind::Corrupt, "", message)
    }

    /// The validation errors of an edited scenario, with the reason for `field` first: the
    /// first error at or under it, else the first one (with its path).
    pub(super) fn invalid(errors: Vec<ValidationError>, field: &str) -> Self {
        let errors: Vec<ValidationError> = errors
            .into_iter()
            .map(|e| {
                ValidationError::new(
                    bounded(&e.path, MAX_MESSAGE_CHARS),
                    bounded(&e.message, MAX_MESSAGE_CHARS),
                )
            })
            .collect();
        let live = errors.iter().any(|e| e.message.contains("during a run"));
        let own = errors.iter().find(|e| concerns(&e.path, field));
        let message = match (own, errors.first()) {
            (Some(e), _) => e.message.clone(),
            (None, Some(e)) if e.path.is_empty() => e.message.clone(),
            (None, Some(e)) => format!("{}: {}", e.path, e.message),
            (None, None) => "the edited scenario does not validate".into(),
        };
        let (kind, message) = if live {
            (EditErrorKind::NotLive, format!("{message} (make this edit at time 0, before playing)"))
        } else {
            (EditErrorKind::Invalid, message)
        };
        let mut e = Self::new(kind, field, message);
        e.errors = errors;
        e
    }
}

// Whether a validation error at `path` is about `field` (or inside it), also inside a change's
// patch ("changes[2].patch: functions[0].memory_mb").
fn concerns(path: &str, field: &str) -> bool {
    if field.is_empty() {
        return false;
    }
    let inner = path.rsplit(": ").next().unwrap_or(path);
    [path, inner]
        .iter()
        .any(|p| p.strip_prefix(field).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '['])))
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for EditError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concerns_matches_fields_and_children() {
        assert!(concerns("functions[1].reserved_concurrency", "functions[1].reserved_concurrency"));
        assert!(concerns("vpc.subnets[2].cidr", "vpc.subnets[2]"));
        assert!(!concerns("vpc.subnets[20].cidr", "vpc.subnets[2]"));
        assert!(concerns("changes[0].patch: functions[0].memory_mb", "functions[0].memory_mb"));
    }
}

//! Service errors, split into what a user can fix (invalid, not found, conflict) and failures.

use hearth_core::FieldErrors;
use hearth_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input is invalid; every problem is listed by field.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// No record of this kind with this id.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change conflicts with the current state (a duplicate key or a stale version).
    #[error("{0}")]
    Conflict(String),
    /// The caller named no purpose: every use of personal data needs one.
    #[error("a purpose is required: name the register purpose this request is for")]
    PurposeRequired,
    /// The caller named a purpose the register does not hold.
    #[error("unknown purpose '{0}': it is not in the register")]
    UnknownPurpose(String),
    /// The policy refuses this caller this action, for this purpose.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// No valid credentials.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many failed sign-ins: wait before trying again.
    #[error("too many failed sign-ins: try again in {0} seconds")]
    RateLimited(u64),
    /// The policy engine could not evaluate the request (a bug or a bad policy file).
    #[error("policy evaluation failed: {0}")]
    Policy(String),
    /// Something failed that the user cannot fix.
    #[error("store failure: {0}")]
    Store(StoreError),
    /// A single-use or expiring thing (a download link) that has been used or has expired.
    #[error("{0}")]
    Gone(String),
    /// Object storage or signing is not available or failed.
    #[error("{0}")]
    Storage(String),
    /// A service Hearth relies on (GOV.UK One Login) could not be reached or answered wrongly.
    #[error("{0}")]
    Upstream(String),
}

impl ServiceError {
    pub(crate) fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Self::Invalid(errors)
    }
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate(what) => Self::Conflict(format!(
                "a record with the same key already exists ({what})"
            )),
            StoreError::VersionConflict { .. } => Self::Conflict(err.to_string()),
            StoreError::NotFound => Self::NotFound("record"),
            StoreError::Conflict(what) => Self::Conflict(what),
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

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
    /// Something failed that the user cannot fix.
    #[error("store failure: {0}")]
    Store(StoreError),
}

impl ServiceError {
    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_input",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Store(_) => "internal",
        }
    }

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
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

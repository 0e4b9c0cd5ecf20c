//! Field-level validation errors: every problem says which field and why.

use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as a dotted path (`postal_address.postcode`).
    pub field: String,
    /// What is wrong, in plain English.
    pub message: String,
}

/// All the problems found in one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Runs a parser, recording its error against `field` and returning the value if valid.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(field, err.to_string());
                None
            }
        }
    }

    /// Checks an optional raw value: blank means absent.
    pub fn optional<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(value) => self.check(field, parse(value)),
        }
    }

    /// Checks a required text value: it must be present and not blank, at most `max` characters.
    pub fn required_text(&mut self, field: &str, raw: &str, max: usize) -> String {
        let value = raw.trim();
        if value.is_empty() {
            self.add(field, "is required");
        } else if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
        value.to_string()
    }

    /// Checks an optional text value's length; blank becomes `None`.
    pub fn optional_text(&mut self, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
        let value = raw.map(str::trim).filter(|s| !s.is_empty())?;
        if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
        Some(value.to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no problem was recorded.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

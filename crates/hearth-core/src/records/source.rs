//! Where an item of personal data came from: the person, a named referrer, an import, staff.

use super::text_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Given by the person themselves.
    Person,
    /// Given by a named third party (GP, social worker, family member).
    Referrer,
    /// Loaded from a file; `detail` names the file or system.
    Import,
    /// Recorded by staff from their own observation.
    Staff,
    /// Received from a partner organisation.
    Partner,
}
text_enum!(SourceKind { Person => "person", Referrer => "referrer", Import => "import", Staff => "staff", Partner => "partner" });

/// The source of a record or an item in it; an access response reports it (Art 15(1)(g)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Source {
    pub kind: SourceKind,
    /// Who or what: the referrer's name, the import file, the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Source {
    pub fn person() -> Self {
        Self {
            kind: SourceKind::Person,
            detail: None,
        }
    }

    pub fn import(detail: impl Into<String>) -> Self {
        Self {
            kind: SourceKind::Import,
            detail: Some(detail.into()),
        }
    }

    /// Checks that a referrer or partner is named and the detail is not too long.
    pub fn validate(&self, field: &str, errors: &mut crate::FieldErrors) {
        let detail = self.detail.as_deref().map(str::trim).unwrap_or("");
        if matches!(self.kind, SourceKind::Referrer | SourceKind::Partner) && detail.is_empty() {
            errors.add(
                format!("{field}.detail"),
                "must name the referrer or partner",
            );
        }
        if detail.chars().count() > 200 {
            errors.add(format!("{field}.detail"), "must be at most 200 characters");
        }
    }

    /// Parses the CSV form: `person`, `referrer:Dr Shah`, `import:legacy-crm`.
    pub fn parse_compact(raw: &str) -> Result<Self, String> {
        let (kind, detail) = match raw.split_once(':') {
            Some((k, d)) => (k, Some(d.trim().to_string()).filter(|d| !d.is_empty())),
            None => (raw, None),
        };
        let source = Self {
            kind: kind.parse()?,
            detail,
        };
        let mut errors = crate::FieldErrors::new();
        source.validate("source", &mut errors);
        if errors.is_empty() {
            Ok(source)
        } else {
            Err(errors.to_string())
        }
    }
}

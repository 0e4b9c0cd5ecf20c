//! The disclosures register: each time a person's data was given to an organisation outside
//! the council (police, a safeguarding board, a contractor), to whom, for which purpose, what
//! and why. It answers "who has my data" in an access response and says whom to tell after a
//! rectification or an erasure (Art 19).

use crate::register::Register;
use crate::validation::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A disclosure as recorded by the member of staff who made it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDisclosure {
    pub person_id: Uuid,
    /// A recipient from the register that the purpose names.
    pub recipient: String,
    /// The record disclosed, when it was one record (else the person's data generally).
    #[serde(default)]
    pub record_type: Option<String>,
    #[serde(default)]
    pub record_id: Option<Uuid>,
    #[schema(value_type = String, format = Date)]
    pub disclosed_on: Date,
    /// What was given (kept sealed with the person's data).
    pub what: String,
    /// Why it was lawful: the request, the legal gateway (kept sealed).
    pub reason: String,
}

/// A disclosure in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Disclosure {
    pub id: Uuid,
    pub person_id: Uuid,
    pub recipient: String,
    /// The purpose it served (the caller's purpose when recorded).
    pub purpose: String,
    pub record_type: Option<String>,
    pub record_id: Option<Uuid>,
    #[schema(value_type = String, format = Date)]
    pub disclosed_on: Date,
    /// `None` once the person's key is destroyed.
    pub what: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: Timestamp,
}

impl NewDisclosure {
    /// Checks the disclosure against the register: the recipient is one the purpose names, the
    /// record type exists, the date is not in the future, and what and why are said.
    pub fn validate(
        &self,
        register: &Register,
        purpose: &str,
        today: Date,
    ) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        match (register.recipient(&self.recipient), register.purpose(purpose)) {
            (None, _) => errors.add(
                "recipient",
                format!("unknown recipient '{}': it is not in the register", self.recipient),
            ),
            (Some(_), Some(p)) if !p.recipients.contains(&self.recipient) => errors.add(
                "recipient",
                format!(
                    "the register does not name '{}' as a recipient for the purpose '{purpose}': record it under the purpose it served, or add the recipient to the register",
                    self.recipient
                ),
            ),
            _ => {}
        }
        if let Some(record_type) = &self.record_type
            && register.record_type(record_type).is_none()
        {
            errors.add(
                "record_type",
                format!("unknown record type '{record_type}': it is not in the register"),
            );
        }
        if self.record_id.is_some() && self.record_type.is_none() {
            errors.add(
                "record_type",
                "name the record type of the record disclosed",
            );
        }
        if self.disclosed_on > today {
            errors.add("disclosed_on", "cannot be in the future");
        }
        for (field, value) in [("what", &self.what), ("reason", &self.reason)] {
            let n = value.trim().chars().count();
            if !(3..=2000).contains(&n) {
                errors.add(field, "is required: 3 to 2,000 characters");
            }
        }
        errors.finish(())
    }
}

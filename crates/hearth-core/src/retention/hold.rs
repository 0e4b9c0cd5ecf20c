//! Legal holds: a record needed for an investigation, a safeguarding concern or a legal claim is
//! kept whatever its schedule says, until the hold is lifted.

use crate::validation::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a hold covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HoldScope {
    /// Everything about a person: their record and every record that names them.
    Person { person_id: Uuid },
    /// Every record filed under a case reference (a police request, a claim).
    Case { case_ref: String },
    /// One record.
    Record {
        record_type: String,
        record_id: Uuid,
    },
    /// Every record of a type (all CCTV footage while an incident is investigated).
    RecordType { record_type: String },
}

impl HoldScope {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Person { .. } => "person",
            Self::Case { .. } => "case",
            Self::Record { .. } => "record",
            Self::RecordType { .. } => "record_type",
        }
    }

    /// The stored target: a person or record id, a case reference, or a record type.
    pub fn target(&self) -> String {
        match self {
            Self::Person { person_id } => person_id.to_string(),
            Self::Case { case_ref } => case_ref.clone(),
            Self::Record { record_id, .. } => record_id.to_string(),
            Self::RecordType { record_type } => record_type.clone(),
        }
    }

    /// The record type a record or record-type hold names.
    pub fn record_type(&self) -> Option<&str> {
        match self {
            Self::Record { record_type, .. } | Self::RecordType { record_type } => {
                Some(record_type)
            }
            _ => None,
        }
    }

    /// Rebuilds a scope from its stored columns.
    pub fn from_stored(kind: &str, target: &str, record_type: Option<&str>) -> Option<Self> {
        Some(match kind {
            "person" => Self::Person {
                person_id: target.parse().ok()?,
            },
            "case" => Self::Case {
                case_ref: target.to_string(),
            },
            "record" => Self::Record {
                record_type: record_type?.to_string(),
                record_id: target.parse().ok()?,
            },
            "record_type" => Self::RecordType {
                record_type: target.to_string(),
            },
            _ => return None,
        })
    }
}

/// A request to place a hold, as staff send it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    pub scope: HoldScope,
    /// Why: "Police request ref 14/2231 for footage of the incident on 3 May".
    pub reason: String,
    /// Who asked for it (a body or a role; not a private individual's name).
    pub requester: String,
    /// The member of staff responsible for reviewing and lifting it, by staff id.
    pub owner: Uuid,
    /// When the hold must next be reviewed.
    #[schema(value_type = String, format = Date)]
    pub review_on: Date,
}

impl NewHold {
    /// Checks the request; `today` decides whether the review date is in the future.
    pub fn validate(&self, today: Date) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.reason.trim().len() < 10 {
            errors.add(
                "reason",
                "say why the hold is needed (at least 10 characters)",
            );
        }
        if self.reason.len() > 2000 {
            errors.add("reason", "at most 2000 characters");
        }
        if self.requester.trim().is_empty() || self.requester.len() > 200 {
            errors.add(
                "requester",
                "name who asked for the hold (1-200 characters)",
            );
        }
        if self.review_on <= today {
            errors.add("review_on", "the review date must be after today");
        }
        match &self.scope {
            HoldScope::Case { case_ref } if case_ref.trim().is_empty() || case_ref.len() > 100 => {
                errors.add("scope.case_ref", "a case reference of 1-100 characters")
            }
            HoldScope::Record { record_type, .. } | HoldScope::RecordType { record_type }
                if record_type.trim().is_empty() =>
            {
                errors.add("scope.record_type", "name a record type")
            }
            _ => {}
        }
        errors.finish(())
    }
}

/// A hold as kept.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LegalHold {
    pub id: Uuid,
    pub scope: HoldScope,
    pub reason: String,
    pub requester: String,
    pub owner: Uuid,
    #[schema(value_type = String, format = Date)]
    pub review_on: Date,
    #[schema(value_type = String, format = DateTime)]
    pub placed_at: Timestamp,
    /// Who placed it (an actor id).
    pub placed_by: String,
    pub lifted: Option<HoldLift>,
}

/// How and why a hold ended.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HoldLift {
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub by: String,
    pub reason: String,
}

impl LegalHold {
    pub fn is_active(&self) -> bool {
        self.lifted.is_none()
    }

    /// Whether the hold names a record: the record itself, its type, its case, or anyone it
    /// concerns.
    pub fn covers(
        &self,
        record_type: &str,
        record_id: Uuid,
        person_ids: &[Uuid],
        case_ref: Option<&str>,
    ) -> bool {
        match &self.scope {
            HoldScope::Person { person_id } => person_ids.contains(person_id),
            HoldScope::Case { case_ref: held } => case_ref == Some(held.as_str()),
            HoldScope::Record {
                record_id: held, ..
            } => *held == record_id,
            HoldScope::RecordType { record_type: held } => held == record_type,
        }
    }

    /// An active hold whose review date has passed: reported until someone reviews it.
    pub fn review_overdue(&self, today: Date) -> bool {
        self.is_active() && self.review_on < today
    }
}

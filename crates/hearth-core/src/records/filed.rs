//! Filed records: records of the register's record types that have no table of their own (a
//! CCTV clip, a Blue Badge photo, a CSO's daily note, a survey response), with the dates their
//! schedules count from and the media objects they carry.

use crate::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A record as staff file it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FiledRecordInput {
    /// A record type from the register, such as `cctv_footage`.
    pub record_type: String,
    /// The person it is about, if any.
    pub person_id: Option<Uuid>,
    /// The tenancy it belongs to, for schedules that count from the end of a tenancy.
    pub tenancy_id: Option<Uuid>,
    /// A case or incident reference that legal holds can name.
    pub case_ref: Option<String>,
    pub title: String,
    pub details: Option<String>,
    /// Statistical answers (banded, non-identifying): what anonymisation keeps when the
    /// register names them in `keep_fields`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub stats: serde_json::Map<String, serde_json::Value>,
    /// Named dates a schedule can count from (`badge_expired: 2026-05-01`).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub events: BTreeMap<String, String>,
}

/// The validated fields of a filed record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FiledRecordFields {
    pub record_type: String,
    pub person_id: Option<Uuid>,
    pub tenancy_id: Option<Uuid>,
    pub case_ref: Option<String>,
    pub title: String,
    pub details: Option<String>,
    #[schema(value_type = Object)]
    pub stats: serde_json::Map<String, serde_json::Value>,
    #[schema(value_type = Object)]
    pub events: BTreeMap<String, Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FiledRecord {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: FiledRecordFields,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The last time anyone worked on it: schedules counting from last activity start here.
    #[schema(value_type = String, format = DateTime)]
    pub last_activity_at: Timestamp,
    /// When the case it records was closed.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// When it was anonymised: identity, contact details and free text are gone.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub anonymised_at: Option<Timestamp>,
    pub version: i64,
}

/// A media object (photo, footage, recording) attached to a filed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MediaObject {
    pub id: Uuid,
    pub record_id: Uuid,
    /// Where it is in object storage; never derived from personal data.
    pub object_key: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the content as uploaded, hex.
    pub sha256: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl FiledRecordInput {
    /// Checks the fields; whether the record type exists is the register's to say.
    pub fn validate(&self) -> Result<FiledRecordFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let record_type = errors.required_text("record_type", &self.record_type, 100);
        let title = errors.required_text("title", &self.title, 500);
        let details = errors.optional_text("details", self.details.as_deref(), 20_000);
        let case_ref = errors.optional_text("case_ref", self.case_ref.as_deref(), 100);
        let mut events = BTreeMap::new();
        for (name, raw) in &self.events {
            let field = format!("events.{name}");
            if !crate::register::is_snake_id(name) {
                errors.add(&field, "event names are snake_case (badge_expired)");
            }
            if let Some(date) = errors.check(&field, super::parse_date(raw)) {
                events.insert(name.clone(), date);
            }
        }
        if serde_json::to_string(&self.stats).map_or(0, |s| s.len()) > 4000 {
            errors.add("stats", "at most 4000 characters of statistical fields");
        }
        errors.finish(FiledRecordFields {
            record_type,
            person_id: self.person_id,
            tenancy_id: self.tenancy_id,
            case_ref,
            title,
            details,
            stats: self.stats.clone(),
            events,
        })
    }
}

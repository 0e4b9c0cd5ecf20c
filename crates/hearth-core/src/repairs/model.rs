//! The repair records: what was reported, the jobs and appointments that answer it, its status
//! history and the resident's satisfaction, with the inputs staff and residents send.

use super::RepairStatus;
use crate::FieldErrors;
use crate::records::text_enum;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// How soon a repair must be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// A danger to health or safety, or serious damage to the home.
    Emergency,
    Urgent,
    Routine,
}
text_enum!(Priority { Emergency => "emergency", Urgent => "urgent", Routine => "routine" });

/// What kind of fault it is (the trade it needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepairCategory {
    Plumbing,
    Heating,
    Gas,
    Electrical,
    Roofing,
    DoorsWindows,
    DampMould,
    Drainage,
    Structural,
    Kitchen,
    Bathroom,
    Other,
}
text_enum!(RepairCategory {
    Plumbing => "plumbing", Heating => "heating", Gas => "gas", Electrical => "electrical",
    Roofing => "roofing", DoorsWindows => "doors_windows", DampMould => "damp_mould",
    Drainage => "drainage", Structural => "structural", Kitchen => "kitchen",
    Bathroom => "bathroom", Other => "other",
});

/// How the repair reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportedVia {
    /// By the resident online.
    Web,
    Phone,
    InPerson,
    /// By a partner organisation (a support worker, a managing agent).
    Partner,
}
text_enum!(ReportedVia { Web => "web", Phone => "phone", InPerson => "in_person", Partner => "partner" });

/// How a completed repair was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Fixed by an operative or contractor at the home.
    Visit,
    /// Fixed by the resident with an engineer over a video call, without a visit.
    Remote,
    NoFaultFound,
}
text_enum!(Resolution { Visit => "visit", Remote => "remote", NoFaultFound => "no_fault_found" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Assigned,
    Completed,
    Cancelled,
}
text_enum!(JobStatus { Assigned => "assigned", Completed => "completed", Cancelled => "cancelled" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    HomeVisit,
    VideoCall,
}
text_enum!(AppointmentKind { HomeVisit => "home_visit", VideoCall => "video_call" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Booked,
    Attended,
    /// Nobody was in, or the resident did not join the call.
    Missed,
    Cancelled,
}
text_enum!(AppointmentStatus {
    Booked => "booked", Attended => "attended", Missed => "missed", Cancelled => "cancelled",
});

/// Who does a job: one of our operatives (a staff account) or a contractor firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assignee {
    Operative { staff_id: Uuid },
    Contractor { name: String },
}

/// A repair as reported.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepairInput {
    pub person_id: Option<Uuid>,
    pub property_id: Option<Uuid>,
    pub tenancy_id: Option<Uuid>,
    pub category: String,
    /// Set by staff when they take the report; a resident's own report is routine until
    /// a planner triages it.
    pub priority: Option<String>,
    /// web, phone, in_person or partner; a resident's own report is always web.
    pub reported_via: Option<String>,
    /// The partner organisation that reported it, when `reported_via` is partner.
    pub partner: Option<String>,
    pub description: String,
}

/// The checked fields of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct RepairReport {
    pub person_id: Uuid,
    pub property_id: Uuid,
    pub tenancy_id: Option<Uuid>,
    pub category: RepairCategory,
    pub priority: Option<Priority>,
    pub reported_via: Option<ReportedVia>,
    pub partner: Option<String>,
    pub description: String,
}

impl RepairInput {
    pub fn validate(&self) -> Result<RepairReport, FieldErrors> {
        let mut errors = FieldErrors::new();
        let person_id = self.person_id;
        if person_id.is_none() {
            errors.add("person_id", "say whose home it is");
        }
        if self.property_id.is_none() {
            errors.add("property_id", "say which property needs the repair");
        }
        let category = errors.check("category", self.category.parse::<RepairCategory>());
        let priority =
            errors.optional("priority", self.priority.as_deref(), str::parse::<Priority>);
        let reported_via = errors.optional(
            "reported_via",
            self.reported_via.as_deref(),
            str::parse::<ReportedVia>,
        );
        let partner = errors.optional_text("partner", self.partner.as_deref(), 200);
        match (reported_via, &partner) {
            (Some(ReportedVia::Partner), None) => {
                errors.add("partner", "name the partner organisation that reported it")
            }
            (Some(via), Some(_)) if via != ReportedVia::Partner => {
                errors.add("partner", "only a partner's report names a partner")
            }
            _ => {}
        }
        let description = errors.required_text("description", &self.description, 4000);
        let (Some(person_id), Some(property_id), Some(category)) =
            (person_id, self.property_id, category)
        else {
            return Err(errors);
        };
        errors.finish(RepairReport {
            person_id,
            property_id,
            tenancy_id: self.tenancy_id,
            category,
            priority,
            reported_via,
            partner,
            description,
        })
    }
}

/// The resident's answer to the satisfaction follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Satisfaction {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: u8,
    pub comment: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionInput {
    pub score: i64,
    pub comment: Option<String>,
}

impl SatisfactionInput {
    pub fn validate(&self, at: Timestamp) -> Result<Satisfaction, FieldErrors> {
        let mut errors = FieldErrors::new();
        let score = u8::try_from(self.score)
            .ok()
            .filter(|s| (1..=5).contains(s));
        if score.is_none() {
            errors.add(
                "score",
                "a score from 1 (very dissatisfied) to 5 (very satisfied)",
            );
        }
        let comment = errors.optional_text("comment", self.comment.as_deref(), 2000);
        errors.finish(Satisfaction {
            score: score.unwrap_or(0),
            comment,
            at,
        })
    }
}

/// A repair: its own fields; the description and the person are those of the record it is
/// filed as (same id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Repair {
    /// The id of the `repairs_request` record it is filed as.
    pub id: Uuid,
    pub reference: String,
    pub person_id: Uuid,
    pub property_id: Uuid,
    pub tenancy_id: Option<Uuid>,
    pub category: RepairCategory,
    pub priority: Priority,
    pub reported_via: ReportedVia,
    pub partner: Option<String>,
    pub description: String,
    pub status: RepairStatus,
    pub resolution: Option<Resolution>,
    #[schema(value_type = String, format = DateTime)]
    pub reported_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub target_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    pub satisfaction: Option<Satisfaction>,
    pub version: i64,
}

/// A piece of work on a repair, given to an operative or a contractor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RepairJob {
    pub id: Uuid,
    pub repair_id: Uuid,
    pub assignee: Assignee,
    /// What to do, written by the planner for the operative: no personal data needed.
    pub instructions: String,
    pub status: JobStatus,
    #[schema(value_type = String, format = DateTime)]
    pub assigned_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobInput {
    /// A staff account with the repairs operative role, or
    pub operative_id: Option<Uuid>,
    /// a contractor firm from the register's contractors.
    pub contractor: Option<String>,
    pub instructions: String,
}

impl JobInput {
    pub fn validate(&self) -> Result<(Assignee, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let contractor = errors.optional_text("contractor", self.contractor.as_deref(), 200);
        let assignee = match (self.operative_id, contractor) {
            (Some(staff_id), None) => Some(Assignee::Operative { staff_id }),
            (None, Some(name)) => Some(Assignee::Contractor { name }),
            (Some(_), Some(_)) => {
                errors.add("contractor", "give an operative or a contractor, not both");
                None
            }
            (None, None) => {
                errors.add("operative_id", "give an operative or a contractor");
                None
            }
        };
        let instructions = errors.required_text("instructions", &self.instructions, 2000);
        match assignee {
            Some(a) => errors.finish((a, instructions)),
            None => Err(errors),
        }
    }
}

/// A home visit or a video call, booked for a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Appointment {
    pub id: Uuid,
    pub repair_id: Uuid,
    pub job_id: Option<Uuid>,
    pub kind: AppointmentKind,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Timestamp,
    pub status: AppointmentStatus,
    pub booked_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub booked_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    pub kind: String,
    pub job_id: Option<Uuid>,
    /// RFC 3339 (`2026-12-01T09:00:00Z`).
    pub starts_at: String,
    pub ends_at: String,
}

impl AppointmentInput {
    /// Checks the slot; `now` refuses slots that have already begun.
    pub fn validate(
        &self,
        now: Timestamp,
    ) -> Result<(AppointmentKind, Timestamp, Timestamp), FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check("kind", self.kind.parse::<AppointmentKind>());
        let parse = |raw: &str| {
            raw.trim()
                .parse::<Timestamp>()
                .map_err(|_| format!("'{raw}' is not a time: expected 2026-12-01T09:00:00Z"))
        };
        let starts = errors.check("starts_at", parse(&self.starts_at));
        let ends = errors.check("ends_at", parse(&self.ends_at));
        if let Some(s) = starts
            && s < now
        {
            errors.add("starts_at", "the slot has already begun");
        }
        if let (Some(s), Some(e)) = (starts, ends) {
            let hours = e.duration_since(s).as_secs();
            if hours <= 0 {
                errors.add("ends_at", "the slot ends after it starts");
            } else if hours > 12 * 3600 {
                errors.add("ends_at", "a slot is at most 12 hours");
            }
        }
        match (kind, starts, ends) {
            (Some(k), Some(s), Some(e)) => errors.finish((k, s, e)),
            _ => Err(errors),
        }
    }
}

/// One change of a repair's status, with who made it and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatusChange {
    pub id: Uuid,
    pub repair_id: Uuid,
    pub status: RepairStatus,
    /// Sealed under the person's key: notes can say things about the household.
    pub note: Option<String>,
    /// The actor who made the change (`staff:<id>`, `resident:<id>`, `system`).
    pub by: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

/// A repair with its jobs, appointments and status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RepairFile {
    pub repair: Repair,
    pub jobs: Vec<RepairJob>,
    pub appointments: Vec<Appointment>,
    pub history: Vec<StatusChange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> RepairInput {
        RepairInput {
            person_id: Some(Uuid::now_v7()),
            property_id: Some(Uuid::now_v7()),
            category: "plumbing".into(),
            description: "Kitchen tap drips constantly".into(),
            ..RepairInput::default()
        }
    }

    #[test]
    fn a_report_needs_who_where_what() {
        let errors = RepairInput::default().validate().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["person_id", "property_id", "category", "description"]
        );
        assert!(report().validate().is_ok());
    }

    #[test]
    fn a_partner_report_names_the_partner_and_only_then() {
        let mut input = report();
        input.reported_via = Some("partner".into());
        assert_eq!(input.validate().unwrap_err().0[0].field, "partner");
        input.partner = Some("Fresh Start Support".into());
        assert!(input.validate().is_ok());
        input.reported_via = Some("phone".into());
        assert_eq!(input.validate().unwrap_err().0[0].field, "partner");
    }

    #[test]
    fn jobs_go_to_an_operative_or_a_contractor() {
        let both = JobInput {
            operative_id: Some(Uuid::now_v7()),
            contractor: Some("Acme Roofing".into()),
            instructions: "Replace slipped tiles".into(),
        };
        assert_eq!(both.validate().unwrap_err().0[0].field, "contractor");
        let neither = JobInput {
            operative_id: None,
            contractor: None,
            instructions: String::new(),
        };
        assert_eq!(neither.validate().unwrap_err().0.len(), 2);
    }

    #[test]
    fn appointments_are_future_bounded_slots() {
        let now: Timestamp = "2026-11-23T09:00:00Z"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let slot = |s: &str, e: &str| AppointmentInput {
            kind: "home_visit".into(),
            job_id: None,
            starts_at: s.into(),
            ends_at: e.into(),
        };
        assert!(
            slot("2026-11-24T08:00:00Z", "2026-11-24T12:00:00Z")
                .validate(now)
                .is_ok()
        );
        let past = slot("2026-11-22T08:00:00Z", "2026-11-22T12:00:00Z").validate(now);
        assert_eq!(past.unwrap_err().0[0].field, "starts_at");
        let backwards = slot("2026-11-24T12:00:00Z", "2026-11-24T08:00:00Z").validate(now);
        assert_eq!(backwards.unwrap_err().0[0].field, "ends_at");
    }

    #[test]
    fn satisfaction_scores_run_one_to_five() {
        let now = Timestamp::UNIX_EPOCH;
        for bad in [0, 6, -1] {
            let input = SatisfactionInput {
                score: bad,
                comment: None,
            };
            assert_eq!(input.validate(now).unwrap_err().0[0].field, "score");
        }
        let good = SatisfactionInput {
            score: 4,
            comment: Some("Quick".into()),
        };
        assert_eq!(good.validate(now).map(|s| s.score).ok(), Some(4));
    }
}

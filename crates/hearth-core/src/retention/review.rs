//! Disposal review: records whose schedule says "review" wait for a named role to approve their
//! destruction, keep them longer with a reason, or file them under another record type.

use crate::validation::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for a reviewer.
    Pending,
    /// Destruction approved: the next run disposes of the record.
    Approved,
    /// Kept until a new date, then reviewed again.
    Extended,
    /// Filed under another record type, whose schedule now applies.
    Reclassified,
    /// The record was destroyed.
    Done,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Extended => "extended",
            Self::Reclassified => "reclassified",
            Self::Done => "done",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "extended" => Self::Extended,
            "reclassified" => Self::Reclassified,
            "done" => Self::Done,
            _ => return None,
        })
    }
}

/// One record waiting for, or past, a disposal review.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DisposalReview {
    pub id: Uuid,
    pub record_type: String,
    pub record_id: Uuid,
    /// The role the register names as reviewer.
    pub review_role: String,
    /// The day the record's period ended.
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// A decision is overdue after this day.
    #[schema(value_type = String, format = Date)]
    pub decide_by: Date,
    pub status: ReviewStatus,
    #[schema(value_type = String, format = DateTime)]
    pub queued_at: Timestamp,
    pub decided_by: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<Timestamp>,
    pub reason: Option<String>,
    /// For an extension: kept until this day, then reviewed again.
    #[schema(value_type = Option<String>, format = Date)]
    pub keep_until: Option<Date>,
    /// For a reclassification: the record type it was filed under.
    pub reclassified_to: Option<String>,
}

impl DisposalReview {
    pub fn overdue(&self, today: Date) -> bool {
        self.status == ReviewStatus::Pending && self.decide_by < today
    }
}

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReviewDecision {
    /// Destroy the record on the next run.
    Approve { reason: Option<String> },
    /// Keep it until `until`, for this reason; it is reviewed again then.
    Extend {
        reason: String,
        #[schema(value_type = String, format = Date)]
        until: Date,
    },
    /// File it under another record type, whose schedule then applies.
    Reclassify { reason: String, record_type: String },
}

impl ReviewDecision {
    pub fn status(&self) -> ReviewStatus {
        match self {
            Self::Approve { .. } => ReviewStatus::Approved,
            Self::Extend { .. } => ReviewStatus::Extended,
            Self::Reclassify { .. } => ReviewStatus::Reclassified,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Approve { reason } => reason.as_deref(),
            Self::Extend { reason, .. } | Self::Reclassify { reason, .. } => Some(reason),
        }
    }

    /// Checks the decision's own fields; whether the new record type exists is the service's.
    pub fn validate(&self, today: Date) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason_needed = !matches!(self, Self::Approve { .. });
        match self.reason().map(str::trim) {
            Some(r) if r.len() > 2000 => errors.add("reason", "at most 2000 characters"),
            Some(r) if reason_needed && r.len() < 10 => {
                errors.add("reason", "say why (at least 10 characters)")
            }
            None if reason_needed => errors.add("reason", "is required"),
            _ => {}
        }
        if let Self::Extend { until, .. } = self
            && *until <= today
        {
            errors.add("until", "the new date must be after today");
        }
        errors.finish(())
    }
}

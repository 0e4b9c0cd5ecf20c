//! The requests register: each request a resident (or someone for them) makes under their data
//! protection rights, how it arrived, what the clock waits for, and how it ended.

use super::clock::{ClockFacts, Pause, Prerequisite};
use crate::validation::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("'{s}' is not one of: {}", all.join(", "))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;

string_enum!(
    /// Which right the request exercises.
    RequestKind {
        /// Art 15: a copy of their data and the supplementary information.
        Access => "access",
        /// Art 16: correct what is wrong.
        Rectification => "rectification",
        /// Art 17: erase what need not be kept.
        Erasure => "erasure",
        /// Art 18: storage only while a dispute is settled.
        Restriction => "restriction",
        /// Art 21: stop public-task processing.
        Objection => "objection",
        /// Art 20: the data they provided, machine-readable.
        Portability => "portability",
        /// Art 7(3): withdraw consent for a purpose.
        ConsentWithdrawal => "consent_withdrawal",
        /// Arts 22A-22D: human review of an automated decision.
        AutomatedDecisionReview => "automated_decision_review",
    }
);

string_enum!(
    /// How the request reached the council. Any channel is valid: a request need not use a form.
    Channel {
        Letter => "letter",
        Phone => "phone",
        Email => "email",
        Web => "web",
        InPerson => "in_person",
    }
);

string_enum!(
    /// Where a request stands. The clock's own state (not started, stopped, running) is derived.
    RequestStatus {
        Open => "open",
        Completed => "completed",
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
);

/// Who made the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Requester {
    /// The person the data is about.
    Subject,
    /// Someone acting for them: a solicitor, an advocate, a parent, an attorney.
    Representative {
        name: String,
        /// Their relationship to the person: "solicitor", "lasting power of attorney".
        relationship: String,
        /// How to reach them (an address or email).
        contact: String,
    },
}

/// A request as staff log it (or a resident makes it online).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRightsRequest {
    pub person_id: Uuid,
    pub kind: RequestKind,
    pub channel: Channel,
    /// The day the council received it (day one of the clock).
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    pub requester: Requester,
    /// What the person asked for, in their words or a faithful summary.
    pub summary: String,
    /// Whether proof of identity is needed before the clock starts (not when the person is
    /// known to the council, or signed in).
    #[serde(default)]
    pub identity_needed: bool,
}

impl NewRightsRequest {
    /// Checks the request; `today` rejects receipt dates in the future.
    pub fn validate(&self, today: Date) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.received_on > today {
            errors.add("received_on", "the date received cannot be in the future");
        }
        let summary = self.summary.trim();
        if summary.is_empty() || summary.len() > 10_000 {
            errors.add("summary", "say what was asked for (1-10,000 characters)");
        }
        if let Requester::Representative {
            name,
            relationship,
            contact,
        } = &self.requester
        {
            for (field, value) in [
                ("requester.name", name),
                ("requester.relationship", relationship),
                ("requester.contact", contact),
            ] {
                if value.trim().is_empty() || value.len() > 500 {
                    errors.add(field, "required, at most 500 characters");
                }
            }
        }
        errors.finish(())
    }

    /// Authority is needed from a representative until it is recorded as received.
    pub fn authority(&self) -> Prerequisite {
        match self.requester {
            Requester::Subject => Prerequisite::NotNeeded,
            Requester::Representative { .. } => Prerequisite::Awaited,
        }
    }

    pub fn identity(&self) -> Prerequisite {
        if self.identity_needed {
            Prerequisite::Awaited
        } else {
            Prerequisite::NotNeeded
        }
    }
}

/// A clarification asked of the requester, and their answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Clarification {
    pub id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub asked_on: Date,
    /// `None` once the person's data key is destroyed.
    pub question: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub answered_on: Option<Date>,
    pub answer: Option<String>,
}

/// An extension of the time limit by two further months (Art 12(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Why: the request is complex, or one of several from the person.
    pub reason: String,
    /// The day the person was told, with the reason (within the first month).
    #[schema(value_type = String, format = Date)]
    pub told_on: Date,
}

string_enum!(
    /// How a request ended.
    Outcome {
        /// Everything asked for was done.
        Fulfilled => "fulfilled",
        /// Some was done; the letter says what was not, and why.
        PartlyFulfilled => "partly_fulfilled",
        /// Refused (manifestly unfounded or excessive, or an exemption applies), with reasons.
        Refused => "refused",
        /// The requester withdrew it.
        Withdrawn => "withdrawn",
    }
);

/// Closing a request: the outcome, why, and the response sent.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub outcome: Outcome,
    /// Required for a refusal or a partial response: the grounds relied on.
    #[serde(default)]
    pub reason: Option<String>,
    /// The response letter as sent (kept sealed with the person's data).
    #[serde(default)]
    pub response_letter: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub closed_on: Date,
}

impl Closure {
    pub fn validate(&self, received_on: Date, today: Date) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.closed_on > today {
            errors.add("closed_on", "cannot be in the future");
        }
        if self.closed_on < received_on {
            errors.add("closed_on", "cannot be before the request was received");
        }
        let reason = self.reason.as_deref().map(str::trim).unwrap_or("");
        if matches!(self.outcome, Outcome::Refused | Outcome::PartlyFulfilled) && reason.len() < 10
        {
            errors.add(
                "reason",
                "a refusal or partial response states its grounds (at least 10 characters)",
            );
        }
        if reason.len() > 5000 {
            errors.add("reason", "at most 5000 characters");
        }
        if self
            .response_letter
            .as_deref()
            .is_some_and(|l| l.len() > 200_000)
        {
            errors.add("response_letter", "at most 200,000 characters");
        }
        if self.outcome != Outcome::Withdrawn && self.response_letter.is_none() {
            errors.add(
                "response_letter",
                "keep the response sent to the person (withdrawn requests need none)",
            );
        }
        errors.finish(())
    }

    pub fn status(&self) -> RequestStatus {
        match self.outcome {
            Outcome::Fulfilled | Outcome::PartlyFulfilled => RequestStatus::Completed,
            Outcome::Refused => RequestStatus::Refused,
            Outcome::Withdrawn => RequestStatus::Withdrawn,
        }
    }
}

/// A request as kept in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RightsRequest {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: RequestKind,
    pub channel: Channel,
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// Who made it, and what they asked for: `None` when the person's data key was destroyed
    /// (their data was erased); the rest of the entry stays as evidence.
    pub requester: Option<Requester>,
    pub summary: Option<String>,
    pub identity: Prerequisite,
    pub authority: Prerequisite,
    pub clarifications: Vec<Clarification>,
    pub extension: Option<Extension>,
    pub status: RequestStatus,
    pub outcome: Option<Outcome>,
    pub outcome_reason: Option<String>,
    pub response_letter: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
    /// The due date as last computed (none while the clock waits or is stopped).
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Date>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub created_by: String,
    pub version: i64,
}

impl RightsRequest {
    /// The pauses for the clock, from the clarifications.
    pub fn pauses(&self) -> Vec<Pause> {
        self.clarifications
            .iter()
            .map(|c| Pause {
                asked_on: c.asked_on,
                answered_on: c.answered_on,
            })
            .collect()
    }

    /// The facts the clock works from; `pauses` from [`Self::pauses`].
    pub fn clock_facts<'a>(&self, pauses: &'a [Pause]) -> ClockFacts<'a> {
        ClockFacts {
            received_on: self.received_on,
            identity: self.identity,
            authority: self.authority,
            pauses,
            extended: self.extension.is_some(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == RequestStatus::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn request() -> NewRightsRequest {
        NewRightsRequest {
            person_id: Uuid::nil(),
            kind: RequestKind::Access,
            channel: Channel::Email,
            received_on: date(2026, 11, 2),
            requester: Requester::Subject,
            summary: "Everything you hold about me".into(),
            identity_needed: false,
        }
    }

    #[test]
    fn a_representative_must_be_named_and_reachable() {
        let mut r = request();
        r.requester = Requester::Representative {
            name: " ".into(),
            relationship: "solicitor".into(),
            contact: String::new(),
        };
        let Err(errors) = r.validate(date(2026, 11, 22)) else {
            panic!("should be refused");
        };
        let text = errors.to_string();
        assert!(text.contains("requester.name") && text.contains("requester.contact"));
        assert!(!text.contains("requester.relationship"));
        assert_eq!(r.authority(), Prerequisite::Awaited);
    }

    #[test]
    fn receipt_cannot_be_in_the_future() {
        let r = request();
        assert!(r.validate(date(2026, 11, 1)).is_err());
        assert!(r.validate(date(2026, 11, 2)).is_ok());
    }

    #[test]
    fn a_refusal_needs_grounds_and_a_letter() {
        let closure = Closure {
            outcome: Outcome::Refused,
            reason: Some("no".into()),
            response_letter: None,
            closed_on: date(2026, 11, 20),
        };
        let Err(errors) = closure.validate(date(2026, 11, 2), date(2026, 11, 22)) else {
            panic!("should be refused");
        };
        let text = errors.to_string();
        assert!(text.contains("reason") && text.contains("response_letter"));
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for kind in RequestKind::ALL {
            assert_eq!(kind.as_str().parse::<RequestKind>(), Ok(*kind));
        }
        assert!("subject_access".parse::<RequestKind>().is_err());
    }
}

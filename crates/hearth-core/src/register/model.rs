//! The validated register: what every other part of Hearth reads.

use super::{Art6Basis, Art9Condition, Period, Schedule1Condition};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Register {
    pub meta: RegisterMeta,
    pub controller: Controller,
    pub notices: Vec<Notice>,
    pub roles: Vec<Role>,
    pub data_subjects: Vec<DataSubject>,
    pub data_categories: Vec<DataCategory>,
    pub recipients: Vec<Recipient>,
    pub purposes: Vec<Purpose>,
    pub record_types: Vec<RecordType>,
    /// SHA-256 of the file's bytes, hex: the register's version.
    pub hash: String,
}

impl Register {
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    pub fn record_type(&self, id: &str) -> Option<&RecordType> {
        self.record_types.iter().find(|r| r.id == id)
    }

    pub fn data_category(&self, id: &str) -> Option<&DataCategory> {
        self.data_categories.iter().find(|c| c.id == id)
    }

    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }

    /// The first 12 hex digits of the hash, for display.
    pub fn short_hash(&self) -> &str {
        &self.hash[..12.min(self.hash.len())]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterMeta {
    pub title: String,
    pub version_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Controller {
    pub name: String,
    pub address: String,
    pub dpo_email: String,
    pub dpo_phone: Option<String>,
    pub ico_registration: Option<String>,
    pub complaints: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub id: String,
    pub organisation: String,
    pub service: String,
    /// The title of the published notice.
    pub document: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataSubject {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataCategory {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Special category data (UK GDPR Art 9).
    pub special: bool,
    /// Criminal offence data (UK GDPR Art 10).
    pub criminal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    Internal,
    PublicAuthority,
    Processor,
    Controller,
    Partner,
    Regulator,
}

impl RecipientKind {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "internal" => Self::Internal,
            "public_authority" => Self::PublicAuthority,
            "processor" => Self::Processor,
            "controller" => Self::Controller,
            "partner" => Self::Partner,
            "regulator" => Self::Regulator,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub kind: RecipientKind,
    pub description: Option<String>,
    pub transfers_abroad: bool,
    pub safeguards: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Purpose {
    pub id: String,
    pub name: String,
    pub description: String,
    pub notices: Vec<String>,
    pub lawful_basis: Vec<Art6Basis>,
    pub basis_detail: Option<String>,
    pub special_condition: Vec<Art9Condition>,
    pub schedule1: Vec<Schedule1Condition>,
    pub criminal_authority: Option<String>,
    pub legislation: Vec<String>,
    pub data_subjects: Vec<String>,
    pub data_categories: Vec<String>,
    pub recipients: Vec<String>,
    pub sources: Vec<String>,
    pub consent_withdrawal: Option<String>,
    pub automated_decisions: Option<String>,
}

impl Purpose {
    /// True when processing for this purpose rests on the person's consent (Art 6(1)(a) or 9(2)(a)).
    pub fn relies_on_consent(&self) -> bool {
        self.lawful_basis.contains(&Art6Basis::A)
            || self.special_condition.contains(&Art9Condition::A)
    }
}

/// What starts a record's retention period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "event")]
pub enum Trigger {
    Created,
    LastActivity,
    CaseClosed,
    TenancyEnded,
    /// A named date on the record, such as `event:badge_expired`.
    Event(String),
}

impl Trigger {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "created" => Self::Created,
            "last_activity" => Self::LastActivity,
            "case_closed" => Self::CaseClosed,
            "tenancy_ended" => Self::TenancyEnded,
            other => {
                let event = other.strip_prefix("event:")?;
                if !super::parse::is_snake_id(event) {
                    return None;
                }
                Self::Event(event.to_string())
            }
        })
    }
}

impl std::fmt::Display for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Created => f.write_str("created"),
            Self::LastActivity => f.write_str("last activity"),
            Self::CaseClosed => f.write_str("case closed"),
            Self::TenancyEnded => f.write_str("tenancy ended"),
            Self::Event(name) => write!(f, "{}", name.replace('_', " ")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisposalAction {
    Delete,
    Anonymise,
    Review,
}

impl DisposalAction {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "delete" => Self::Delete,
            "anonymise" => Self::Anonymise,
            "review" => Self::Review,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Retention {
    pub period: Period,
    pub minimum: Option<Period>,
    pub trigger: Trigger,
    pub action: DisposalAction,
    pub keep_fields: Vec<String>,
    pub review_role: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordType {
    pub id: String,
    pub name: String,
    pub activity: Option<String>,
    pub system: Option<String>,
    pub purposes: Vec<String>,
    pub data_categories: Vec<String>,
    pub retention: Retention,
    pub responsible_role: String,
    pub disposal: Option<String>,
    pub schedule_text: Option<String>,
    pub notice: Option<String>,
    pub note: Option<String>,
}

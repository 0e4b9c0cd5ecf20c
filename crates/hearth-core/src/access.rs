//! Who may sign in and what they carry: staff accounts, API tokens, browser sessions, and the
//! controls on a person that the policy gate reads (restriction, objection, consent, assignment).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A member of staff. The password is kept only as an argon2id hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    /// Access role ids from the register.
    pub roles: Vec<String>,
    pub teams: Vec<String>,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A machine client's token: only its hash is kept; limited to its roles and purposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub roles: Vec<String>,
    pub purposes: Vec<String>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl ApiToken {
    pub fn usable_at(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// A signed-in browser session: the cookie carries the token, the store keeps its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub token_hash: String,
    pub staff_id: Uuid,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// One grant or withdrawal of consent, with the words the person was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConsentRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub purpose: String,
    pub granted: bool,
    /// Explicit consent to special category data (Art 9(2)(a)), asked separately from consent
    /// to the processing itself (Art 6(1)(a)): a video call may show health, religion or
    /// ethnicity.
    #[serde(default)]
    pub special_category: bool,
    pub wording: String,
    pub wording_version: String,
    pub recorded_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// How a consent recorded by a member of staff was given: who said it, when and how. It is
    /// kept with the consent and shown to the person in their access bundle. `None` for what
    /// the person recorded themselves online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<ConsentEvidence>,
}

/// Who gave a consent to a member of staff, when, and by which channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentEvidence {
    pub channel: crate::rights::Channel,
    pub given_by: ConsentGiver,
    /// When the person (or their representative) said it.
    #[schema(value_type = String, format = DateTime)]
    pub given_at: Timestamp,
}

/// Who gave or withdrew a consent on the person's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentGiver {
    /// The person themselves.
    ThePerson,
    /// Someone with authority to act for them (a parent or guardian, an attorney, a deputy).
    Representative,
}

impl ConsentGiver {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ThePerson => "the_person",
            Self::Representative => "representative",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "the_person" => Some(Self::ThePerson),
            "representative" => Some(Self::Representative),
            _ => None,
        }
    }
}

/// What the gate needs to know about a person before anyone touches their record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonControls {
    pub restricted: bool,
    pub objected: bool,
    /// Purposes with a current (latest, granted) consent.
    pub consents: Vec<String>,
    /// Purposes with current explicit consent to special category data (Art 9(2)(a)).
    pub explicit_consents: Vec<String>,
    /// Staff ids assigned to work for this person.
    pub assignees: Vec<Uuid>,
}

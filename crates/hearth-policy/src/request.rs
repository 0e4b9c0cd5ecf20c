//! What a decision is asked about, in Hearth's terms: who, doing what, to which view of which
//! record, for which purpose. The gate turns these into Cedar entities.

use serde::Serialize;

/// Who is asking, with what the policy may look at. Ids only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    Staff {
        id: String,
        roles: Vec<String>,
        teams: Vec<String>,
    },
    ApiClient {
        id: String,
        roles: Vec<String>,
        purposes: Vec<String>,
    },
    Resident {
        person_id: String,
    },
    System {
        job: String,
    },
    Operator {
        user: String,
    },
}

impl Principal {
    /// The Cedar entity type and id.
    pub(crate) fn type_and_id(&self) -> (&'static str, &str) {
        match self {
            Self::Staff { id, .. } => ("Staff", id),
            Self::ApiClient { id, .. } => ("ApiClient", id),
            Self::Resident { person_id } => ("Resident", person_id),
            Self::System { job } => ("System", job),
            Self::Operator { user } => ("Operator", user),
        }
    }
}

/// What is being done to personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordAction {
    Read,
    Search,
    Create,
    Update,
    Delete,
    Export,
    Disclose,
}

impl RecordAction {
    pub const ALL: [RecordAction; 7] = [
        Self::Read,
        Self::Search,
        Self::Create,
        Self::Update,
        Self::Delete,
        Self::Export,
        Self::Disclose,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Search => "search",
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Export => "export",
            Self::Disclose => "disclose",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw)
    }
}

/// Administrative actions: no resident data, no purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminAction {
    ManageAccounts,
    ManageKeys,
    ReadAudit,
    /// Restriction (Art 18) and objection (Art 21): set, lift, record compelling grounds.
    ManageRights,
    /// Record a person's grant or withdrawal of consent on their behalf.
    RecordConsent,
    /// Assign a member of staff to work for a person (a job, a case).
    AssignWork,
    /// Legal holds, retention runs and their certificates.
    ManageRetention,
    /// Decide disposal reviews (Hearth also checks the register's reviewer role).
    ReviewDisposal,
    /// Log a rights request as it arrives (at the counter, on the phone, online).
    LogRightsRequest,
    /// Work a rights request: identity, clarification, extension, response.
    HandleRightsRequests,
    /// Approve what a rights response releases or erases (the data protection officer).
    ApproveRightsResponses,
    /// Take the engineer's seat of a video call someone else offered (a manager stepping in).
    TakeOverCall,
}

impl AdminAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ManageAccounts => "manage_accounts",
            Self::ManageKeys => "manage_keys",
            Self::ReadAudit => "read_audit",
            Self::ManageRights => "manage_rights",
            Self::RecordConsent => "record_consent",
            Self::AssignWork => "assign_work",
            Self::ManageRetention => "manage_retention",
            Self::ReviewDisposal => "review_disposal",
            Self::LogRightsRequest => "log_rights_request",
            Self::HandleRightsRequests => "handle_rights_requests",
            Self::ApproveRightsResponses => "approve_rights_responses",
            Self::TakeOverCall => "take_over_call",
        }
    }
}

/// The controls on the person a record is about, as the gate needs them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SubjectControls {
    pub person_id: String,
    /// Processing restricted (Art 18): storage only.
    pub restricted: bool,
    /// The person objected to public-task processing (Art 21) and no compelling grounds are recorded.
    pub objected: bool,
    /// Purposes the person currently consents to (Art 6(1)(a)).
    pub consents: Vec<String>,
    /// Purposes for which the person currently gives explicit consent to special category
    /// data (Art 9(2)(a)), recorded apart from consent to the processing.
    pub explicit_consents: Vec<String>,
    /// Staff ids assigned to work for this person (jobs, cases).
    pub assignees: Vec<String>,
}

/// One view of one record: which fields are asked for, described by their data categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordView {
    pub record_type: String,
    pub record_id: String,
    /// The name of the group of fields (`identity`, `contact`, ...).
    pub field_group: String,
    pub categories: Vec<String>,
    pub subject: Option<SubjectControls>,
    /// Controls of the other people a record concerns (the members of a household, the
    /// household of a tenancy): a record about a restricted person is restricted too.
    pub related: RelatedControls,
}

/// Restriction and objection of anyone else a record concerns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RelatedControls {
    pub restricted: bool,
    pub objected: bool,
}

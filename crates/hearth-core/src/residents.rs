//! Residents who sign in with GOV.UK One Login: the account linking a One Login subject to a
//! person, the code that proves the link, a sign-in on its way through One Login, and the
//! browser session that follows.

use jiff::Timestamp;
use uuid::Uuid;

/// A One Login account linked to the person it belongs to. One Login's `sub` is pairwise (a
/// different value for each service), so it identifies nobody outside Hearth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentAccount {
    pub id: Uuid,
    pub issuer: String,
    pub subject: String,
    pub person_id: Uuid,
    pub linked_at: Timestamp,
}

/// A single-use code staff give a resident (by letter or on the phone) so the resident can link
/// their One Login account to their record. Only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCode {
    pub code_hash: String,
    pub person_id: Uuid,
    pub issued_by: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

impl LinkCode {
    pub fn usable_at(&self, now: Timestamp) -> bool {
        self.used_at.is_none() && now < self.expires_at
    }
}

/// A sign-in sent to One Login and not yet back: what the answer must match. Kept by the hash
/// of its `state`, which only the resident's browser holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub state_hash: String,
    pub nonce: String,
    /// The PKCE verifier whose S256 challenge went with the request.
    pub code_verifier: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A resident's browser session. Until the account is linked it carries only the One Login
/// subject, and the only thing it can do is link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentSession {
    pub token_hash: String,
    pub issuer: String,
    pub subject: String,
    pub person_id: Option<Uuid>,
    pub csrf_token: String,
    /// The ID token One Login issued, sent back as `id_token_hint` when the resident signs out.
    pub id_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

//! Releasing an access response: the archive the data protection officer approved and the
//! single-use, expiring link the person downloads it by (kept only as a hash).

use jiff::Timestamp;
use uuid::Uuid;

/// An approved access response, ready for (or after) download.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AccessRelease {
    pub id: Uuid,
    pub request_id: Uuid,
    pub person_id: Uuid,
    /// Where the sealed archive is in object storage (a random name).
    pub object_key: String,
    /// SHA-256 of the archive as released, hex.
    pub sha256: String,
    pub size: i64,
    #[serde(skip)]
    pub token_hash: String,
    /// How many items the data protection officer redacted.
    pub redactions: i64,
    pub approved_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub approved_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub downloaded_at: Option<Timestamp>,
}

impl AccessRelease {
    /// Whether the link can still be used at `now`.
    pub fn usable(&self, now: Timestamp) -> bool {
        self.downloaded_at.is_none() && self.expires_at > now
    }
}

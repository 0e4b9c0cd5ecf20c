//! Purpose-bound access decisions. The register supplies the vocabulary (roles, purposes, record
//! types, data categories) as a Cedar schema; an editable policy file, validated against that
//! schema at start-up, says who may do what for which purpose. The service layer asks here before
//! it touches personal data, and records every answer in the audit log.

mod gate;
mod request;
mod schema;

pub use gate::{DEFAULT_POLICY, Decision, Gate, GateError, PolicyError};
pub use request::{
    AdminAction, Principal, RecordAction, RecordView, RelatedControls, SubjectControls,
};
pub use schema::{ADMIN_ACTIONS, RECORD_ACTIONS, cedar_schema_text};

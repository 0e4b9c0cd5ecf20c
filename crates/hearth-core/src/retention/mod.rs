//! Retention: when a record's period ends, the legal holds that stop disposal, disposal reviews,
//! and the signed certificate each run leaves. Pure: the sweeper lives in the service.

pub mod certificate;
pub mod hold;
pub mod review;
pub mod schedule;

pub use certificate::{Certificate, CertificateError, DisposalLine, SignedCertificate};
pub use hold::{HoldLift, HoldScope, LegalHold, NewHold};
pub use review::{DisposalReview, ReviewDecision, ReviewStatus};
pub use schedule::{ScheduleView, expired_through, rule_text, uk_date, uk_day_start};

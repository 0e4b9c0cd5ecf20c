//! Repairs: a reported fault in a home, its priority and target, the jobs that fix it, the
//! appointments (home visits and video calls) and every change of status.
//!
//! A repair is filed as a record of the register's `repairs_request` type, so retention (six
//! years after it is closed), legal holds, access and erasure treat it like any other record;
//! these types hold what a repair adds to that record.

mod model;
mod reference;
mod status;
mod targets;

pub use model::{
    Appointment, AppointmentInput, AppointmentKind, AppointmentStatus, Assignee, JobInput,
    JobStatus, Priority, Repair, RepairCategory, RepairFile, RepairInput, RepairJob, RepairReport,
    ReportedVia, Resolution, Satisfaction, SatisfactionInput, StatusChange,
};
pub use reference::repair_reference;
pub use status::RepairStatus;
pub use targets::RepairTargets;

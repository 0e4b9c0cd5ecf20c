//! Residents' rights requests: the register of requests, the statutory clock that decides when
//! each is due, and the bank-holiday calendars the clock counts working days by.

pub mod calendar;
pub mod clock;
pub mod controls;
pub mod disclosure;
pub mod erasure;
pub mod portability;
pub mod rectification;
pub mod release;
pub mod request;
pub mod supplementary;

pub use calendar::{BankHolidays, Division, SHIPPED_BANK_HOLIDAYS};
pub use clock::{ClockFacts, ClockState, Pause, Prerequisite, clock_state};
pub use controls::{
    ConsentScope, RestrictionGround, objection_letter, restriction_letter, withdrawal_letter,
};
pub use disclosure::{Disclosure, NewDisclosure};
pub use erasure::{
    Decision, Erasure, ErasureItem, ErasureStatus, Ground, ItemKind, Override, Proposal,
    RecordFacts, apply_overrides, erasure_letter, propose, settle_person_items,
};
pub use portability::is_portable;
pub use rectification::{Correction, changed_fields};
pub use release::AccessRelease;
pub use request::{
    Channel, Clarification, Closure, Extension, NewRightsRequest, Outcome, RequestKind,
    RequestStatus, Requester, RightsRequest,
};
pub use supplementary::{SupplementaryInformation, supplementary_information};

//! Residents' rights: the requests register worked against the statutory clock. Every request
//! is logged the day it arrives; each step (identity, authority, clarification, extension,
//! response) is recorded with its date, and the clock recomputes the due date from them.

mod access;
mod archive;
mod controls;
mod disclosure;
mod erasure;
mod proposals;
mod rectification;
mod release;
mod requests;

pub use access::{AccessBundle, AccessLogEntry, HouseholdPart, RecordPart, SignInPart, Withheld};
pub use controls::{ObjectionDecision, RestrictionInput, WithdrawalDone, WithdrawalInput};
pub use erasure::{ErasureApproval, ErasureDone, ErasureRemoved};
pub use proposals::{ProposedRedaction, others_named};
pub use rectification::{RectificationDone, RectificationInput};
pub use release::{
    AccessReview, MAX_LINK_DAYS, Redaction, ReleaseApproval, ReleasedAccess, ReviewFlag,
};
pub use requests::{RequestChange, RequestView, RequestsView};

use crate::Hearth;
use hearth_core::rights::{ClockState, RightsRequest, clock_state};

impl Hearth {
    /// The bank holidays the clock counts by, for display.
    pub fn bank_holidays(&self) -> &hearth_core::rights::BankHolidays {
        &self.bank_holidays
    }

    /// Where a request's clock stands on the council's calendar.
    pub(crate) fn clock_of(&self, request: &RightsRequest) -> ClockState {
        let pauses = request.pauses();
        clock_state(&request.clock_facts(&pauses), &self.bank_holidays)
    }

    /// A request with its clock judged today.
    pub(crate) fn view_of(&self, request: RightsRequest) -> RequestView {
        let today = self.today();
        let clock = self.clock_of(&request);
        let days_left = match (request.is_open(), clock.due_on()) {
            (true, Some(due)) => Some(i64::from((due - today).get_days())),
            _ => None,
        };
        RequestView {
            overdue: days_left.is_some_and(|d| d < 0),
            days_left,
            clock,
            request,
        }
    }

    /// An open request of this kind whose clock has started (identity or authority in, no
    /// clarification awaited): what every response step needs.
    pub(crate) async fn open_request_of(
        &self,
        request_id: uuid::Uuid,
        kind: hearth_core::rights::RequestKind,
    ) -> crate::Result<RightsRequest> {
        use crate::ServiceError;
        let request = self
            .store
            .get_rights_request(request_id)
            .await?
            .ok_or(ServiceError::NotFound("rights request"))?;
        if request.kind != kind {
            return Err(ServiceError::Conflict(format!(
                "request {request_id} is of kind '{}', not '{kind}'",
                request.kind
            )));
        }
        if !request.is_open() {
            return Err(ServiceError::Conflict(format!(
                "request {request_id} is {}",
                request.status
            )));
        }
        if self.clock_of(&request).due_on().is_none() {
            return Err(ServiceError::Conflict(
                "the request's clock has not started or is stopped: verify identity (or authority), or record the clarification's answer, first".into(),
            ));
        }
        Ok(request)
    }

    /// Stores the due date the clock gives now, so the due-soon and overdue views can use an
    /// index.
    pub(crate) fn with_due_date(&self, mut request: RightsRequest) -> RightsRequest {
        request.due_on = if request.is_open() {
            self.clock_of(&request).due_on()
        } else {
            None
        };
        request
    }
}

//! Legal holds and disposal reviews: placing and lifting holds, and reviewers' decisions.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::retention::{
    DisposalReview, HoldLift, HoldScope, LegalHold, NewHold, ReviewDecision, ReviewStatus,
};
use hearth_policy::{AdminAction, Principal};
use uuid::Uuid;

impl Hearth {
    /// Places a legal hold: from now on no schedule, review or erasure destroys what it covers.
    pub async fn place_hold(&self, caller: &Caller, input: &NewHold) -> Result<LegalHold> {
        self.require_admin(caller, AdminAction::ManageRetention)
            .await?;
        input.validate(self.today())?;
        match &input.scope {
            HoldScope::Person { person_id } => {
                if self.store.get_person(*person_id).await?.is_none() {
                    return Err(ServiceError::field("scope.person_id", "no such person"));
                }
            }
            HoldScope::Record { record_type, .. } | HoldScope::RecordType { record_type } => {
                if self.register.record_type(record_type).is_none() {
                    return Err(ServiceError::field(
                        "scope.record_type",
                        format!("'{record_type}' is not a record type in the register"),
                    ));
                }
            }
            HoldScope::Case { .. } => {}
        }
        if self.store.get_staff(input.owner).await?.is_none() {
            return Err(ServiceError::field("owner", "no such member of staff"));
        }
        let hold = LegalHold {
            id: Uuid::now_v7(),
            scope: input.scope.clone(),
            reason: input.reason.trim().to_string(),
            requester: input.requester.trim().to_string(),
            owner: input.owner,
            review_on: input.review_on,
            placed_at: self.now(),
            placed_by: caller.actor().to_string(),
            lifted: None,
        };
        let mut event = self.event(caller, "retention.hold_placed".into());
        event.record_type = Some("legal_hold".into());
        event.record_ids = vec![hold.id.to_string()];
        if let HoldScope::Person { person_id } = &hold.scope {
            event.person_ids = vec![*person_id];
        }
        self.store.insert_hold(&hold, &event).await?;
        tracing::info!(hold = %hold.id, scope = hold.scope.kind(), "legal hold placed");
        Ok(hold)
    }

    /// Lifts a hold; what it covered follows its schedule again from the next run.
    pub async fn lift_hold(&self, caller: &Caller, id: Uuid, reason: &str) -> Result<LegalHold> {
        self.require_admin(caller, AdminAction::ManageRetention)
            .await?;
        let reason = reason.trim();
        if reason.len() < 10 || reason.len() > 2000 {
            return Err(ServiceError::field(
                "reason",
                "say why the hold is lifted (10-2000 characters)",
            ));
        }
        let hold = self
            .store
            .get_hold(id)
            .await?
            .ok_or(ServiceError::NotFound("legal hold"))?;
        let lift = HoldLift {
            at: self.now(),
            by: caller.actor().to_string(),
            reason: reason.to_string(),
        };
        let mut event = self.event(caller, "retention.hold_lifted".into());
        event.record_type = Some("legal_hold".into());
        event.record_ids = vec![id.to_string()];
        if !self.store.lift_hold(id, &lift, &event).await? {
            return Err(ServiceError::Conflict("the hold was already lifted".into()));
        }
        Ok(LegalHold {
            lifted: Some(lift),
            ..hold
        })
    }

    /// Holds, active only or all; `overdue_only` keeps active holds past their review date.
    pub async fn list_holds(
        &self,
        caller: &Caller,
        active_only: bool,
        overdue_only: bool,
    ) -> Result<Vec<LegalHold>> {
        self.require_admin(caller, AdminAction::ManageRetention)
            .await?;
        let today = self.today();
        let mut holds = self.store.list_holds(active_only || overdue_only).await?;
        if overdue_only {
            holds.retain(|h| h.review_overdue(today));
        }
        Ok(holds)
    }

    /// Disposal reviews in a status (all when `None`); `overdue_only` keeps pending reviews
    /// past their decide-by date.
    pub async fn list_reviews(
        &self,
        caller: &Caller,
        status: Option<ReviewStatus>,
        overdue_only: bool,
    ) -> Result<Vec<DisposalReview>> {
        self.require_admin(caller, AdminAction::ReviewDisposal)
            .await?;
        let today = self.today();
        let status = if overdue_only {
            Some(ReviewStatus::Pending)
        } else {
            status
        };
        let mut reviews = self.store.list_reviews(status, 10_000).await?;
        if overdue_only {
            reviews.retain(|r| r.overdue(today));
        }
        Ok(reviews)
    }

    /// A reviewer's decision: only someone holding the review's role, or the data protection
    /// officer, may make it.
    pub async fn decide_review(
        &self,
        caller: &Caller,
        id: Uuid,
        decision: &ReviewDecision,
    ) -> Result<DisposalReview> {
        self.require_admin(caller, AdminAction::ReviewDisposal)
            .await?;
        decision.validate(self.today())?;
        let review = self
            .store
            .get_review(id)
            .await?
            .ok_or(ServiceError::NotFound("disposal review"))?;
        let roles: &[String] = match caller.principal() {
            Principal::Staff { roles, .. } => roles,
            _ => &[],
        };
        if !roles
            .iter()
            .any(|r| r == &review.review_role || r == "data_protection_officer")
        {
            let mut event = self.event(caller, "retention.review_decided".into());
            event.decision = "denied".into();
            event.record_ids = vec![id.to_string()];
            event.reason = Some(format!("the review needs the role {}", review.review_role));
            self.store.append_audit_events(&[event]).await?;
            return Err(ServiceError::Forbidden(format!(
                "this review is for the role {} (or the data protection officer)",
                review.review_role
            )));
        }
        if review.status != ReviewStatus::Pending {
            return Err(ServiceError::Conflict(format!(
                "the review was already decided ({})",
                review.status.as_str()
            )));
        }
        if let ReviewDecision::Reclassify { record_type, .. } = decision {
            if self.register.record_type(record_type).is_none() {
                return Err(ServiceError::field(
                    "record_type",
                    format!("'{record_type}' is not a record type in the register"),
                ));
            }
            if hearth_store::RecordTable::of(&review.record_type)
                != hearth_store::RecordTable::Filed
                || hearth_store::RecordTable::of(record_type) != hearth_store::RecordTable::Filed
            {
                return Err(ServiceError::field(
                    "record_type",
                    "only filed records can be filed under another record type",
                ));
            }
        }
        let decided = DisposalReview {
            status: decision.status(),
            decided_by: Some(caller.actor().to_string()),
            decided_at: Some(self.now()),
            reason: decision.reason().map(|r| r.trim().to_string()),
            keep_until: match decision {
                ReviewDecision::Extend { until, .. } => Some(*until),
                _ => None,
            },
            reclassified_to: match decision {
                ReviewDecision::Reclassify { record_type, .. } => Some(record_type.clone()),
                _ => None,
            },
            ..review
        };
        let mut event = self.event(caller, "retention.review_decided".into());
        event.record_type = Some(decided.record_type.clone());
        event.record_ids = vec![decided.record_id.to_string(), id.to_string()];
        event.reason = Some(decided.status.as_str().to_string());
        if !self.store.decide_review(&decided, &event).await? {
            return Err(ServiceError::Conflict(
                "the review was decided by someone else".into(),
            ));
        }
        Ok(decided)
    }
}

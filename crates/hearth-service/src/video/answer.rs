//! Answering an offer, joining, withdrawing and ending: every answer is recorded as two
//! consents (to the call, and explicit consent to special category data) in the words shown,
//! written with the call's change and, for a "no", the home visit booked instead.

use crate::access::{random_secret, token_hash};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::access::ConsentRecord;
use hearth_core::actor::Actor;
use hearth_core::repairs::{
    Appointment, AppointmentKind, AppointmentStatus, Priority, RepairFile, RepairStatus,
};
use hearth_core::video::{CallEnd, CallStatus, ConsentWording, VideoCall};
use hearth_policy::RecordAction;
use hearth_store::{CallUpdate, RepairUpdate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The resident's answers to the two questions.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallAnswer {
    /// Yes to a video call.
    pub call: bool,
    /// Yes to the camera capturing special category data (only asked after yes to the call).
    pub special_category: bool,
}

/// What a link's page shows before the resident answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InviteView {
    pub call_id: Uuid,
    /// Who is asking: the notice's organisation and service.
    pub organisation: String,
    pub service: String,
    pub repair_reference: String,
    /// The purpose's name, in the register's words.
    pub purpose_name: String,
    pub status: CallStatus,
    pub wording: ConsentWording,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: jiff::Timestamp,
}

/// A change to a call with what goes with it.
struct Answered {
    call: VideoCall,
    consents: Vec<ConsentRecord>,
    visit: Option<(
        RepairFile,
        hearth_core::repairs::Repair,
        Appointment,
        hearth_core::repairs::StatusChange,
    )>,
}

impl Hearth {
    async fn call_of_invite(&self, secret: &str) -> Result<VideoCall> {
        let call = self
            .store
            .call_by_invite(&token_hash(secret.trim()))
            .await?
            .ok_or(ServiceError::NotFound("video call link"))?;
        if !call.invite_open(self.now()) {
            return Err(ServiceError::Gone(match call.status {
                CallStatus::Declined | CallStatus::Ended => "this video call has ended".into(),
                _ if call.link_used_at.is_some() => {
                    "this link has already been used: ask us for a new one".into()
                }
                _ => "this link has expired: ask us for a new one".into(),
            }));
        }
        Ok(call)
    }

    /// What a link's page shows. An expired, used or ended link is gone.
    pub async fn open_video_invite(&self, secret: &str) -> Result<InviteView> {
        let call = self.call_of_invite(secret).await?;
        let (purpose, wording) = self.video_purpose(&call.purpose)?;
        let repair = self
            .store
            .get_repair(call.repair_id)
            .await?
            .ok_or(ServiceError::NotFound("repair"))?;
        let (organisation, service) = self.video_notice();
        Ok(InviteView {
            call_id: call.id,
            organisation,
            service,
            repair_reference: repair.repair.reference,
            purpose_name: purpose.name.clone(),
            status: call.status,
            wording,
            expires_at: call.invite_expires_at,
        })
    }

    /// The resident answers through their link. Yes to both: the link is spent and a call
    /// session begins (its secret is returned, for the call page's cookie). A "no" to either:
    /// the call is declined and a home visit is booked. A call already agreed to on the phone
    /// needs no answer: the link just opens the session.
    pub async fn answer_video_invite(
        &self,
        secret: &str,
        answer: Option<CallAnswer>,
    ) -> Result<(VideoCall, Option<String>)> {
        let call = self.call_of_invite(secret).await?;
        let caller =
            Caller::resident(call.person_id).for_purpose(super::super::repairs::REPAIRS_PURPOSE);
        let answered = match (call.status, answer) {
            (CallStatus::Accepted, _) => Answered {
                call: call.clone(),
                consents: vec![],
                visit: None,
            },
            (_, Some(answer)) => self.answered(&caller, &call, answer).await?,
            (_, None) => return Err(ServiceError::field("call", "answer both questions")),
        };
        let mut changed = answered.call.clone();
        let session = if changed.status == CallStatus::Accepted {
            changed.link_used_at = Some(self.now());
            Some(random_secret())
        } else {
            None
        };
        let action = if session.is_some() {
            "video.joined"
        } else {
            "video.declined"
        };
        let event = self.call_event(&caller, &changed, action);
        self.save_answered(
            Answered {
                call: changed.clone(),
                ..answered
            },
            call.version,
            session.as_deref().map(token_hash).as_deref(),
            event,
        )
        .await?;
        changed.version = call.version + 1;
        Ok((changed, session))
    }

    /// Staff record the answers the resident gave on the phone; the link then only joins.
    pub async fn answer_video_call_by_phone(
        &self,
        caller: &Caller,
        call_id: Uuid,
        answer: CallAnswer,
    ) -> Result<VideoCall> {
        if matches!(caller.actor(), Actor::Resident(_)) {
            return Err(ServiceError::Forbidden(
                "residents answer through their link".into(),
            ));
        }
        let call = self.video_call(call_id).await?;
        let (record, _) = self.load_repair(call.repair_id).await?;
        let mut event = self
            .admit_repair(caller, RecordAction::Update, &record, "video_answer")
            .await?;
        if call.status != CallStatus::Offered || !call.invite_open(self.now()) {
            return Err(ServiceError::Conflict(format!(
                "the call is {}: it cannot be answered",
                call.status
            )));
        }
        let answered = self.answered(caller, &call, answer).await?;
        let mut changed = answered.call.clone();
        event.record_ids.push(call.id.to_string());
        event.action = if changed.status == CallStatus::Accepted {
            "video.answered"
        } else {
            "video.declined"
        }
        .into();
        self.save_answered(answered, call.version, None, event)
            .await?;
        changed.version = call.version + 1;
        Ok(changed)
    }

    /// The call's state after these answers, the consents they record, and a visit for a no.
    async fn answered(
        &self,
        caller: &Caller,
        call: &VideoCall,
        answer: CallAnswer,
    ) -> Result<Answered> {
        let (_, wording) = self.video_purpose(&call.purpose)?;
        if wording.version != call.wording_version {
            // The register changed since the link was sent: the resident must see the words
            // they agree to, so this offer is void.
            return Err(ServiceError::Gone(
                "the wording of these questions has changed since the link was sent: ask us for a new link".into(),
            ));
        }
        let now = self.now();
        // Answers given to staff on the phone are recorded as such; a resident's own answer on
        // the call page needs no evidence beyond itself.
        let evidence = match caller.actor() {
            Actor::Resident(_) => None,
            _ => Some(hearth_core::access::ConsentEvidence {
                channel: hearth_core::rights::Channel::Phone,
                given_by: hearth_core::access::ConsentGiver::ThePerson,
                given_at: now,
            }),
        };
        let consent = |special: bool, granted: bool| ConsentRecord {
            id: Uuid::now_v7(),
            person_id: call.person_id,
            purpose: call.purpose.clone(),
            granted,
            special_category: special,
            wording: if special {
                wording.special_category.clone()
            } else {
                wording.call.clone()
            },
            wording_version: wording.version.clone(),
            recorded_by: caller.actor().to_string(),
            at: now,
            evidence: evidence.clone(),
        };
        let mut consents = vec![consent(false, answer.call)];
        if answer.call {
            consents.push(consent(true, answer.special_category));
        }
        let mut call = call.clone();
        call.answered_at = Some(now);
        if answer.call && answer.special_category {
            call.status = CallStatus::Accepted;
            return Ok(Answered {
                call,
                consents,
                visit: None,
            });
        }
        call.end(CallEnd::Declined, now);
        let visit = self.visit_instead(caller, call.repair_id).await?;
        call.visit_id = visit.as_ref().map(|(_, _, a, _)| a.id);
        Ok(Answered {
            call,
            consents,
            visit,
        })
    }

    /// A home visit in place of the call: for an emergency within hours, otherwise the next
    /// working morning. `None` when the repair is already closed.
    async fn visit_instead(
        &self,
        caller: &Caller,
        repair_id: Uuid,
    ) -> Result<
        Option<(
            RepairFile,
            hearth_core::repairs::Repair,
            Appointment,
            hearth_core::repairs::StatusChange,
        )>,
    > {
        let file = self
            .store
            .get_repair(repair_id)
            .await?
            .ok_or(ServiceError::NotFound("repair"))?;
        if !file.repair.status.can_move_to(RepairStatus::Scheduled) {
            return Ok(None);
        }
        let now = self.now();
        let (starts_at, ends_at) = match file.repair.priority {
            Priority::Emergency => (
                now + jiff::SignedDuration::from_hours(1),
                now + jiff::SignedDuration::from_hours(5),
            ),
            _ => {
                let zone =
                    jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
                let mut day = hearth_core::retention::uk_date(now);
                loop {
                    day = day
                        .tomorrow()
                        .map_err(|e| ServiceError::Storage(e.to_string()))?;
                    if self.bank_holidays.is_working_day(day) {
                        break;
                    }
                }
                let at = |hour: i8| {
                    day.at(hour, 0, 0, 0)
                        .to_zoned(zone.clone())
                        .map(|z| z.timestamp())
                        .map_err(|e| ServiceError::Storage(e.to_string()))
                };
                (at(8)?, at(13)?)
            }
        };
        let appointment = Appointment {
            id: Uuid::now_v7(),
            repair_id,
            job_id: None,
            kind: AppointmentKind::HomeVisit,
            starts_at,
            ends_at,
            status: AppointmentStatus::Booked,
            booked_by: caller.actor().to_string(),
            booked_at: now,
        };
        let mut repair = file.repair.clone();
        repair.status = RepairStatus::Scheduled;
        repair.version += 1;
        let change = self.status_change(
            caller,
            repair_id,
            RepairStatus::Scheduled,
            Some(format!(
                "Home visit booked for {}: the resident preferred not to have a video call",
                super::offer::uk_time(starts_at)
            )),
        );
        Ok(Some((file, repair, appointment, change)))
    }

    async fn save_answered(
        &self,
        answered: Answered,
        expected_version: i64,
        session_hash: Option<&str>,
        mut event: hearth_core::audit::AuditEvent,
    ) -> Result<()> {
        event
            .record_ids
            .extend(answered.consents.iter().map(|c| c.id.to_string()));
        let visit = answered.visit.as_ref();
        let repair = visit.map(|(file, repair, appointment, change)| RepairUpdate {
            repair,
            expected_version: file.repair.version,
            status_change: Some(change),
            jobs: &[],
            appointments: std::slice::from_ref(appointment),
            at: self.now(),
            message: None,
        });
        self.store
            .update_video_call(
                CallUpdate {
                    call: &answered.call,
                    expected_version,
                    session_hash,
                    consents: &answered.consents,
                    repair,
                },
                &event,
            )
            .await?;
        tracing::info!(call = %answered.call.id, status = %answered.call.status, "video call answered");
        if answered.call.status.is_over() {
            self.announce(super::CallEvent::Ended(answered.call.id));
        }
        Ok(())
    }

    fn call_event(
        &self,
        caller: &Caller,
        call: &VideoCall,
        action: &str,
    ) -> hearth_core::audit::AuditEvent {
        let mut event = self.event(caller, action.to_string());
        event.person_ids = vec![call.person_id];
        event.record_type = Some(super::super::repairs::REPAIR_RECORD_TYPE.into());
        event.record_ids = vec![call.repair_id.to_string(), call.id.to_string()];
        event
    }

    /// The call a resident's call session belongs to; a session of a call that is over is gone.
    pub async fn call_of_session(&self, session_secret: &str) -> Result<VideoCall> {
        let call = self
            .store
            .call_by_session(&token_hash(session_secret.trim()))
            .await?
            .ok_or_else(|| ServiceError::Unauthenticated("no such call session".into()))?;
        if call.status.is_over() {
            return Err(ServiceError::Gone("this video call has ended".into()));
        }
        Ok(call)
    }

    /// The resident withdraws consent from the call page: the call ends at once, both consents
    /// are withdrawn, and no new link can be sent until they agree again.
    pub async fn withdraw_from_call(&self, session_secret: &str) -> Result<VideoCall> {
        let call = self.call_of_session(session_secret).await?;
        let caller =
            Caller::resident(call.person_id).for_purpose(super::super::repairs::REPAIRS_PURPOSE);
        let now = self.now();
        let withdrawals: Vec<ConsentRecord> = [false, true]
            .into_iter()
            .map(|special| ConsentRecord {
                id: Uuid::now_v7(),
                person_id: call.person_id,
                purpose: call.purpose.clone(),
                granted: false,
                special_category: special,
                wording: "Consent withdrawn by the resident during the video call".into(),
                wording_version: "withdrawal".into(),
                recorded_by: caller.actor().to_string(),
                at: now,
                evidence: None,
            })
            .collect();
        let mut ended = call.clone();
        ended.end(CallEnd::ConsentWithdrawn, now);
        // The notice promises an engineer will attend in person instead.
        let visit = self.visit_instead(&caller, call.repair_id).await?;
        ended.visit_id = visit.as_ref().map(|(_, _, a, _)| a.id);
        let event = self.call_event(&caller, &ended, "video.consent_withdrawn");
        let answered = Answered {
            call: ended.clone(),
            consents: withdrawals,
            visit,
        };
        self.save_answered(answered, call.version, None, event)
            .await?;
        ended.version = call.version + 1;
        Ok(ended)
    }

    /// Ends every open call of a person whose consent to a video purpose was just withdrawn
    /// (by staff on their behalf, or by a rights request). Returns the calls ended.
    pub(crate) async fn end_calls_on_withdrawal(
        &self,
        caller: &Caller,
        person_id: Uuid,
        purposes: &[String],
    ) -> Result<Vec<Uuid>> {
        let mut ended = Vec::new();
        for call in self.store.open_calls_of(person_id).await? {
            if !purposes.contains(&call.purpose) {
                continue;
            }
            let mut changed = call.clone();
            changed.end(CallEnd::ConsentWithdrawn, self.now());
            let visit = self.visit_instead(caller, call.repair_id).await?;
            changed.visit_id = visit.as_ref().map(|(_, _, a, _)| a.id);
            let event = self.call_event(caller, &changed, "video.ended");
            let answered = Answered {
                call: changed,
                consents: vec![],
                visit,
            };
            self.save_answered(answered, call.version, None, event)
                .await?;
            ended.push(call.id);
        }
        Ok(ended)
    }

    /// The home visit booked in place of a call, if one was.
    pub async fn visit_of_call(&self, call: &VideoCall) -> Result<Option<Appointment>> {
        let Some(visit) = call.visit_id else {
            return Ok(None);
        };
        let file = self.store.get_repair(call.repair_id).await?;
        Ok(file.and_then(|f| f.appointments.into_iter().find(|a| a.id == visit)))
    }

    /// The reference of a call's repair, for the resident's page.
    pub async fn repair_reference_of(&self, call: &VideoCall) -> Result<String> {
        let file = self
            .store
            .get_repair(call.repair_id)
            .await?
            .ok_or(ServiceError::NotFound("repair"))?;
        Ok(file.repair.reference)
    }

    /// Both sides are connected: the call is live.
    pub async fn mark_call_live(&self, call_id: Uuid) -> Result<VideoCall> {
        let call = self.video_call(call_id).await?;
        if call.status != CallStatus::Accepted {
            return Ok(call);
        }
        let mut live = call.clone();
        live.status = CallStatus::Live;
        live.started_at = Some(self.now());
        let caller = Caller::system("video");
        let event = self.call_event(&caller, &live, "video.live");
        self.save_call_state(&call, live, event).await
    }

    /// The engineer ends the call (from the call, for its purpose), or staff who manage the
    /// repair end it (for repairs).
    pub async fn end_video_call(&self, caller: &Caller, call_id: Uuid) -> Result<VideoCall> {
        let call = self.video_call(call_id).await?;
        let mut event = if caller.purpose() == Some(call.purpose.as_str()) {
            self.admit_to_call(caller, &call, "video.ended").await?
        } else {
            let (record, _) = self.load_repair(call.repair_id).await?;
            let mut event = self
                .admit_repair(caller, RecordAction::Update, &record, "video_end")
                .await?;
            event.record_ids.push(call.id.to_string());
            event
        };
        if call.status.is_over() {
            return Ok(call);
        }
        let mut ended = call.clone();
        ended.end(CallEnd::Completed, self.now());
        event.action = "video.ended".into();
        self.save_call_state(&call, ended, event).await
    }

    pub(crate) async fn video_call(&self, id: Uuid) -> Result<VideoCall> {
        self.store
            .get_video_call(id)
            .await?
            .ok_or(ServiceError::NotFound("video call"))
    }

    /// Saves a change of a call's state alone (no consents, no visit); returns it as stored.
    async fn save_call_state(
        &self,
        before: &VideoCall,
        mut changed: VideoCall,
        event: hearth_core::audit::AuditEvent,
    ) -> Result<VideoCall> {
        let answered = Answered {
            call: changed.clone(),
            consents: vec![],
            visit: None,
        };
        self.save_answered(answered, before.version, None, event)
            .await?;
        changed.version = before.version + 1;
        Ok(changed)
    }
}

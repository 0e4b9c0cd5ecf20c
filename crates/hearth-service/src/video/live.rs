//! The live call: who may join it (the resident by their call session, the engineer by a staff
//! session admitted for the call's purpose), the STUN and TURN servers the pages connect
//! through, and news of calls ending, which the signalling server turns into a hang-up on both
//! pages at once (a withdrawal of consent ends the call there and then).

use crate::{Caller, Hearth, Result, ServiceError};
use base64::Engine;
use hearth_core::video::{CallEnd, VideoCall};
use hearth_policy::RecordAction;
use hmac::{KeyInit, Mac};
use serde::Serialize;
use uuid::Uuid;

/// How long TURN credentials handed to a page last.
pub const TURN_CREDENTIAL_HOURS: i64 = 12;

/// Something that happened to a call, for the pages in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallEvent {
    Ended(Uuid),
    RecordingStarted(Uuid),
    RecordingStopped(Uuid),
}

impl CallEvent {
    pub fn call_id(&self) -> Uuid {
        match self {
            Self::Ended(id) | Self::RecordingStarted(id) | Self::RecordingStopped(id) => *id,
        }
    }
}

/// How a TURN server checks the pages' credentials.
#[derive(Clone, Debug)]
pub enum TurnAuth {
    /// A fixed user name and password.
    Static {
        username: String,
        credential: String,
    },
    /// The TURN REST scheme (coturn's `use-auth-secret`): each call gets a user name that
    /// expires and a password derived from the secret shared with the TURN server.
    SharedSecret { secret: String },
}

/// The STUN and TURN servers of the council's deployment.
#[derive(Clone, Debug, Default)]
pub struct IceConfig {
    pub stun_urls: Vec<String>,
    pub turn_urls: Vec<String>,
    pub turn_auth: Option<TurnAuth>,
}

/// One entry of `RTCConfiguration.iceServers`, as the page passes it to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

impl IceConfig {
    /// The servers for one call at `now`: TURN credentials name the call, never the person.
    pub fn servers_for(&self, call_id: Uuid, now: jiff::Timestamp) -> Vec<IceServer> {
        let mut servers = Vec::new();
        if !self.stun_urls.is_empty() {
            servers.push(IceServer {
                urls: self.stun_urls.clone(),
                username: None,
                credential: None,
            });
        }
        if !self.turn_urls.is_empty() {
            let (username, credential) = match &self.turn_auth {
                Some(TurnAuth::Static {
                    username,
                    credential,
                }) => (Some(username.clone()), Some(credential.clone())),
                Some(TurnAuth::SharedSecret { secret }) => {
                    let expires = now.as_second() + TURN_CREDENTIAL_HOURS * 3600;
                    let username = format!("{expires}:{call_id}");
                    (Some(username.clone()), turn_password(secret, &username))
                }
                None => (None, None),
            };
            servers.push(IceServer {
                urls: self.turn_urls.clone(),
                username,
                credential,
            });
        }
        servers
    }
}

/// The TURN REST password: base64 of HMAC-SHA1 over the user name with the shared secret.
fn turn_password(secret: &str, username: &str) -> Option<String> {
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(username.as_bytes());
    Some(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

impl Hearth {
    /// The ICE servers for a call's pages.
    pub fn ice_servers(&self, call_id: Uuid) -> Vec<IceServer> {
        self.ice.servers_for(call_id, self.now())
    }

    /// News of calls, as it happens in this process: ends, and recordings starting and
    /// stopping (the resident's page shows when they are being recorded).
    pub fn call_events(&self) -> tokio::sync::broadcast::Receiver<CallEvent> {
        self.call_events.subscribe()
    }

    pub(crate) fn announce(&self, event: CallEvent) {
        // No one listening is fine: no page is connected.
        let _ = self.call_events.send(event);
    }

    /// Why a call is over, if it is (the signalling server asks, in case it ended in another
    /// process).
    pub async fn call_ended(&self, call_id: Uuid) -> Result<Option<CallEnd>> {
        let call = self.video_call(call_id).await?;
        Ok(call
            .status
            .is_over()
            .then_some(call.end_reason.unwrap_or(CallEnd::Completed)))
    }

    /// Admits a member of staff to a call's video for the call's purpose: the gate is asked
    /// about the call as the `video_recording` it shows (images and sound of the home), so the
    /// role, the purpose and the resident's consent all count. The event is returned to log.
    pub(crate) async fn admit_to_call(
        &self,
        caller: &Caller,
        call: &VideoCall,
        audit_action: &str,
    ) -> Result<hearth_core::audit::AuditEvent> {
        if self.purpose_of(caller)? != call.purpose {
            return Err(ServiceError::field(
                "X-Hearth-Purpose",
                format!("this call is for '{}'", call.purpose),
            ));
        }
        let view = self.prospective_recording(call.id, call.person_id);
        let mut event = self
            .admit_filed_as(caller, RecordAction::Read, &view, None, audit_action.into())
            .await?;
        event.record_type = Some(super::super::repairs::REPAIR_RECORD_TYPE.into());
        event.record_ids = vec![call.repair_id.to_string(), call.id.to_string()];
        Ok(event)
    }

    /// The engineer joins a call for its purpose; audited. The engineer's seat belongs to the
    /// member of staff who offered the call or an operative with a job on its repair: anyone
    /// else admitted for the purpose is refused (and the refusal audited) unless they are a
    /// manager taking the call over on purpose, which is audited as a takeover.
    pub async fn join_call_as_staff(
        &self,
        caller: &Caller,
        call_id: Uuid,
        take_over: bool,
    ) -> Result<VideoCall> {
        let call = self.video_call(call_id).await?;
        // An ended call shows nothing, so there is nothing to admit anyone to.
        if call.status.is_over() {
            return Err(ServiceError::Gone("this video call has ended".into()));
        }
        let seat_holder = self.holds_engineer_seat(caller, &call).await?;
        let action = match (seat_holder, take_over) {
            (true, _) => "video.joined",
            (false, true) if self.may_take_over_calls(caller)? => "video.taken_over",
            (false, _) => {
                let mut event = self.event(caller, "video.joined".into());
                event.decision = "denied".into();
                event.person_ids = vec![call.person_id];
                event.record_ids = vec![call.repair_id.to_string(), call.id.to_string()];
                event.reason = Some(
                    "not the member of staff who offered the call or an operative on its repair"
                        .into(),
                );
                self.store.append_audit_events(&[event]).await?;
                return Err(ServiceError::Forbidden(
                    "this call's engineer is the member of staff who offered it or the operative on its repair; a manager may take it over".into(),
                ));
            }
        };
        let mut event = self.admit_to_call(caller, &call, action).await?;
        if action == "video.taken_over" {
            event.reason = Some(format!("taken over from {}", call.offered_by));
        }
        self.store.append_audit_events(&[event]).await?;
        Ok(call)
    }

    /// Whether the caller offered the call or has a job on its repair.
    async fn holds_engineer_seat(&self, caller: &Caller, call: &VideoCall) -> Result<bool> {
        if caller.actor().to_string() == call.offered_by {
            return Ok(true);
        }
        let hearth_core::actor::Actor::Staff(id) = caller.actor() else {
            return Ok(false);
        };
        let (_, file) = self.load_repair(call.repair_id).await?;
        Ok(file.jobs.iter().any(|job| {
            matches!(&job.assignee, hearth_core::repairs::Assignee::Operative { staff_id } if staff_id.to_string() == *id)
        }))
    }

    /// Whether the policy lets the caller take over a call someone else offered.
    fn may_take_over_calls(&self, caller: &Caller) -> Result<bool> {
        self.gate
            .decide_admin(caller.principal(), hearth_policy::AdminAction::TakeOverCall)
            .map(|d| d.allowed)
            .map_err(|e| ServiceError::Policy(e.to_string()))
    }

    /// A call for a page that already knows its id: its purpose, before a staff member is
    /// admitted for it. Nothing personal: ids, purpose and state.
    pub async fn call_purpose(&self, call_id: Uuid) -> Result<String> {
        Ok(self.video_call(call_id).await?.purpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_rest_credentials_follow_the_shared_secret_scheme() {
        // Computed independently (Python hmac): HMAC-SHA1("north", "1700043200:<id>"), base64.
        let id: Uuid = "0190d9a8-0000-7000-8000-000000000001"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let config = IceConfig {
            stun_urls: vec!["stun:stun.example.org:3478".into()],
            turn_urls: vec!["turn:turn.example.org:3478?transport=udp".into()],
            turn_auth: Some(TurnAuth::SharedSecret {
                secret: "north".into(),
            }),
        };
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap_or_else(|e| panic!("{e}"));
        let servers = config.servers_for(id, now);
        assert_eq!(servers.len(), 2);
        assert_eq!(servers[0].urls, vec!["stun:stun.example.org:3478"]);
        let username = servers[1].username.clone().unwrap_or_default();
        assert_eq!(username, format!("1700043200:{id}"));
        assert_eq!(
            servers[1].credential.as_deref(),
            Some(EXPECTED_PASSWORD),
            "password for {username}"
        );
    }

    const EXPECTED_PASSWORD: &str = "hJcQlauy+g4XZOmRxArSE0DAPdg=";

    #[test]
    fn no_servers_configured_means_host_candidates_only() {
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            IceConfig::default()
                .servers_for(Uuid::nil(), now)
                .is_empty()
        );
    }
}

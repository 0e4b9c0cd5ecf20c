//! Total Assist video calls: staff offer a call on a repair and the link goes to the resident
//! by email or text through the outbox; the resident (or staff, on the phone) answers the two
//! consent questions, shown in the register's words; a "no" books a home visit instead; a
//! withdrawal of consent ends any call in progress and blocks new links until the resident
//! agrees again.

mod answer;
mod dispatch;
mod live;
mod offer;
mod recording;
mod safeguarding;

pub use answer::{CallAnswer, InviteView};
pub use dispatch::{DispatchReport, Transports};
pub use live::{CallEvent, IceConfig, IceServer, TURN_CREDENTIAL_HOURS, TurnAuth};
pub(crate) use offer::own_channel;
pub use offer::{VideoOfferInput, uk_time};
pub use recording::{ABANDONED_AFTER_HOURS, ChunkReceipt};
pub use safeguarding::{
    CONCERN_REVIEW_DAYS, ConcernRaised, SAFEGUARDING_PURPOSE, SAFEGUARDING_RECIPIENT,
    SafeguardingConcern,
};

use crate::{Hearth, Result, ServiceError};
use hearth_core::register::{Purpose, RecordType};
use hearth_core::video::{ConsentWording, consent_wording, is_video_purpose};

/// The register's record type for call recordings; its purposes are the calls' purposes.
pub const RECORDING_TYPE: &str = "video_recording";

/// The outbox template carrying a call's link.
pub const LINK_TEMPLATE: &str = "video_call_link";

/// The purposes managers watch recordings for (the notice's "support operatives" and "assess
/// work"); the policy decides, this only orders the choices on the review page.
pub const REVIEW_PURPOSES: [&str; 2] = [
    "repairs_video_operative_support",
    "repairs_video_assess_work",
];

/// How long a link opens for after it is sent.
pub const INVITE_HOURS: i64 = 24;

impl Hearth {
    fn recording_type(&self) -> Result<&RecordType> {
        self.register.record_type(RECORDING_TYPE).ok_or_else(|| {
            ServiceError::Storage("the register has no video_recording record type".into())
        })
    }

    /// The purposes a recording serves, as the register names them.
    pub fn recording_purposes(&self) -> Vec<&Purpose> {
        self.register
            .record_type(RECORDING_TYPE)
            .map(|r| {
                r.purposes
                    .iter()
                    .filter_map(|p| self.register.purpose(p))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Who runs the video-call service, for the resident's pages: the organisation and service
    /// of the notice the recordings' record type names.
    pub fn video_notice(&self) -> (String, String) {
        let notice = self
            .register
            .record_type(RECORDING_TYPE)
            .and_then(|r| r.notice.as_ref())
            .and_then(|id| self.register.notices.iter().find(|n| &n.id == id));
        (
            notice.map(|n| n.organisation.clone()).unwrap_or_default(),
            notice
                .map(|n| n.service.clone())
                .unwrap_or_else(|| "Video call".into()),
        )
    }

    /// The video purpose named, or a field error saying which purposes a call can be for.
    fn video_purpose(&self, id: &str) -> Result<(&Purpose, ConsentWording)> {
        let recording = self.recording_type()?;
        match self.register.purpose(id) {
            Some(p) if is_video_purpose(p, recording) => Ok((p, consent_wording(p, recording))),
            _ => {
                let allowed: Vec<&str> = recording
                    .purposes
                    .iter()
                    .filter(|p| {
                        self.register
                            .purpose(p)
                            .is_some_and(|p| is_video_purpose(p, recording))
                    })
                    .map(String::as_str)
                    .collect();
                Err(ServiceError::field(
                    "purpose",
                    format!("a video call is for one of: {}", allowed.join(", ")),
                ))
            }
        }
    }
}

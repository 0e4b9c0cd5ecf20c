//! Total Assist video calls about repairs: the offer, the resident's two consents (to the call,
//! and explicit consent to special category data the camera may capture) with the words they
//! were shown, the single-use link, and the call's life until it ends or consent is withdrawn.

mod call;
mod outbox;
mod recording;
mod wording;

pub use call::{CallEnd, CallStatus, InviteChannel, VideoCall};
pub use outbox::{DeliveryState, OutboxMessage};
pub use recording::{
    CallRecording, MAX_CHUNK_BYTES, MAX_RECORDING_BYTES, RECORDING_MEDIA_TYPES, RecordingState,
    valid_recording_type,
};
pub use wording::{ConsentWording, consent_wording, is_video_purpose};

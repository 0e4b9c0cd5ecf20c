//! A call's recording as it is made: the engineer's browser uploads it in numbered chunks while
//! the call goes on; when the engineer stops, the chunks are put together into one object,
//! sealed under the resident's key and filed as a `video_recording` record, which its schedule
//! (four weeks from creation) then disposes of unless a legal hold keeps it.

use crate::records::text_enum;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The largest chunk one upload takes.
pub const MAX_CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// The largest recording: about 50 minutes at the 500 kbit/s the call page records at.
pub const MAX_RECORDING_BYTES: i64 = 200 * 1024 * 1024;

/// The media types a recording may have: what browsers' `MediaRecorder` produces.
pub const RECORDING_MEDIA_TYPES: [&str; 2] = ["video/webm", "video/mp4"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordingState {
    /// Chunks are arriving.
    Uploading,
    /// Put together and filed as a record.
    Filed,
    /// Abandoned with nothing in it, or its chunks could not be put together.
    Discarded,
}
text_enum!(RecordingState { Uploading => "uploading", Filed => "filed", Discarded => "discarded" });

/// A recording of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CallRecording {
    pub id: Uuid,
    pub call_id: Uuid,
    pub repair_id: Uuid,
    /// The resident the call was with: the recording is sealed under their key.
    pub person_id: Uuid,
    /// The call's purpose, which the recording serves.
    pub purpose: String,
    /// `video/webm` or `video/mp4`, with any codecs parameter the browser named.
    pub content_type: String,
    /// Who started it (an actor id).
    pub started_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    /// Chunks received so far; the next chunk's number.
    pub chunks: i64,
    /// Bytes received so far.
    pub bytes: i64,
    pub state: RecordingState,
    /// The `video_recording` record it was filed as, and its media object.
    pub record_id: Option<Uuid>,
    pub media_id: Option<Uuid>,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl CallRecording {
    /// Where chunk `seq` waits in object storage until the recording is put together.
    pub fn chunk_key(&self, seq: i64) -> String {
        format!("recordings/{}/chunk-{seq:06}", self.id)
    }
}

/// Checks a recording's media type: the main type must be one browsers record, and the whole
/// value short, printable and free of anything but a codecs parameter.
pub fn valid_recording_type(content_type: &str) -> bool {
    let main = content_type.split(';').next().unwrap_or("").trim();
    content_type.len() <= 100
        && content_type
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ;=,.-/\"".contains(c))
        && RECORDING_MEDIA_TYPES.contains(&main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_types_are_what_browsers_record() {
        assert!(valid_recording_type("video/webm"));
        assert!(valid_recording_type("video/webm;codecs=vp8,opus"));
        assert!(valid_recording_type("video/mp4"));
        assert!(!valid_recording_type("text/html"));
        assert!(!valid_recording_type("video/webm\r\nX-Evil: 1"));
        assert!(!valid_recording_type(&format!(
            "video/webm;{}",
            "a".repeat(100)
        )));
    }
}

//! Recording a call: the engineer starts a recording while the call is live, their page uploads
//! it in numbered chunks (each sealed under the resident's key before it reaches object
//! storage), and stopping puts the chunks together into one sealed object filed as a
//! `video_recording` record with its media: four weeks from creation, then deleted by the
//! retention run unless a legal hold keeps it.

use super::RECORDING_TYPE;
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::records::{FiledRecord, FiledRecordFields, MediaObject};
use hearth_core::video::{
    CallRecording, CallStatus, MAX_CHUNK_BYTES, MAX_RECORDING_BYTES, RecordingState,
    valid_recording_type,
};
use hearth_policy::RecordAction;
use hearth_store::RecordingFiling;
use uuid::Uuid;

/// How long an unfinished recording may sit without a chunk before it is discarded: its
/// engineer's page is long gone, and chunks must not linger outside any schedule.
pub const ABANDONED_AFTER_HOURS: i64 = 24;

/// What happened to a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkReceipt {
    Stored,
    /// It had arrived before (a retried upload): nothing changed.
    AlreadyStored,
}

impl Hearth {
    /// The `video_recording` record a recording becomes, before it exists: what the gate is
    /// asked about when the recording starts and when it is filed.
    fn recording_record(&self, recording: &CallRecording, title: String) -> FiledRecord {
        let mut record = self.prospective_recording(
            recording.record_id.unwrap_or_else(Uuid::now_v7),
            recording.person_id,
        );
        record.fields.title = title;
        record
    }

    /// A `video_recording` record about a person, not yet filed: how the gate sees the call's
    /// images and sound.
    pub(crate) fn prospective_recording(&self, id: Uuid, person_id: Uuid) -> FiledRecord {
        let now = self.now();
        FiledRecord {
            id,
            fields: FiledRecordFields {
                record_type: RECORDING_TYPE.into(),
                person_id: Some(person_id),
                tenancy_id: None,
                case_ref: None,
                title: String::new(),
                details: None,
                stats: Default::default(),
                events: Default::default(),
            },
            created_at: now,
            last_activity_at: now,
            closed_at: None,
            anonymised_at: None,
            version: 1,
        }
    }

    /// Starts recording a live call, for the call's purpose (the recording serves no other).
    pub async fn start_recording(
        &self,
        caller: &Caller,
        call_id: Uuid,
        content_type: &str,
    ) -> Result<CallRecording> {
        let content_type = content_type.trim();
        if !valid_recording_type(content_type) {
            return Err(ServiceError::field(
                "content_type",
                "a recording is video/webm or video/mp4 (with codecs if the browser names them)",
            ));
        }
        let call = self.video_call(call_id).await?;
        if self.purpose_of(caller)? != call.purpose {
            return Err(ServiceError::field(
                "X-Hearth-Purpose",
                format!("a recording serves its call's purpose, '{}'", call.purpose),
            ));
        }
        if call.status != CallStatus::Live {
            return Err(ServiceError::Conflict(
                "only a live call can be recorded".into(),
            ));
        }
        let now = self.now();
        let recording = CallRecording {
            id: Uuid::now_v7(),
            call_id,
            repair_id: call.repair_id,
            person_id: call.person_id,
            purpose: call.purpose.clone(),
            content_type: content_type.to_string(),
            started_by: caller.actor().to_string(),
            started_at: now,
            chunks: 0,
            bytes: 0,
            state: RecordingState::Uploading,
            record_id: None,
            media_id: None,
            updated_at: now,
        };
        let prospective = self.recording_record(&recording, String::new());
        let mut event = self
            .admit_filed_as(
                caller,
                RecordAction::Create,
                &prospective,
                None,
                "video.recording_started".into(),
            )
            .await?;
        event.record_ids = vec![recording.id.to_string(), call.id.to_string()];
        self.store.insert_recording(&recording, &event).await?;
        self.announce(super::CallEvent::RecordingStarted(call.id));
        tracing::info!(recording = %recording.id, call = %call.id, "recording started");
        Ok(recording)
    }

    /// An uploading recording, for the member of staff who started it.
    async fn own_recording(&self, caller: &Caller, id: Uuid) -> Result<CallRecording> {
        let recording = self
            .store
            .get_recording(id)
            .await?
            .ok_or(ServiceError::NotFound("recording"))?;
        if recording.started_by != caller.actor().to_string() {
            return Err(ServiceError::Forbidden(
                "only the member of staff who started a recording uploads it".into(),
            ));
        }
        if recording.state != RecordingState::Uploading {
            return Err(ServiceError::Conflict(format!(
                "the recording is {} already",
                recording.state
            )));
        }
        Ok(recording)
    }

    /// Takes chunk `seq` (numbered from 0) of a recording, sealed under the resident's key.
    /// A chunk sent again is accepted and ignored; one out of order is refused.
    pub async fn upload_recording_chunk(
        &self,
        caller: &Caller,
        recording_id: Uuid,
        seq: i64,
        bytes: Vec<u8>,
    ) -> Result<ChunkReceipt> {
        let recording = self.own_recording(caller, recording_id).await?;
        if seq < recording.chunks {
            return Ok(ChunkReceipt::AlreadyStored);
        }
        if seq > recording.chunks {
            return Err(ServiceError::Conflict(format!(
                "chunk {} comes next, not {seq}",
                recording.chunks
            )));
        }
        if bytes.is_empty() || bytes.len() > MAX_CHUNK_BYTES {
            return Err(ServiceError::field(
                "body",
                format!("a chunk is 1 to {MAX_CHUNK_BYTES} bytes"),
            ));
        }
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        if recording.bytes.saturating_add(size) > MAX_RECORDING_BYTES {
            return Err(ServiceError::field(
                "body",
                format!(
                    "a recording is at most {MAX_RECORDING_BYTES} bytes: stop this one and start another"
                ),
            ));
        }
        let key = recording.chunk_key(seq);
        let sealed = self
            .store
            .seal_media(recording.person_id, &key, &bytes)
            .await?;
        self.media()?
            .put(&key, sealed)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        if !self
            .store
            .record_chunk(recording.id, seq, size, self.now())
            .await?
        {
            return Err(ServiceError::Conflict(format!(
                "chunk {seq} arrived twice at once; send the next one"
            )));
        }
        Ok(ChunkReceipt::Stored)
    }

    /// Stops a recording: its chunks become one sealed object, filed as a `video_recording`
    /// record linked to the repair (by its reference) and kept as the register says. A recording
    /// with no chunks is discarded.
    pub async fn finish_recording(
        &self,
        caller: &Caller,
        recording_id: Uuid,
    ) -> Result<CallRecording> {
        let recording = self.own_recording(caller, recording_id).await?;
        // The resident's page stops showing the recording light at once.
        self.announce(super::CallEvent::RecordingStopped(recording.call_id));
        if recording.chunks == 0 {
            return self
                .discard_recording(caller, recording, "nothing was recorded")
                .await;
        }
        let mut assembled = Vec::with_capacity(usize::try_from(recording.bytes).unwrap_or(0));
        for seq in 0..recording.chunks {
            let key = recording.chunk_key(seq);
            let sealed = self
                .media()?
                .get(&key)
                .await
                .map_err(|e| ServiceError::Storage(e.to_string()))?;
            let chunk = self
                .store
                .open_media(recording.person_id, &key, &sealed)
                .await?;
            assembled.extend_from_slice(&chunk);
        }
        let call = self.video_call(recording.call_id).await?;
        let reference = self.repair_reference_of(&call).await?;
        let purpose_name = self
            .register
            .purpose(&recording.purpose)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| recording.purpose.clone());
        let mut record = self.recording_record(
            &recording,
            format!("Video call recording, repair {reference}"),
        );
        record.fields.case_ref = Some(reference);
        record.fields.details = Some(format!(
            "{purpose_name}. Recorded from {} until {}.",
            super::uk_time(recording.started_at),
            super::uk_time(self.now())
        ));
        let mut event = self
            .admit_filed_as(
                caller,
                RecordAction::Create,
                &record,
                None,
                "video.recording_filed".into(),
            )
            .await?;
        let media = MediaObject {
            id: Uuid::now_v7(),
            record_id: record.id,
            object_key: String::new(),
            content_type: recording.content_type.clone(),
            size: i64::try_from(assembled.len()).unwrap_or(i64::MAX),
            sha256: crate::sha256_hex(&assembled),
            created_at: record.created_at,
        };
        let media = MediaObject {
            object_key: format!("records/{}/{}", record.id, media.id),
            ..media
        };
        let sealed = self
            .store
            .seal_media(recording.person_id, &media.object_key, &assembled)
            .await?;
        drop(assembled);
        self.media()?
            .put(&media.object_key, sealed)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        event.record_ids.extend([
            media.id.to_string(),
            recording.id.to_string(),
            call.id.to_string(),
        ]);
        let filing = RecordingFiling {
            recording_id: recording.id,
            chunks: recording.chunks,
            record: &record,
            media: &media,
            at: self.now(),
        };
        if let Err(e) = self.store.file_recording(filing, &event).await {
            // Not filed: the object is linked to nothing, so it goes again.
            let _ = self.media()?.remove(&media.object_key).await;
            return Err(e.into());
        }
        self.remove_chunks(&recording).await;
        tracing::info!(recording = %recording.id, record = %record.id, bytes = media.size, "recording filed");
        Ok(CallRecording {
            state: RecordingState::Filed,
            record_id: Some(record.id),
            media_id: Some(media.id),
            updated_at: self.now(),
            ..recording
        })
    }

    async fn discard_recording(
        &self,
        caller: &Caller,
        recording: CallRecording,
        why: &str,
    ) -> Result<CallRecording> {
        let mut event = self.event(caller, "video.recording_discarded".into());
        event.person_ids = vec![recording.person_id];
        event.record_ids = vec![recording.id.to_string(), recording.call_id.to_string()];
        event.reason = Some(why.into());
        if !self
            .store
            .discard_recording(recording.id, self.now(), &event)
            .await?
        {
            return Err(ServiceError::Conflict(
                "the recording was filed or discarded meanwhile".into(),
            ));
        }
        self.remove_chunks(&recording).await;
        Ok(CallRecording {
            state: RecordingState::Discarded,
            updated_at: self.now(),
            ..recording
        })
    }

    /// Removes a recording's chunks once they are filed or discarded. A failure is logged and
    /// left: the chunks are sealed, and the abandoned-recording sweep does not see them again.
    async fn remove_chunks(&self, recording: &CallRecording) {
        let Ok(media) = self.media() else { return };
        for seq in 0..recording.chunks {
            if let Err(e) = media.remove(&recording.chunk_key(seq)).await {
                tracing::warn!(recording = %recording.id, seq, error = %e, "a recording chunk could not be removed");
            }
        }
    }

    /// Discards recordings abandoned mid-upload (no chunk for [`ABANDONED_AFTER_HOURS`]) and
    /// removes their chunks. Returns how many.
    pub async fn discard_abandoned_recordings(&self) -> Result<usize> {
        let idle_since = self.now() - jiff::SignedDuration::from_hours(ABANDONED_AFTER_HOURS);
        let caller = Caller::system("video");
        let mut discarded = 0;
        for recording in self.store.idle_recordings(idle_since).await? {
            match self
                .discard_recording(&caller, recording, "abandoned: no chunk for a day")
                .await
            {
                Ok(_) => discarded += 1,
                Err(ServiceError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(discarded)
    }

    /// A call's recordings, for those who may work on its repair.
    pub async fn recordings_of_call(
        &self,
        caller: &Caller,
        call_id: Uuid,
    ) -> Result<Vec<CallRecording>> {
        let call = self.video_call(call_id).await?;
        let (record, _) = self.load_repair(call.repair_id).await?;
        let mut event = self
            .admit_repair(caller, RecordAction::Read, &record, "video_recordings")
            .await?;
        event.record_ids.push(call.id.to_string());
        self.store.append_audit_events(&[event]).await?;
        Ok(self.store.recordings_of_call(call_id).await?)
    }

    /// A filed recording's video, opened: the gate decides for the caller's purpose (managers
    /// watch under "support operatives" or "assess work" only), and the viewing is audited.
    pub async fn watch_recording(
        &self,
        caller: &Caller,
        recording_id: Uuid,
    ) -> Result<(CallRecording, MediaObject, Vec<u8>)> {
        let recording = self
            .store
            .get_recording(recording_id)
            .await?
            .ok_or(ServiceError::NotFound("recording"))?;
        let (Some(record_id), Some(media_id)) = (recording.record_id, recording.media_id) else {
            return Err(ServiceError::Conflict(format!(
                "the recording is {}, not filed",
                recording.state
            )));
        };
        let (media, bytes) = self.read_media(caller, record_id, media_id).await?;
        Ok((recording, media, bytes))
    }
}

-- Recordings of Total Assist video calls. While a recording is made its chunks wait in object
-- storage (sealed under the resident's key); once put together it is filed as a video_recording
-- record, whose disposal takes this row with it. A recording goes with its call.

CREATE TABLE call_recordings (
    id            text PRIMARY KEY,
    call_id       text NOT NULL REFERENCES video_calls (id) ON DELETE CASCADE,
    repair_id     text NOT NULL,
    person_id     text NOT NULL,
    purpose       text NOT NULL,
    content_type  text NOT NULL,
    started_by    text NOT NULL,
    started_at    text NOT NULL,
    chunks        integer NOT NULL DEFAULT 0,
    bytes         integer NOT NULL DEFAULT 0,
    state         text NOT NULL,
    record_id     text REFERENCES filed_records (id) ON DELETE CASCADE,
    media_id      text,
    updated_at    text NOT NULL
);
CREATE INDEX call_recordings_call ON call_recordings (call_id, started_at);
CREATE INDEX call_recordings_open ON call_recordings (state, updated_at);

-- Total Assist video calls and the notification outbox that carries their links. A call hangs
-- off its repair and goes with it. Only hashes of the link and of the resident's call session
-- are kept. Outbox recipients and personalisation are sealed under the person's key and wiped
-- once the message is sent or given up; the outbox has no foreign key to people, so an erased
-- person's messages are left unreadable (their key is gone) and fail.

CREATE TABLE video_calls (
    id                 text PRIMARY KEY,
    repair_id          text NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    person_id          text NOT NULL,
    purpose            text NOT NULL,
    channel            text NOT NULL,
    status             text NOT NULL,
    end_reason         text,
    wording_version    text NOT NULL,
    invite_hash        text NOT NULL UNIQUE,
    session_hash       text UNIQUE,
    offered_by         text NOT NULL,
    offered_at         text NOT NULL,
    invite_expires_at  text NOT NULL,
    answered_at        text,
    link_used_at       text,
    started_at         text,
    ended_at           text,
    notification_id    text,
    visit_id           text,
    version            integer NOT NULL DEFAULT 1
);
CREATE INDEX video_calls_repair ON video_calls (repair_id, offered_at);
CREATE INDEX video_calls_person ON video_calls (person_id, status);

CREATE TABLE notifications (
    id               text PRIMARY KEY,
    person_id        text NOT NULL,
    channel          text NOT NULL,
    template         text NOT NULL,
    recipient        text NOT NULL,
    personalisation  text NOT NULL,
    state            text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  text NOT NULL,
    lease_until      text,
    provider_ref     text,
    last_error       text,
    created_at       text NOT NULL,
    updated_at       text NOT NULL
);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);

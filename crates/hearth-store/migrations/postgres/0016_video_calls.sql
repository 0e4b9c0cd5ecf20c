-- Total Assist video calls and the notification outbox that carries their links. A call hangs
-- off its repair and goes with it. Only hashes of the link and of the resident's call session
-- are kept. Outbox recipients and personalisation are sealed under the person's key and wiped
-- once the message is sent or given up; the outbox has no foreign key to people, so an erased
-- person's messages are left unreadable (their key is gone) and fail.

CREATE TABLE video_calls (
    id                 uuid PRIMARY KEY,
    repair_id          uuid NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    person_id          uuid NOT NULL,
    purpose            text NOT NULL,
    channel            text NOT NULL,
    status             text NOT NULL,
    end_reason         text,
    wording_version    text NOT NULL,
    invite_hash        text NOT NULL UNIQUE,
    session_hash       text UNIQUE,
    offered_by         text NOT NULL,
    offered_at         timestamptz NOT NULL,
    invite_expires_at  timestamptz NOT NULL,
    answered_at        timestamptz,
    link_used_at       timestamptz,
    started_at         timestamptz,
    ended_at           timestamptz,
    notification_id    uuid,
    visit_id           uuid,
    version            bigint NOT NULL DEFAULT 1
);
CREATE INDEX video_calls_repair ON video_calls (repair_id, offered_at);
CREATE INDEX video_calls_person ON video_calls (person_id, status);

CREATE TABLE notifications (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    channel          text NOT NULL,
    template         text NOT NULL,
    recipient        text NOT NULL,
    personalisation  text NOT NULL,
    state            text NOT NULL,
    attempts         bigint NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    lease_until      timestamptz,
    provider_ref     text,
    last_error       text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);

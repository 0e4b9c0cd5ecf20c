-- Purpose-bound access: staff accounts, API tokens, browser sessions, the controls on each
-- person the policy gate reads (restriction, objection, consent, assignment), and an index of
-- audit events by person so "who accessed this record" is one lookup.

CREATE TABLE staff_accounts (
    id             text PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    roles          text NOT NULL,
    teams          text NOT NULL,
    disabled       integer NOT NULL DEFAULT 0,
    created_at     text NOT NULL,
    updated_at     text NOT NULL
);

CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    roles        text NOT NULL,
    purposes     text NOT NULL,
    created_by   text NOT NULL,
    created_at   text NOT NULL,
    expires_at   text NOT NULL,
    revoked_at   text
);

CREATE TABLE staff_sessions (
    token_hash  text PRIMARY KEY,
    staff_id    text NOT NULL REFERENCES staff_accounts (id),
    csrf_token  text NOT NULL,
    created_at  text NOT NULL,
    expires_at  text NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE person_flags (
    person_id   text PRIMARY KEY REFERENCES people (id),
    restricted  integer NOT NULL DEFAULT 0,
    objected    integer NOT NULL DEFAULT 0,
    updated_at  text NOT NULL
);

-- Every grant and withdrawal is kept; the latest per person and purpose is in force.
CREATE TABLE consents (
    id               text PRIMARY KEY,
    person_id        text NOT NULL REFERENCES people (id),
    purpose          text NOT NULL,
    granted          integer NOT NULL,
    wording          text NOT NULL,
    wording_version  text NOT NULL,
    recorded_by      text NOT NULL,
    at               text NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, purpose, at);

CREATE TABLE assignments (
    person_id   text NOT NULL REFERENCES people (id),
    staff_id    text NOT NULL REFERENCES staff_accounts (id),
    reason      text NOT NULL,
    created_at  text NOT NULL,
    PRIMARY KEY (person_id, staff_id)
);

CREATE TABLE audit_event_people (
    person_id  text NOT NULL,
    seq        integer NOT NULL REFERENCES audit_events (seq),
    PRIMARY KEY (person_id, seq)
);

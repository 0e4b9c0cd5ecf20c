-- Purpose-bound access: staff accounts, API tokens, browser sessions, the controls on each
-- person the policy gate reads (restriction, objection, consent, assignment), and an index of
-- audit events by person so "who accessed this record" is one lookup.

CREATE TABLE staff_accounts (
    id             uuid PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    roles          jsonb NOT NULL,
    teams          jsonb NOT NULL,
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    roles        jsonb NOT NULL,
    purposes     jsonb NOT NULL,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);

CREATE TABLE staff_sessions (
    token_hash  text PRIMARY KEY,
    staff_id    uuid NOT NULL REFERENCES staff_accounts (id),
    csrf_token  text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE person_flags (
    person_id   uuid PRIMARY KEY REFERENCES people (id),
    restricted  boolean NOT NULL DEFAULT false,
    objected    boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL
);

-- Every grant and withdrawal is kept; the latest per person and purpose is in force.
CREATE TABLE consents (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL REFERENCES people (id),
    purpose          text NOT NULL,
    granted          boolean NOT NULL,
    wording          text NOT NULL,
    wording_version  text NOT NULL,
    recorded_by      text NOT NULL,
    at               timestamptz NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, purpose, at);

CREATE TABLE assignments (
    person_id   uuid NOT NULL REFERENCES people (id),
    staff_id    uuid NOT NULL REFERENCES staff_accounts (id),
    reason      text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (person_id, staff_id)
);

CREATE TABLE audit_event_people (
    person_id  uuid NOT NULL,
    seq        bigint NOT NULL REFERENCES audit_events (seq),
    PRIMARY KEY (person_id, seq)
);

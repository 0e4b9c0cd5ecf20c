-- Retention: records filed under register record types that have no table of their own (CCTV
-- clips, Blue Badge photos, CSO notes, survey responses...), their media objects, legal holds,
-- disposal reviews, and the log of retention runs with their signed certificates.

CREATE TABLE filed_records (
    id                text PRIMARY KEY,
    record_type       text NOT NULL,
    person_id         text REFERENCES people (id),
    tenancy_id        text REFERENCES tenancies (id),
    case_ref          text,
    -- Sealed under the person's data key when the record is about a person.
    title             text NOT NULL,
    details           text,
    -- Statistical fields (JSON object): what an anonymised record keeps, per the register.
    stats             text NOT NULL DEFAULT '{}',
    created_at        text NOT NULL,
    last_activity_at  text NOT NULL,
    closed_at         text,
    anonymised_at     text,
    version           integer NOT NULL DEFAULT 1
);
CREATE INDEX filed_records_type_created ON filed_records (record_type, created_at);
CREATE INDEX filed_records_type_activity ON filed_records (record_type, last_activity_at);
CREATE INDEX filed_records_type_closed ON filed_records (record_type, closed_at);
CREATE INDEX filed_records_person ON filed_records (person_id);
CREATE INDEX filed_records_tenancy ON filed_records (tenancy_id);
CREATE INDEX filed_records_case ON filed_records (case_ref);

-- Named dates a schedule can count from (`trigger = "event:badge_expired"`).
CREATE TABLE filed_record_events (
    record_id  text NOT NULL REFERENCES filed_records (id),
    name       text NOT NULL,
    on_date    text NOT NULL,
    PRIMARY KEY (record_id, name)
);
CREATE INDEX filed_record_events_name ON filed_record_events (name, on_date);

CREATE TABLE record_media (
    id            text PRIMARY KEY,
    record_id     text NOT NULL REFERENCES filed_records (id),
    object_key    text NOT NULL UNIQUE,
    content_type  text NOT NULL,
    size          integer NOT NULL,
    sha256        text NOT NULL,
    created_at    text NOT NULL
);
CREATE INDEX record_media_record ON record_media (record_id);

-- Objects whose records were destroyed, written in the same transaction as the deletion and
-- removed from object storage after it commits: a run that stops in between leaves them here,
-- and the next run removes them first.
CREATE TABLE media_tombstones (
    object_key   text PRIMARY KEY,
    run_id       text NOT NULL,
    record_type  text NOT NULL
);

CREATE TABLE legal_holds (
    id           text PRIMARY KEY,
    scope_kind   text NOT NULL,
    target       text NOT NULL,
    record_type  text,
    reason       text NOT NULL,
    requester    text NOT NULL,
    owner        text NOT NULL,
    review_on    text NOT NULL,
    placed_at    text NOT NULL,
    placed_by    text NOT NULL,
    lifted_at    text,
    lifted_by    text,
    lift_reason  text
);
CREATE INDEX legal_holds_target ON legal_holds (scope_kind, target);

CREATE TABLE disposal_reviews (
    id               text PRIMARY KEY,
    record_type      text NOT NULL,
    record_id        text NOT NULL,
    review_role      text NOT NULL,
    due_on           text NOT NULL,
    decide_by        text NOT NULL,
    status           text NOT NULL,
    queued_at        text NOT NULL,
    decided_by       text,
    decided_at       text,
    reason           text,
    keep_until       text,
    reclassified_to  text
);
CREATE INDEX disposal_reviews_record ON disposal_reviews (record_id, status);
CREATE INDEX disposal_reviews_status ON disposal_reviews (status, record_type);

CREATE TABLE retention_runs (
    id                text PRIMARY KEY,
    actor             text NOT NULL,
    -- host:pid of the process running it, so a successor can tell a dead run from a live one.
    holder            text NOT NULL,
    as_of             text NOT NULL,
    started_at        text NOT NULL,
    heartbeat_at      text NOT NULL,
    finished_at       text,
    status            text NOT NULL,
    register_hash     text NOT NULL,
    register_version  text NOT NULL,
    certificate       text
);

-- Counts only, never personal data: what each run did to each record type.
CREATE TABLE destruction_log (
    run_id          text NOT NULL REFERENCES retention_runs (id),
    record_type     text NOT NULL,
    schedule        text NOT NULL,
    action          text NOT NULL,
    trigger_name    text NOT NULL,
    destroyed       integer NOT NULL DEFAULT 0,
    anonymised      integer NOT NULL DEFAULT 0,
    media_removed   integer NOT NULL DEFAULT 0,
    keys_destroyed  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, record_type)
);

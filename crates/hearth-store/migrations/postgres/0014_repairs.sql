-- Repairs: what a repairs_request record adds (property, category, priority, target, status),
-- the jobs given to operatives and contractors, appointments, and the status history. Each row
-- hangs off the filed record and goes with it when retention or erasure deletes that record.

CREATE TABLE repairs (
    id                    uuid PRIMARY KEY REFERENCES filed_records (id) ON DELETE CASCADE,
    reference             text NOT NULL UNIQUE,
    property_id           uuid NOT NULL REFERENCES properties (id),
    category              text NOT NULL,
    priority              text NOT NULL,
    reported_via          text NOT NULL,
    partner               text,
    status                text NOT NULL,
    resolution            text,
    reported_at           timestamptz NOT NULL,
    target_at             timestamptz NOT NULL,
    closed_at             timestamptz,
    satisfaction_score    bigint  ,
    -- Sealed under the person's data key.
    satisfaction_comment  text,
    satisfaction_at       timestamptz,
    version               bigint NOT NULL DEFAULT 1
);
CREATE INDEX repairs_status_target ON repairs (status, target_at);
CREATE INDEX repairs_property ON repairs (property_id, reported_at);

CREATE TABLE repair_jobs (
    id             uuid PRIMARY KEY,
    repair_id      uuid NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    staff_id       uuid REFERENCES staff_accounts (id),
    contractor     text,
    instructions   text NOT NULL,
    status         text NOT NULL,
    assigned_at    timestamptz NOT NULL,
    finished_at    timestamptz,
    CHECK ((staff_id IS NULL) <> (contractor IS NULL))
);
CREATE INDEX repair_jobs_repair ON repair_jobs (repair_id);
CREATE INDEX repair_jobs_staff ON repair_jobs (staff_id, status);

CREATE TABLE repair_appointments (
    id          uuid PRIMARY KEY,
    repair_id   uuid NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    job_id      uuid REFERENCES repair_jobs (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text NOT NULL,
    booked_by   text NOT NULL,
    booked_at   timestamptz NOT NULL
);
CREATE INDEX repair_appointments_repair ON repair_appointments (repair_id, starts_at);

CREATE TABLE repair_status_history (
    id         uuid PRIMARY KEY,
    repair_id  uuid NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    status     text NOT NULL,
    -- Sealed under the person's data key.
    note       text,
    actor      text NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX repair_status_history_repair ON repair_status_history (repair_id, at);

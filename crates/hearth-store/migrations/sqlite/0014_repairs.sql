-- Repairs: what a repairs_request record adds (property, category, priority, target, status),
-- the jobs given to operatives and contractors, appointments, and the status history. Each row
-- hangs off the filed record and goes with it when retention or erasure deletes that record.

CREATE TABLE repairs (
    id                    text PRIMARY KEY REFERENCES filed_records (id) ON DELETE CASCADE,
    reference             text NOT NULL UNIQUE,
    property_id           text NOT NULL REFERENCES properties (id),
    category              text NOT NULL,
    priority              text NOT NULL,
    reported_via          text NOT NULL,
    partner               text,
    status                text NOT NULL,
    resolution            text,
    reported_at           text NOT NULL,
    target_at             text NOT NULL,
    closed_at             text,
    satisfaction_score    integer,
    -- Sealed under the person's data key.
    satisfaction_comment  text,
    satisfaction_at       text,
    version               integer NOT NULL DEFAULT 1
);
CREATE INDEX repairs_status_target ON repairs (status, target_at);
CREATE INDEX repairs_property ON repairs (property_id, reported_at);

CREATE TABLE repair_jobs (
    id             text PRIMARY KEY,
    repair_id      text NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    staff_id       text REFERENCES staff_accounts (id),
    contractor     text,
    instructions   text NOT NULL,
    status         text NOT NULL,
    assigned_at    text NOT NULL,
    finished_at    text,
    CHECK ((staff_id IS NULL) <> (contractor IS NULL))
);
CREATE INDEX repair_jobs_repair ON repair_jobs (repair_id);
CREATE INDEX repair_jobs_staff ON repair_jobs (staff_id, status);

CREATE TABLE repair_appointments (
    id          text PRIMARY KEY,
    repair_id   text NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    job_id      text REFERENCES repair_jobs (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    starts_at   text NOT NULL,
    ends_at     text NOT NULL,
    status      text NOT NULL,
    booked_by   text NOT NULL,
    booked_at   text NOT NULL
);
CREATE INDEX repair_appointments_repair ON repair_appointments (repair_id, starts_at);

CREATE TABLE repair_status_history (
    id         text PRIMARY KEY,
    repair_id  text NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
    status     text NOT NULL,
    -- Sealed under the person's data key.
    note       text,
    actor      text NOT NULL,
    at         text NOT NULL
);
CREATE INDEX repair_status_history_repair ON repair_status_history (repair_id, at);

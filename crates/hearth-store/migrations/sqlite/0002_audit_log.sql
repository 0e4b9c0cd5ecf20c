-- The audit log: append-only, hash-chained. Each event's hash covers the previous hash, its
-- sequence number and the event's JSON exactly as stored.

CREATE TABLE audit_events (
    seq        integer PRIMARY KEY,
    id         text NOT NULL UNIQUE,
    at         text NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    event      text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The audit log: append-only, hash-chained. Each event's hash covers the previous hash, its
-- sequence number and the event's JSON exactly as stored (text, not jsonb, which reorders keys).

CREATE TABLE audit_events (
    seq        bigint PRIMARY KEY,
    id         uuid NOT NULL UNIQUE,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    event      text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Signed checkpoints of the audit chain's head: append-only like the chain itself.

CREATE TABLE audit_checkpoints (
    seq         bigint PRIMARY KEY,
    hash        text NOT NULL,
    signed_at   timestamptz NOT NULL,
    public_key  text NOT NULL,
    signature   text NOT NULL
);

CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

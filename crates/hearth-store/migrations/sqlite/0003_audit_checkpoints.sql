-- Signed checkpoints of the audit chain's head: append-only like the chain itself.

CREATE TABLE audit_checkpoints (
    seq         integer PRIMARY KEY,
    hash        text NOT NULL,
    signed_at   text NOT NULL,
    public_key  text NOT NULL,
    signature   text NOT NULL
);

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

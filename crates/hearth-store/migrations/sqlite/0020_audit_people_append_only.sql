-- The rows that file an audit event under the people it concerns (what "who accessed my
-- record" reads) are as append-only as the events themselves.
CREATE TRIGGER audit_event_people_no_update BEFORE UPDATE ON audit_event_people
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_event_people_no_delete BEFORE DELETE ON audit_event_people
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

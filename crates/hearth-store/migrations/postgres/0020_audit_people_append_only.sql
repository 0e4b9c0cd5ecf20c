-- The rows that file an audit event under the people it concerns (what "who accessed my
-- record" reads) are as append-only as the events themselves.
CREATE TRIGGER audit_event_people_no_change BEFORE UPDATE OR DELETE ON audit_event_people
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_event_people_no_truncate BEFORE TRUNCATE ON audit_event_people
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Erasures (Art 17): the plan for each erasure request, item by item (erase or keep, the
-- ground, until when), who prepared and approved it, and the letter once carried out. The plan
-- holds references and grounds only, never the person's data, so it stays as evidence after
-- their data key is destroyed. No foreign key to people, for the same reason.

CREATE TABLE rights_erasures (
    request_id   uuid PRIMARY KEY REFERENCES rights_requests (id),
    person_id    uuid NOT NULL,
    status       text NOT NULL,
    items        text NOT NULL,
    prepared_at  timestamptz NOT NULL,
    prepared_by  text NOT NULL,
    approved_at  timestamptz,
    approved_by  text,
    executed_at  timestamptz,
    executed_by  text,
    letter       text,
    version      bigint NOT NULL DEFAULT 1
);
CREATE INDEX rights_erasures_person ON rights_erasures (person_id);

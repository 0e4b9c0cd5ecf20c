-- The disclosures register: each disclosure of a person's data outside the council, to whom,
-- for which purpose, when; what and why are sealed under the person's data key. No foreign key
-- to people: the register is evidence that outlives an erasure.

CREATE TABLE disclosures (
    id            text PRIMARY KEY,
    person_id     text NOT NULL,
    recipient     text NOT NULL,
    purpose       text NOT NULL,
    record_type   text,
    record_id     text,
    disclosed_on  text NOT NULL,
    what          text NOT NULL,
    reason        text NOT NULL,
    recorded_by   text NOT NULL,
    recorded_at   text NOT NULL
);
CREATE INDEX disclosures_person ON disclosures (person_id, disclosed_on);

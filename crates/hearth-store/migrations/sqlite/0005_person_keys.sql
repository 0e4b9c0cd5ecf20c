-- Encryption at rest: one data key per person, kept only wrapped under a key-encryption key.
-- NI and NHS numbers, equality answers and contact-log notes hold sealed values
-- ('hse1:' + hex) from now on; Hearth seals rows written before this migration when it opens
-- the database. NI numbers are found through a keyed blind index, never by their value.

CREATE TABLE person_keys (
    person_id   text PRIMARY KEY,
    key_id      text NOT NULL,
    kek_id      text NOT NULL,
    wrapped     text NOT NULL,
    created_at  text NOT NULL
);
CREATE INDEX person_keys_kek ON person_keys (kek_id);

ALTER TABLE people ADD COLUMN ni_index text;
DROP INDEX people_ni_number;
CREATE INDEX people_ni_index ON people (ni_index);

-- Rectifications (Art 16): each field corrected on a person's record in answer to a request,
-- with its value before and after, sealed under the person's data key.

CREATE TABLE rights_rectifications (
    id          text PRIMARY KEY,
    request_id  text NOT NULL REFERENCES rights_requests (id),
    person_id   text NOT NULL,
    field       text NOT NULL,
    previous    text NOT NULL,
    corrected   text NOT NULL,
    at          text NOT NULL,
    made_by     text NOT NULL
);
CREATE INDEX rights_rectifications_person ON rights_rectifications (person_id, at);

-- The requests register: residents' rights requests, the clarifications asked of them, and the
-- due date the statutory clock last gave. No foreign key to people: the register is evidence of
-- how a request was answered and outlives an erasure (its sealed text goes with the data key).

CREATE TABLE rights_requests (
    id                  uuid PRIMARY KEY,
    person_id           uuid NOT NULL,
    kind                text NOT NULL,
    channel             text NOT NULL,
    received_on         date NOT NULL,
    requester_kind      text NOT NULL,
    -- Sealed under the person's data key: the representative (JSON), the request in their
    -- words, and the response letter.
    requester_details   text,
    summary             text NOT NULL,
    identity_status     text NOT NULL,
    identity_on         date,
    authority_status    text NOT NULL,
    authority_on        date,
    extension_reason    text,
    extension_told_on   date,
    status              text NOT NULL,
    outcome             text,
    outcome_reason      text,
    response_letter     text,
    closed_on           date,
    due_on              date,
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    version             bigint NOT NULL DEFAULT 1
);
CREATE INDEX rights_requests_person ON rights_requests (person_id);
CREATE INDEX rights_requests_open_due ON rights_requests (status, due_on);

CREATE TABLE rights_clarifications (
    id           uuid PRIMARY KEY,
    request_id   uuid NOT NULL REFERENCES rights_requests (id),
    asked_on     date NOT NULL,
    -- Sealed under the person's data key.
    question     text NOT NULL,
    answered_on  date,
    answer       text
);
CREATE INDEX rights_clarifications_request ON rights_clarifications (request_id, asked_on);

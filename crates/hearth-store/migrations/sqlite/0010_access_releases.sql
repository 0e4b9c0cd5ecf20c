-- Access responses released to the person: the archive the data protection officer approved
-- (sealed under the person's key in object storage, named by a random id), and the single-use,
-- expiring download link, kept only as a hash.

CREATE TABLE access_releases (
    id             text PRIMARY KEY,
    request_id     text NOT NULL REFERENCES rights_requests (id),
    person_id      text NOT NULL,
    object_key     text NOT NULL,
    sha256         text NOT NULL,
    size           integer NOT NULL,
    token_hash     text NOT NULL UNIQUE,
    redactions     integer NOT NULL,
    approved_by    text NOT NULL,
    approved_at    text NOT NULL,
    expires_at     text NOT NULL,
    downloaded_at  text
);
CREATE INDEX access_releases_request ON access_releases (request_id);

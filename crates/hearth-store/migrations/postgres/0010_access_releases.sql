-- Access responses released to the person: the archive the data protection officer approved
-- (sealed under the person's key in object storage, named by a random id), and the single-use,
-- expiring download link, kept only as a hash.

CREATE TABLE access_releases (
    id             uuid PRIMARY KEY,
    request_id     uuid NOT NULL REFERENCES rights_requests (id),
    person_id      uuid NOT NULL,
    object_key     text NOT NULL,
    sha256         text NOT NULL,
    size           bigint NOT NULL,
    token_hash     text NOT NULL UNIQUE,
    redactions     bigint NOT NULL,
    approved_by    text NOT NULL,
    approved_at    timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    downloaded_at  timestamptz
);
CREATE INDEX access_releases_request ON access_releases (request_id);

-- One-off store work that is done once and then never looked for again, such as sealing what
-- was written before encryption at rest: its name and when it finished.

CREATE TABLE store_markers (
    name     text PRIMARY KEY,
    done_at  timestamptz NOT NULL
);

-- Residents who sign in with GOV.UK One Login. An account links One Login's pairwise subject to
-- a person once the resident has given the single-use code staff issued them; sign-ins waiting
-- on One Login's answer and resident browser sessions are kept by hash only. All of it goes with
-- the person.

CREATE TABLE resident_accounts (
    id          text PRIMARY KEY,
    issuer      text NOT NULL,
    subject     text NOT NULL,
    person_id   text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    linked_at   text NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX resident_accounts_person ON resident_accounts (person_id);

CREATE TABLE resident_link_codes (
    code_hash   text PRIMARY KEY,
    person_id   text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    issued_by   text NOT NULL,
    issued_at   text NOT NULL,
    expires_at  text NOT NULL,
    used_at     text
);
CREATE INDEX resident_link_codes_person ON resident_link_codes (person_id);

CREATE TABLE resident_sign_ins (
    state_hash     text PRIMARY KEY,
    nonce          text NOT NULL,
    code_verifier  text NOT NULL,
    created_at     text NOT NULL,
    expires_at     text NOT NULL
);
CREATE INDEX resident_sign_ins_expiry ON resident_sign_ins (expires_at);

CREATE TABLE resident_sessions (
    token_hash  text PRIMARY KEY,
    issuer      text NOT NULL,
    subject     text NOT NULL,
    person_id   text REFERENCES people (id) ON DELETE CASCADE,
    csrf_token  text NOT NULL,
    id_token    text NOT NULL,
    created_at  text NOT NULL,
    expires_at  text NOT NULL
);
CREATE INDEX resident_sessions_expiry ON resident_sessions (expires_at);

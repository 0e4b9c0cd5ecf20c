-- Core records: people, households and their membership history, properties, tenancies,
-- the contact log, and the register versions the server has run.

CREATE TABLE people (
    id                  uuid PRIMARY KEY,
    external_ref        text UNIQUE,
    title               text,
    given_name          text NOT NULL,
    middle_names        text,
    family_name         text NOT NULL,
    preferred_name      text,
    name_search         text NOT NULL,
    family_lower        text NOT NULL,
    date_of_birth       date,
    roles               jsonb NOT NULL,
    ni_number           text,
    nhs_number          text,
    phones              jsonb NOT NULL,
    emails              jsonb NOT NULL,
    postal_address      jsonb,
    postcode            text,
    preferred_channel   text,
    accessible_formats  jsonb NOT NULL,
    language            text,
    equality            jsonb NOT NULL,
    source              jsonb NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             bigint NOT NULL DEFAULT 1
);
CREATE INDEX people_family_lower ON people (family_lower text_pattern_ops);
CREATE INDEX people_ni_number ON people (ni_number);
CREATE INDEX people_postcode ON people (postcode);

CREATE TABLE properties (
    id              uuid PRIMARY KEY,
    uprn            text NOT NULL UNIQUE,
    address         jsonb NOT NULL,
    address_search  text NOT NULL,
    postcode        text NOT NULL,
    property_type   text,
    bedrooms        integer,
    source          jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint NOT NULL DEFAULT 1
);
CREATE INDEX properties_postcode ON properties (postcode);

CREATE TABLE households (
    id            uuid PRIMARY KEY,
    external_ref  text UNIQUE,
    name          text,
    name_search   text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1
);

CREATE TABLE household_members (
    id            uuid PRIMARY KEY,
    household_id  uuid NOT NULL REFERENCES households (id),
    person_id     uuid NOT NULL REFERENCES people (id),
    relationship  text NOT NULL,
    start_date    date NOT NULL,
    end_date      date
);
CREATE INDEX household_members_household ON household_members (household_id);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE tenancies (
    id            uuid PRIMARY KEY,
    external_ref  text UNIQUE,
    household_id  uuid NOT NULL REFERENCES households (id),
    property_id   uuid NOT NULL REFERENCES properties (id),
    tenancy_type  text NOT NULL,
    start_date    date NOT NULL,
    end_date      date,
    end_reason    text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1
);
CREATE INDEX tenancies_household ON tenancies (household_id);
CREATE INDEX tenancies_property ON tenancies (property_id);

CREATE TABLE contact_log (
    id            uuid PRIMARY KEY,
    person_id     uuid NOT NULL REFERENCES people (id),
    channel       text NOT NULL,
    occurred_at   timestamptz NOT NULL,
    staff_member  text NOT NULL,
    reason        text NOT NULL,
    summary       text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1
);
CREATE INDEX contact_log_person ON contact_log (person_id, occurred_at);

CREATE TABLE register_versions (
    id             uuid PRIMARY KEY,
    sha256         text NOT NULL,
    version_label  text NOT NULL,
    loaded_at      timestamptz NOT NULL,
    loaded_by      text NOT NULL,
    content        text NOT NULL
);
CREATE INDEX register_versions_loaded_at ON register_versions (loaded_at);

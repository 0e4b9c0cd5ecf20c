-- Core records: people, households and their membership history, properties, tenancies,
-- the contact log, and the register versions the server has run.

CREATE TABLE people (
    id                  text PRIMARY KEY,
    external_ref        text UNIQUE,
    title               text,
    given_name          text NOT NULL,
    middle_names        text,
    family_name         text NOT NULL,
    preferred_name      text,
    name_search         text NOT NULL,
    family_lower        text NOT NULL,
    date_of_birth       text,
    roles               text NOT NULL,
    ni_number           text,
    nhs_number          text,
    phones              text NOT NULL,
    emails              text NOT NULL,
    postal_address      text,
    postcode            text,
    preferred_channel   text,
    accessible_formats  text NOT NULL,
    language            text,
    equality            text NOT NULL,
    source              text NOT NULL,
    created_at          text NOT NULL,
    updated_at          text NOT NULL,
    version             integer NOT NULL DEFAULT 1
);
CREATE INDEX people_family_lower ON people (family_lower);
CREATE INDEX people_ni_number ON people (ni_number);
CREATE INDEX people_postcode ON people (postcode);

CREATE TABLE properties (
    id              text PRIMARY KEY,
    uprn            text NOT NULL UNIQUE,
    address         text NOT NULL,
    address_search  text NOT NULL,
    postcode        text NOT NULL,
    property_type   text,
    bedrooms        integer,
    source          text NOT NULL,
    created_at      text NOT NULL,
    updated_at      text NOT NULL,
    version         integer NOT NULL DEFAULT 1
);
CREATE INDEX properties_postcode ON properties (postcode);

CREATE TABLE households (
    id            text PRIMARY KEY,
    external_ref  text UNIQUE,
    name          text,
    name_search   text,
    created_at    text NOT NULL,
    updated_at    text NOT NULL,
    version       integer NOT NULL DEFAULT 1
);

CREATE TABLE household_members (
    id            text PRIMARY KEY,
    household_id  text NOT NULL REFERENCES households (id),
    person_id     text NOT NULL REFERENCES people (id),
    relationship  text NOT NULL,
    start_date    text NOT NULL,
    end_date      text
);
CREATE INDEX household_members_household ON household_members (household_id);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE tenancies (
    id            text PRIMARY KEY,
    external_ref  text UNIQUE,
    household_id  text NOT NULL REFERENCES households (id),
    property_id   text NOT NULL REFERENCES properties (id),
    tenancy_type  text NOT NULL,
    start_date    text NOT NULL,
    end_date      text,
    end_reason    text,
    created_at    text NOT NULL,
    updated_at    text NOT NULL,
    version       integer NOT NULL DEFAULT 1
);
CREATE INDEX tenancies_household ON tenancies (household_id);
CREATE INDEX tenancies_property ON tenancies (property_id);

CREATE TABLE contact_log (
    id            text PRIMARY KEY,
    person_id     text NOT NULL REFERENCES people (id),
    channel       text NOT NULL,
    occurred_at   text NOT NULL,
    staff_member  text NOT NULL,
    reason        text NOT NULL,
    summary       text,
    created_at    text NOT NULL,
    updated_at    text NOT NULL,
    version       integer NOT NULL DEFAULT 1
);
CREATE INDEX contact_log_person ON contact_log (person_id, occurred_at);

CREATE TABLE register_versions (
    id             text PRIMARY KEY,
    sha256         text NOT NULL,
    version_label  text NOT NULL,
    loaded_at      text NOT NULL,
    loaded_by      text NOT NULL,
    content        text NOT NULL
);
CREATE INDEX register_versions_loaded_at ON register_versions (loaded_at);

-- How a consent recorded by a member of staff was given: the channel, who said it (the person
-- or their representative) and when. Empty for what the person recorded themselves online and
-- for consents recorded before this migration.
ALTER TABLE consents ADD COLUMN evidence_channel text;
ALTER TABLE consents ADD COLUMN evidence_given_by text;
ALTER TABLE consents ADD COLUMN evidence_given_at text;

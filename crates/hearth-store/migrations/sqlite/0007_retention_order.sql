-- Retention walks each record type's records in id order, a batch at a time after the last id
-- it saw. Without this index the database finds the expired records by date and sorts all of
-- them for every batch, which grows with the square of the backlog.
CREATE INDEX filed_records_type_id ON filed_records (record_type, id);

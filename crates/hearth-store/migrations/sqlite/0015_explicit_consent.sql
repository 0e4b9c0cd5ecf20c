-- Explicit consent to special category data (Art 9(2)(a)) is recorded apart from consent to the
-- processing (Art 6(1)(a)), each with its wording: a video call may show health, religion or
-- ethnicity, and the resident is asked about that on its own.
ALTER TABLE consents ADD COLUMN special_category integer NOT NULL DEFAULT 0;

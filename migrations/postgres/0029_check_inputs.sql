-- What the checks of a request's latest evaluation read and decided (app/requests/check_inputs.h),
-- so that a candidate policy pack can be replayed over past decisions. Empty for requests
-- evaluated before it was kept.
ALTER TABLE requests ADD COLUMN check_inputs TEXT NOT NULL DEFAULT '';

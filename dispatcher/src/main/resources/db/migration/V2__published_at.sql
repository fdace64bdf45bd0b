-- When the broker acknowledged the exec this dispatcher published for the command (epoch ms), or
-- null: not published by this dispatcher yet, or seen on the broker (then someone else published
-- it). The ledger is the dispatcher's outbox: a QUEUED command from the API with no published_at
-- is published again after a restart.
ALTER TABLE commands ADD COLUMN published_at BIGINT;

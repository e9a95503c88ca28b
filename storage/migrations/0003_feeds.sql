-- Feed health for live sources: the backoff (seconds) chosen after the last failure, shown by
-- /watch status next to paused_until, and kept across restarts.
ALTER TABLE cursors ADD COLUMN backoff REAL NOT NULL DEFAULT 0;

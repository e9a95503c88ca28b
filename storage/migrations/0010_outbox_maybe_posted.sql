-- A delivery whose request went out and whose answer was lost may have been posted: its retry may post it
-- twice. Kept on the row, not in a sender's memory, so that a retry after a restart, or by another
-- worker, is still logged as a possible duplicate. 1: an earlier attempt may have posted it.
ALTER TABLE outbox ADD COLUMN maybe_posted INTEGER NOT NULL DEFAULT 0;

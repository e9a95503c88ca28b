-- Several workers on one PostgreSQL database (docs/scaling.md): each watched account is polled by the one
-- worker holding its lease, and each outbox row is delivered by the one worker holding its claim. A lease
-- or a claim that is not renewed lapses at its expiry (seconds since 1970, the database's own clock), and
-- another worker takes it over. `epoch` counts the takeovers of a lease: a poll commits only while its
-- worker still holds the epoch it was started under. A single process (SQLite) leaves these empty.
CREATE TABLE leases (
    platform   TEXT NOT NULL,
    handle     TEXT NOT NULL,
    holder     TEXT,                   -- the worker holding it; NULL: free
    expires_at REAL,                   -- when it lapses unless renewed
    epoch      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, handle)
);
CREATE INDEX leases_holder ON leases (holder);

-- The workers alive, each seen until its last heartbeat's expiry: a fair share is the accounts divided
-- by them (a worker that holds nothing yet counts too, so the others give it its share).
CREATE TABLE workers (
    name       TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);

ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until REAL;

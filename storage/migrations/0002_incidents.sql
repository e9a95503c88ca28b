-- The incident library: seeded from fixtures/incidents/library.jsonl at start-up (source 'library'),
-- and grown by moderator-confirmed alerts (source 'confirmed', with the alert and a link to it).
CREATE TABLE incidents (
    id         TEXT PRIMARY KEY,
    source     TEXT NOT NULL CHECK (source IN ('library', 'confirmed')),
    date       TEXT NOT NULL,
    platform   TEXT NOT NULL,
    account    TEXT,
    country    TEXT,
    role       TEXT,
    kinds      TEXT NOT NULL,          -- JSON list of activity kinds
    outcome    TEXT NOT NULL,
    record     TEXT NOT NULL,          -- the incident in the library format (docs/incidents.md)
    alert_id   TEXT UNIQUE,            -- confirmed incidents only
    alert_link TEXT,
    added_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX incidents_account ON incidents (platform, account);

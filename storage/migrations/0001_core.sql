-- Activities are stored once, keyed on platform + id, with the raw payload.
CREATE TABLE activities (
    platform   TEXT NOT NULL,
    id         TEXT NOT NULL,
    account    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    at         TEXT NOT NULL,
    record     TEXT NOT NULL,          -- normalized activity as JSON, without raw
    raw        TEXT,                   -- the original payload as JSON
    stored_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (platform, id)
) WITHOUT ROWID;
CREATE INDEX activities_account_at ON activities (platform, account, at);

-- Malformed records are kept aside with where they came from and why they were refused.
CREATE TABLE rejects (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    source     TEXT NOT NULL,          -- file path or feed name
    line       INTEGER,                -- 1-based line (or array index for JSON arrays)
    reason     TEXT NOT NULL,
    record     TEXT NOT NULL,          -- the offending text, as read
    kept_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (source, line, record)
);

-- The watch list: who we watch, who runs it, and where its alerts go.
CREATE TABLE watched (
    platform     TEXT NOT NULL,
    handle       TEXT NOT NULL,
    channel_id   INTEGER,
    owner        TEXT,
    role         TEXT,
    country      TEXT,
    host_country TEXT,
    affiliation  TEXT,
    muted_until  TEXT,
    added_by     TEXT,
    added_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (platform, handle)
);

-- Per-account behavioural profile, serialized by bot.profile.
CREATE TABLE baselines (
    platform   TEXT NOT NULL,
    account    TEXT NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (platform, account)
);

CREATE TABLE alerts (
    id          TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL,
    platform    TEXT NOT NULL,
    account     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          TEXT NOT NULL,
    score       REAL NOT NULL,
    severity    TEXT NOT NULL,
    body        TEXT NOT NULL,         -- the full alert as JSON
    verdict     TEXT,                  -- confirmed | false_alarm
    verdict_by  TEXT,
    verdict_at  TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX alerts_account ON alerts (platform, account, at);

-- Alerts wait here until a delivery loop has sent them; message_id proves delivery.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id        TEXT NOT NULL REFERENCES alerts (id),
    destination     TEXT NOT NULL,     -- 'terminal', 'discord:<channel id>', ...
    state           TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | paused
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    message_id      TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    sent_at         TEXT,
    UNIQUE (alert_id, destination)
);
CREATE INDEX outbox_pending ON outbox (state, seq);

-- Where each feed left off, and its health.
CREATE TABLE cursors (
    platform      TEXT NOT NULL,
    handle        TEXT NOT NULL,
    cursor        TEXT,
    etag          TEXT,
    last_modified TEXT,
    last_poll_at  TEXT,
    last_ok_at    TEXT,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    paused_until  TEXT,
    PRIMARY KEY (platform, handle)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

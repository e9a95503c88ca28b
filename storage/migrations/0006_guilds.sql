-- Every setting belongs to one scope: a Discord server (its guild id), or 0, the headless scope of the
-- command line (`diplowatch watch ...`, alerts printed by `watch run`). Two servers may watch the same
-- account: one row each, with their own channel, mute and webhook; the account is polled once.
-- Rows from before this migration belong to the server that set the alerts channel. SQL cannot tell
-- which server that is, so they get the scope -1 here and the bot moves them to that channel's server
-- when it next starts (cogs/bot.py, adopt_legacy_rows). A database the bot never used stays headless (0).
CREATE TABLE watched_by_guild (
    guild_id     INTEGER NOT NULL DEFAULT 0,
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
    webhook_url  TEXT,
    PRIMARY KEY (guild_id, platform, handle)
);
INSERT INTO watched_by_guild (guild_id, platform, handle, channel_id, owner, role, country, host_country,
                              affiliation, muted_until, added_by, added_at, webhook_url)
SELECT CASE WHEN EXISTS (SELECT 1 FROM settings WHERE key LIKE 'discord.%') THEN -1 ELSE 0 END,
       platform, handle, channel_id, owner, role, country, host_country, affiliation, muted_until, added_by,
       added_at, webhook_url
FROM watched;
DROP TABLE watched;
ALTER TABLE watched_by_guild RENAME TO watched;
CREATE INDEX watched_account ON watched (platform, handle);

-- Each server's alerts channel and threshold (they were global settings).
CREATE TABLE guild_settings (
    guild_id         INTEGER PRIMARY KEY,
    alert_channel_id INTEGER,
    min_severity     TEXT NOT NULL DEFAULT 'low'
);
INSERT INTO guild_settings (guild_id, alert_channel_id, min_severity)
SELECT -1, (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'discord.alert_channel_id'),
       COALESCE((SELECT value FROM settings WHERE key = 'discord.min_severity'), 'low')
WHERE EXISTS (SELECT 1 FROM settings WHERE key IN ('discord.alert_channel_id', 'discord.min_severity'));
DELETE FROM settings WHERE key IN ('discord.alert_channel_id', 'discord.min_severity');

-- Which scope an outbox row was queued for (its channel's server; 0 headless; NULL before 0006).
ALTER TABLE outbox ADD COLUMN guild_id INTEGER;
UPDATE outbox SET guild_id = CASE WHEN destination LIKE 'discord:%' THEN -1 ELSE 0 END;

-- A moderator's verdict on an alert belongs to their server: each server that received an alert decides
-- for itself. alerts.verdict is kept for alerts raised before 0006 and for the headless scope.
CREATE TABLE verdicts (
    alert_id   TEXT NOT NULL REFERENCES alerts (id),
    guild_id   INTEGER NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false_alarm')),
    verdict_by TEXT,
    verdict_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (alert_id, guild_id)
);
INSERT INTO verdicts (alert_id, guild_id, verdict, verdict_by, verdict_at)
SELECT id, -1, verdict, verdict_by, COALESCE(verdict_at, created_at) FROM alerts WHERE verdict IS NOT NULL;

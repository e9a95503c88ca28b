-- A moderator's verdict teaches the account's profile. With workers (docs/scaling.md) the profile lives in
-- the memory of the worker holding the account, not in the gateway process that takes the verdict: the
-- gateway records the verdict here, in the verdict's own transaction, and the holding worker applies it
-- at its next poll of the account, in that poll's transaction, with the baseline it changes. `seq` orders
-- them; `profile_verdicts_applied` keeps the last one applied to each account's stored baseline, so a
-- worker that takes an account over applies exactly those its baseline does not hold yet. A single
-- process (SQLite) teaches its own profiles at once and leaves these empty.
CREATE TABLE profile_verdicts (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    platform          TEXT NOT NULL,   -- the watched account (its lease)
    handle            TEXT NOT NULL,
    activity_platform TEXT NOT NULL,   -- the alerted activity, as stored in `activities`
    activity_id       TEXT NOT NULL,
    verdict           TEXT NOT NULL,   -- 'false_alarm' or 'confirmed'
    recorded_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX profile_verdicts_account ON profile_verdicts (platform, handle, seq);

CREATE TABLE profile_verdicts_applied (
    platform TEXT NOT NULL,
    handle   TEXT NOT NULL,
    seq      INTEGER NOT NULL,         -- the last profile_verdicts.seq this account's baseline holds
    PRIMARY KEY (platform, handle)
);

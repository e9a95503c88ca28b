-- Discord destinations that refused us (403 Missing Access, 404 Unknown Channel). Their alerts stay
-- pending in the outbox; delivery resumes when a moderator fixes the channel and runs /alerts resume.
CREATE TABLE destinations (
    destination TEXT PRIMARY KEY,      -- 'discord:<channel id>'
    paused_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    reason      TEXT NOT NULL
);

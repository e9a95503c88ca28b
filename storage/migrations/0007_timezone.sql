-- A watched account's time zone (IANA name, e.g. Asia/Shanghai): its usual hours are shown, and its
-- hour of day judged, in local time. NULL: unknown, shown in UTC.
ALTER TABLE watched ADD COLUMN tz TEXT;

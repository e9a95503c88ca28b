-- A watched account's alerts may also go to a Discord channel webhook (a secret URL: it stays in this
-- column; the outbox names the destination 'webhook:<webhook id>').
ALTER TABLE watched ADD COLUMN webhook_url TEXT;

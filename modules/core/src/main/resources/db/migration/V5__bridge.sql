-- The Redis bridge: idempotency keys of inbound messages. A key is written in the same transaction as the event
-- it lets through (or, for a transient message, before it goes out), so it is applied once, across failovers.
CREATE TABLE bridge_idempotency (
  key        TEXT PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX bridge_idempotency_created ON bridge_idempotency (created_at);

-- The transactional outbox: producers insert here inside the transaction that makes their change.
-- Rows carry no sequence number; only the relay assigns one, when it moves them into sb_events.
CREATE TABLE sb_outbox (
  id         BIGSERIAL PRIMARY KEY,
  event_id   UUID        NOT NULL DEFAULT gen_random_uuid(),
  channels   TEXT[]      NOT NULL,
  type       TEXT        NOT NULL,
  data       JSON        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- The durable, numbered event log. seq is contiguous and gap-free: it is the SSE event id.
-- JSON (not JSONB) keeps the producer's bytes and key order as they were.
CREATE TABLE sb_events (
  seq          BIGINT      PRIMARY KEY,
  event_id     UUID        NOT NULL,
  channels     TEXT[]      NOT NULL,
  type         TEXT        NOT NULL,
  data         JSON        NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  sequenced_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
-- Resuming a rare channel after hours must not scan every event since.
CREATE INDEX sb_events_channels ON sb_events USING GIN (channels);
-- sequenced_at grows with seq: a BRIN index is tiny and enough for retention.
CREATE INDEX sb_events_sequenced_at ON sb_events USING BRIN (sequenced_at);

-- last_seq: the highest number ever assigned (kept apart from sb_events so retention can empty the log without
-- the sequence restarting). purged_through: every seq up to it has been removed by retention.
CREATE TABLE sb_log_state (
  id             INT    PRIMARY KEY CHECK (id = 1),
  last_seq       BIGINT NOT NULL,
  purged_through BIGINT NOT NULL
);
INSERT INTO sb_log_state (id, last_seq, purged_through) VALUES (1, 0, 0);

-- Wake the relay when something is committed to the outbox (delivered on commit, collapsed per transaction).
CREATE FUNCTION sb_outbox_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('sb_outbox', '');
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER sb_outbox_notify AFTER INSERT ON sb_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION sb_outbox_notify();

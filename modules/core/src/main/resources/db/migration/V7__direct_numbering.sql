-- Raw publishes are numbered straight into sb_events by the relay leader, in the statement that numbers the outbox
-- (one commit per batch instead of an outbox insert, a move and two commits per event). A publisher whose direct
-- request failed cannot know whether the leader committed it, so it writes the event to the outbox with the same
-- event_id and maybe_numbered set; the relay drops such a row when the event is already in the log. The index
-- makes that check, and the uniqueness of event ids in the log, cheap and certain.
ALTER TABLE sb_outbox ADD COLUMN maybe_numbered BOOLEAN NOT NULL DEFAULT false;
CREATE UNIQUE INDEX sb_events_event_id ON sb_events (event_id);

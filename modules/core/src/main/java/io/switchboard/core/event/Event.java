package io.switchboard.core.event;

import java.util.List;

/**
 * A durable event after the relay has numbered it. {@code seq} is the contiguous global sequence number and the
 * SSE event id; {@code eventId} is the UUID the producer got back when it
 * published (for correlation); {@code data} is the event's JSON exactly as stored (one line, never re-encoded on the way out).
 */
public record Event(long seq, String eventId, List<String> channels, String type, String data, long timestampMillis) {}

package io.switchboard.gateway.feed;

import java.util.List;

/**
 * How to bring a (re)connecting client up to the node's head: {@code fromMemory} holds the missed events when the
 * ring covers them, otherwise it is null and they are read from PostgreSQL. {@code expired}: the resume point is
 * older than retention (or ahead of anything ever numbered), so the client must reload its state.
 */
public record ResumePlan(long head, long purgedThrough, List<EncodedEvent> fromMemory, boolean expired) {}

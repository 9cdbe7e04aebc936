package io.switchboard.core.log;

/** {@code lastSeq}: highest number assigned; {@code purgedThrough}: every seq up to it was removed by retention. */
public record LogState(long lastSeq, long purgedThrough) {}

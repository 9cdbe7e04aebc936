package io.switchboard.core.dialect;

/** One event as a family shows it: the SSE event name and the {@code data:} JSON (one line). */
public record Frame(String name, String json) {}

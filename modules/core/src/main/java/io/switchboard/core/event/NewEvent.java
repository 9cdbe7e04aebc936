package io.switchboard.core.event;

import java.util.List;

/** An event as a producer hands it to the outbox: not numbered yet. {@code data} is JSON text. */
public record NewEvent(List<String> channels, String type, String data) {}

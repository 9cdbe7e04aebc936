package io.switchboard.core.log;

import io.switchboard.core.event.NewEvent;
import io.vertx.core.Future;

/** Makes an event that stands alone (a raw publish) durable; the future completes with its id once it is. */
@FunctionalInterface
public interface EventAppender {

  Future<String> append(NewEvent event);
}

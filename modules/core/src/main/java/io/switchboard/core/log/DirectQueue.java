package io.switchboard.core.log;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay leader's queue of direct publishes (batches of {@link DirectEvent}s from the nodes' publishers), taken
 * into its numbering statements. On the relay's event loop only.
 *
 * <p>A batch that waited here past its publisher's timeout is refused rather than numbered: its publisher has
 * written it to the outbox by now, and that copy will be numbered (the relay's statement would refuse the second
 * copy anyway, by the unique event id, but only by failing every other event of its batch).
 */
final class DirectQueue {

  /** How a failed batch is answered: the publisher writes it to the outbox (the failure code is informational). */
  static final int NOT_NUMBERED = 503;

  private record Waiting(Message<JsonArray> message, long arrivedNanos) {}

  /** The messages of one statement and its parameters $2..$5. */
  record Taken(List<Message<JsonArray>> messages, String[] ids, String[] channels, String[] types, String[] data) {

    static final Taken NONE = new Taken(List.of(), new String[0], new String[0], new String[0], new String[0]);

    int size() {
      return ids.length;
    }

    void succeeded() {
      messages.forEach(m -> m.reply(null));
    }

    void failed(String why) {
      messages.forEach(m -> m.fail(NOT_NUMBERED, why));
    }
  }

  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final long maxWaitNanos;

  DirectQueue(long maxWaitMillis) {
    this.maxWaitNanos = maxWaitMillis * 1_000_000L;
  }

  void add(Message<JsonArray> message) {
    waiting.add(new Waiting(message, System.nanoTime()));
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Whole messages, at least one when any waits, until {@code maxEvents} would be passed. */
  Taken take(int maxEvents) {
    if (waiting.isEmpty()) {
      return Taken.NONE;
    }
    long now = System.nanoTime();
    List<Message<JsonArray>> messages = new ArrayList<>();
    List<JsonArray> rows = new ArrayList<>();
    while (!waiting.isEmpty()) {
      Waiting w = waiting.peek();
      if (now - w.arrivedNanos > maxWaitNanos) {
        waiting.poll();
        w.message.fail(NOT_NUMBERED, "waited too long at the relay");
        continue;
      }
      if (!messages.isEmpty() && rows.size() + w.message.body().size() > maxEvents) {
        break;
      }
      waiting.poll();
      messages.add(w.message);
      w.message.body().forEach(row -> rows.add((JsonArray) row));
    }
    int n = rows.size();
    String[] ids = new String[n];
    String[] channels = new String[n];
    String[] types = new String[n];
    String[] data = new String[n];
    for (int i = 0; i < n; i++) {
      JsonArray row = rows.get(i);
      ids[i] = DirectEvent.id(row);
      channels[i] = DirectEvent.channelsJson(row);
      types[i] = DirectEvent.type(row);
      data[i] = DirectEvent.data(row);
    }
    return new Taken(messages, ids, channels, types, data);
  }

  /** Leadership ended: nothing waiting will be numbered here. */
  void failAll(String why) {
    while (!waiting.isEmpty()) {
      waiting.poll().message.fail(NOT_NUMBERED, why);
    }
  }
}

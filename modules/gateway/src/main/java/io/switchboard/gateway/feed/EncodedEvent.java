package io.switchboard.gateway.feed;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A numbered event with its SSE frames encoded once per node: the same buffers are written to every subscriber.
 * {@code frame} has no {@code event:} line (so {@code onmessage} sees it); {@code namedFrame} has one, for clients
 * that use {@code addEventListener(type)}.
 */
public record EncodedEvent(long seq, List<String> channels, Buffer frame, Buffer namedFrame) {

  public Buffer frame(boolean named) {
    return named ? namedFrame : frame;
  }
}

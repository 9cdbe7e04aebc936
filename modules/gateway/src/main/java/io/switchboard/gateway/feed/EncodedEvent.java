package io.switchboard.gateway.feed;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * A numbered event with its SSE frames encoded once per node, already as HTTP chunks: the same buffers are
 * written to every subscriber. {@code chunk} has no {@code event:} line (so {@code onmessage} sees it);
 * {@code namedChunk} has one, for clients that use {@code addEventListener(type)}.
 */
public record EncodedEvent(long seq, List<String> channels, ByteBuf chunk, ByteBuf namedChunk) {

  public ByteBuf chunk(boolean named) {
    return named ? namedChunk : chunk;
  }
}

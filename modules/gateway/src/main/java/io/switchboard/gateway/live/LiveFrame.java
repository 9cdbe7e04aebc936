package io.switchboard.gateway.live;

import io.switchboard.core.dialect.Naming;
import io.switchboard.gateway.feed.FrameEncoder;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * One live frame (a driver's position, a fleet update): its JSON is built once, its chunk encoded at most once
 * per naming however many connections on however many event loops write it. Live frames carry no {@code id:}, so
 * they never move a client's Last-Event-ID: resume stays exact for the durable events on the same stream.
 */
public final class LiveFrame {

  private final String name;
  private final String json;
  private final AtomicReferenceArray<ByteBuffer> chunks = new AtomicReferenceArray<>(Naming.values().length);
  private final AtomicReferenceArray<Object> others = new AtomicReferenceArray<>(4);

  public LiveFrame(String name, String json) {
    this.name = name;
    this.json = json;
  }

  public ByteBuffer chunk(Naming naming) {
    ByteBuffer c = chunks.get(naming.ordinal());
    if (c == null) {
      c = FrameEncoder.chunk(FrameEncoder.frameText(-1, name, naming, json));
      if (!chunks.compareAndSet(naming.ordinal(), null, c)) {
        c = chunks.get(naming.ordinal());
      }
    }
    return c;
  }

  public String json() {
    return json;
  }

  public String name() {
    return name;
  }

  /** Another transport's encoding of this frame in its {@code slot} (0-3), made at most once. */
  @SuppressWarnings("unchecked")
  public <T> T encoded(int slot, Function<LiveFrame, T> encoder) {
    Object v = others.get(slot);
    if (v == null) {
      v = encoder.apply(this);
      if (!others.compareAndSet(slot, null, v)) {
        v = others.get(slot);
      }
    }
    return (T) v;
  }
}

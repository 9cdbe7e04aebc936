package io.switchboard.gateway.feed;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.event.Event;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A numbered event and its SSE frames, encoded at most once per node and format (family and naming), already as
 * HTTP chunks: the same buffer is written to every subscriber of that format. Frames are encoded on first use by
 * whichever event loop needs them; a race encodes twice and keeps the first, which is harmless.
 */
public final class EncodedEvent {

  private static final ByteBuffer NOT_SHOWN = FrameEncoder.chunk("");

  private final Event event;
  private final AtomicReferenceArray<ByteBuffer> chunks = new AtomicReferenceArray<>(Family.FORMATS);

  EncodedEvent(Event event) {
    this.event = event;
  }

  public long seq() {
    return event.seq();
  }

  public List<String> channels() {
    return event.channels();
  }

  public Event event() {
    return event;
  }

  /** The chunk for {@code format} ({@link Family#format}), or null when that family does not show this event. */
  public ByteBuffer chunk(int format) {
    ByteBuffer c = chunks.getAcquire(format);
    if (c == null) {
      ByteBuffer encoded = FrameEncoder.encode(event, format);
      c = chunks.compareAndExchangeRelease(format, null, encoded == null ? NOT_SHOWN : encoded);
      if (c == null) {
        c = encoded == null ? NOT_SHOWN : encoded;
      }
    }
    return c == NOT_SHOWN ? null : c;
  }
}

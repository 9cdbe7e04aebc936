package io.switchboard.gateway.feed;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.event.Event;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A numbered event and its SSE frames, encoded at most once per node and format (family and naming), already as
 * HTTP chunks: the same buffer is written to every subscriber of that format. Frames are encoded on first use by
 * whichever event loop needs them; a race encodes twice and keeps the first, which is harmless.
 */
public final class EncodedEvent {

  private static final ByteBuffer NOT_SHOWN = FrameEncoder.chunk("");

  private final Event event;
  /** Slots other transports keep their own encodings in ({@link #encoded}). */
  public static final int TRANSPORT_SLOTS = 32;

  private final AtomicReferenceArray<ByteBuffer> chunks = new AtomicReferenceArray<>(Family.FORMATS);
  private volatile AtomicReferenceArray<Object> others;

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

  /**
   * Another transport's encoding of this event in its {@code slot} (0 to {@link #TRANSPORT_SLOTS} - 1, each
   * transport owning its range), made by {@code encoder} at most once per node, like the SSE chunks; the encoder
   * returns {@code absent} when it shows nothing of the event, and that is cached too.
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(int slot, Function<Event, T> encoder, T absent) {
    AtomicReferenceArray<Object> slots = others;
    if (slots == null) {
      synchronized (this) {
        slots = others;
        if (slots == null) {
          others = slots = new AtomicReferenceArray<>(TRANSPORT_SLOTS);
        }
      }
    }
    Object v = slots.getAcquire(slot);
    if (v == null) {
      T made = encoder.apply(event);
      Object value = made == null ? absent : made;
      v = slots.compareAndExchangeRelease(slot, null, value);
      if (v == null) {
        v = value;
      }
    }
    return (T) v;
  }
}

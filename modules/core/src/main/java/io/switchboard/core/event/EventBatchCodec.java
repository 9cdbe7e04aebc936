package io.switchboard.core.event;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of a batch of numbered events for the clustered event bus. Binary rather than JSON because every
 * node decodes every batch; the data JSON is carried as opaque UTF-8 and never parsed on the way.
 */
public final class EventBatchCodec {

  private EventBatchCodec() {}

  public static Buffer encode(List<Event> events) {
    Buffer buf = Buffer.buffer(64 + events.size() * 128);
    buf.appendInt(events.size());
    for (Event e : events) {
      buf.appendLong(e.seq());
      buf.appendLong(e.timestampMillis());
      appendString(buf, e.eventId());
      appendString(buf, e.type());
      buf.appendInt(e.channels().size());
      for (String c : e.channels()) {
        appendString(buf, c);
      }
      appendString(buf, e.data());
    }
    return buf;
  }

  public static List<Event> decode(Buffer buf) {
    int[] pos = {0};
    int count = buf.getInt(0);
    pos[0] = 4;
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long seq = buf.getLong(pos[0]);
      long ts = buf.getLong(pos[0] + 8);
      pos[0] += 16;
      String eventId = readString(buf, pos);
      String type = readString(buf, pos);
      int nch = buf.getInt(pos[0]);
      pos[0] += 4;
      List<String> channels = new ArrayList<>(nch);
      for (int c = 0; c < nch; c++) {
        channels.add(readString(buf, pos));
      }
      String data = readString(buf, pos);
      events.add(new Event(seq, eventId, List.copyOf(channels), type, data, ts));
    }
    return events;
  }

  private static void appendString(Buffer buf, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buf.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buf, int[] pos) {
    int len = buf.getInt(pos[0]);
    String s = buf.getString(pos[0] + 4, pos[0] + 4 + len, "UTF-8");
    pos[0] += 4 + len;
    return s;
  }
}

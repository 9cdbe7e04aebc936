package io.switchboard.gateway.socketio.protocol;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of an HTTP long-polling request or response: Engine.IO packets separated by the record separator
 * ({@code \x1e}), binary ones as {@code b} + base64. A WebSocket frame carries one packet, decoded by
 * {@link #decodeOne}.
 */
public final class EnginePayload {

  public static final char SEPARATOR = '\u001e';

  private EnginePayload() {}

  /** The packets of a polling body; {@code maxPackets} bounds how many one request may carry. */
  public static List<EnginePacket> decode(String body, int maxPackets) throws BadPacket {
    if (body.isEmpty()) {
      throw new BadPacket("empty payload");
    }
    List<EnginePacket> packets = new ArrayList<>(4);
    int from = 0;
    while (from <= body.length()) {
      int end = body.indexOf(SEPARATOR, from);
      if (end < 0) {
        end = body.length();
      }
      if (packets.size() == maxPackets) {
        throw new BadPacket("too many packets in one payload (at most " + maxPackets + ")");
      }
      packets.add(decodeText(body.substring(from, end), true));
      from = end + 1;
    }
    return packets;
  }

  /** One packet of a WebSocket text frame. */
  public static EnginePacket decodeOne(String frame) throws BadPacket {
    return decodeText(frame, false);
  }

  /** One packet of a WebSocket binary frame: a binary message. */
  public static EnginePacket decodeOne(byte[] frame) {
    return new EnginePacket(EngineType.MESSAGE, "", frame);
  }

  private static EnginePacket decodeText(String text, boolean polling) throws BadPacket {
    if (text.isEmpty()) {
      throw new BadPacket("empty packet");
    }
    char first = text.charAt(0);
    if (first == 'b' && polling) {
      try {
        return new EnginePacket(EngineType.MESSAGE, "", Base64.getDecoder().decode(text.substring(1)));
      } catch (IllegalArgumentException e) {
        throw new BadPacket("invalid base64 in a binary packet");
      }
    }
    EngineType type = EngineType.of(first);
    if (type == null) {
      throw new BadPacket("unknown packet type '" + printable(first) + "'");
    }
    return new EnginePacket(type, text.substring(1), null);
  }

  /** A polling body holding {@code packets}, in order. */
  public static String encode(List<EnginePacket> packets) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < packets.size(); i++) {
      if (i > 0) {
        sb.append(SEPARATOR);
      }
      EnginePacket p = packets.get(i);
      if (p.isBinary()) {
        sb.append('b').append(Base64.getEncoder().encodeToString(p.binary()));
      } else {
        sb.append(p.type().digit()).append(p.data());
      }
    }
    return sb.toString();
  }

  static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}

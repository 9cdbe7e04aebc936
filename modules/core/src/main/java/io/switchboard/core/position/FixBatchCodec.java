package io.switchboard.core.position;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of a batch of live fixes for the clustered event bus: every node decodes every batch, tens of
 * thousands of fixes a second, so no JSON on the way.
 */
public final class FixBatchCodec {

  private FixBatchCodec() {}

  public static Buffer encode(List<Fix> fixes) {
    Buffer buf = Buffer.buffer(16 + fixes.size() * 96);
    buf.appendInt(fixes.size());
    for (Fix f : fixes) {
      appendString(buf, f.driverId());
      appendString(buf, f.tenant());
      buf.appendLong(f.fixedAtMillis()).appendLong(f.receivedAtMillis())
          .appendDouble(f.lat()).appendDouble(f.lon()).appendDouble(f.heading()).appendDouble(f.speedKmh())
          .appendDouble(f.accuracyM()).appendDouble(f.altitudeM()).appendDouble(f.battery())
          .appendByte((byte) (f.live() ? 1 : 0));
    }
    return buf;
  }

  public static List<Fix> decode(Buffer buf) {
    int count = buf.getInt(0);
    int[] pos = {4};
    List<Fix> fixes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String driver = readString(buf, pos);
      String tenant = readString(buf, pos);
      int p = pos[0];
      fixes.add(new Fix(driver, tenant, buf.getLong(p), buf.getLong(p + 8), buf.getDouble(p + 16),
          buf.getDouble(p + 24), buf.getDouble(p + 32), buf.getDouble(p + 40), buf.getDouble(p + 48),
          buf.getDouble(p + 56), buf.getDouble(p + 64), buf.getByte(p + 72) == 1));
      pos[0] = p + 73;
    }
    return fixes;
  }

  private static void appendString(Buffer buf, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buf.appendShort((short) bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buf, int[] pos) {
    int len = buf.getShort(pos[0]) & 0xffff;
    String s = buf.getString(pos[0] + 2, pos[0] + 2 + len, "UTF-8");
    pos[0] += 2 + len;
    return s;
  }
}

package io.switchboard.loadgen;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Finds {@code "t":<micros>} (or {@code "t=<micros>}, a time carried in a string field) in an SSE byte stream without decoding frames, so the load client spends as little
 * CPU as possible per delivery. Keeps the unfinished tail of a chunk for the next one.
 */
final class FrameScanner {

  private static final byte[] KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);

  private byte[] carry = new byte[0];
  private final LongConsumer onTimestamp;

  FrameScanner(LongConsumer onTimestamp) {
    this.onTimestamp = onTimestamp;
  }

  void feed(Buffer chunk) {
    byte[] data;
    if (carry.length == 0) {
      data = chunk.getBytes();
    } else {
      byte[] bytes = chunk.getBytes();
      data = new byte[carry.length + bytes.length];
      System.arraycopy(carry, 0, data, 0, carry.length);
      System.arraycopy(bytes, 0, data, carry.length, bytes.length);
    }
    int lastNewline = -1;
    for (int i = data.length - 1; i >= 0; i--) {
      if (data[i] == '\n') {
        lastNewline = i;
        break;
      }
    }
    int end = lastNewline + 1;
    int i = 0;
    while (i <= end - KEY.length) {
      boolean key = data[i] == '"' && data[i + 1] == 't' && data[i + 2] == '"' && data[i + 3] == ':';
      boolean inString = data[i] == '"' && data[i + 1] == 't' && data[i + 2] == '=';
      if (key || inString) {
        int j = i + (key ? 4 : 3);
        long v = 0;
        while (j < end && data[j] >= '0' && data[j] <= '9') {
          v = v * 10 + (data[j] - '0');
          j++;
        }
        onTimestamp.accept(v);
        i = j;
      } else {
        i++;
      }
    }
    int rest = data.length - end;
    carry = rest == 0 ? new byte[0] : java.util.Arrays.copyOfRange(data, end, data.length);
  }
}

package io.switchboard.core.event;

/**
 * Channel names look like {@code order:123}, {@code run:9}, {@code tenant:acme:orders}: segments of letters,
 * digits and {@code _-.@} joined by colons. Names travel in URLs, SQL arrays and SSE frames, so anything else is
 * refused at the edge.
 */
public final class Channels {

  public static final int MAX_LENGTH = 200;
  public static final int MAX_TYPE_LENGTH = 100;

  private Channels() {}

  // Checked on every publish and every subscription: a character loop, where a regex cost a few percent of a
  // publish's CPU (docs/benchmarks.md).
  public static boolean isValid(String channel) {
    if (channel == null || channel.isEmpty() || channel.length() > MAX_LENGTH) {
      return false;
    }
    boolean segmentEmpty = true;
    for (int i = 0; i < channel.length(); i++) {
      char c = channel.charAt(i);
      if (c == ':') {
        if (segmentEmpty) {
          return false;
        }
        segmentEmpty = true;
      } else if (isNameChar(c) || c == '@') {
        segmentEmpty = false;
      } else {
        return false;
      }
    }
    return !segmentEmpty;
  }

  /** Event types go on the SSE {@code event:} line, so they must never contain a line break. */
  public static boolean isValidType(String type) {
    if (type == null || type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
      return false;
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (!isNameChar(c) && c != ':') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-' || c == '.';
  }
}

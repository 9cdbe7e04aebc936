package io.switchboard.core.event;

import java.util.regex.Pattern;

/**
 * Channel names look like {@code order:123}, {@code run:9}, {@code tenant:acme:orders}: segments of letters,
 * digits and {@code _-.@} joined by colons. Names travel in URLs, SQL arrays and SSE frames, so anything else is
 * refused at the edge.
 */
public final class Channels {

  public static final int MAX_LENGTH = 200;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-.@]+(:[A-Za-z0-9_\\-.@]+)*");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_\\-.:]{1,100}");

  private Channels() {}

  public static boolean isValid(String channel) {
    return channel != null && channel.length() <= MAX_LENGTH && NAME.matcher(channel).matches();
  }

  /** Event types go on the SSE {@code event:} line, so they must never contain a line break. */
  public static boolean isValidType(String type) {
    return type != null && TYPE.matcher(type).matches();
  }
}

package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.event.Channels;
import io.switchboard.core.http.ApiError;

import java.util.regex.Pattern;

/**
 * Room names to channels. The seeds' names first: {@code shop_{shopId}} is that shop's dashboard
 * ({@code shop:{id}}, emitted as {@code dashboard_update}), {@code order-{orderId}} that order
 * ({@code order:{id}}, emitted as {@code orderStatusUpdate}); any other name must be a channel name, emitted with
 * the event's type as its name and the generic stream's JSON as its payload. Which rooms a socket may join is the
 * channels' rule, the same as for SSE.
 */
public final class RoomNames {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-.@]{1,100}");
  private static final int MAX_NAME = 200;

  private RoomNames() {}

  /** The room {@code name} stands for; a 400 {@link ApiError} when it is no room of ours. */
  public static Room of(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
      throw ApiError.badRequest("a room name is 1-" + MAX_NAME + " characters");
    }
    if (name.startsWith("shop_") && ID.matcher(name.substring(5)).matches()) {
      return new Room(name, "shop:" + name.substring(5), Family.DASHBOARD);
    }
    if (name.startsWith("order-") && ID.matcher(name.substring(6)).matches()) {
      return new Room(name, "order:" + name.substring(6), Family.MEAL);
    }
    if (Channels.isValid(name)) {
      return new Room(name, name, Family.CORE);
    }
    throw ApiError.badRequest("unknown room '" + abbreviate(name)
        + "': use shop_{shopId}, order-{orderId} or a channel name such as run:{runId}");
  }

  /** A customer's own notifications on {@code /notifications}: not a room they join, so it has no client name. */
  public static Room notificationsOf(String customer) {
    return new Room("user:" + customer + "#notifications", "user:" + customer, Family.NOTIFICATION);
  }

  private static String abbreviate(String s) {
    String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    StringBuilder sb = new StringBuilder(shown.length());
    for (char c : shown.toCharArray()) {
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return sb.toString();
  }
}

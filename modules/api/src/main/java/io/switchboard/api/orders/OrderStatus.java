package io.switchboard.api.orders;

import io.switchboard.core.http.ApiError;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order status machine: pending → confirmed → preparing → ready → shipped (parcel) or in_progress (own
 * driver) → delivered; cancelled from anywhere before it leaves. Anything else is a 409.
 */
public enum OrderStatus {
  PENDING, CONFIRMED, PREPARING, READY, SHIPPED, IN_PROGRESS, DELIVERED, CANCELLED;

  public static final Set<String> NAMES =
      Arrays.stream(values()).map(OrderStatus::wire).collect(Collectors.toUnmodifiableSet());

  public String wire() {
    return name().toLowerCase();
  }

  public static OrderStatus of(String wire) {
    return valueOf(wire.toUpperCase());
  }

  public boolean canBecome(OrderStatus next) {
    return switch (this) {
      case PENDING -> next == CONFIRMED || next == CANCELLED;
      case CONFIRMED -> next == PREPARING || next == CANCELLED;
      case PREPARING -> next == READY || next == CANCELLED;
      case READY -> next == SHIPPED || next == IN_PROGRESS || next == CANCELLED;
      case SHIPPED, IN_PROGRESS -> next == DELIVERED;
      case DELIVERED, CANCELLED -> false;
    };
  }

  /** The statuses this one may follow. */
  public String[] predecessors() {
    return Arrays.stream(values()).filter(s -> s.canBecome(this)).map(OrderStatus::wire).toArray(String[]::new);
  }

  public void checkCanBecome(OrderStatus next) {
    if (!canBecome(next)) {
      throw new ApiError(409, "illegal_transition", "an order cannot go from " + wire() + " to " + next.wire());
    }
  }
}

package io.switchboard.gateway.access;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.event.Event;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.feed.EventView;
import io.switchboard.gateway.feed.FrameEncoder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A customer following a delivery run sees the run's progress and their own stop, not the other stops: those are
 * other customers' addresses and coordinates. Run events carry the whole run ({@code {"run": {.., "stops": [..]}}},
 * docs/events.md); this view drops every stop that is not one of the customer's orders, for live events and
 * replays alike. An event whose shape it cannot read is not shown at all: privacy first.
 */
public final class CustomerRunView implements EventView {

  private final Set<String> ownOrders;
  private EncodedEvent lastIn;   // the same event arrives once per channel it is on
  private EncodedEvent lastOut;

  /**
   * The view for a subscriber: a customer with {@code run:{id}} channels gets one over their orders on those runs;
   * everyone else sees events as everyone does.
   */
  public static Future<EventView> of(ChannelAccess access, Principal p, List<String> channels) {
    if (p == null || !p.is(Principal.CUSTOMER)) {
      return Future.succeededFuture(EventView.SHARED);
    }
    List<Future<Set<String>>> own = new ArrayList<>();
    for (String c : channels) {
      if (c.startsWith("run:")) {
        String rest = c.substring(4);
        own.add(access.customerOrdersOnRun(rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest,
            p.subject()));
      }
    }
    if (own.isEmpty()) {
      return Future.succeededFuture(EventView.SHARED);
    }
    return Future.all(own).map(all -> {
      Set<String> orders = new HashSet<>();
      own.forEach(f -> orders.addAll(f.result()));
      return new CustomerRunView(orders);
    });
  }

  public CustomerRunView(Set<String> ownOrders) {
    this.ownOrders = Set.copyOf(ownOrders);
  }

  @Override
  public EncodedEvent apply(EncodedEvent e) {
    if (!e.event().type().startsWith("run.")) {
      return e;
    }
    if (e == lastIn) {
      return lastOut;
    }
    lastIn = e;
    lastOut = redact(e.event());
    return lastOut;
  }

  private EncodedEvent redact(Event e) {
    try {
      JsonObject data = new JsonObject(e.data());
      JsonObject run = data.getJsonObject("run");
      if (run == null) {
        return null;
      }
      JsonArray own = new JsonArray();
      for (Object stop : run.getJsonArray("stops", new JsonArray())) {
        if (stop instanceof JsonObject s && ownOrders.contains(s.getString("orderId"))) {
          own.add(s);
        }
      }
      run.put("stops", own);
      return FrameEncoder.encode(new Event(e.seq(), e.eventId(), e.channels(), e.type(), data.encode(),
          e.timestampMillis()));
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}

package io.switchboard.api.tenant;

import io.switchboard.api.http.Access;
import io.switchboard.api.http.ChangeRunner;
import io.switchboard.api.http.JsonBody;
import io.switchboard.api.http.Reply;
import io.switchboard.api.orders.OrderBook;
import io.switchboard.api.orders.OrderEditEndpoint;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Frame;
import io.switchboard.core.event.Event;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.log.EventLogReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The florist seed's tenant-scoped order endpoints: the edit ({@code PUT}) that answers with its real-time
 * metadata, and the polling fallback, which reads the same event log the SSE stream serves, so a page that
 * polls sees exactly what a streaming page sees.
 */
public final class TenantOrdersApi implements RouteContributor {

  private static final int PAGE = 500;

  private final ChangeRunner runner;
  private final OrderEditEndpoint edits;
  private final EventLogReader reader;
  private final int maxBodyBytes;

  public TenantOrdersApi(ChangeRunner runner, OrderBook book, Pool pool, int maxBodyBytes) {
    this.runner = runner;
    this.edits = new OrderEditEndpoint(runner, book);
    this.reader = new EventLogReader(pool);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/tenants/:tenantId/orders/realtime-status").handler(this::status);
    router.put("/api/tenants/:tenantId/orders/:orderId").handler(BoundedBody.limitedTo(maxBodyBytes))
        .handler(this::update);
  }

  private void update(RoutingContext ctx) {
    String tenantId;
    try {
      tenantId = JsonBody.checkId("tenantId", ctx.pathParam("tenantId"));
    } catch (ApiError e) {
      JsonErrors.send(ctx, e);
      return;
    }
    edits.handle(ctx, ctx.pathParam("orderId"), tenantId, snapshot -> {
      JsonObject order = snapshot.parse();
      return new Reply(200, new JsonObject()
          .put("order", order)
          .put("realtime", new JsonObject()
              .put("type", "order_updated")
              .put("orderId", order.getString("id"))
              .put("timestamp", order.getString("updatedAt"))
              .put("updatedBy", order.getString("updatedBy"))),
          snapshot.version());
    });
  }

  /**
   * {@code ?since=<cursor>}: the cursor of the previous answer (an event id), or an ISO-8601 time. Without it,
   * only the current cursor is returned, to start from.
   */
  private void status(RoutingContext ctx) {
    runner.read(ctx, (pool, principal) -> {
      String tenantId = JsonBody.checkId("tenantId", ctx.pathParam("tenantId"));
      Access.staff(principal);
      Access.tenant(principal, tenantId);
      List<String> channels = List.of("tenant:" + tenantId + ":orders");
      String since = ctx.request().getParam("since");
      return reader.state().compose(state -> {
        Future<List<Event>> events;
        if (since == null || since.isBlank()) {
          events = Future.succeededFuture(List.of());
        } else if (since.chars().allMatch(Character::isDigit)) {
          long after = parseCursor(since);
          if (after < state.purgedThrough()) {
            return Future.succeededFuture(Reply.ok(new JsonObject().put("reset", true)
                .put("updates", new JsonArray()).put("orders", new JsonArray())
                .put("cursor", String.valueOf(state.lastSeq())).put("hasMore", false)));
          }
          events = reader.range(after, Long.MAX_VALUE, channels, PAGE);
        } else {
          events = reader.after(parseTime(since), channels, PAGE);
        }
        return events.compose(list -> answer(pool, list, state.lastSeq()));
      });
    });
  }

  private Future<Reply> answer(Pool pool, List<Event> events, long head) {
    JsonArray updates = new JsonArray();
    Set<String> changed = new LinkedHashSet<>();
    for (Event e : events) {
      Frame f = Family.TENANT.render(e);
      if (f != null) {
        JsonObject update = new JsonObject(f.json()).put("id", e.seq());
        updates.add(update);
        changed.add(update.getString("orderId"));
      }
    }
    long cursor = events.isEmpty() ? head : events.get(events.size() - 1).seq();
    boolean hasMore = events.size() == PAGE;
    return pool.preparedQuery("SELECT order_json(id)::text FROM orders WHERE id = ANY($1) AND deleted_at IS NULL")
        .execute(io.vertx.sqlclient.Tuple.of(changed.toArray(String[]::new)))
        .map(rows -> {
          JsonArray orders = new JsonArray();
          rows.forEach(r -> orders.add(new JsonObject(r.getString(0))));
          return Reply.ok(new JsonObject().put("updates", updates).put("orders", orders)
              .put("cursor", String.valueOf(cursor)).put("hasMore", hasMore)
              .put("serverTime", Instant.now().toString()));
        });
  }

  private static long parseCursor(String since) {
    try {
      return Long.parseLong(since);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("since must be a cursor from a previous answer or an ISO-8601 time");
    }
  }

  private static OffsetDateTime parseTime(String since) {
    try {
      return OffsetDateTime.parse(since);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(since).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw ApiError.badRequest("since must be a cursor from a previous answer or an ISO-8601 time");
      }
    }
  }
}

package io.switchboard.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** An answer: status, JSON body (as text) and, for versioned resources, the version sent as the ETag. */
public record Reply(int status, String body, Integer version) {

  public Reply(int status, JsonObject body, Integer version) {
    this(status, body.encode(), version);
  }

  public static Reply ok(JsonObject body) {
    return new Reply(200, body, null);
  }

  public static Reply created(JsonObject body) {
    return new Reply(201, body, null);
  }

  public Reply withVersion(Integer version) {
    return new Reply(status, body, version);
  }

  public void send(RoutingContext ctx) {
    send(ctx, false);
  }

  public void send(RoutingContext ctx, boolean replayed) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
    if (version != null) {
      ctx.response().putHeader("ETag", "\"" + version + "\"");
    }
    if (replayed) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    ctx.response().end(body);
  }

  public JsonObject toStored() {
    JsonObject stored = new JsonObject().put("status", status).put("body", body);
    if (version != null) {
      stored.put("version", version);
    }
    return stored;
  }

  public static Reply fromStored(JsonObject stored) {
    return new Reply(stored.getInteger("status"), stored.getString("body"), stored.getInteger("version"));
  }
}

package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.auth.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A verified principal as JSON, for a socket handed over to another node of the cluster (which trusts its peers on
 * the event bus as it trusts their PostgreSQL writes). Null stands for an anonymous socket.
 */
final class PrincipalJson {

  private PrincipalJson() {}

  static JsonObject of(Principal p) {
    if (p == null) {
      return null;
    }
    return new JsonObject().put("sub", p.subject()).put("role", p.role()).put("tenant", p.tenant())
        .put("channels", new JsonArray(p.channels())).put("validUntil", p.validUntilMillis());
  }

  @SuppressWarnings("unchecked")
  static Principal from(JsonObject json) {
    if (json == null) {
      return null;
    }
    List<String> channels = json.getJsonArray("channels", new JsonArray()).getList();
    return new Principal(json.getString("sub"), json.getString("role"), json.getString("tenant"), channels,
        json.getLong("validUntil", 0L));
  }
}

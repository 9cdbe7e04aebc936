package io.switchboard.core.node;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@code /health/ready} while it is put together: named checks that all must pass for the node to be
 * ready, state that is only shown, and "degraded" (still ready, something optional is away, such as Redis for the
 * latest positions).
 */
public final class HealthReport {

  private final JsonObject checks = new JsonObject();
  private final JsonObject body = new JsonObject();
  private boolean degraded;

  /** A check that gates readiness. */
  public HealthReport check(String name, boolean passes) {
    checks.put(name, passes);
    return this;
  }

  /** State shown beside the checks. */
  public HealthReport put(String key, Object value) {
    body.put(key, value);
    return this;
  }

  /** A role's part, shown under {@code name}; its {@code status} "DEGRADED" leaves the node ready but degraded. */
  public HealthReport part(String name, JsonObject status, String statusField) {
    body.put(name, status);
    degraded |= "DEGRADED".equals(status.getString(statusField));
    return this;
  }

  public boolean ready() {
    return checks.stream().allMatch(e -> Boolean.TRUE.equals(e.getValue()));
  }

  /** {@code {status: UP|DEGRADED|DOWN, checks, ...state}}; a node that is not ready is DOWN. */
  public JsonObject toJson() {
    String status = !ready() ? "DOWN" : degraded ? "DEGRADED" : "UP";
    return new JsonObject().put("status", status).put("checks", checks.copy()).mergeIn(body.copy());
  }
}

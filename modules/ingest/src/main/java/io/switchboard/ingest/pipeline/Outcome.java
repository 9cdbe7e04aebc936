package io.switchboard.ingest.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * What became of one posted point: accepted (and whether it went live or only to history, being older than the
 * driver's newest), or rejected with a reason.
 */
public record Outcome(boolean accepted, boolean live, String reason, String message) {

  static final Outcome LIVE = new Outcome(true, true, null, null);
  static final Outcome HISTORY_ONLY = new Outcome(true, false, "out_of_order", null);

  static Outcome rejected(String reason, String message) {
    return new Outcome(false, false, reason, message);
  }

  public JsonObject toJson(int index) {
    JsonObject o = new JsonObject().put("index", index).put("accepted", accepted);
    if (accepted) {
      o.put("live", live);
    }
    if (reason != null) {
      o.put("reason", reason);
    }
    if (message != null) {
      o.put("message", message);
    }
    return o;
  }
}

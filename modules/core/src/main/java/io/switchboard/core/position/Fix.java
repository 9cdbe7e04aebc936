package io.switchboard.core.position;

import io.switchboard.core.event.IsoTimestamp;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One accepted GPS position of a driver, in canonical units: degrees, km/h, metres. Optional readings are NaN when
 * the device did not send them. {@code live} is false for a fix older than the driver's newest one: it belongs to
 * history but must never move a marker backwards.
 */
public record Fix(String driverId, String tenant, long fixedAtMillis, long receivedAtMillis, double lat, double lon,
                  double heading, double speedKmh, double accuracyM, double altitudeM, double battery, boolean live) {

  public Fix asHistoryOnly() {
    return new Fix(driverId, tenant, fixedAtMillis, receivedAtMillis, lat, lon, heading, speedKmh, accuracyM,
        altitudeM, battery, false);
  }

  /** The location object of the delivery seed's {@code driver_location} event, plus the optional readings. */
  public JsonObject locationJson() {
    JsonObject o = new JsonObject().put("latitude", lat).put("longitude", lon);
    putIfPresent(o, "heading", heading);
    putIfPresent(o, "speed", speedKmh);
    putIfPresent(o, "accuracy", accuracyM);
    putIfPresent(o, "altitude", altitudeM);
    putIfPresent(o, "battery", battery);
    return o;
  }

  /** A fleet entry: the driver, where, and when. */
  public JsonObject fleetJson() {
    return locationJson().put("driverId", driverId).put("timestamp", IsoTimestamp.of(fixedAtMillis));
  }

  /**
   * The same as {@link #fleetJson()}, written straight to text: the fleet stream's frames hold thousands of these
   * once a second, and the conflation tick must stay well inside its latency budget.
   */
  public void appendFleetJson(StringBuilder sb) {
    sb.append("{\"latitude\":").append(lat).append(",\"longitude\":").append(lon);
    appendIfPresent(sb, "heading", heading);
    appendIfPresent(sb, "speed", speedKmh);
    appendIfPresent(sb, "accuracy", accuracyM);
    appendIfPresent(sb, "altitude", altitudeM);
    appendIfPresent(sb, "battery", battery);
    sb.append(",\"driverId\":");
    JsonText.appendString(sb, driverId);
    sb.append(",\"timestamp\":\"").append(IsoTimestamp.of(fixedAtMillis)).append("\"}");
  }

  private static void appendIfPresent(StringBuilder sb, String key, double v) {
    if (!Double.isNaN(v)) {
      sb.append(",\"").append(key).append("\":").append(v);
    }
  }

  private static void putIfPresent(JsonObject o, String key, double v) {
    if (!Double.isNaN(v)) {
      o.put(key, v);
    }
  }

  /** Reads back what {@link #fleetJson()} wrote (the form kept in Redis). */
  public static Fix fromFleetJson(String tenant, JsonObject o) {
    return new Fix(o.getString("driverId"), tenant, Instant.parse(o.getString("timestamp")).toEpochMilli(), 0L,
        o.getDouble("latitude"), o.getDouble("longitude"), num(o, "heading"), num(o, "speed"), num(o, "accuracy"),
        num(o, "altitude"), num(o, "battery"), true);
  }

  private static double num(JsonObject o, String key) {
    Number n = o.getNumber(key);
    return n == null ? Double.NaN : n.doubleValue();
  }
}

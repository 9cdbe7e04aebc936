package io.switchboard.ingest.fix;

import io.vertx.core.json.JsonObject;

/**
 * The JSON API's position, as the delivery seed's driver app posts it: {@code {latitude, longitude, heading,
 * speed, accuracy, timestamp}}, speed in km/h, timestamp ISO-8601 or epoch. {@code lat}/{@code lon}/{@code lng}
 * are accepted too. A point that cannot be read becomes an invalid {@link RawFix}, so one bad point in a batch
 * does not sink the others.
 */
public final class LocationJson {

  private LocationJson() {}

  public static RawFix read(Object value) {
    if (!(value instanceof JsonObject o)) {
      return RawFix.invalid("a position must be a JSON object");
    }
    try {
      Double lat = number(o, "latitude", "lat");
      Double lon = number(o, "longitude", "lon", "lng");
      if (lat == null || lon == null) {
        return RawFix.invalid("latitude and longitude are required numbers");
      }
      Object ts = o.getValue("timestamp");
      long at;
      if (ts == null) {
        at = 0;
      } else if (ts instanceof Number n) {
        at = FixTime.fromNumber(n.doubleValue());
      } else if (ts instanceof String s) {
        at = FixTime.parse(s);
      } else {
        return RawFix.invalid("timestamp must be a string or a number");
      }
      return new RawFix(lat, lon, at, optional(o, "heading", "bearing"), optional(o, "speed"),
          optional(o, "accuracy"), optional(o, "altitude"), optional(o, "battery"), null);
    } catch (IllegalArgumentException | ClassCastException e) {
      return RawFix.invalid(e.getMessage() == null ? "unreadable position" : e.getMessage());
    }
  }

  private static Double number(JsonObject o, String... keys) {
    for (String k : keys) {
      Object v = o.getValue(k);
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      if (v != null) {
        throw new IllegalArgumentException(k + " must be a number");
      }
    }
    return null;
  }

  private static double optional(JsonObject o, String... keys) {
    Double v = number(o, keys);
    return v == null ? Double.NaN : v;
  }
}

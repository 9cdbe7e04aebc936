package io.switchboard.ingest.osmand;

import io.switchboard.ingest.fix.FixTime;
import io.switchboard.ingest.fix.RawFix;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The OsmAnd protocol as Traccar Client and many trackers speak it, in both forms Traccar accepts:
 * <ul>
 *   <li>query (GET, or POST with the parameters in the query or a form body): {@code id}/{@code deviceid},
 *   {@code lat}, {@code lon} (or {@code location=lat,lon}), {@code timestamp} (epoch s, epoch ms or ISO-8601),
 *   {@code speed} in knots, {@code bearing}/{@code heading}, {@code altitude}, {@code accuracy}, {@code batt},
 *   {@code valid};</li>
 *   <li>JSON (the background-geolocation plugin's body): {@code {"device_id", "location": {"timestamp",
 *   "coords": {latitude, longitude, speed (m/s), heading, accuracy, altitude}, "battery": {"level": 0..1}}}},
 *   where {@code location} may also be an array.</li>
 * </ul>
 */
public final class OsmAndDecoder {

  private static final double KNOTS_TO_KMH = 1.852;
  private static final double MS_TO_KMH = 3.6;

  /** A device key and its decoded points; {@code error} set (and no points) when the message is unreadable. */
  public record Message(String deviceKey, List<RawFix> points, String error) {
    static Message bad(String deviceKey, String error) {
      return new Message(deviceKey, List.of(), error);
    }
  }

  private OsmAndDecoder() {}

  public static Message decodeQuery(MultiMap params) {
    String device = first(params, "id", "deviceid");
    if (device == null || device.isBlank()) {
      return Message.bad(null, "id (or deviceid) is required");
    }
    try {
      double lat;
      double lon;
      String location = params.get("location");
      if (params.get("lat") != null || params.get("lon") != null) {
        lat = number(params.get("lat"), "lat");
        lon = number(params.get("lon"), "lon");
      } else if (location != null && location.contains(",")) {
        String[] parts = location.split(",", 2);
        lat = number(parts[0], "location");
        lon = number(parts[1], "location");
      } else {
        return Message.bad(device, "lat and lon (or location=lat,lon) are required");
      }
      if ("false".equalsIgnoreCase(params.get("valid"))) {
        return new Message(device, List.of(RawFix.invalid("the device marked the fix invalid (valid=false)")), null);
      }
      String ts = params.get("timestamp");
      long at = ts == null || ts.isBlank() ? 0 : FixTime.parse(ts);
      double speed = optional(params.get("speed"), "speed");
      String heading = first(params, "bearing", "heading");
      return new Message(device, List.of(new RawFix(lat, lon, at, optional(heading, "bearing"),
          Double.isNaN(speed) ? speed : speed * KNOTS_TO_KMH, optional(params.get("accuracy"), "accuracy"),
          optional(params.get("altitude"), "altitude"), optional(params.get("batt"), "batt"), null)), null);
    } catch (IllegalArgumentException e) {
      return Message.bad(device, e.getMessage());
    }
  }

  public static Message decodeJson(JsonObject body) {
    Object id = body.getValue("device_id");
    if (!(id instanceof String) && !(id instanceof Number)) {
      return Message.bad(null, "device_id is required");
    }
    String device = String.valueOf(id);
    Object location = body.getValue("location");
    List<RawFix> points = new ArrayList<>();
    if (location instanceof JsonObject o) {
      points.add(location(o));
    } else if (location instanceof JsonArray a && !a.isEmpty()) {
      for (Object each : a) {
        points.add(each instanceof JsonObject o ? location(o) : RawFix.invalid("a location must be an object"));
      }
    } else {
      return Message.bad(device, "location (an object, or an array of them) is required");
    }
    return new Message(device, points, null);
  }

  private static RawFix location(JsonObject loc) {
    try {
      JsonObject coords = loc.getJsonObject("coords");
      if (coords == null || !(coords.getValue("latitude") instanceof Number)
          || !(coords.getValue("longitude") instanceof Number)) {
        return RawFix.invalid("location.coords.latitude and longitude are required numbers");
      }
      Object ts = loc.getValue("timestamp");
      long at = ts instanceof Number n ? FixTime.fromNumber(n.doubleValue())
          : ts instanceof String s ? FixTime.parse(s) : 0;
      double speed = num(coords, "speed");
      JsonObject battery = loc.getValue("battery") instanceof JsonObject b ? b : null;
      double level = battery == null ? Double.NaN : num(battery, "level");
      return new RawFix(coords.getDouble("latitude"), coords.getDouble("longitude"), at, num(coords, "heading"),
          Double.isNaN(speed) || speed < 0 ? Double.NaN : speed * MS_TO_KMH, num(coords, "accuracy"),
          num(coords, "altitude"), Double.isNaN(level) || level < 0 ? Double.NaN : level * 100, null);
    } catch (IllegalArgumentException | ClassCastException e) {
      return RawFix.invalid(e.getMessage() == null ? "unreadable location" : e.getMessage());
    }
  }

  private static double num(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String first(MultiMap params, String... names) {
    for (String n : names) {
      String v = params.get(n);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static double number(String text, String name) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
  }

  private static double optional(String text, String name) {
    return text == null || text.isBlank() ? Double.NaN : number(text, name);
  }
}

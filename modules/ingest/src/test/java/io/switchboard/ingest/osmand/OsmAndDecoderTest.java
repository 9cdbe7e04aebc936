package io.switchboard.ingest.osmand;

import io.switchboard.ingest.fix.RawFix;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OsmAndDecoderTest {

  private static MultiMap query(String q) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (String pair : q.split("&")) {
      String[] kv = pair.split("=", 2);
      m.add(kv[0], kv[1]);
    }
    return m;
  }

  @Test
  void the_query_form_converts_knots_and_reads_epoch_seconds() {
    OsmAndDecoder.Message m = OsmAndDecoder.decodeQuery(query(
        "id=123456&timestamp=1700000000&lat=52.52&lon=13.405&speed=10&bearing=270&altitude=34.5&accuracy=12&batt=77"));
    assertThat(m.deviceKey()).isEqualTo("123456");
    RawFix f = m.points().getFirst();
    assertThat(f.fixedAtMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(f.speedKmh()).isCloseTo(18.52, within(1e-9));
    assertThat(f.heading()).isEqualTo(270);
    assertThat(f.altitudeM()).isEqualTo(34.5);
    assertThat(f.accuracyM()).isEqualTo(12);
    assertThat(f.battery()).isEqualTo(77);
  }

  @Test
  void timestamps_may_be_milliseconds_or_iso_with_or_without_an_offset() {
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1&lon=2&timestamp=1700000000123")).points().getFirst()
        .fixedAtMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1&lon=2&timestamp=2023-11-14T22:13:20Z")).points()
        .getFirst().fixedAtMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1&lon=2&timestamp=2023-11-14 22:13:20")).points()
        .getFirst().fixedAtMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1&lon=2&timestamp=2023-11-15T00:13:20+02:00")).points()
        .getFirst().fixedAtMillis()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void deviceid_and_location_are_accepted_as_traccar_does() {
    OsmAndDecoder.Message m = OsmAndDecoder.decodeQuery(query("deviceid=x&location=48.1,11.5&heading=90"));
    assertThat(m.deviceKey()).isEqualTo("x");
    assertThat(m.points().getFirst().lat()).isEqualTo(48.1);
    assertThat(m.points().getFirst().lon()).isEqualTo(11.5);
    assertThat(m.points().getFirst().heading()).isEqualTo(90);
    assertThat(m.points().getFirst().fixedAtMillis()).isZero(); // no time: the server's clock is used
  }

  @Test
  void unreadable_queries_say_why() {
    assertThat(OsmAndDecoder.decodeQuery(query("lat=1&lon=2")).error()).contains("id");
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1")).error()).contains("lon");
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=north&lon=2")).error()).contains("lat");
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1&lon=2&timestamp=yesterday")).error())
        .contains("timestamp");
    assertThat(OsmAndDecoder.decodeQuery(query("id=a&lat=1&lon=2&valid=false")).points().getFirst().error())
        .contains("invalid");
  }

  @Test
  void the_json_form_reads_metres_per_second_and_battery_level() {
    JsonObject body = new JsonObject().put("device_id", "dev").put("location", new JsonObject()
        .put("timestamp", "2023-11-14T22:13:20.000Z").put("is_moving", true)
        .put("coords", new JsonObject().put("latitude", 14.6).put("longitude", -90.9).put("speed", 10)
            .put("heading", 54.1).put("accuracy", 5).put("altitude", 1540.3))
        .put("battery", new JsonObject().put("level", 0.89).put("is_charging", false)));
    OsmAndDecoder.Message m = OsmAndDecoder.decodeJson(body);
    RawFix f = m.points().getFirst();
    assertThat(m.deviceKey()).isEqualTo("dev");
    assertThat(f.fixedAtMillis()).isEqualTo(Instant.parse("2023-11-14T22:13:20Z").toEpochMilli());
    assertThat(f.speedKmh()).isCloseTo(36, within(1e-9));
    assertThat(f.battery()).isCloseTo(89, within(1e-9));
    assertThat(f.altitudeM()).isEqualTo(1540.3);
  }

  @Test
  void the_json_form_takes_an_array_of_locations_and_judges_each() {
    JsonObject good = new JsonObject().put("coords", new JsonObject().put("latitude", 1).put("longitude", 2));
    JsonObject body = new JsonObject().put("device_id", 42).put("location", new JsonArray().add(good)
        .add(new JsonObject().put("coords", new JsonObject().put("latitude", "x"))).add("nope"));
    OsmAndDecoder.Message m = OsmAndDecoder.decodeJson(body);
    assertThat(m.deviceKey()).isEqualTo("42");
    assertThat(m.points()).hasSize(3);
    assertThat(m.points().get(0).error()).isNull();
    assertThat(m.points().get(1).error()).isNotNull();
    assertThat(m.points().get(2).error()).isNotNull();
    assertThat(OsmAndDecoder.decodeJson(new JsonObject().put("location", good)).error()).contains("device_id");
    assertThat(OsmAndDecoder.decodeJson(new JsonObject().put("device_id", "d")).error()).contains("location");
  }
}

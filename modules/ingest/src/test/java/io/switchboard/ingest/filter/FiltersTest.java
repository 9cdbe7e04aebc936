package io.switchboard.ingest.filter;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.position.Fix;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FiltersTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final Filters ALL = new Filters(new SwitchboardConfig.Filters(true, true, true,
      Duration.ofMinutes(5), 300, 500));
  private static final Filters NONE = new Filters(new SwitchboardConfig.Filters(false, false, false,
      Duration.ZERO, 0, 0));

  private static Fix fix(double lat, double lon, long at, double accuracy) {
    return new Fix("d", "t", at, NOW, lat, lon, Double.NaN, Double.NaN, accuracy, Double.NaN, Double.NaN, true);
  }

  private static Fix reading(double heading, double speed, double accuracy, double battery) {
    return new Fix("d", "t", NOW, NOW, 48.851, 2.35, heading, speed, accuracy, Double.NaN, battery, true);
  }

  @Test
  void each_filter_names_its_reason() {
    Fix last = fix(48.85, 2.35, NOW - 10_000, 5);
    assertThat(ALL.reject(fix(48.851, 2.35, NOW, 5), last, NOW)).isNull();
    assertThat(ALL.reject(reading(361, 10, 5, 100), last, NOW)).isEqualTo("invalid_reading");
    assertThat(ALL.reject(reading(90, -3, 5, 100), last, NOW)).isEqualTo("invalid_reading");
    assertThat(ALL.reject(reading(90, 10, -1, 100), last, NOW)).isEqualTo("invalid_reading");
    assertThat(ALL.reject(reading(90, 10, 5, 140), last, NOW)).isEqualTo("invalid_reading");
    assertThat(ALL.reject(reading(90, 2_001, 5, 100), last, NOW)).isEqualTo("invalid_reading");
    assertThat(NONE.reject(reading(361, -3, -1, 140), last, NOW)).as("storable, only implausible").isNull();
    assertThat(ALL.reject(fix(0, 0, NOW, 5), last, NOW)).isEqualTo("zero_coordinates");
    assertThat(ALL.reject(fix(48.85, 2.35, NOW - 10_000, 5), last, NOW)).isEqualTo("duplicate");
    assertThat(ALL.reject(fix(48.85, 2.35, NOW + 301_000, 5), last, NOW)).isEqualTo("future_timestamp");
    assertThat(ALL.reject(fix(48.851, 2.35, NOW, 501), last, NOW)).isEqualTo("poor_accuracy");
    // 11 km in 10 s is 4,000 km/h.
    assertThat(ALL.reject(fix(48.95, 2.35, NOW, 5), last, NOW)).isEqualTo("implied_speed");
  }

  @Test
  void a_limit_of_zero_turns_a_filter_off() {
    Fix last = fix(48.85, 2.35, NOW - 10_000, 5);
    assertThat(NONE.reject(fix(0, 0, NOW + 3_600_000, 5_000), last, NOW)).isNull();
    assertThat(NONE.reject(fix(48.95, 2.35, NOW, 5), last, NOW)).isNull();
  }

  @Test
  void the_first_fix_of_a_driver_has_no_speed_to_judge() {
    assertThat(ALL.reject(fix(10, 10, NOW, 5), null, NOW)).isNull();
  }
}

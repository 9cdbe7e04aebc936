package io.switchboard.core.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoTimestampTest {

  @Test
  void writes_what_instant_to_string_writes_for_every_millisecond_it_is_given() {
    SplittableRandom random = new SplittableRandom(20261203);
    long[] edges = {0, 1, -1, 999, 1000, -1000, -1001, 951_782_400_000L /* 2000-02-29 */, 4_107_542_400_000L,
        -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L, 253_402_300_800_000L,
        Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000};
    for (long ms : edges) {
      assertThat(IsoTimestamp.of(ms)).as("%d", ms).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
    for (int i = 0; i < 200_000; i++) {
      long ms = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
      if (i % 3 == 0) {
        ms -= ms % 1000; // whole seconds, which have no fraction
      }
      assertThat(IsoTimestamp.of(ms)).as("%d", ms).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
  }

  @Test
  void writes_the_current_time_as_instant_does() {
    long now = System.currentTimeMillis();
    for (long ms = now - 86_400_000L * 800; ms < now + 86_400_000L * 800; ms += 3_600_123L) {
      assertThat(IsoTimestamp.of(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
  }
}

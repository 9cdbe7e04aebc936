package io.switchboard.gateway.feed;

import io.switchboard.core.dialect.Canonical;
import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Naming;
import io.switchboard.core.dialect.RenderFailures;
import io.switchboard.core.event.Event;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class EncodedEventTest {

  private static final List<String> EVERY_TYPE = List.of(Canonical.ORDER_CREATED, Canonical.ORDER_UPDATED,
      Canonical.PAYMENT_SUCCEEDED, Canonical.PAYMENT_FAILED, Canonical.ORDER_SHIPPED, Canonical.TRACKING_UPDATED,
      Canonical.ORDER_DELIVERED, Canonical.ORDER_STATUS_CHANGED, Canonical.STOCK_ADJUSTED, Canonical.STOCK_LOW,
      Canonical.STOCK_RESERVED, Canonical.STOCK_COMMITTED, Canonical.STOCK_RELEASED, Canonical.RUN_STARTED,
      Canonical.RUN_ETA_UPDATED, Canonical.DRIVER_LOCATION);

  @Test
  void data_a_dialect_cannot_read_is_not_shown_in_that_format_and_never_throws() {
    for (String data : List.of("[1]", "\"text\"", "7", "null", "{\"order\":7}", "{\"order\":{\"items\":3}}",
        "{\"run\":[]}", "{}")) {
      for (String type : EVERY_TYPE) {
        EncodedEvent e = FrameEncoder.encode(new Event(9, "uuid", List.of("tenant:t:x"), type, data, 0));
        for (Family family : Family.values()) {
          for (Naming naming : Naming.values()) {
            int format = family.format(naming);
            assertThatCode(() -> e.chunk(format)).as(type + " " + data + " in " + family).doesNotThrowAnyException();
          }
        }
        assertThat(e.chunk(Family.CORE.format(Naming.MESSAGE))).as("the generic stream shows data as stored")
            .isNotNull();
      }
    }
  }

  @Test
  void a_failure_is_counted_once_per_event_and_family_however_often_it_is_asked_for() {
    long before = RenderFailures.count();
    EncodedEvent e = FrameEncoder.encode(new Event(11, "uuid", List.of("tenant:t:orders"), Canonical.ORDER_CREATED,
        "[1]", 0));
    for (int i = 0; i < 5; i++) {
      assertThat(e.chunk(Family.TENANT.format(Naming.MESSAGE))).isNull();
      assertThat(e.chunk(Family.TENANT.format(Naming.NAMED))).isNull();
    }
    assertThat(RenderFailures.count() - before).isEqualTo(1);
  }
}

package io.switchboard.gateway.feed;

import io.switchboard.core.event.Event;
import org.junit.jupiter.api.Test;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Naming;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventRingTest {

  private static EncodedEvent event(long seq, String channel) {
    return FrameEncoder.encode(new Event(seq, "e" + seq, List.of(channel), "t", "{}", 0));
  }

  @Test
  void the_ring_covers_exactly_the_newest_events_it_holds() {
    EventRing ring = new EventRing(4, 10);
    assertThat(ring.covers(10)).isTrue();
    assertThat(ring.covers(9)).isFalse();
    for (long s = 11; s <= 16; s++) {
      ring.add(event(s, s % 2 == 0 ? "even" : "odd"));
    }
    assertThat(ring.covers(12)).isTrue();
    assertThat(ring.covers(11)).isFalse();
    assertThat(ring.since(12, Set.of("even"))).extracting(EncodedEvent::seq).containsExactly(14L, 16L);
    assertThat(ring.since(12, Set.of("even", "odd"))).extracting(EncodedEvent::seq).containsExactly(13L, 14L, 15L, 16L);
  }

  @Test
  void frames_carry_id_optional_event_name_and_one_line_of_data() {
    EncodedEvent e = FrameEncoder.encode(new Event(42, "uuid", List.of("order:1"), "order_update",
        "{\n  \"status\": \"shipped\"\n}", 0));
    assertThat(FrameEncoder.frameText(e.chunk(Family.CORE.format(Naming.MESSAGE)))).isEqualTo("id: 42\ndata: {\"id\":42,\"eventId\":\"uuid\",\"type\":\"order_update\","
        + "\"channels\":[\"order:1\"],\"data\":{\"status\":\"shipped\"},\"timestamp\":\"1970-01-01T00:00:00Z\"}\n\n");
    assertThat(FrameEncoder.frameText(e.chunk(Family.CORE.format(Naming.NAMED))))
        .startsWith("id: 42\nevent: order_update\ndata: {");
    String both = FrameEncoder.frameText(e.chunk(Family.CORE.format(Naming.BOTH)));
    assertThat(both).startsWith("id: 42\nevent: order_update\ndata: {").contains("\n\nid: 42\ndata: {");
    assertThat(e.chunk(Family.SHOP.format(Naming.MESSAGE))).as("the shop family does not show this type").isNull();
  }
}

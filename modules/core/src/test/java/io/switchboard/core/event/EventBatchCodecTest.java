package io.switchboard.core.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventBatchCodecTest {

  @Test
  void a_batch_survives_encoding_unchanged() {
    List<Event> batch = List.of(
        new Event(1, "e1", List.of("order:1"), "order_update", "{\"s\":\"ünïcødé ✓\"}", 1000),
        new Event(2, "e2", List.of("order:1", "run:9"), "run_update", "[]", 2000));
    assertThat(EventBatchCodec.decode(EventBatchCodec.encode(batch))).isEqualTo(batch);
  }

  @Test
  void channel_names_and_types_that_could_break_a_frame_are_refused() {
    assertThat(Channels.isValid("order:123")).isTrue();
    assertThat(Channels.isValid("tenant:acme:orders")).isTrue();
    assertThat(Channels.isValid("order:1\nid: 5")).isFalse();
    assertThat(Channels.isValid("a b")).isFalse();
    assertThat(Channels.isValid(":x")).isFalse();
    assertThat(Channels.isValid("x".repeat(201))).isFalse();
    assertThat(Channels.isValidType("order_update")).isTrue();
    assertThat(Channels.isValidType("x\ndata: y")).isFalse();
  }
}

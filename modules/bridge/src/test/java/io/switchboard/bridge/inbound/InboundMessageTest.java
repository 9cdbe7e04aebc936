package io.switchboard.bridge.inbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundMessageTest {

  @Test
  void a_message_names_channels_type_data_and_optionally_a_key_and_durability() {
    InboundMessage m = InboundMessage.parse("{\"channels\":[\"order:1\",\"order:1\",\"tenant:t:orders\"],"
        + "\"type\":\"order.updated\",\"data\":{\"a\":1},\"idempotencyKey\":\"k\",\"durable\":false}");
    assertThat(m.channels()).containsExactly("order:1", "tenant:t:orders");
    assertThat(m.type()).isEqualTo("order.updated");
    assertThat(m.data()).isEqualTo("{\"a\":1}");
    assertThat(m.idempotencyKey()).isEqualTo("k");
    assertThat(m.durable()).isFalse();
  }

  @Test
  void durable_is_the_default_and_one_channel_may_be_named_alone() {
    InboundMessage m = InboundMessage.parse("{\"channel\":\"run:9\",\"type\":\"run.note\"}");
    assertThat(m.channels()).containsExactly("run:9");
    assertThat(m.durable()).isTrue();
    assertThat(m.data()).isEqualTo("{}");
  }

  @Test
  void every_malformed_message_says_why() {
    assertThatThrownBy(() -> InboundMessage.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> InboundMessage.parse("{oops")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> InboundMessage.parse("[1]")).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> InboundMessage.parse("{\"type\":\"x\"}")).hasMessageContaining("channels");
    assertThatThrownBy(() -> InboundMessage.parse("{\"channels\":[\"a b\"],\"type\":\"x\"}"))
        .hasMessageContaining("invalid channel name");
    assertThatThrownBy(() -> InboundMessage.parse("{\"channels\":[\"a\"],\"type\":\"bad type\"}"))
        .hasMessageContaining("type");
    assertThatThrownBy(() -> InboundMessage.parse("{\"channels\":[\"a\"],\"type\":\"x\",\"durable\":\"yes\"}"))
        .hasMessageContaining("durable");
    assertThatThrownBy(() -> InboundMessage.parse("{\"channels\":[\"a\"],\"type\":\"x\",\"idempotencyKey\":5}"))
        .hasMessageContaining("idempotencyKey");
    assertThatThrownBy(() -> InboundMessage.parse("{\"channels\":[\"a\"],\"type\":\"x\",\"data\":\""
        + "x".repeat(70_000) + "\"}")).hasMessageContaining("larger than");
  }

  @Test
  void a_key_with_characters_postgresql_refuses_or_that_nobody_could_log_is_a_bad_message() {
    for (String key : new String[] {"a\\u0000b", "line\\nbreak", "bell\\u0007"}) {
      assertThatThrownBy(() -> InboundMessage.parse("{\"channels\":[\"a\"],\"type\":\"x\",\"idempotencyKey\":\""
          + key + "\"}")).as(key).isInstanceOf(BadMessage.class).hasMessageContaining("idempotencyKey");
    }
  }

  @Test
  void a_stream_entry_in_field_form_obeys_the_same_size_limit_as_a_json_one() {
    io.vertx.core.json.JsonObject fields = new io.vertx.core.json.JsonObject().put("channels", "tenant:t:news")
        .put("type", "news").put("data", "{\"text\":\"" + "x".repeat(70_000) + "\"}");
    assertThatThrownBy(() -> new StreamInbound.Entry("1-0", fields).message()).isInstanceOf(BadMessage.class)
        .hasMessageContaining("larger than");
    fields.put("data", "{\"text\":\"short\"}");
    assertThat(new StreamInbound.Entry("1-0", fields).message().type()).isEqualTo("news");
  }
}

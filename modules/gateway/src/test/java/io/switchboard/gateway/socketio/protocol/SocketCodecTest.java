package io.switchboard.gateway.socketio.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examples of the Socket.IO v5 protocol document, and what its reference parser refuses. */
class SocketCodecTest {

  @Test
  void a_connect_to_the_main_namespace_has_no_namespace_and_no_payload() throws Exception {
    SocketPacket p = SocketCodec.decode("0");
    assertThat(p.type()).isEqualTo(SocketType.CONNECT);
    assertThat(p.nsp()).isEqualTo("/");
    assertThat(p.data()).isNull();
    assertThat(p.auth()).isEqualTo(new JsonObject());
  }

  @Test
  void a_connect_to_a_custom_namespace_carries_its_auth_payload() throws Exception {
    SocketPacket p = SocketCodec.decode("0/notifications,{\"token\":\"abc\",\"pid\":\"x\",\"offset\":\"12\"}");
    assertThat(p.nsp()).isEqualTo("/notifications");
    assertThat(p.auth().getString("token")).isEqualTo("abc");
    assertThat(p.auth().getString("offset")).isEqualTo("12");
  }

  @Test
  void a_namespace_without_a_comma_is_accepted_as_the_reference_parser_does() throws Exception {
    assertThat(SocketCodec.decode("0/custom").nsp()).isEqualTo("/custom");
    assertThat(SocketCodec.decode("1/custom,").type()).isEqualTo(SocketType.DISCONNECT);
  }

  @Test
  void an_event_with_an_ack_id_in_a_namespace() throws Exception {
    SocketPacket p = SocketCodec.decode("2/notifications,12[\"joinRoom\",\"order-7\"]");
    assertThat(p.type()).isEqualTo(SocketType.EVENT);
    assertThat(p.ackId()).isEqualTo(12);
    assertThat(p.eventName()).isEqualTo("joinRoom");
    assertThat(p.args()).isEqualTo(new JsonArray().add("order-7"));
  }

  @Test
  void a_binary_event_announces_its_attachments() throws Exception {
    SocketPacket p = SocketCodec.decode("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(p.type()).isEqualTo(SocketType.BINARY_EVENT);
    assertThat(p.attachments()).isEqualTo(1);
    assertThat(p.eventName()).isEqualTo("upload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "9", "42{}", "2[]", "2[\"connect\"]", "2[\"disconnect\",1]", "2\"text\"",
      "0[1]", "1{}", "3[1]", "4{\"message\":\"x\"}", "2[\"a\"", "5-[\"x\"]", "5x-[\"x\"]", "599-[\"x\"]",
      "2/a,999999999999999999[\"x\"]"})
  void what_the_reference_parser_refuses_is_refused(String packet) {
    assertThatThrownBy(() -> SocketCodec.decode(packet)).isInstanceOf(BadPacket.class);
  }

  @Test
  void a_refusal_never_echoes_control_characters() {
    assertThatThrownBy(() -> SocketCodec.decode("\u0000rest")).isInstanceOf(BadPacket.class)
        .hasMessageContaining("\\u0000").hasMessageNotContaining("\u0000");
  }

  @Test
  void server_packets_are_wrapped_in_their_engine_message_and_name_their_namespace_unless_it_is_the_main_one() {
    assertThat(SocketCodec.connect("/", new JsonObject().put("sid", "s").put("pid", "p")))
        .isEqualTo("40{\"sid\":\"s\",\"pid\":\"p\"}");
    assertThat(SocketCodec.connect("/notifications", new JsonObject().put("sid", "s")))
        .isEqualTo("40/notifications,{\"sid\":\"s\"}");
    assertThat(SocketCodec.connectError("/random", "Invalid namespace", null))
        .isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
    assertThat(SocketCodec.disconnect("/notifications")).isEqualTo("41/notifications,");
    assertThat(SocketCodec.event("/", "dashboard_update", "{\"type\":\"new_order\"}", "\"17\""))
        .isEqualTo("42[\"dashboard_update\",{\"type\":\"new_order\"},\"17\"]");
    assertThat(SocketCodec.ack("/admin", 13, new JsonArray().add("bar"))).isEqualTo("43/admin,13[\"bar\"]");
  }
}

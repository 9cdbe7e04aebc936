package io.switchboard.gateway.socketio.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Engine.IO v4 protocol document's payload examples. */
class EnginePayloadTest {

  @Test
  void a_polling_payload_holds_packets_separated_by_the_record_separator() throws Exception {
    List<EnginePacket> packets = EnginePayload.decode("4hello\u001e2\u001e4world", 10);
    assertThat(packets).extracting(EnginePacket::type)
        .containsExactly(EngineType.MESSAGE, EngineType.PING, EngineType.MESSAGE);
    assertThat(packets).extracting(EnginePacket::data).containsExactly("hello", "", "world");
  }

  @Test
  void binary_packets_in_a_polling_payload_are_base64_after_a_b() throws Exception {
    List<EnginePacket> packets = EnginePayload.decode("4hello\u001ebAQIDBA==", 10);
    assertThat(packets.get(1).isBinary()).isTrue();
    assertThat(packets.get(1).binary()).containsExactly(1, 2, 3, 4);
    assertThat(EnginePayload.encode(packets)).isEqualTo("4hello\u001ebAQIDBA==");
  }

  @Test
  void a_websocket_frame_is_one_packet_and_a_b_there_is_no_binary_marker() throws Exception {
    assertThat(EnginePayload.decodeOne("2probe").data()).isEqualTo("probe");
    assertThatThrownBy(() -> EnginePayload.decodeOne("bAQID")).isInstanceOf(BadPacket.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "4a\u001e", "\u001e4a", "7", "b!!!"})
  void what_is_not_a_payload_is_refused(String body) {
    assertThatThrownBy(() -> EnginePayload.decode(body, 10)).isInstanceOf(BadPacket.class);
  }

  @Test
  void a_payload_may_carry_only_so_many_packets() {
    String body = String.join("\u001e", java.util.Collections.nCopies(11, "3"));
    assertThatThrownBy(() -> EnginePayload.decode(body, 10)).isInstanceOf(BadPacket.class)
        .hasMessageContaining("too many packets");
  }
}

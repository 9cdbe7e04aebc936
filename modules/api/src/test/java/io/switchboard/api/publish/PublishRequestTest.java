package io.switchboard.api.publish;

import io.switchboard.core.event.NewEvent;
import io.switchboard.core.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PublishRequestTest {

  private static NewEvent parse(String body) {
    return PublishRequest.parse(Buffer.buffer(body));
  }

  private static ApiError refusal(String body) {
    return catchThrowableOfType(ApiError.class, () -> parse(body));
  }

  @Test
  void a_valid_body_gives_its_channels_type_and_data_as_one_line_of_json() {
    NewEvent e = parse("""
        {
          "type": "order.updated",
          "data": { "id": 42, "items": [1, 2.5, "ünï ✓"], "note": null,
                    "big": 123456789012345678901234567890 },
          "channels": ["order:42", "tenant:acme:orders", "order:42"],
          "ignored": {"deep": [{"x": 1}]}
        }""");
    assertThat(e.channels()).containsExactly("order:42", "tenant:acme:orders");
    assertThat(e.type()).isEqualTo("order.updated");
    assertThat(e.data()).doesNotContain("\n")
        .isEqualTo("{\"id\":42,\"items\":[1,2.5,\"ünï ✓\"],\"note\":null,\"big\":123456789012345678901234567890}");
    assertThat(new JsonObject(e.data()).getJsonArray("items")).hasSize(3);
  }

  @Test
  void data_may_be_any_json_value_and_defaults_to_an_empty_object() {
    assertThat(parse("{\"channels\":[\"a\"],\"type\":\"t\"}").data()).isEqualTo("{}");
    assertThat(parse("{\"channels\":[\"a\"],\"type\":\"t\",\"data\":null}").data()).isEqualTo("{}");
    assertThat(parse("{\"channels\":[\"a\"],\"type\":\"t\",\"data\":\"text \\\"quoted\\\"\\n\"}").data())
        .isEqualTo("\"text \\\"quoted\\\"\\n\"");
    assertThat(parse("{\"channels\":[\"a\"],\"type\":\"t\",\"data\":[true,false]}").data()).isEqualTo("[true,false]");
  }

  @Test
  void numbers_in_data_keep_the_digits_the_producer_wrote() {
    String data = "{\"price\":12.50,\"exact\":0.1234567890123456789012,\"huge\":1e400,\"sci\":-1.5e3,"
        + "\"big\":123456789012345678901234567890,\"int\":-7}";
    String stored = parse("{\"channels\":[\"a\"],\"type\":\"t\",\"data\":" + data + "}").data();
    assertThat(stored).contains("\"price\":12.50", "\"exact\":0.1234567890123456789012",
        "\"big\":123456789012345678901234567890", "\"int\":-7");
    JsonObject back = new JsonObject(stored);
    assertThat(back.getDouble("sci")).isEqualTo(-1500.0);
    assertThat(back.getValue("huge")).isInstanceOf(Number.class);
  }

  @Test
  void malformed_json_is_invalid_json_whatever_else_is_wrong_with_it() {
    for (String body : List.of("{\"channels\": [", "[1,2]", "null", "  ", "{\"channels\":[\"a\"],\"type\":\"t\"} x",
        "{\"channels\":[\"a b\"],\"type\":\"t\",", "{\"channels\":[\"a\"] \"type\":\"t\"}", "\"text\"")) {
      ApiError e = refusal(body);
      assertThat(e).as(body).isNotNull();
      assertThat(e.status()).as(body).isEqualTo(400);
      assertThat(e.code()).as(body).isEqualTo("invalid_json");
    }
  }

  @Test
  void well_formed_bodies_with_bad_fields_are_bad_requests_that_say_what_is_wrong() {
    assertThat(refusal("").getMessage()).contains("JSON object");
    assertThat(refusal("{\"type\":\"t\"}").getMessage()).contains("'channels' must be a non-empty array");
    assertThat(refusal("{\"channels\":\"a\",\"type\":\"t\"}").getMessage()).contains("'channels' must be");
    assertThat(refusal("{\"channels\":[],\"type\":\"t\"}").getMessage()).contains("'channels' must be");
    assertThat(refusal("{\"channels\":[5],\"type\":\"t\"}").getMessage()).isEqualTo("invalid channel name in 'channels': 5");
    assertThat(refusal("{\"channels\":[{\"a\":1}],\"type\":\"t\"}").getMessage()).contains("invalid channel name");
    assertThat(refusal("{\"channels\":[\"a\\nid: 9\"],\"type\":\"t\"}").getMessage()).contains("invalid channel name");
    assertThat(refusal("{\"channels\":[\"a\"]}").getMessage()).contains("'type' must be");
    assertThat(refusal("{\"channels\":[\"a\"],\"type\":7}").getMessage()).contains("'type' must be");
    assertThat(refusal("{\"channels\":[\"a\"],\"type\":\"x\\ndata: y\"}").getMessage()).contains("'type' must be");
    String many = "\"c\"," .repeat(PublishRequest.MAX_CHANNELS) + "\"d\"";
    assertThat(refusal("{\"channels\":[" + many + "],\"type\":\"t\"}").getMessage()).contains("at most 64");
    for (String body : List.of("{\"type\":\"t\"}", "{\"channels\":[5],\"type\":\"t\"}")) {
      assertThat(refusal(body).code()).isEqualTo("bad_request");
    }
  }
}

package io.switchboard.api.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.switchboard.core.event.Channels;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.http.ApiError;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates the body of {@code POST /api/v1/events} into a {@link NewEvent}.
 *
 * <p>One streaming pass: {@code data} is copied token by token into its one-line stored form, where a tree of
 * maps and a second serialisation cost a tenth of a publish's CPU (docs/benchmarks.md). The whole body is read
 * before any field is judged, so malformed JSON is always {@code invalid_json}, whatever it contains.
 */
final class PublishRequest {

  static final int MAX_CHANNELS = 64;
  private static final JsonFactory JSON = new JsonFactory();
  private static final String NOT_AN_OBJECT = "the body must be a JSON object {channels, type, data}";

  private PublishRequest() {}

  static NewEvent parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.badRequest(NOT_AN_OBJECT);
    }
    Fields f = new Fields();
    try (JsonParser p = JSON.createParser(body.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalidJson();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "channels" -> f.channels = readChannels(p, value);
          case "type" -> f.type = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
          case "data" -> f.data = value == JsonToken.VALUE_NULL ? null : copy(p);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw invalidJson();
      }
    } catch (IOException e) {
      throw invalidJson();
    }
    return f.validate();
  }

  /** What the body said, judged in a fixed order once the whole body has parsed. */
  private static final class Fields {
    List<Object> channels;   // the array's values; null when absent or not an array
    String type;
    String data;

    NewEvent validate() {
      if (channels == null || channels.isEmpty()) {
        throw ApiError.badRequest("'channels' must be a non-empty array of channel names");
      }
      if (channels.size() > MAX_CHANNELS) {
        throw ApiError.badRequest("'channels' may name at most " + MAX_CHANNELS + " channels");
      }
      Set<String> names = new LinkedHashSet<>();
      for (Object c : channels) {
        if (!(c instanceof String name) || !Channels.isValid(name)) {
          throw ApiError.badRequest("invalid channel name in 'channels': " + c);
        }
        names.add(name);
      }
      if (!Channels.isValidType(type)) {
        throw ApiError.badRequest("'type' must be 1-100 characters of letters, digits and _-.:");
      }
      return new NewEvent(List.copyOf(names), type, data == null ? "{}" : data);
    }
  }

  /** The array's strings, and what stands for any other value in it (for the error message). */
  private static List<Object> readChannels(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      return skip(p);
    }
    List<Object> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw invalidJson();
      }
      if (t == JsonToken.VALUE_STRING) {
        out.add(p.getText());
      } else {
        out.add(new NotAName(t.isStructStart() ? t.asString() : p.getText()));
        p.skipChildren();
      }
    }
    return out;
  }

  /** A value in {@code channels} that is not a string: refused, and shown as it was written. */
  private record NotAName(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private static <T> T skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  /**
   * The current value as compact JSON text: one line, as SSE frames and the log need it. Numbers keep the digits
   * the producer wrote ({@code 12.50} stays {@code 12.50}, long decimals keep their precision): no detour through
   * {@code double}.
   */
  private static String copy(JsonParser p) throws IOException {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      int depth = 0;
      do {
        JsonToken t = p.currentToken();
        g.copyCurrentEventExact(p);
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
      } while (depth > 0 && p.nextToken() != null);
    }
    return out.toString();
  }

  private static ApiError invalidJson() {
    return new ApiError(400, "invalid_json", "the request body is not a valid JSON object");
  }
}

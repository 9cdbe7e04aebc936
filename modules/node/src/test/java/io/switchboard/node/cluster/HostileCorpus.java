package io.switchboard.node.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bad input, in one place, so that every new endpoint meets all of it: control characters and NUL, invalid UTF-8,
 * numbers beyond every range ({@code NaN}, {@code Infinity}, {@code 1e400}, {@code -0}, huge integers), every wrong
 * JSON type, deeply nested and very large JSON, injection-shaped text, frames smuggled into names.
 */
final class HostileCorpus {

  private HostileCorpus() {}

  /** Texts for path segments, query values and header values (URL-encoded where they go into a URL). */
  static final List<String> STRINGS = List.of(
      "", " ", "\u0000", "a\u0000b", "\u0001\u001f\u007f", "line\nbreak", "\r\n", "\t", "\ud800", "😀", "é",
      "x".repeat(5_000), "../../etc/passwd", "..%2F..%2Fetc", "%", "%00", "<script>alert(1)</script>",
      "' OR '1'='1", "'; DROP TABLE orders; --", "${jndi:ldap://127.0.0.1/a}", "NaN", "Infinity", "-Infinity",
      "1e400", "-0", "-1", "0", "99999999999999999999999", "9223372036854775808", "٣", " 5 ", "1e3", "0x10", "null",
      "[]", "{}", "order:1\nid: 9\n\ndata: forged", "a,b,,c", "*", "tenant:*", ":", "a:", ":a");

  /** Raw JSON values for a body field, spliced into the document as written (some are not valid JSON on purpose). */
  static final List<String> JSON_VALUES = jsonValues();

  /** Whole bodies that are not a JSON object, or not even text. */
  static final List<byte[]> BODIES = bodies();

  private static List<String> jsonValues() {
    List<String> v = new ArrayList<>(List.of(
        "null", "true", "false", "0", "-0", "-1", "1.5", "0.001", "1e400", "-1e400", "1e-300", "1e300", "1e39",
        "2147483648", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
        "NaN", "Infinity", "-Infinity", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0001\\u001f\\u007f\"",
        "\"line\\nbreak\"", "\"\\r\\n\"", "\"\\ud800\"", "\"\\udc00x\"", "\"😀\"", "\"é\"",
        "\"<script>alert(1)</script>\"", "\"'; DROP TABLE orders; --\"", "\"../../etc/passwd\"",
        "\"${jndi:ldap://127.0.0.1/a}\"", "\"NaN\"", "\"Infinity\"", "\"1e400\"", "\"-1\"",
        "\"order:1\\nid: 9\\n\\ndata: forged\"", "\"tenant:*\"", "[]", "{}", "[1,2]", "{\"a\":1}", "[null]",
        "[\"\\u0000\"]", "\"" + "x".repeat(10_000) + "\""));
    v.add("[".repeat(3_000) + "]".repeat(3_000));
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 1_500; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    v.add(wide.append('}').toString());
    return List.copyOf(v);
  }

  private static List<byte[]> bodies() {
    List<byte[]> b = new ArrayList<>();
    for (String text : List.of("", " ", "{", "}", "[1]", "\"text\"", "7", "null", "{\"a\":}", "{'a':1}",
        "{\"a\":1}{\"b\":2}", "{\"a\":1,}", "\u0000", "{\"" + "k".repeat(100_000) + "\":1}",
        "{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}")) {
      b.add(text.getBytes(StandardCharsets.UTF_8));
    }
    b.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}); // invalid UTF-8
    b.add(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0});
    b.add(new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'}); // UTF-8 surrogate
    return List.copyOf(b);
  }
}

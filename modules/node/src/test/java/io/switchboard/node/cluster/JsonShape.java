package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Compares an event's JSON with the shape a seed document shows: the same keys in the same order, the same
 * values, except where the template says {@code "<timestamp>"} (an ISO-8601 UTC time) or {@code "<any>"}.
 */
final class JsonShape {

  private static final Pattern ISO = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

  private JsonShape() {}

  static void assertMatches(String template, JsonObject actual) {
    List<String> problems = new ArrayList<>();
    compare("$", new JsonObject(template), actual, problems);
    if (!problems.isEmpty()) {
      throw new AssertionError("event " + actual.encode() + " does not match " + template + ": " + problems);
    }
  }

  private static void compare(String path, Object expected, Object actual, List<String> problems) {
    if ("<any>".equals(expected)) {
      return;
    }
    if ("<timestamp>".equals(expected)) {
      if (!(actual instanceof String s) || !ISO.matcher(s).matches()) {
        problems.add(path + " is not an ISO-8601 UTC time: " + actual);
      }
      return;
    }
    if (expected instanceof JsonObject e) {
      if (!(actual instanceof JsonObject a)) {
        problems.add(path + " is not an object");
        return;
      }
      if (!new ArrayList<>(e.fieldNames()).equals(new ArrayList<>(a.fieldNames()))) {
        problems.add(path + " has keys " + a.fieldNames() + ", expected " + e.fieldNames());
        return;
      }
      for (String k : e.fieldNames()) {
        compare(path + "." + k, e.getValue(k), a.getValue(k), problems);
      }
    } else if (expected instanceof JsonArray e) {
      if (!(actual instanceof JsonArray a) || a.size() != e.size()) {
        problems.add(path + " is not an array of " + e.size());
        return;
      }
      for (int i = 0; i < e.size(); i++) {
        compare(path + "[" + i + "]", e.getValue(i), a.getValue(i), problems);
      }
    } else if (expected instanceof Number n) {
      if (!(actual instanceof Number m) || n.doubleValue() != m.doubleValue()) {
        problems.add(path + " is " + actual + ", expected " + expected);
      }
    } else if (expected == null ? actual != null : !expected.equals(actual)) {
      problems.add(path + " is " + actual + ", expected " + expected);
    }
  }
}

package io.switchboard.api.http;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's JSON object body, read with validation: every accessor answers a missing or mistyped field with a
 * 400 {@code validation_failed} naming the field, so handlers never see half-valid input.
 */
public final class JsonBody {

  /** Ids travel in channel names and URLs. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-.@]{1,100}");

  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  public static JsonBody of(RoutingContext ctx) {
    Buffer body = BoundedBody.of(ctx);
    if (body.length() == 0) {
      return new JsonBody(new JsonObject());
    }
    try {
      return new JsonBody(body.toJsonObject());
    } catch (DecodeException | ClassCastException e) {
      throw new ApiError(400, "invalid_json", "the request body must be a valid JSON object");
    }
  }

  public static JsonBody wrap(JsonObject json) {
    return new JsonBody(json);
  }

  public static ApiError invalid(String message) {
    return new ApiError(400, "validation_failed", message);
  }

  public static String checkId(String name, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw invalid(name + " must be 1-100 characters of letters, digits and _-.@");
    }
    return value;
  }

  /** The key is present with the value null (a request to clear the field). */
  public boolean isExplicitNull(String key) {
    return json.containsKey(key) && json.getValue(key) == null;
  }

  public boolean has(String key) {
    return json.getValue(key) != null;
  }

  public String string(String key, int maxLength) {
    String s = optionalString(key, maxLength);
    if (s == null || s.isBlank()) {
      throw invalid(key + " is required");
    }
    return s;
  }

  public String optionalString(String key, int maxLength) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw invalid(key + " must be a string");
    }
    if (s.length() > maxLength) {
      throw invalid(key + " must be at most " + maxLength + " characters");
    }
    if (s.indexOf('\u0000') >= 0) {
      throw invalid(key + " must not contain a NUL character"); // no PostgreSQL text can hold one
    }
    return s;
  }

  public String id(String key) {
    return checkId(key, string(key, 100));
  }

  public String optionalId(String key) {
    String s = optionalString(key, 100);
    return s == null ? null : checkId(key, s);
  }

  public String oneOf(String key, Set<String> allowed) {
    String s = string(key, 50);
    if (!allowed.contains(s)) {
      throw invalid(key + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
    return s;
  }

  public int integer(String key, int min, int max) {
    Integer v = optionalInteger(key, min, max);
    if (v == null) {
      throw invalid(key + " is required");
    }
    return v;
  }

  public Integer optionalInteger(String key, int min, int max) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw invalid(key + " must be an integer");
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw invalid(key + " must be between " + min + " and " + max);
    }
    return (int) l;
  }

  public double number(String key, double min, double max) {
    Object v = json.getValue(key);
    if (!(v instanceof Number n)) {
      throw invalid(key + " must be a number");
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || d < min || d > max) {
      throw invalid(key + " must be between " + min + " and " + max);
    }
    return d;
  }

  /** Money: at most two decimals, not negative. */
  public BigDecimal money(String key) {
    Object v = json.getValue(key);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw invalid(key + " must be a number");
    }
    BigDecimal d = new BigDecimal(n.toString());
    if (d.signum() < 0 || d.scale() > 2 || d.compareTo(new BigDecimal("9999999999")) > 0) {
      throw invalid(key + " must be a non-negative amount with at most two decimals");
    }
    return d.setScale(2);
  }

  public JsonArray array(String key, int minSize, int maxSize) {
    Object v = json.getValue(key);
    if (!(v instanceof JsonArray a)) {
      throw invalid(key + " must be an array");
    }
    if (a.size() < minSize || a.size() > maxSize) {
      throw invalid(key + " must have between " + minSize + " and " + maxSize + " entries");
    }
    return a;
  }

  /** The array's entries as bodies; each must be an object. */
  public static JsonBody element(JsonArray array, int i, String arrayName) {
    Object v = array.getValue(i);
    if (!(v instanceof JsonObject o)) {
      throw invalid(arrayName + "[" + i + "] must be an object");
    }
    return new JsonBody(o);
  }
}

package io.switchboard.node.cluster;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client for the commerce API of one node, with a token. */
final class ApiClient {

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String baseUrl;
  private final String token;

  ApiClient(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  Response get(String path) throws Exception {
    return send(request(path).GET());
  }

  Response post(String path, Object body, String... headers) throws Exception {
    return send(request(path, headers).POST(bodyOf(body)));
  }

  Response patch(String path, Object body, String... headers) throws Exception {
    return send(request(path, headers).method("PATCH", bodyOf(body)));
  }

  Response put(String path, Object body, String... headers) throws Exception {
    return send(request(path, headers).PUT(bodyOf(body)));
  }

  Response delete(String path, String... headers) throws Exception {
    return send(request(path, headers).DELETE());
  }

  /** POST that must succeed: returns the JSON answer or fails the test with the error. */
  JsonObject created(String path, JsonObject body) throws Exception {
    Response r = post(path, body);
    if (r.status() / 100 != 2) {
      throw new AssertionError("POST " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static HttpRequest.BodyPublisher bodyOf(Object body) {
    if (body == null) {
      return HttpRequest.BodyPublishers.noBody();
    }
    return HttpRequest.BodyPublishers.ofString(body instanceof JsonObject j ? j.encode() : body.toString());
  }

  private static Response send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body(), r);
  }
}

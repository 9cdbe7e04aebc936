package io.switchboard.api.testing;

import io.switchboard.api.ApiRole;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Schema;
import io.switchboard.core.auth.TokenMinter;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * The API role alone, in this process: its routes on a Vert.x HTTP server over a database of the test's own
 * ({@link PgFixture}), and an HTTP client with tokens of any tenant and role. No cluster, no relay: what the
 * commerce rules decide is visible in the answers and the rows.
 */
public final class ApiHarness implements AutoCloseable {

  /** An answer: status and JSON body. */
  public record Answer(int status, JsonObject json, HttpResponse<String> raw) {
    public String error() {
      return json == null ? null : json.getString("error");
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final PgFixture pg;
  private final HttpServer server;
  private final TokenMinter minter;

  private ApiHarness(PgFixture pg, HttpServer server) {
    this.pg = pg;
    this.server = server;
    this.minter = new TokenMinter(pg.vertx(), pg.config().auth());
  }

  public static ApiHarness start() {
    PgFixture pg = PgFixture.migrated(Map.of());
    try {
      TokenVerifier verifier = new TokenVerifier(pg.vertx(), pg.config().auth());
      Schema schema = new Schema();
      schema.applied();
      var routes = new ApiRole(new NodeServices(pg.vertx(), pg.config(), pg.pool(), verifier, schema)).routes();
      Router router = Router.router(pg.vertx());
      routes.forEach(r -> r.mount(router));
      router.route().failureHandler(JsonErrors::handle);
      HttpServer server = Await.result(pg.vertx().createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      return new ApiHarness(pg, server);
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /** A token of {@code role} in {@code tenant} for {@code subject}. */
  public String token(String subject, String role, String tenant) {
    return minter.mint(subject, role, tenant, Duration.ofHours(1));
  }

  public Answer get(String token, String path) {
    return send(builder(token, path).GET());
  }

  public Answer post(String token, String path, JsonObject body, String... headers) {
    return send(builder(token, path, headers).POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Answer patch(String token, String path, JsonObject body) {
    return send(builder(token, path).method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** POST that must answer 2xx. */
  public JsonObject created(String token, String path, JsonObject body) {
    Answer a = post(token, path, body);
    if (a.status() / 100 != 2) {
      throw new AssertionError("POST " + path + " answered " + a.status() + ": " + a.raw().body());
    }
    return a.json();
  }

  /** A single number read straight from the database, behind the API. */
  public long count(String sql) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private HttpRequest.Builder builder(String token, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static Answer send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonObject json = r.body().startsWith("{") ? new JsonObject(r.body()) : null;
      return new Answer(r.statusCode(), json, r);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    pg.close();
  }
}

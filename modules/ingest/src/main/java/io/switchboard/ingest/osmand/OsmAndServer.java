package io.switchboard.ingest.osmand;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.BoundedBody;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.MalformedRequests;
import io.switchboard.ingest.devices.DriverDirectory;
import io.switchboard.ingest.pipeline.Ingestor;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.util.Optional;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * The OsmAnd port (default 5055), one instance per event loop. Answers as Traccar does, so trackers behave the
 * same: 200 with an empty body when the message was taken (filtered points included: a tracker would resend a
 * refused one forever), 400 for an unknown device in the query form and 404 in the JSON form, 400 for an
 * unreadable message, 503 with {@code Retry-After} when the position buffer is full; and, of our own, 429 for an
 * address that tried too many unknown device keys ({@link OsmAndGuard}).
 */
public final class OsmAndServer extends VerticleBase {

  private static final int MAX_BODY_BYTES = 256 * 1024;
  /** What {@code POST /api/v1/devices} accepts as a device key. */
  private static final Pattern DEVICE_KEY = Pattern.compile("[A-Za-z0-9_\\-.:@]{1,100}");

  private final int port;
  private final String host;
  private final DriverDirectory directory;
  private final Ingestor ingestor;
  private final OsmAndGuard guard;
  private HttpServer server;

  public OsmAndServer(String host, int port, DriverDirectory directory, Ingestor ingestor, OsmAndGuard guard) {
    this.host = host;
    this.port = port;
    this.directory = directory;
    this.ingestor = ingestor;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    // HTTP/1.1 only, as trackers speak it. With h2c on, Vert.x waits for a connection's first bytes before it
    // exists for us, and a silent connection would escape the connection cap and the read deadlines.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(120)
        .setCompressionSupported(false).setHttp2ClearTextEnabled(false));
    return server.connectionHandler(guard::admit).invalidRequestHandler(MalformedRequests.INSTANCE)
        .requestHandler(this::handle).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      JsonErrors.send(request.response(), 405, "method_not_allowed", "OsmAnd takes GET or POST");
      return;
    }
    if (request.method() == HttpMethod.GET) {
      take(request, OsmAndDecoder.decodeQuery(request.params()), false);
      return;
    }
    BoundedBody.read(request, MAX_BODY_BYTES)
        .onSuccess(body -> onBody(request, body))
        .onFailure(err -> {
          ApiError e = (ApiError) err;
          JsonErrors.send(request.response(), e.status(), e.code(), e.getMessage());
        });
  }

  private void onBody(HttpServerRequest request, Buffer body) {
    String text = body.length() == 0 ? "" : body.toString(StandardCharsets.UTF_8).trim();
    if (text.startsWith("{")) {
      try {
        take(request, OsmAndDecoder.decodeJson(new JsonObject(text)), true);
      } catch (DecodeException e) {
        JsonErrors.send(request.response(), 400, "invalid_json", "the request body is not valid JSON");
      }
      return;
    }
    MultiMap params = request.params();
    if (!text.isEmpty()) {
      // A form body (application/x-www-form-urlencoded) carries the same parameters as the query.
      params = MultiMap.caseInsensitiveMultiMap().addAll(params);
      try {
        for (String pair : text.split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            params.add(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      } catch (IllegalArgumentException e) {
        JsonErrors.send(request.response(), 400, "bad_request", "the form body is not URL-encoded");
        return;
      }
    }
    take(request, OsmAndDecoder.decodeQuery(params), false);
  }

  private void take(HttpServerRequest request, OsmAndDecoder.Message message, boolean json) {
    if (message.deviceKey() == null || message.error() != null && message.points().isEmpty()) {
      JsonErrors.send(request.response(), 400, "bad_request", message.error());
      return;
    }
    // An address that used up its unknown-device answers gets 429 for every key, known or not: a different answer
    // for a known key would let it go on guessing.
    String client = guard.clientOf(request);
    long wait = guard.probing(client);
    if (wait > 0) {
      request.response().putHeader("Retry-After", String.valueOf(wait));
      JsonErrors.send(request.response(), 429, "too_many_unknown_devices", "too many unknown device keys from"
          + " this address; retry after " + wait + " s");
      return;
    }
    // A key that could never have been registered is unknown without asking the database.
    Future<Optional<DriverDirectory.DriverRef>> lookup = DEVICE_KEY.matcher(message.deviceKey()).matches()
        ? directory.device(message.deviceKey()) : Future.succeededFuture(Optional.empty());
    lookup
        .onSuccess(found -> {
          if (found.isEmpty()) {
            guard.unknownDevice(client);
            // Traccar's answers: 400 for an unknown device in the query form, 404 in the JSON form.
            JsonErrors.send(request.response(), json ? 404 : 400, "unknown_device",
                "no device registered with key " + message.deviceKey());
            return;
          }
          try {
            ingestor.ingest(found.get().driverId(), found.get().tenant(), message.points());
            request.response().end();
          } catch (ApiError e) {
            if (e.status() == 503) {
              request.response().putHeader("Retry-After", "1");
            }
            JsonErrors.send(request.response(), e.status(), e.code(), e.getMessage());
          }
        })
        .onFailure(err -> {
          request.response().putHeader("Retry-After", "2");
          JsonErrors.send(request.response(), 503, "unavailable", "cannot look the device up now; retry shortly");
        });
  }
}

package io.switchboard.console;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.http.RouteContributor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Duration;

/**
 * The dispatcher console: a static page under {@code /console/} (docs/console.md), the settings it reads at start
 * ({@code /console/config.json}) and, on a developer's cluster only, a sign-in that mints a dispatcher token.
 */
public final class ConsoleRoutes implements RouteContributor {

  public static final String PATH = "/console";

  private final SwitchboardConfig.Console config;
  private final Duration staleAfter;
  private final DevSignIn devSignIn;

  /** {@code staleAfter}: when the fleet forgets a silent driver; the map forgets it then too. */
  public ConsoleRoutes(SwitchboardConfig.Console config, Duration staleAfter, DevSignIn devSignIn) {
    this.config = config;
    this.staleAfter = staleAfter;
    this.devSignIn = devSignIn;
  }

  @Override
  public void mount(Router router) {
    router.get("/").handler(ConsoleRoutes::redirectToConsole);
    router.get(PATH).handler(ConsoleRoutes::redirectToConsole);
    router.get(PATH + "/config.json").handler(this::sendConfig);
    if (devSignIn != null) {
      router.post(PATH + "/dev-token").handler(devSignIn::handle);
    } else {
      router.post(PATH + "/dev-token").handler(ctx -> JsonErrors.send(ctx.response(), 404, "not_found",
          "the development sign-in is off on this cluster (SB_DEV_SIGNIN)"));
    }
    // The page changes with every release: cached for a minute at most, then revalidated (ETag).
    router.get(PATH + "/*").handler(StaticHandler.create("console").setMaxAgeSeconds(60)
        .setDefaultContentEncoding("UTF-8"));
  }

  private static void redirectToConsole(RoutingContext ctx) {
    // Vert.x Web matches "/console" and "/console/" alike: only the former moves.
    if (ctx.request().path().endsWith("/") && ctx.request().path().length() > 1) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(302).putHeader("Location", PATH + "/").end();
  }

  private void sendConfig(RoutingContext ctx) {
    JsonObject body = new JsonObject()
        .put("tileUrl", config.tileUrl())
        .put("tileAttribution", config.tileAttribution())
        .put("devSignIn", devSignIn != null)
        .put("staleAfterMs", staleAfter.toMillis());
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache")
        .end(body.encode());
  }
}

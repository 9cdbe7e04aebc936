package io.switchboard.console;

import io.switchboard.core.auth.TokenMinter;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.JsonErrors;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code POST /console/dev-token}: a dispatcher token of the configured tenant for whoever asks. It exists so that
 * a newcomer sees the console at once after {@code cluster.sh up}; anyone who can reach the node becomes a
 * dispatcher, so it is off unless {@code SB_DEV_SIGNIN=true} and needs the HS256 secret.
 */
public final class DevSignIn {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-.@]{1,64}");

  private final TokenMinter minter;
  private final SwitchboardConfig.Console config;

  private static final Logger LOG = LoggerFactory.getLogger(DevSignIn.class);

  private DevSignIn(TokenMinter minter, SwitchboardConfig.Console config) {
    this.minter = minter;
    this.config = config;
  }

  /** The sign-in when the configuration allows it, else null. */
  public static DevSignIn ifEnabled(Vertx vertx, SwitchboardConfig config) {
    if (!config.console().devSignIn()) {
      return null;
    }
    if (config.auth().jwtSecret().isBlank()) {
      throw new IllegalArgumentException("SB_DEV_SIGNIN needs SB_JWT_SECRET: it mints HS256 tokens");
    }
    return new DevSignIn(new TokenMinter(vertx, config.auth()), config.console());
  }

  void handle(RoutingContext ctx) {
    String subject = ctx.request().getParam("name");
    if (subject == null || subject.isBlank()) {
      subject = "dispatcher";
    }
    if (!NAME.matcher(subject).matches()) {
      JsonErrors.send(ctx.response(), 400, "bad_request", "name must be 1-64 characters of letters, digits and _-.@");
      return;
    }
    String token = minter.mint(subject, "dispatcher", config.devTenant(), config.devTokenTtl());
    // Anyone who reaches the page gets a dispatcher's token: each one is worth a line in the log.
    LOG.warn("Development sign-in: dispatcher token for {} on tenant {} (SB_DEV_SIGNIN is on)", subject,
        config.devTenant());
    JsonObject body = new JsonObject()
        .put("token", token)
        .put("subject", subject)
        .put("role", "dispatcher")
        .put("tenant", config.devTenant())
        .put("expiresAt", Instant.now().plus(config.devTokenTtl()).toString());
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}

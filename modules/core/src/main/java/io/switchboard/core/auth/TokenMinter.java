package io.switchboard.core.auth;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.time.Duration;

/** Mints HS256 tokens: for the local cluster's {@code token} command, tests and the benchmark tool. */
public final class TokenMinter {

  private final JWTAuth jwt;
  private final String issuer;

  public TokenMinter(Vertx vertx, SwitchboardConfig.Auth config) {
    this.jwt = JWTAuth.create(vertx, TokenKeys.of(config, java.util.List.of(), null).options());
    this.issuer = config.issuer();
  }

  public String mint(String subject, String role, String tenant, Duration validFor) {
    return mint(subject, role, tenant, validFor, new JsonObject());
  }

  /** With extra claims, such as {@code channels} (patterns the token may subscribe to). */
  public String mint(String subject, String role, String tenant, Duration validFor, JsonObject extra) {
    JsonObject claims = extra.copy().put("role", role);
    if (tenant != null && !tenant.isBlank()) {
      claims.put("tenant", tenant);
    }
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setSubject(subject)
        .setExpiresInSeconds((int) validFor.toSeconds());
    if (!issuer.isBlank()) {
      options.setIssuer(issuer);
    }
    return jwt.generateToken(claims, options);
  }
}

package io.switchboard.core.auth;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Verifies HS256 JWTs with vertx-auth-jwt. Refuses to exist without a secret: with no key loaded vertx-auth-jwt
 * accepts unsigned ({@code alg: none}) tokens. Also requires {@code exp}, which vertx-auth-jwt would not.
 */
public final class TokenVerifier {

  private final JWTAuth jwt;
  private final VerifiedTokenCache cache = new VerifiedTokenCache();

  public TokenVerifier(Vertx vertx, SwitchboardConfig.Auth config) {
    this.jwt = JWTAuth.create(vertx, options(config));
  }

  /** Throws unless a token key is configured: without one, vertx-auth-jwt would accept unsigned tokens. */
  public static void requireKey(SwitchboardConfig.Auth config) {
    if (config.jwtSecret() == null || config.jwtSecret().isBlank()) {
      throw new IllegalStateException("SB_JWT_SECRET is not set: refusing to start without a token key");
    }
  }

  static JWTAuthOptions options(SwitchboardConfig.Auth config) {
    requireKey(config);
    JWTOptions jwtOptions = new JWTOptions().setLeeway((int) config.leeway().toSeconds());
    if (!config.issuer().isBlank()) {
      jwtOptions.setIssuer(config.issuer());
    }
    return new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret()))
        .setJWTOptions(jwtOptions);
  }

  public Future<Principal> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(AuthException.unauthorized("a token is required"));
    }
    Principal cached = cache.get(token, System.currentTimeMillis());
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(AuthException.unauthorized("invalid token")))
        .compose(user -> {
          // vertx-auth-jwt keeps the decoded claims under attributes.accessToken; principal holds the raw token.
          JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
          if (!claims.containsKey("exp")) {
            return Future.failedFuture(AuthException.unauthorized("token has no exp claim"));
          }
          String sub = claims.getString("sub");
          if (sub == null || sub.isBlank()) {
            return Future.failedFuture(AuthException.unauthorized("token has no sub claim"));
          }
          Principal principal = new Principal(sub, claims.getString("role", "customer"),
              claims.getString("tenant", ""));
          cache.put(token, principal, claims.getLong("exp") * 1000);
          return Future.succeededFuture(principal);
        });
  }
}

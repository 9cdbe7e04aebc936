package io.switchboard.core.auth;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Verifies JWTs: HS256 with a secret, RS256/ES256 with PEM public keys, and the keys of a JWKS document, refreshed
 * periodically and when a token names a key id it does not know (keys rotate without downtime).
 *
 * <p>What vertx-auth-jwt would let through, refused here: any token when no key is loaded (it then accepts
 * {@code alg: none}) — we refuse to start; an algorithm other than those of the configured keys (no HS/RS
 * confusion); a token without {@code exp}; a wrong audience (checked here, exactly); {@code nbf} in the future.
 */
public final class TokenVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
  private static final long MIN_REFRESH_GAP_MS = 10_000;

  private final Vertx vertx;
  private final SwitchboardConfig.Auth config;
  private final List<String> pems;
  private final VerifiedTokenCache cache = new VerifiedTokenCache();
  private volatile TokenKeys keys;
  private volatile JWTAuth jwt;
  private volatile long lastRefresh;

  private TokenVerifier(Vertx vertx, SwitchboardConfig.Auth config, List<String> pems) {
    this.vertx = vertx;
    this.config = config;
    this.pems = pems;
  }

  /** HS256 only, synchronous: for tools and tests that have a secret. */
  public TokenVerifier(Vertx vertx, SwitchboardConfig.Auth config) {
    this(vertx, config, List.of());
    install(TokenKeys.of(config, List.of(), null));
  }

  /** Reads the PEM files and the JWKS document, then keeps the JWKS fresh. */
  public static Future<TokenVerifier> create(Vertx vertx, SwitchboardConfig.Auth config) {
    requireKey(config);
    List<Future<String>> reads = new ArrayList<>();
    for (String file : config.publicKeyFiles()) {
      reads.add(vertx.fileSystem().readFile(file).map(Buffer::toString));
    }
    return Future.all(reads).compose(all -> {
      TokenVerifier verifier = new TokenVerifier(vertx, config, all.list());
      return verifier.reload().map(verifier);
    }).onSuccess(v -> {
      if (!config.jwks().isBlank()) {
        vertx.setPeriodic(config.jwksRefresh().toMillis(), t -> v.reload()
            .onFailure(err -> LOG.warn("JWKS refresh failed, keeping the keys we have: {}", err.getMessage())));
      }
    });
  }

  /** Throws unless a token key is configured: without one, vertx-auth-jwt would accept unsigned tokens. */
  public static void requireKey(SwitchboardConfig.Auth config) {
    if (!config.hasKey()) {
      throw new IllegalStateException(
          "no token key: set SB_JWT_SECRET, SB_JWT_PUBLIC_KEYS or SB_JWT_JWKS; refusing to start without one");
    }
  }

  private Future<Void> reload() {
    lastRefresh = System.currentTimeMillis();
    Future<JsonObject> jwks = config.jwks().isBlank() ? Future.succeededFuture(null) : fetchJwks();
    return jwks.map(doc -> {
      install(TokenKeys.of(config, pems, doc));
      return null;
    });
  }

  private void install(TokenKeys k) {
    jwt = JWTAuth.create(vertx, k.options());
    keys = k;
  }

  private Future<JsonObject> fetchJwks() {
    String source = config.jwks();
    Future<Buffer> body;
    if (source.startsWith("http://") || source.startsWith("https://")) {
      body = vertx.createHttpClient()
          .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(source))
          .compose(req -> req.send())
          .compose(resp -> resp.statusCode() == 200 ? resp.body()
              : Future.failedFuture("JWKS answered HTTP " + resp.statusCode()));
    } else {
      body = vertx.fileSystem().readFile(source);
    }
    return body.map(Buffer::toJsonObject);
  }

  public Future<Principal> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(AuthException.unauthorized("a token is required"));
    }
    Principal cached = cache.get(token, System.currentTimeMillis());
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    JsonObject header;
    try {
      header = header(token);
    } catch (RuntimeException e) {
      return Future.failedFuture(AuthException.unauthorized("malformed token"));
    }
    String alg = header.getString("alg", "");
    if (!keys.algorithms().contains(alg)) {
      return Future.failedFuture(AuthException.unauthorized("token algorithm not accepted"));
    }
    String kid = header.getString("kid");
    if (kid != null && !config.jwks().isBlank() && !keys.kids().contains(kid)
        && System.currentTimeMillis() - lastRefresh > MIN_REFRESH_GAP_MS) {
      // A key we have not seen: the issuer may have rotated. Refresh once, then verify.
      return reload().recover(err -> Future.succeededFuture()).compose(v -> authenticate(token));
    }
    return authenticate(token);
  }

  private Future<Principal> authenticate(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(AuthException.unauthorized("invalid token")))
        .compose(user -> {
          // vertx-auth-jwt keeps the decoded claims under attributes.accessToken; principal holds the raw token.
          JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
          String problem = problemWith(claims);
          if (problem != null) {
            return Future.failedFuture(AuthException.unauthorized(problem));
          }
          List<String> granted = new ArrayList<>();
          if (claims.getValue("channels") instanceof JsonArray patterns) {
            patterns.forEach(p -> {
              if (p instanceof String s && !s.isBlank()) {
                granted.add(s);
              }
            });
          }
          long validUntil = (claims.getLong("exp") + config.leeway().toSeconds()) * 1000;
          Principal principal = new Principal(claims.getString("sub"), claims.getString("role", "customer"),
              claims.getString("tenant", ""), granted, validUntil);
          cache.put(token, principal, validUntil);
          return Future.succeededFuture(principal);
        });
  }

  private String problemWith(JsonObject claims) {
    long now = System.currentTimeMillis() / 1000;
    long leeway = config.leeway().toSeconds();
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return "token has no exp claim";
    }
    if (exp.longValue() + leeway < now) {
      return "token expired";
    }
    if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() - leeway > now) {
      return "token not valid yet";
    }
    String sub = claims.getString("sub");
    if (sub == null || sub.isBlank()) {
      return "token has no sub claim";
    }
    if (!config.issuer().isBlank() && !config.issuer().equals(claims.getString("iss"))) {
      return "wrong token issuer";
    }
    if (!config.audience().isBlank()) {
      Object aud = claims.getValue("aud");
      boolean ok = aud instanceof String s ? s.equals(config.audience())
          : aud instanceof JsonArray a && a.contains(config.audience());
      if (!ok) {
        return "wrong token audience";
      }
    }
    return null;
  }

  private static JsonObject header(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException("no header");
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new IllegalArgumentException("bad header", e);
    }
  }
}

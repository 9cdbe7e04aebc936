package io.switchboard.core.auth;

import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One set of verification keys: the HS256 secret, PEM public keys, and the keys of a JWKS document. It knows which
 * algorithms its keys are for, so a token signed with any other (including {@code none}) is refused before
 * vertx-auth-jwt sees it, and which key ids it has, so an unknown {@code kid} can trigger a JWKS refresh.
 */
record TokenKeys(JWTAuthOptions options, Set<String> algorithms, Set<String> kids) {

  /** {@code pems}: the contents of the PEM files; {@code jwks}: the parsed JWKS document, or null. */
  static TokenKeys of(SwitchboardConfig.Auth config, List<String> pems, JsonObject jwks) {
    JWTOptions jwtOptions = new JWTOptions().setLeeway((int) config.leeway().toSeconds());
    if (!config.issuer().isBlank()) {
      jwtOptions.setIssuer(config.issuer());
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(jwtOptions);
    Set<String> algorithms = new LinkedHashSet<>();
    Set<String> kids = new LinkedHashSet<>();
    if (!config.jwtSecret().isBlank()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret()));
      algorithms.add("HS256");
    }
    for (String pem : pems) {
      String alg = algorithmOf(pem);
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem));
      algorithms.add(alg);
    }
    if (jwks != null) {
      JsonArray keys = jwks.getJsonArray("keys", new JsonArray());
      for (Object o : keys) {
        if (!(o instanceof JsonObject jwk)) {
          continue;
        }
        String alg = jwk.getString("alg", "RSA".equals(jwk.getString("kty")) ? "RS256" : "ES256");
        if (!alg.equals("RS256") && !alg.equals("ES256")) {
          continue; // only asymmetric keys come from a JWKS document
        }
        options.addJwk(jwk.copy().put("alg", alg));
        algorithms.add(alg);
        if (jwk.getString("kid") != null) {
          kids.add(jwk.getString("kid"));
        }
      }
    }
    if (algorithms.isEmpty()) {
      throw new IllegalStateException("no token key configured (SB_JWT_SECRET, SB_JWT_PUBLIC_KEYS or SB_JWT_JWKS)");
    }
    return new TokenKeys(options, Set.copyOf(algorithms), Set.copyOf(kids));
  }

  /** RS256 for an RSA public key, ES256 for an EC one. */
  static String algorithmOf(String pem) {
    if (!pem.contains("BEGIN PUBLIC KEY")) {
      throw new IllegalStateException("a token public key must be a PEM \"PUBLIC KEY\" (X.509 SubjectPublicKeyInfo)");
    }
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
    try {
      KeyFactory.getInstance("RSA").generatePublic(spec);
      return "RS256";
    } catch (Exception notRsa) {
      try {
        KeyFactory.getInstance("EC").generatePublic(spec);
        return "ES256";
      } catch (Exception notEc) {
        throw new IllegalStateException("a token public key is neither RSA nor EC", notEc);
      }
    }
  }
}

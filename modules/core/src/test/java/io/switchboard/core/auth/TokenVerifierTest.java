package io.switchboard.core.auth;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens as an attacker would try them: every forgery is refused, every valid key kind is accepted. */
class TokenVerifierTest {

  private static final String SECRET = "a-development-secret-of-enough-length-0123456789";
  private static Vertx vertx;
  private static KeyPair rsa;
  private static KeyPair ec;
  private static KeyPair rsa2;

  @TempDir
  static Path dir;

  @BeforeAll
  static void keys() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    rsa2 = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp256r1"));
    ec = e.generateKeyPair();
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  @Test
  void hs256_rs256_and_es256_tokens_from_configured_keys_are_accepted() throws Exception {
    TokenVerifier verifier = verifier(config(SECRET, List.of(pemFile("rsa.pem", rsa), pemFile("ec.pem", ec)), "", ""));
    assertThat(subjectOf(verifier, hs256(SECRET, claims(), new JWTOptions().setExpiresInSeconds(60)))).isEqualTo("u1");
    assertThat(subjectOf(verifier, signed("RS256", rsa, null, claims(), new JWTOptions().setExpiresInSeconds(60))))
        .isEqualTo("u1");
    assertThat(subjectOf(verifier, signed("ES256", ec, null, claims(), new JWTOptions().setExpiresInSeconds(60))))
        .isEqualTo("u1");
  }

  @Test
  void forged_expired_and_misaddressed_tokens_are_refused() throws Exception {
    SwitchboardConfig.Auth config = config("", List.of(pemFile("rsa-only.pem", rsa)), "", "switchboard");
    TokenVerifier verifier = verifier(config);
    JWTOptions ok = new JWTOptions().setExpiresInSeconds(60).setAudience(List.of("switchboard"));
    String valid = signed("RS256", rsa, null, claims(), ok);
    assertThat(subjectOf(verifier, valid)).isEqualTo("u1");

    String[] parts = valid.split("\\.");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    // HS256 "signed" with the RSA public key as the secret: the classic key-confusion forgery.
    String confused = hs256(pem(rsa), claims(), ok);
    String tampered = parts[0] + "." + b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"u1\"", "\"admin-1\"")) + "." + parts[2];
    String otherKey = signed("RS256", rsa2, null, claims(), ok);
    String expired = signed("RS256", rsa, null, claims().put("exp", now() - 3600), new JWTOptions()
        .setAudience(List.of("switchboard")));
    String noExp = signed("RS256", rsa, null, claims(), new JWTOptions().setAudience(List.of("switchboard")));
    String notYet = signed("RS256", rsa, null, claims().put("nbf", now() + 3600), ok);
    String wrongAudience = signed("RS256", rsa, null, claims(), new JWTOptions().setExpiresInSeconds(60)
        .setAudience(List.of("someone-else")));
    String noAudience = signed("RS256", rsa, null, claims(), new JWTOptions().setExpiresInSeconds(60));

    for (String forged : List.of(none, confused, tampered, otherKey, expired, noExp, notYet, wrongAudience,
        noAudience, "garbage", "a.b.c")) {
      assertThat(failureOf(verifier, forged)).as(forged).isInstanceOf(AuthException.class)
          .extracting(e -> ((AuthException) e).status()).isEqualTo(401);
    }
  }

  @Test
  void a_wrong_issuer_is_refused() throws Exception {
    SwitchboardConfig.Auth config = new SwitchboardConfig.Auth(SECRET, "https://issuer.example", Duration.ofSeconds(5),
        List.of(), "", Duration.ofMinutes(5), "");
    TokenVerifier verifier = verifier(config);
    assertThat(subjectOf(verifier, hs256(SECRET, claims(), new JWTOptions().setExpiresInSeconds(60)
        .setIssuer("https://issuer.example")))).isEqualTo("u1");
    assertThat(failureOf(verifier, hs256(SECRET, claims(), new JWTOptions().setExpiresInSeconds(60)
        .setIssuer("https://evil.example")))).isInstanceOf(AuthException.class);
  }

  @Test
  void jwks_keys_rotate_without_a_restart_and_unknown_kids_are_refused() throws Exception {
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JsonObject().put("keys", new JsonArray().add(jwk("k1", rsa))).encode());
    TokenVerifier verifier = verifier(config("", List.of(), jwks.toString(), ""));
    JWTOptions ok = new JWTOptions().setExpiresInSeconds(60);
    assertThat(subjectOf(verifier, signed("RS256", rsa, "k1", claims(), ok))).isEqualTo("u1");

    // The issuer publishes k2 beside k1 and starts signing with it: the unknown kid makes the verifier refresh.
    Files.writeString(jwks, new JsonObject().put("keys", new JsonArray().add(jwk("k1", rsa)).add(jwk("k2", rsa2)))
        .encode());
    Thread.sleep(10_100); // refreshes on unknown kids are at least 10 s apart
    assertThat(subjectOf(verifier, signed("RS256", rsa2, "k2", claims(), ok))).isEqualTo("u1");
    assertThat(failureOf(verifier, signed("RS256", rsa2, "k3", claims(), ok))).isInstanceOf(AuthException.class);
  }

  @Test
  void a_jwks_document_is_fetched_from_a_url() throws Exception {
    String doc = new JsonObject().put("keys", new JsonArray().add(jwk("web-1", rsa))).encode();
    io.vertx.core.http.HttpServer server = Await.result(vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(doc))
        .listen(0, "127.0.0.1"));
    try {
      TokenVerifier verifier = verifier(config("", List.of(),
          "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json", ""));
      assertThat(subjectOf(verifier, signed("RS256", rsa, "web-1", claims(), new JWTOptions().setExpiresInSeconds(60))))
          .isEqualTo("u1");
      assertThat(failureOf(verifier, signed("RS256", rsa2, "web-1", claims(), new JWTOptions().setExpiresInSeconds(60))))
          .as("signed by another key under the same kid").isInstanceOf(AuthException.class);
    } finally {
      Await.result(server.close());
    }
  }

  @Test
  void a_node_refuses_to_start_without_any_key() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenVerifier.requireKey(config("", List.of(), "", "")))
        .isInstanceOf(IllegalStateException.class);
  }

  private static SwitchboardConfig.Auth config(String secret, List<String> pems, String jwks, String audience) {
    return new SwitchboardConfig.Auth(secret, "", Duration.ofSeconds(5), pems, jwks, Duration.ofMinutes(5), audience);
  }

  private static TokenVerifier verifier(SwitchboardConfig.Auth config) {
    return Await.result(TokenVerifier.create(vertx, config));
  }

  private static String subjectOf(TokenVerifier verifier, String token) {
    return Await.result(verifier.verify(token)).subject();
  }

  private static Throwable failureOf(TokenVerifier verifier, String token) {
    Future<Principal> f = verifier.verify(token);
    try {
      Await.result(f);
      return null;
    } catch (RuntimeException e) {
      return f.cause();
    }
  }

  private static JsonObject claims() {
    return new JsonObject().put("sub", "u1").put("role", "customer").put("tenant", "t1");
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static String hs256(String secret, JsonObject claims, JWTOptions options) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, options.setAlgorithm("HS256"));
  }

  private static String signed(String alg, KeyPair pair, String kid, JsonObject claims, JWTOptions options) {
    String privatePem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(alg).setBuffer(privatePem);
    if (kid != null) {
      key.setId(kid);
      options.setHeader(new JsonObject().put("kid", kid));
    }
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key)).generateToken(claims, options.setAlgorithm(alg));
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static String pemFile(String name, KeyPair pair) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, pem(pair));
    return file.toString();
  }

  private static JsonObject jwk(String kid, KeyPair pair) {
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("alg", "RS256").put("use", "sig")
        .put("n", b64u(pub.getModulus())).put("e", b64u(pub.getPublicExponent()));
  }

  private static String b64u(BigInteger v) {
    byte[] bytes = v.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

package io.switchboard.gateway.wire;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** The server's side of RFC 6455's opening handshake (section 4.2): which requests may upgrade, and the answer key. */
public final class WebSocketHandshake {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  /** A base64 encoded 16-byte nonce (4.2.1, item 5). */
  private static final Pattern KEY = Pattern.compile("[+/0-9A-Za-z]{21}[AQgw]==");

  private WebSocketHandshake() {}

  /** Why {@code req} cannot become a WebSocket, or null when it can. */
  public static String refusal(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET || req.version() != HttpVersion.HTTP_1_1) {
      return "a WebSocket opens with an HTTP/1.1 GET";
    }
    String upgrade = req.getHeader("Upgrade");
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      return "a WebSocket needs the header Upgrade: websocket";
    }
    if (!hasToken(req.getHeader("Connection"), "upgrade")) {
      return "a WebSocket needs the header Connection: Upgrade";
    }
    if (!"13".equals(req.getHeader("Sec-WebSocket-Version"))) {
      return "this server speaks WebSocket version 13 (Sec-WebSocket-Version: 13)";
    }
    String key = req.getHeader("Sec-WebSocket-Key");
    if (key == null || !KEY.matcher(key.trim()).matches()) {
      return "Sec-WebSocket-Key must be a base64 encoded 16-byte value";
    }
    return null;
  }

  /** {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
  public static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }

  private static boolean hasToken(String header, String token) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}

package io.switchboard.gateway.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * A WebSocket served below Vert.x: the request's HTTP/1.1 connection switches to Netty's frame codec, and Vert.x's
 * HTTP connection stays behind it as for an SSE stream, an answer in progress that sees only the end.
 *
 * <p>Why not Vert.x's {@code ServerWebSocket}: it puts a second Vert.x connection on the socket that ignores the
 * server's strict thread mode (a cross-thread write queue of about 4.5 KB per socket) and keeps the upgrade's
 * request, response and headers alive, together about 7 KB of heap per idle socket, more than everything else a
 * Socket.IO client costs (docs/benchmarks.md). Frames out are written pre-encoded by the {@link RawChannel}, as
 * they were; frames in are {@link WebSocketInput}'s.
 */
public final class RawWebSocket {

  private final RawChannel raw;
  private final WebSocketInput input;

  private RawWebSocket(RawChannel raw, WebSocketInput input) {
    this.raw = raw;
    this.input = input;
  }

  /**
   * Answers {@code req} with 101 and switches its connection to WebSocket; on the request's event loop, once
   * {@link WebSocketHandshake#refusal} found nothing wrong. Messages the client sends are at most {@code maxPayload}
   * bytes.
   */
  public static RawWebSocket accept(HttpServerRequest req, int maxPayload) {
    ConnectionBase connection = (ConnectionBase) req.connection();
    Channel channel = connection.channel();
    ChannelHandlerContext vertx = connection.channelHandlerContext();
    FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
    switching.headers()
        .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, WebSocketHandshake.accept(req.getHeader("Sec-WebSocket-Key")));
    // Through the handlers in front of Vert.x's (the read deadlines stop timing the client on a 101) and the HTTP
    // encoder, synchronously: on the event loop, the 101 is encoded when this returns, and the codecs can change.
    vertx.writeAndFlush(switching);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.replace(HttpResponseEncoder.class, "switchboard-ws-encoder", new WebSocket13FrameEncoder(false));
    WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxPayload)
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .closeOnProtocolViolation(false) // WebSocketInput closes, without resetting the connection
        .build();
    WebSocketInput input = new WebSocketInput(connection.context(), maxPayload);
    pipeline.replace(HttpRequestDecoder.class, "switchboard-ws-decoder", new WebSocket13FrameDecoder(config));
    // After the encoder, so what it writes (pongs, close frames) is encoded.
    pipeline.addAfter("switchboard-ws-encoder", "switchboard-ws-input", input);
    // Idle for hours, like an SSE stream: the header maps are about 1 KB of each (docs/benchmarks.md).
    req.headers().clear();
    req.response().headers().clear();
    return new RawWebSocket(RawChannel.ofWebSocket(req.connection()), input);
  }

  /** The socket's writing side: pre-encoded frames ({@link WebSocketFrames}). */
  public RawChannel raw() {
    return raw;
  }

  /** Who gets the client's messages from now on; on the socket's event loop. */
  public void listen(WebSocketListener listener) {
    input.listen(listener);
  }

  public void writeText(String text) {
    raw.writeAndFlush(WebSocketFrames.single(text));
  }

  public boolean isOpen() {
    return raw.isOpen();
  }

  /**
   * Ends the WebSocket as RFC 6455 asks: what is queued goes out, then a close frame (1000); the connection closes
   * when the client answers with its own, or after {@link WebSocketInput#CLOSING_TIMEOUT_MS} (a client that stopped
   * reading never will). A connection closed without a close frame looks like a failure (1006) to the client, and
   * some clients do not notice it until they next write.
   */
  public void end() {
    raw.flush();
    input.end();
  }
}

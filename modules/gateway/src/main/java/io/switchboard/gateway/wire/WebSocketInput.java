package io.switchboard.gateway.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.internal.ContextInternal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The inbound side of a {@link RawWebSocket}, right after Netty's frame decoder and the frame encoder: joins a
 * message's frames (at most maxPayload bytes in all), answers pings and the client's close, and hands whole messages
 * to the listener on the socket's Vert.x context. Nothing of the WebSocket reaches Vert.x's HTTP connection behind
 * it, except the connection's end.
 *
 * <p>A message past maxPayload or a broken frame gets a close frame saying why (1009, 1002); then what the client
 * still sends is read and dropped until it closes its side, or for at most {@link #CLOSING_TIMEOUT_MS}. Closing the
 * socket at once would drop the rest of a large message unread, and a socket closed with unread bytes is reset:
 * the client would see the connection fail (1006) and often never read the close frame.
 */
final class WebSocketInput extends ChannelInboundHandlerAdapter {

  static final long CLOSING_TIMEOUT_MS = 1_000;
  private static final String TOO_BIG = "message larger than maxPayload";

  private final ContextInternal context;
  private final int maxPayload;
  private WebSocketListener listener = WebSocketListener.NONE;
  private CompositeByteBuf fragments;   // a message whose last frame has not come yet
  private boolean fragmentsText;
  private boolean closing;              // a close frame went out: the client's messages no longer count
  private ScheduledFuture<?> closingTimer;
  private ChannelHandlerContext ctx;    // this handler's, for what the socket's owner asks (end)

  WebSocketInput(ContextInternal context, int maxPayload) {
    this.context = context;
    this.maxPayload = maxPayload;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** On the event loop. */
  void listen(WebSocketListener listener) {
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame) || closing) {
      if (closing && msg instanceof CloseWebSocketFrame) {
        ctx.close(); // the client answered our close frame: the closing handshake is done
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      switch (frame) {
        case TextWebSocketFrame text -> first(text, true);
        case BinaryWebSocketFrame binary -> first(binary, false);
        case ContinuationWebSocketFrame more -> more(more);
        case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        case CloseWebSocketFrame close -> {
          // The client ends: echo its status (RFC 6455 5.5.1), then the server closes the TCP connection first.
          closing = true;
          int status = close.statusCode() > 0 ? close.statusCode() : WebSocketCloseStatus.NORMAL_CLOSURE.code();
          ctx.writeAndFlush(new CloseWebSocketFrame(status, null)).addListener(ChannelFutureListener.CLOSE);
        }
        default -> { } // pong
      }
    } finally {
      frame.release();
    }
  }

  private void first(WebSocketFrame frame, boolean text) {
    if (frame.isFinalFragment()) {
      deliver(frame.content(), text);
    } else {
      fragments = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
      fragments.addComponent(true, frame.content().retain());
      fragmentsText = text;
    }
  }

  private void more(ContinuationWebSocketFrame frame) {
    if ((long) fragments.readableBytes() + frame.content().readableBytes() > maxPayload) {
      closeWith(WebSocketCloseStatus.MESSAGE_TOO_BIG, TOO_BIG);
      return;
    }
    fragments.addComponent(true, frame.content().retain());
    if (frame.isFinalFragment()) {
      CompositeByteBuf whole = fragments;
      fragments = null;
      try {
        deliver(whole, fragmentsText);
      } finally {
        whole.release();
      }
    }
  }

  private void deliver(ByteBuf content, boolean text) {
    if (text) {
      context.dispatch(content.toString(StandardCharsets.UTF_8), t -> listener.text(t));
    } else {
      context.dispatch(ByteBufUtil.getBytes(content), b -> listener.binary(b));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException bad) {
      WebSocketCloseStatus status = bad.closeStatus();
      closeWith(status, status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code() ? TOO_BIG : "protocol error");
    } else {
      ctx.close();
    }
  }

  /** The server ends: a close frame (1000), then the client's answer, its end of the connection or the timeout. */
  void end() {
    if (ctx != null) {
      startClosing(WebSocketCloseStatus.NORMAL_CLOSURE, null);
    }
  }

  /**
   * The client broke the protocol: says why in a close frame, then drains what the client still sends until it
   * closes, or the timeout. Its frames are not decoded any more (the decoder may be lost in a broken frame), so
   * its own close frame goes unseen.
   */
  private void closeWith(WebSocketCloseStatus status, String reason) {
    if (closing || !ctx.channel().isActive()) {
      return;
    }
    WebSocketFrameDecoder decoder = ctx.pipeline().get(WebSocketFrameDecoder.class);
    if (decoder != null) {
      ctx.pipeline().replace(decoder, "switchboard-ws-drain", DiscardInput.INSTANCE);
    }
    startClosing(status, reason);
  }

  private void startClosing(WebSocketCloseStatus status, String reason) {
    if (closing || !ctx.channel().isActive()) {
      return;
    }
    closing = true;
    releaseFragments();
    ctx.writeAndFlush(reason == null ? new CloseWebSocketFrame(status) : new CloseWebSocketFrame(status, reason));
    closingTimer = ctx.executor().schedule(() -> ctx.close(), CLOSING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseFragments();
    if (closingTimer != null) {
      closingTimer.cancel(false);
    }
    context.dispatch(v -> listener.closed());
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseFragments();
  }

  private void releaseFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }
}

package io.switchboard.core.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines for what a client sends, so a slow or silent one cannot hold a connection (and its memory) for free:
 * a request's head must arrive within {@code head} of the connection opening, its body within {@code body} of its
 * head, and a kept-alive connection must bring its next request within {@code keepAlive} of the last response.
 * Past a deadline the connection is closed. A response that is still being written (an SSE stream, for hours) is
 * never cut: only the client's side is timed.
 *
 * <p>A Netty handler just before Vert.x's, seeing the decoded request and the response's last part: Vert.x's own
 * idle timeout cannot tell a silent attacker from a quiet stream.
 */
public final class ReadDeadlines {

  private final long headMs;
  private final long bodyMs;
  private final long keepAliveMs;

  public ReadDeadlines(Duration head, Duration body, Duration keepAlive) {
    this.headMs = head.toMillis();
    this.bodyMs = body.toMillis();
    this.keepAliveMs = keepAlive.toMillis();
  }

  /** Watches a new connection (call from the server's connection handler). */
  public void watch(HttpConnection connection) {
    if (headMs <= 0 && bodyMs <= 0 && keepAliveMs <= 0) {
      return;
    }
    ConnectionBase base = (ConnectionBase) connection;
    Channel channel = base.channel();
    ChannelHandlerContext vertx = base.channelHandlerContext();
    channel.pipeline().addBefore(vertx.name(), "switchboard-read-deadlines", new Handler());
  }

  private final class Handler extends ChannelDuplexHandler {
    private ScheduledFuture<?> timer;
    private boolean requestRead = true;   // no request in progress
    private boolean responded = true;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      arm(ctx, headMs);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        requestRead = false;
        responded = false;
        arm(ctx, bodyMs);
      }
      if (msg instanceof LastHttpContent) {
        requestRead = true;
        // The answer went out before the body was all in (a 413): the connection is idle from now.
        arm(ctx, responded ? keepAliveMs : 0);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse r && r.status().code() == 101) {
        // Switched to WebSocket: no more requests will come, and the protocol on top times its own client (a
        // Socket.IO connection closes without a pong). Timing its reads as a kept-alive HTTP connection's would
        // cut every WebSocket at the keep-alive time, however busy.
        cancel();
        ctx.pipeline().remove(this);
        ctx.write(msg, promise);
        return;
      }
      if (msg instanceof LastHttpContent) {
        // The answer is complete: the next request must come within the keep-alive time, or, when this one's
        // body is still coming (answered early, a 413), that body within the body time.
        responded = true;
        arm(ctx, requestRead ? keepAliveMs : bodyMs);
      } else if (msg instanceof HttpResponse && !requestRead) {
        // An answer has begun (a stream): the server has taken the request as it is. Nothing of the client's
        // side is timed while it is written; a stream may even have dropped the request decoder already.
        cancel();
      }
      ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }

    /** Replaces the running deadline; 0 means none. */
    private void arm(ChannelHandlerContext ctx, long ms) {
      cancel();
      if (ms > 0) {
        timer = ctx.executor().schedule(() -> {
          timer = null;
          ctx.close();
        }, ms, TimeUnit.MILLISECONDS);
      }
    }

    private void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }
}

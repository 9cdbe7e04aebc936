package io.switchboard.gateway.sse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The socket under an SSE response, once its head is written. Frames arrive here already chunk-encoded
 * (see {@code FrameEncoder}), so they are written below the HTTP encoder: a shared buffer's duplicate and a void
 * promise per write, no per-write futures, copies or encoder work. Frames of one batch are written first and
 * flushed once, so they leave in one syscall.
 *
 * <p>Everything after the head goes through here (never through {@code HttpServerResponse.write}), so the two
 * paths cannot reorder. Must be used on the connection's event loop.
 */
final class RawChannel {

  private final Channel channel;
  private final ChannelHandlerContext belowEncoder;
  private final ChannelHandlerContext vertxHandler;

  private RawChannel(Channel channel, ChannelHandlerContext belowEncoder, ChannelHandlerContext vertxHandler) {
    this.channel = channel;
    this.belowEncoder = belowEncoder;
    this.vertxHandler = vertxHandler;
  }

  static RawChannel of(HttpConnection connection) {
    ConnectionBase base = (ConnectionBase) connection;
    ChannelHandlerContext encoder = base.channel().pipeline().context(HttpResponseEncoder.class);
    if (encoder == null) {
      throw new IllegalStateException("not an HTTP/1.x connection");
    }
    return new RawChannel(base.channel(), encoder, base.channelHandlerContext());
  }

  /**
   * Drops the HTTP request decoder once the stream has started: an SSE client sends nothing more, and the
   * decoder's buffers are a good part of what an idle stream costs (docs/benchmarks.md). Anything the client
   * still sends is read and discarded.
   */
  void dropRequestDecoder() {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext decoder = pipeline.context(HttpRequestDecoder.class);
    if (decoder != null) {
      pipeline.replace(decoder.handler(), "switchboard-sse-input", IgnoreInput.INSTANCE);
    }
  }

  @ChannelHandler.Sharable
  private static final class IgnoreInput extends ChannelInboundHandlerAdapter {
    static final IgnoreInput INSTANCE = new IgnoreInput();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Queues a pre-encoded chunk; the shared buffer itself is never consumed. */
  void write(ByteBuf chunk) {
    belowEncoder.write(chunk.retainedDuplicate(), belowEncoder.voidPromise());
  }

  void flush() {
    belowEncoder.flush();
  }

  /** False once the unsent bytes passed the high-water mark set by setWriteQueueMaxSize. */
  boolean isWritable() {
    return channel.isWritable();
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Closes at once. Vert.x's own close first waits for everything queued to be flushed, which for a client that
   * stopped reading never happens; closing from Vert.x's handler context goes straight to the transport.
   */
  void close() {
    vertxHandler.close();
  }
}

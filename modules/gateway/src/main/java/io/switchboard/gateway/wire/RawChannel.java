package io.switchboard.gateway.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The socket under a stream once its protocol is set up: an SSE response once its head is written, or a WebSocket
 * once upgraded. Frames arrive already encoded for the wire (HTTP chunks, {@code FrameEncoder}; WebSocket frames,
 * {@code WebSocketFrames}), in buffers shared by every connection; {@link #write} queues them and {@link #flush}
 * sends what is queued in one system call.
 *
 * <p>On the epoll transport the bytes go straight to the socket: {@code send} for one frame, {@code writev} for
 * several, with no per-write objects and no walk through Netty's pipeline and outbound buffer, which cost more
 * user time per delivery than everything else on the fan-out path (docs/benchmarks.md). Netty is only the
 * fallback for what the kernel does not take: the unsent rest is handed to Netty's outbound buffer below the
 * protocol's encoder, which waits for the socket to become writable, and while Netty holds bytes every later frame goes
 * through it too, so the order on the wire is the order of {@link #write}s. A client that stops reading thus
 * fills the kernel's buffer, then Netty's; past the high-water mark it is no longer {@link #isWritable} and its
 * connection cuts it off, as before. On other transports every frame takes Netty's path.
 *
 * <p>Everything after the head goes through here (never through {@code HttpServerResponse.write}), so the paths
 * cannot reorder. Must be used on the connection's event loop, which is also the only thread that closes the
 * socket: checking {@code isOpen} before each send is what keeps a closed descriptor's number, reused by a newer
 * connection, from ever being written to.
 */
public final class RawChannel {

  private static final Logger LOG = LoggerFactory.getLogger(RawChannel.class);
  private static final ByteBuffer[] NONE = new ByteBuffer[0];
  /** Linux's IOV_MAX: a writev takes at most this many buffers. */
  private static final int MAX_GATHER = 1024;

  private final Channel channel;
  private final ChannelHandlerContext belowEncoder;
  private final ChannelHandlerContext vertxHandler;
  private final Socket socket;          // null: not the epoll transport, Netty writes everything
  private ByteBuffer[] queued = NONE;   // written since the last flush, not yet sent
  private int queuedCount;
  private boolean viaNetty = true;      // Netty may hold bytes of this stream (the head, a rest the kernel refused)
  private boolean nettyUnflushed;

  private RawChannel(Channel channel, ChannelHandlerContext belowEncoder, ChannelHandlerContext vertxHandler,
                     Socket socket) {
    this.channel = channel;
    this.belowEncoder = belowEncoder;
    this.vertxHandler = vertxHandler;
    this.socket = socket;
  }

  /** The socket of an HTTP/1.x response (an SSE stream), below its response encoder. */
  public static RawChannel of(HttpConnection connection) {
    ConnectionBase base = (ConnectionBase) connection;
    return of(base.channel(), HttpResponseEncoder.class, base.channelHandlerContext());
  }

  /**
   * The socket of a WebSocket, once {@code connection}'s request was upgraded, below its frame encoder: what is
   * written must be whole frames. (Taken from the connection: Vert.x Web hands out the WebSocket wrapped.)
   */
  public static RawChannel ofWebSocket(HttpConnection connection) {
    Channel channel = ((ConnectionBase) connection).channel();
    ChannelHandlerContext vertx = channel.pipeline().context(VertxHandler.class);
    if (vertx == null) {
      throw new IllegalStateException("no Vert.x handler on this connection");
    }
    return of(channel, WebSocketFrameEncoder.class, vertx);
  }

  private static RawChannel of(Channel channel, Class<? extends ChannelHandler> encoderType,
                               ChannelHandlerContext vertxHandler) {
    ChannelHandlerContext encoder = channel.pipeline().context(encoderType);
    if (encoder == null) {
      throw new IllegalStateException("no " + encoderType.getSimpleName() + " on this connection");
    }
    Socket socket = channel instanceof UnixChannel unix && unix.fd() instanceof Socket s ? s : null;
    return new RawChannel(channel, encoder, vertxHandler, socket);
  }

  /**
   * Drops the HTTP request decoder once the stream has started: an SSE client sends nothing more, and the
   * decoder's buffers are a good part of what an idle stream costs (docs/benchmarks.md). Anything the client
   * still sends is read and discarded.
   */
  public void dropRequestDecoder() {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext decoder = pipeline.context(HttpRequestDecoder.class);
    if (decoder != null) {
      pipeline.replace(decoder.handler(), "switchboard-sse-input", DiscardInput.INSTANCE);
    }
  }

  /**
   * Queues a pre-encoded chunk, a direct buffer ({@code FrameEncoder}), for the next {@link #flush}; the shared
   * buffer itself is never moved.
   */
  public void write(ByteBuffer chunk) {
    if (socket == null || viaNetty && !nettyDrained() || !chunk.isDirect()) {
      toNetty(chunk, 0);
      return;
    }
    if (queuedCount == queued.length) {
      queued = Arrays.copyOf(queued, Math.max(2, queuedCount * 2));
    }
    queued[queuedCount++] = chunk;
  }

  /** {@link #write} then {@link #flush}, without the queue when nothing waits. */
  public void writeAndFlush(ByteBuffer chunk) {
    if (queuedCount == 0 && !viaNetty && chunk.isDirect()) {
      sendNow(chunk);
    } else {
      write(chunk);
      flush();
    }
  }

  /** Sends what was queued since the last flush, in one system call when the kernel takes it all. */
  public void flush() {
    if (queuedCount > 0) {
      send();
    }
    if (nettyUnflushed) {
      nettyUnflushed = false;
      belowEncoder.flush();
    }
  }

  private void send() {
    int count = queuedCount;
    queuedCount = 0;
    if (count == 1) {
      ByteBuffer only = queued[0];
      queued[0] = null;
      sendNow(only);
      return;
    }
    if (!socket.isOpen()) {
      Arrays.fill(queued, 0, count, null);
      return; // closed on this loop: the close handler removes the stream
    }
    try {
      sendGathered(count);
    } catch (Exception e) {
      Arrays.fill(queued, 0, count, null);
      failed(e);
    }
  }

  private void sendNow(ByteBuffer chunk) {
    if (!socket.isOpen()) {
      return; // closed on this loop: the close handler removes the stream
    }
    try {
      int sent = socket.send(chunk, 0, chunk.limit());
      if (sent < chunk.limit()) {
        toNetty(chunk, sent);
        nettyUnflushed = false;
        belowEncoder.flush();
      }
    } catch (Exception e) {
      failed(e);
    }
  }

  private void failed(Exception e) {
    LOG.debug("Stream write failed ({}); closing", e.getMessage());
    close();
  }

  private void sendGathered(int count) throws Exception {
    long sent = 0;
    int from = 0;
    while (from < count) {
      int n = Math.min(MAX_GATHER, count - from);
      ByteBuffer[] batch = from == 0 ? queued : Arrays.copyOfRange(queued, from, from + n);
      long expected = 0;
      for (int i = 0; i < n; i++) {
        expected += batch[i].limit();
      }
      // The native writev reads each buffer between its position and limit, which nobody moves.
      sent = socket.writev(batch, 0, n, expected);
      if (sent < expected) {
        break;
      }
      from += n;
      sent = 0;
    }
    // Hand what the kernel refused to Netty, in order; then no frame of this stream bypasses it until it drained.
    for (int i = from; i < count; i++) {
      ByteBuffer chunk = queued[i];
      if (sent >= chunk.limit()) {
        sent -= chunk.limit();
      } else {
        toNetty(chunk, (int) sent);
        sent = 0;
      }
    }
    Arrays.fill(queued, 0, count, null);
  }

  /** Netty writes {@code chunk} from {@code offset} on; it has the outbound buffer and the writability events. */
  private void toNetty(ByteBuffer chunk, int offset) {
    viaNetty = true;
    nettyUnflushed = true;
    belowEncoder.write(Unpooled.wrappedBuffer(chunk).skipBytes(offset), belowEncoder.voidPromise());
  }

  /** Off the epoll transport Netty always writes: {@code viaNetty} stays true, so nothing reaches the socket. */
  private boolean nettyDrained() {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    if (socket == null || out == null || out.totalPendingWriteBytes() > 0 || nettyUnflushed) {
      return false;
    }
    viaNetty = false;
    return true;
  }

  /** True while Netty holds bytes of this stream, so frames go through it (tests). */
  boolean holdsBytesInNetty() {
    return viaNetty && !nettyDrained();
  }

  /** The socket's descriptor number, -1 off the epoll transport (tests). */
  int descriptor() {
    return socket == null ? -1 : socket.intValue();
  }

  /** False once the bytes Netty holds passed the high-water mark set by setWriteQueueMaxSize. */
  public boolean isWritable() {
    return !viaNetty || channel.isWritable();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Closes at once. Vert.x's own close first waits for everything queued to be flushed, which for a client that
   * stopped reading never happens; closing from Vert.x's handler context goes straight to the transport.
   */
  public void close() {
    Arrays.fill(queued, 0, queuedCount, null);
    queuedCount = 0;
    vertxHandler.close();
  }
}

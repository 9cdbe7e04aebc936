package io.switchboard.gateway.wire;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes a protocol's decoder's place once nothing the client sends matters any more (an SSE stream's request is
 * read; a WebSocket is closing): bytes are read, so the socket never closes with unread ones, and dropped.
 */
@ChannelHandler.Sharable
final class DiscardInput extends ChannelInboundHandlerAdapter {

  static final DiscardInput INSTANCE = new DiscardInput();

  private DiscardInput() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }
}

package io.switchboard.gateway.socketio.namespace;

import io.switchboard.core.dialect.Family;
import io.switchboard.core.dialect.Frame;
import io.switchboard.gateway.feed.EncodedEvent;
import io.switchboard.gateway.live.LiveFrame;
import io.switchboard.gateway.socketio.protocol.SocketCodec;
import io.switchboard.gateway.wire.WebSocketFrames;

import java.nio.ByteBuffer;

/**
 * One event as one namespace's sockets receive it from one room family: the Engine.IO packet's text (for polling)
 * and its WebSocket frame, both encoded once per node whatever the number of sockets. A durable event's last
 * argument is its offset (its sequence number, as a string): the client keeps it and sends it back when it
 * reconnects. Nothing else we emit ends with a string, so nothing else moves that offset.
 */
public record SocketFrame(String text, ByteBuffer frame) {

  static final SocketFrame NONE = new SocketFrame("", null);

  public int size() {
    return frame.limit();
  }

  /** {@code e} as {@code family} shows it on namespace {@code nsIndex}, or {@link #NONE}. */
  static SocketFrame of(EncodedEvent e, Family family, int nsIndex) {
    return e.encoded(family.ordinal() * Namespaces.COUNT + nsIndex, ev -> {
      Frame f = family.render(ev);
      if (f == null) {
        return null;
      }
      String nsp = Namespaces.ALL.get(nsIndex);
      String text = ev.seq() >= 0
          ? SocketCodec.event(nsp, f.name(), f.json(), "\"" + ev.seq() + "\"")
          : SocketCodec.event(nsp, f.name(), f.json());
      return of(text);
    }, NONE);
  }

  /** A live position frame (no offset: positions are not replayed). */
  static SocketFrame of(LiveFrame live, int nsIndex) {
    return live.encoded(nsIndex, l -> of(SocketCodec.event(Namespaces.ALL.get(nsIndex), l.name(), l.json())));
  }

  static SocketFrame of(String text) {
    return new SocketFrame(text, WebSocketFrames.text(text));
  }
}

package io.switchboard.gateway.access;

import io.switchboard.core.auth.Principal;

import java.util.List;

/** A subscriber whose right to its channels is watched over time (an SSE stream, later a socket). */
public interface Watched {

  /** Who opened it; null for an anonymous subscriber. */
  Principal principal();

  List<String> channels();

  boolean isClosed();

  /**
   * Its access ended ({@link AccessWatch#TOKEN_EXPIRED}, {@link AccessWatch#ACCESS_REVOKED}): the transport tells its
   * client why, in its own way, and closes.
   */
  void accessEnded(String reason);
}

package io.switchboard.core.log;

import io.vertx.sqlclient.Pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes the relay after this node's producers commit, with at most one {@code NOTIFY sb_outbox} in flight: pokes
 * that arrive while one is on its way cause exactly one more once it returns, so under load one NOTIFY covers
 * many commits. A transaction that finds none in flight can {@link #claim} the wake-up and notify at its own commit
 * instead, through the outbox trigger. (Each notifying transaction takes PostgreSQL's global notify lock at commit; see
 * V3__quiet_outbox_inserts.sql.) A lost NOTIFY only costs latency: the relay's poll is the safety net.
 */
public final class OutboxNotifier {

  private static final int IDLE = 0;
  private static final int IN_FLIGHT = 1;
  private static final int IN_FLIGHT_AGAIN = 2;

  private final Pool pool;
  private final AtomicInteger state = new AtomicInteger(IDLE);

  public OutboxNotifier(Pool pool) {
    this.pool = pool;
  }

  /** Call after a transaction that appended quiet outbox rows committed. */
  public void poke() {
    while (true) {
      int s = state.get();
      if (s == IN_FLIGHT_AGAIN) {
        return;
      }
      if (state.compareAndSet(s, s + 1)) {
        if (s == IDLE) {
          send();
        }
        return;
      }
    }
  }

  /**
   * Claims the wake-up for a transaction about to append: true when none is in flight, and then the transaction's
   * own rows notify at its commit (not quiet), which saves the separate NOTIFY round trip. Whoever claimed must
   * call {@link #release} once the transaction ended, committed or not.
   */
  public boolean claim() {
    return state.compareAndSet(IDLE, IN_FLIGHT);
  }

  /** The claiming transaction ended: pokes that came meanwhile get their NOTIFY now. */
  public void release() {
    inFlightDone();
  }

  private void send() {
    pool.query("SELECT pg_notify('sb_outbox', '')").execute().onComplete(ar -> inFlightDone());
  }

  private void inFlightDone() {
    if (!state.compareAndSet(IN_FLIGHT, IDLE)) {
      state.set(IN_FLIGHT);
      send();
    }
  }
}

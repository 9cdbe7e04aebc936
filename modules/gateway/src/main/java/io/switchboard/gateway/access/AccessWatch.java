package io.switchboard.gateway.access;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Access over a subscriber's lifetime, not only when it opened: it ends when its token would no longer be accepted
 * ({@code exp} plus the leeway), and the subscribers whose access rests on a relation (a customer's order, a
 * driver's run: everyone but staff) are checked again every {@code recheck}, so a customer stops seeing the
 * driver once the delivery ended. One per event loop, used on it only.
 *
 * <p>Neither costs anything while idle: expiries arm one timer for the earliest of them, and the rechecks run only
 * while someone needs them.
 */
public final class AccessWatch {

  public static final String TOKEN_EXPIRED = "token_expired";
  public static final String ACCESS_REVOKED = "access_revoked";

  private record Expiry(long atMillis, Watched watched) {}

  private final Vertx vertx;
  private final Context context;
  private final ChannelAccess access;
  private final long recheckMs;
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));
  private final List<Watched> relational = new ArrayList<>();
  private long expiryTimer = -1;
  private long expiryTimerAt = Long.MAX_VALUE;
  private long recheckTimer = -1;

  /** Ends a subscriber through {@link Watched#accessEnded}. */
  public AccessWatch(Vertx vertx, Context context, ChannelAccess access, Duration recheck) {
    this.vertx = vertx;
    this.context = context;
    this.access = access;
    this.recheckMs = Math.max(100, recheck.toMillis());
  }

  /** Starts watching a subscriber that has just been admitted. */
  public void watch(Watched w) {
    Principal p = w.principal();
    if (p == null) {
      return; // anonymous: only public channels, which nothing revokes
    }
    if (p.validUntilMillis() > 0) {
      expiries.add(new Expiry(p.validUntilMillis(), w));
      armExpiry();
    }
    if (!p.isStaff()) {
      relational.add(w);
      armRecheck();
    }
  }

  private void armExpiry() {
    Expiry first = expiries.peek();
    if (first == null || first.atMillis >= expiryTimerAt) {
      return;
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    expiryTimerAt = first.atMillis;
    expiryTimer = vertx.setTimer(Math.max(1, first.atMillis - System.currentTimeMillis()), t -> {
      expiryTimer = -1;
      expiryTimerAt = Long.MAX_VALUE;
      expire();
    });
  }

  private void expire() {
    long now = System.currentTimeMillis();
    while (!expiries.isEmpty() && expiries.peek().atMillis <= now) {
      Watched w = expiries.poll().watched;
      if (!w.isClosed()) {
        w.accessEnded(TOKEN_EXPIRED);
      }
    }
    armExpiry();
  }

  private void armRecheck() {
    if (recheckTimer < 0 && !relational.isEmpty()) {
      recheckTimer = vertx.setTimer(recheckMs, t -> {
        recheckTimer = -1;
        recheck();
      });
    }
  }

  private void recheck() {
    relational.removeIf(Watched::isClosed);
    for (Watched w : new ArrayList<>(relational)) {
      access.checkSubscribe(w.principal(), w.channels()).onComplete(ar -> context.runOnContext(v -> {
        // Only a refusal ends the stream: a database that cannot answer right now is not a revocation.
        if (ar.failed() && ar.cause() instanceof AuthException e && e.status() == 403 && !w.isClosed()) {
          relational.remove(w);
          w.accessEnded(ACCESS_REVOKED);
        }
      }));
    }
    armRecheck();
  }
}

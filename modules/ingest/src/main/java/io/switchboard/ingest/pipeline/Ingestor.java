package io.switchboard.ingest.pipeline;

import io.switchboard.core.http.ApiError;
import io.switchboard.core.position.Fix;
import io.switchboard.ingest.filter.Filters;
import io.switchboard.ingest.fix.FixLimits;
import io.switchboard.ingest.fix.RawFix;
import io.switchboard.ingest.history.HistoryBuffer;
import io.switchboard.ingest.live.LiveRelay;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a position is born: every decoded point of every protocol comes through here. Points are checked against
 * what can be stored at all ({@link FixLimits}), then judged by the filters against the driver's newest fix, the accepted ones are reserved room in the history buffer (all of a
 * request's or none, so a 503 means "send it all again"), and the newest go to the live relay.
 */
public final class Ingestor {

  private final Filters filters;
  private final LastFixes last;
  private final HistoryBuffer history;
  private final LiveRelay live;
  private final List<FixListener> listeners;
  private final FixCounts counts = new FixCounts();

  /** Sees each accepted live fix of this node (arrival detection). */
  @FunctionalInterface
  public interface FixListener {
    void accepted(Fix fix);
  }

  public Ingestor(Filters filters, LastFixes last, HistoryBuffer history, LiveRelay live,
                  List<FixListener> listeners) {
    this.filters = filters;
    this.last = last;
    this.history = history;
    this.live = live;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Judges and takes {@code points} of one driver. Throws a 503 {@link ApiError} when the history buffer has no
   * room for the accepted ones: then nothing of the request is taken.
   */
  public List<Outcome> ingest(String driverId, String tenant, List<RawFix> points) {
    long now = System.currentTimeMillis();
    List<Outcome> outcomes = new ArrayList<>(points.size());
    List<Fix> accepted = new ArrayList<>(points.size());
    Fix newest = last.get(driverId);
    for (RawFix raw : points) {
      if (raw.error() != null) {
        counts.rejected("invalid");
        outcomes.add(Outcome.rejected("invalid", raw.error()));
        continue;
      }
      FixLimits.Problem problem = FixLimits.check(raw);
      if (problem != null) {
        counts.rejected(problem.reason());
        outcomes.add(Outcome.rejected(problem.reason(), problem.message()));
        continue;
      }
      Fix fix = raw.toFix(driverId, tenant, now);
      String reason = filters.reject(fix, newest, now);
      if (reason != null) {
        counts.rejected(reason);
        outcomes.add(Outcome.rejected(reason, null));
        continue;
      }
      if (newest != null && fix.fixedAtMillis() < newest.fixedAtMillis()) {
        accepted.add(fix.asHistoryOnly());
        outcomes.add(Outcome.HISTORY_ONLY);
      } else {
        accepted.add(fix);
        outcomes.add(Outcome.LIVE);
        newest = fix;
      }
    }
    if (accepted.isEmpty()) {
      return outcomes;
    }
    if (!history.tryAdd(accepted)) {
      counts.rejected("buffer_full", accepted.size());
      throw new ApiError(503, "overloaded", "the position buffer is full (the database is slow or down);"
          + " retry after the Retry-After delay");
    }
    for (Fix f : accepted) {
      if (!f.live()) {
        counts.historyOnly();
      } else {
        counts.live();
        last.offer(f);
        live.offer(f);
        for (FixListener l : listeners) {
          l.accepted(f);
        }
      }
    }
    return outcomes;
  }
}

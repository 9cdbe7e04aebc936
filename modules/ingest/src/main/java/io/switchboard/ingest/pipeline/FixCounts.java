package io.switchboard.ingest.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code switchboard_gps_fixes_total{outcome, reason}}: positions taken live, kept for history only (older than the
 * driver's newest), or rejected with the filter's or the limits' reason. Reasons are a fixed set of codes, so the
 * labels stay bounded.
 */
final class FixCounts {

  private static final String NAME = "switchboard.gps.fixes";
  private static final String DESCRIPTION = "Positions judged by the ingest pipeline, by outcome and reason";

  private final Counter live = counter("live", "none");
  private final Counter historyOnly = counter("history_only", "out_of_order");
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  void live() {
    live.increment();
  }

  void historyOnly() {
    historyOnly.increment();
  }

  void rejected(String reason) {
    rejected(reason, 1);
  }

  void rejected(String reason, int points) {
    rejected.computeIfAbsent(reason, r -> counter("rejected", r)).increment(points);
  }

  private static Counter counter(String outcome, String reason) {
    return Counter.builder(NAME).description(DESCRIPTION).tag("outcome", outcome).tag("reason", reason)
        .register(Metrics.globalRegistry);
  }
}

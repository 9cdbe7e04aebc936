package io.switchboard.ingest.filter;

import io.switchboard.core.position.Fix;

/** One rule a position must pass, as Traccar's filters are: small, configurable, applied in a pipeline. */
@FunctionalInterface
public interface FixFilter {

  /**
   * The reason to reject {@code fix} ({@code snake_case}, shown to the client), or null to let it pass.
   * {@code last} is the driver's newest known fix, or null.
   */
  String reject(Fix fix, Fix last, long nowMillis);
}

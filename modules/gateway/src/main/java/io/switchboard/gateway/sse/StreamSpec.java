package io.switchboard.gateway.sse;

import io.switchboard.core.auth.Principal;
import io.switchboard.core.dialect.Family;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * One SSE endpoint family: which dialect its frames speak, whether it needs a token, and which channels a
 * request subscribes to (from its path, query and principal; the principal is null on public streams).
 */
public record StreamSpec(Family family, boolean requiresToken, ChannelResolver channels) {

  @FunctionalInterface
  public interface ChannelResolver {
    /** Throws {@link io.switchboard.core.http.ApiError} for a request that names no valid channel. */
    List<String> resolve(RoutingContext ctx, Principal principal);
  }
}

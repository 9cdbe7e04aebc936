package io.switchboard.gateway;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;
import io.switchboard.gateway.stats.StatsApi;
import io.switchboard.gateway.tickets.TicketApi;

import java.util.List;

/**
 * The realtime REST resources beside the streams: stream tickets and subscriber statistics. Every node that runs
 * the API or a gateway serves them, so a balancer that sends {@code /api} to API nodes only still has them.
 */
public final class RealtimeApiRole implements Role {

  private final NodeServices services;

  public RealtimeApiRole(NodeServices services) {
    this.services = services;
  }

  @Override
  public List<RouteContributor> routes() {
    SwitchboardConfig.Sse sse = services.config().sse();
    return List.of(
        new StatsApi(services.vertx(), services.verifier()),
        new TicketApi(services.vertx(), services.verifier(), sse.ticketTtl(), sse.rates().ticketRate(),
            sse.rates().ticketBurst()));
  }
}

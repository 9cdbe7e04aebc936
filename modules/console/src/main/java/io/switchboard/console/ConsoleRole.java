package io.switchboard.console;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.http.RouteContributor;
import io.switchboard.core.node.NodeServices;
import io.switchboard.core.node.Role;

import java.util.List;

/** The dispatcher console (docs/console.md): a static page and its settings, on nodes with SB_CONSOLE on. */
public final class ConsoleRole implements Role {

  private final NodeServices services;

  public ConsoleRole(NodeServices services) {
    this.services = services;
  }

  @Override
  public List<RouteContributor> routes() {
    SwitchboardConfig config = services.config();
    return List.of(new ConsoleRoutes(config.console(), config.ingest().staleAfter(),
        DevSignIn.ifEnabled(services.vertx(), config)));
  }
}

package io.switchboard.core.http;

import io.vertx.ext.web.Router;

/**
 * A role's HTTP surface. A node has one HTTP port (so one load-balancer pool), and Vert.x spreads a shared port's
 * connections over every server bound to it, so each role contributes routes to the node's router instead of
 * binding its own server. Roles still never call each other: they meet only on the event bus and in PostgreSQL.
 */
public interface RouteContributor {

  /** Called once per HTTP server instance (one per event loop), on that instance's event loop. */
  void mount(Router router);
}

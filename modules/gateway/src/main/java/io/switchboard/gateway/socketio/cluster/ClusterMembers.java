package io.switchboard.gateway.socketio.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.UUID;

/**
 * This node's id in the cluster and whether another node is still a member. A session id starts with the id of the
 * node that owns the session, so any node can route a request to its owner, and knows at once when that owner is
 * gone (the cluster manager dropped it) instead of waiting for a timeout. A node that is not clustered is alone.
 */
public final class ClusterMembers {

  private final ClusterManager manager;
  private final String self;

  public ClusterMembers(Vertx vertx) {
    this.manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
    this.self = manager != null ? manager.getNodeId() : UUID.randomUUID().toString();
  }

  public String self() {
    return self;
  }

  public boolean isMember(String node) {
    if (node.equals(self)) {
      return true;
    }
    return manager != null && manager.getNodes().contains(node);
  }
}

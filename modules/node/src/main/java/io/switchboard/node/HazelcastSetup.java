package io.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.switchboard.core.config.SwitchboardConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.InputStream;

/** Hazelcast configuration: the XML under deploy/hazelcast, with the per-node values from our configuration. */
final class HazelcastSetup {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSetup.class);
  private static final String BUNDLED = "switchboard-hazelcast.xml";

  private HazelcastSetup() {}

  static Config config(SwitchboardConfig.Cluster cluster) throws FileNotFoundException {
    Config config;
    if (cluster.hazelcastConfig().isBlank()) {
      InputStream in = HazelcastSetup.class.getClassLoader().getResourceAsStream(BUNDLED);
      config = new XmlConfigBuilder(in).build();
    } else {
      config = new XmlConfigBuilder(cluster.hazelcastConfig()).build();
    }
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    // Listen on SB_CLUSTER_HOST only, not on every interface: the member port is not for the public network, and
    // two members may share a port on different addresses of one host (as two pods' addresses do).
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.discovery() == SwitchboardConfig.Discovery.KUBERNETES) {
      // Hazelcast's own Kubernetes discovery in DNS lookup mode: the members are the addresses the headless Service's
      // name resolves to (every ready-or-not pod, publishNotReadyAddresses), on our cluster port. No API access
      // (no RBAC) is needed.
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesServiceDns())
          .setProperty("service-dns-timeout", String.valueOf(Math.max(1, cluster.kubernetesDnsTimeout().toSeconds())))
          .setProperty("service-port", String.valueOf(cluster.port()));
      LOG.info("Cluster discovery: Kubernetes DNS. Peers are the addresses of {} (a headless Service) on port {}."
          + " Until that name resolves to a peer, this node runs as a cluster of one and merges with the others"
          + " as they appear; it is ready meanwhile only if PostgreSQL is.", cluster.kubernetesServiceDns(),
          cluster.port());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
      LOG.info("Cluster discovery: the listed members {}", cluster.members());
    }
    return config;
  }
}

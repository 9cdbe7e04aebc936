package io.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.switchboard.core.config.SwitchboardConfig;

import java.io.FileNotFoundException;
import java.io.InputStream;

/** Hazelcast configuration: the XML under deploy/hazelcast, with the per-node values from our configuration. */
final class HazelcastSetup {

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
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }
}

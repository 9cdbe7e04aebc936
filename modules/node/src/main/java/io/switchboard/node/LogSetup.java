package io.switchboard.node;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.switchboard.core.config.SwitchboardConfig;
import org.slf4j.LoggerFactory;

/**
 * Logback starts with logback.xml (text); {@code SB_LOG_FORMAT=json} reconfigures it from logback-json.xml with
 * the node id, before the node logs anything of its own.
 */
final class LogSetup {

  private LogSetup() {}

  static void apply(SwitchboardConfig config) {
    if (config.log().format() != SwitchboardConfig.LogFormat.JSON
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    context.putProperty("node", config.nodeId());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(LogSetup.class.getClassLoader().getResource("logback-json.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure JSON logs: " + e.getMessage(), e);
    }
  }
}

package io.switchboard.node;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.node.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.EnumSet;
import java.util.Locale;
import java.util.List;

/**
 * The node's Prometheus metrics: Vert.x's own (HTTP server, event bus, pools; labelled only by bounded values, no
 * paths nor addresses), ours (registered on Micrometer's global registry wherever they are counted, so they cost
 * nothing on a node without metrics), and {@code /metrics} on a management port of its own.
 */
final class NodeMetrics {

  private final SwitchboardConfig.Metrics config;
  private final PrometheusMeterRegistry registry;

  NodeMetrics(SwitchboardConfig.Metrics config) {
    this.config = config;
    this.registry = config.enabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    if (registry != null) {
      Metrics.addRegistry(registry);
    }
  }

  /** Vert.x's metrics go to the same registry: sets them on {@code options}, and the factory on {@code builder}. */
  VertxBuilder instrument(VertxBuilder builder, VertxOptions options) {
    if (registry == null) {
      return builder;
    }
    // No HTTP path nor event-bus address labels: ids in paths and reply addresses would make series without end.
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions().setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.EB_SIDE));
    for (MetricsDomain domain : MetricsDomain.values()) {
      if (!config.vertxDomains().contains(domain.name().toLowerCase(Locale.ROOT))) {
        metricsOptions.addDisabledMetricsCategory(domain);
      }
    }
    options.setMetricsOptions(metricsOptions);
    return builder.withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** Each role's gauges, read from its parts when Prometheus scrapes. */
  void watch(List<Role> roles) {
    if (registry != null) {
      roles.forEach(role -> role.metrics(registry));
    }
  }

  /** Serves {@code /metrics} on the management port; nothing when metrics are off. */
  Future<?> serve(Vertx vertx) {
    if (registry == null) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    HttpServer server = vertx.createHttpServer();
    return server.requestHandler(router).listen(config.port(), config.host());
  }
}

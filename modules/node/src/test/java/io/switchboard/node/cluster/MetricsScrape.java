package io.switchboard.node.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a node's /metrics (Prometheus text format) from its management port. */
final class MetricsScrape {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private MetricsScrape() {}

  /** The page, or "" while the node does not answer. */
  static String of(NodeProcess node) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.metricsUrl())).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  /**
   * The sum of a series' samples: {@code name} sums every label set, {@code name{a="b"}} (labels in the order
   * Prometheus writes them: alphabetical) only that one.
   */
  static double value(String page, String series) {
    return page.lines()
        .filter(l -> l.startsWith(series + " ") || (!series.endsWith("}") && l.startsWith(series + "{")))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static double value(NodeProcess node, String series) {
    return value(of(node), series);
  }
}

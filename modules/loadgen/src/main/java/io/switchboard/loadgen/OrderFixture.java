package io.switchboard.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The orders the {@code orders} target updates: a tenant, shop, customer and variant, and one order per channel
 * ({@code bench-order-<k>}), created through the API. Already existing ones (a rerun on the same database) are
 * kept.
 */
final class OrderFixture {

  private OrderFixture() {}

  static String orderId(String channel) {
    return "bench-order-" + channel.substring(channel.indexOf(':') + 1);
  }

  static void create(URI node, String token, int orders) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    post(http, node, token, "/api/v1/tenants", "{\"id\":\"bench\",\"name\":\"Bench\"}").join();
    post(http, node, token, "/api/v1/customers", "{\"id\":\"bench-customer\",\"tenantId\":\"bench\"}").join();
    post(http, node, token, "/api/v1/shops", "{\"id\":\"bench-shop\",\"tenantId\":\"bench\",\"name\":\"Bench\"}").join();
    post(http, node, token, "/api/v1/variants", "{\"id\":\"bench-variant\",\"shopId\":\"bench-shop\","
        + "\"productName\":\"Bench\",\"price\":1,\"stockQuantity\":100000000}").join();
    List<CompletableFuture<Integer>> wave = new ArrayList<>();
    for (int k = 0; k < orders; k++) {
      wave.add(post(http, node, token, "/api/v1/orders", "{\"id\":\"" + orderId("bench:" + k) + "\","
          + "\"shopId\":\"bench-shop\",\"customerId\":\"bench-customer\","
          + "\"items\":[{\"variantId\":\"bench-variant\",\"quantity\":1}]}"));
      if (wave.size() == 32) {
        CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).join();
        wave.clear();
      }
    }
    CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).join();
    System.err.printf("[orders] %d bench orders ready%n", orders);
  }

  private static CompletableFuture<Integer> post(HttpClient http, URI node, String token, String path, String body) {
    HttpRequest req = HttpRequest.newBuilder(node.resolve(path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.statusCode();
    });
  }
}

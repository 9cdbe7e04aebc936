package io.switchboard.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * A tenant with a shop, a customer and a product variant, created through the API by a service of that tenant
 * (subject {@code publisher}); ids unique per fixture.
 */
final class CommerceFixture {

  final ApiClient api;
  final String serviceToken;
  final String tenant;
  final String shop;
  final String customer;
  final String variant;

  CommerceFixture(String baseUrl, String customerId, int stock) throws Exception {
    this(baseUrl, customerId, stock, null);
  }

  /** In tenant {@code tenantId} (null: a new unique one). */
  CommerceFixture(String baseUrl, String customerId, int stock, String tenantId) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    tenant = tenantId != null ? tenantId : "t-" + suffix;
    serviceToken = TestCluster.token("publisher", "service", tenant);
    api = new ApiClient(baseUrl, serviceToken);
    shop = "shop-" + suffix;
    customer = customerId != null ? customerId : "cust-" + suffix;
    variant = "var-" + suffix;
    api.created("/api/v1/tenants", new JsonObject().put("id", tenant).put("name", "Tenant " + suffix));
    api.created("/api/v1/customers", new JsonObject().put("id", customer).put("tenantId", tenant)
        .put("email", "buyer@example.com"));
    api.created("/api/v1/shops", new JsonObject().put("id", shop).put("tenantId", tenant).put("name", "Shop"));
    api.created("/api/v1/variants", new JsonObject().put("id", variant).put("shopId", shop)
        .put("productName", "Red roses").put("price", 12.5).put("cost", 4).put("stockQuantity", stock));
  }

  /** A token of this tenant. */
  String token(String subject, String role) {
    return TestCluster.token(subject, role, tenant);
  }

  JsonObject order(String id, int quantity) throws Exception {
    return api.created("/api/v1/orders", new JsonObject().put("id", id).put("shopId", shop).put("customerId", customer)
        .put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", quantity))));
  }

  JsonObject status(String orderId, String status) throws Exception {
    ApiClient.Response r = api.patch("/api/v1/orders/" + orderId, new JsonObject().put("status", status));
    if (r.status() != 200) {
      throw new AssertionError("PATCH status " + status + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }
}

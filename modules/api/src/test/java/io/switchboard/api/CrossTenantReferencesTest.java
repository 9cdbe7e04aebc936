package io.switchboard.api;

import io.switchboard.api.testing.ApiHarness;
import io.switchboard.api.testing.ApiHarness.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every id inside a request body is resolved in the caller's tenant: another tenant's driver, order, shop or
 * customer is answered exactly as one that does not exist at all, and nothing of the other tenant changes. Two
 * tenants A and B, each with a shop, a customer, a variant, a driver and an order.
 */
class CrossTenantReferencesTest {

  private static ApiHarness api;
  private static String adminA;
  private static String adminB;

  @BeforeAll
  static void start() {
    api = ApiHarness.start();
    adminA = api.token("admin-a", "admin", "A");
    adminB = api.token("admin-b", "admin", "B");
    tenant(adminA, "A");
    tenant(adminB, "B");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static void tenant(String admin, String t) {
    api.created(admin, "/api/v1/tenants", new JsonObject().put("id", t).put("name", t));
    api.created(admin, "/api/v1/shops", new JsonObject().put("id", "shop" + t).put("tenantId", t).put("name", "S"));
    api.created(admin, "/api/v1/customers", new JsonObject().put("id", "cust" + t).put("tenantId", t));
    api.created(admin, "/api/v1/drivers", new JsonObject().put("id", "drv" + t).put("tenantId", t).put("name", "D"));
    api.created(admin, "/api/v1/variants", new JsonObject().put("id", "var" + t).put("shopId", "shop" + t)
        .put("productName", "Roses").put("price", 10).put("stockQuantity", 100));
    api.created(admin, "/api/v1/orders", order("order" + t, "shop" + t, "cust" + t, "var" + t));
  }

  private static JsonObject order(String id, String shop, String customer, String variant) {
    JsonObject o = new JsonObject().put("shopId", shop).put("customerId", customer)
        .put("items", new JsonArray().add(new JsonObject().put("variantId", variant).put("quantity", 1)));
    return id == null ? o : o.put("id", id);
  }

  private static JsonObject run(String driverId) {
    return new JsonObject().put("tenantId", "A").put("driverId", driverId).put("stops", new JsonArray()
        .add(new JsonObject().put("orderId", "orderA").put("address", "1 Main St").put("lat", 52.5).put("lon", 13.4)));
  }

  /** Same status, same error code, same message once the id itself is taken out. */
  private static void assertSameAnswer(Answer foreign, String foreignId, Answer missing, String missingId) {
    assertThat(foreign.status()).as(foreign.raw().body()).isEqualTo(missing.status());
    assertThat(foreign.error()).isEqualTo(missing.error());
    assertThat(foreign.json().getString("message").replace(foreignId, "<id>"))
        .isEqualTo(missing.json().getString("message").replace(missingId, "<id>"));
  }

  @Test
  void a_run_cannot_get_another_tenants_driver_and_the_answer_does_not_tell_that_it_exists() throws Exception {
    Answer foreign = api.post(adminA, "/api/v1/runs", run("drvB"));
    Answer missing = api.post(adminA, "/api/v1/runs", run("drv-nobody"));
    assertThat(foreign.status()).isEqualTo(422);
    assertThat(foreign.error()).isEqualTo("unknown_reference");
    assertSameAnswer(foreign, "drvB", missing, "drv-nobody");

    String runId = api.created(adminA, "/api/v1/runs", run(null)).getString("id");
    Answer assignForeign = api.post(adminA, "/api/v1/runs/" + runId + "/assign", new JsonObject().put("driverId", "drvB"));
    Answer assignMissing = api.post(adminA, "/api/v1/runs/" + runId + "/assign",
        new JsonObject().put("driverId", "drv-nobody"));
    assertThat(assignForeign.status()).isEqualTo(422);
    assertSameAnswer(assignForeign, "drvB", assignMissing, "drv-nobody");
    assertThat(api.count("SELECT count(*) FROM runs WHERE driver_id = 'drvB'")).isZero();
    assertThat(api.post(adminA, "/api/v1/runs/" + runId + "/assign", new JsonObject().put("driverId", "drvA"))
        .status()).isEqualTo(200);
  }

  @Test
  void a_reservation_cannot_name_another_tenants_order_so_that_tenants_payments_still_go_through() throws Exception {
    Answer foreign = api.post(adminA, "/api/v1/variants/varA/stock/reservations",
        new JsonObject().put("quantity", 1).put("orderId", "orderB"));
    Answer missing = api.post(adminA, "/api/v1/variants/varA/stock/reservations",
        new JsonObject().put("quantity", 1).put("orderId", "order-nobody"));
    assertThat(foreign.status()).isEqualTo(422);
    assertThat(foreign.error()).isEqualTo("unknown_reference");
    assertSameAnswer(foreign, "orderB", missing, "order-nobody");
    assertThat(api.count("SELECT count(*) FROM stock_reservations WHERE order_id = 'orderB'"))
        .as("only B's own reservation of its order").isEqualTo(1);

    // B's order is B's alone: its payment commits its own reservation and nothing else.
    Answer paid = api.post(adminB, "/api/v1/orders/orderB/payments", new JsonObject().put("status", "paid"));
    assertThat(paid.status()).as(paid.raw().body()).isEqualTo(201);
    assertThat(api.post(adminA, "/api/v1/variants/varA/stock/reservations",
        new JsonObject().put("quantity", 1).put("orderId", "orderA")).status()).isEqualTo(201);
  }

  @Test
  void an_order_cannot_use_another_tenants_shop_customer_or_variant_and_the_answer_is_that_of_none() {
    Answer shop = api.post(adminA, "/api/v1/orders", order(null, "shopB", "custA", "varA"));
    Answer noShop = api.post(adminA, "/api/v1/orders", order(null, "shop-nobody", "custA", "varA"));
    assertThat(shop.status()).isEqualTo(422);
    assertSameAnswer(shop, "shopB", noShop, "shop-nobody");

    Answer customer = api.post(adminA, "/api/v1/orders", order(null, "shopA", "custB", "varA"));
    Answer noCustomer = api.post(adminA, "/api/v1/orders", order(null, "shopA", "cust-nobody", "varA"));
    assertThat(customer.status()).isEqualTo(422);
    assertSameAnswer(customer, "custB", noCustomer, "cust-nobody");

    Answer variant = api.post(adminA, "/api/v1/orders", order(null, "shopA", "custA", "varB"));
    Answer noVariant = api.post(adminA, "/api/v1/orders", order(null, "shopA", "custA", "var-nobody"));
    assertThat(variant.status()).isEqualTo(422);
    assertSameAnswer(variant, "varB", noVariant, "var-nobody");
  }

  @Test
  void two_tenants_whose_services_share_a_subject_keep_their_own_idempotency_keys() throws Exception {
    String serviceA = api.token("backend", "service", "A");
    String serviceB = api.token("backend", "service", "B");
    Answer a = api.post(serviceA, "/api/v1/orders", order(null, "shopA", "custA", "varA"), "Idempotency-Key", "k-1");
    Answer b = api.post(serviceB, "/api/v1/orders", order(null, "shopB", "custB", "varB"), "Idempotency-Key", "k-1");
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).as("B's request is B's own, not A's stored answer: " + b.raw().body()).isEqualTo(201);
    assertThat(b.raw().headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(b.json().getString("tenantId")).isEqualTo("B");
    Answer again = api.post(serviceB, "/api/v1/orders", order(null, "shopB", "custB", "varB"), "Idempotency-Key", "k-1");
    assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(again.json().getString("id")).isEqualTo(b.json().getString("id"));
  }

  @Test
  void the_token_names_the_tenant_so_a_body_need_not_and_may_not_name_another() {
    for (String kind : new String[] {"customers", "shops", "drivers"}) {
      Answer own = api.post(adminA, "/api/v1/" + kind, new JsonObject().put("name", "N"));
      assertThat(own.status()).as(kind + " " + own.raw().body()).isEqualTo(201);
      assertThat(own.json().getString("tenantId")).isEqualTo("A");
      assertThat(api.post(adminA, "/api/v1/" + kind, new JsonObject().put("name", "N").put("tenantId", "A")).status())
          .isEqualTo(201);
      assertThat(api.post(adminA, "/api/v1/" + kind, new JsonObject().put("name", "N").put("tenantId", "B")).status())
          .isEqualTo(403);
    }
    Answer run = api.post(adminA, "/api/v1/runs", new JsonObject().put("stops", new JsonArray().add(new JsonObject()
        .put("orderId", "orderA").put("address", "a").put("lat", 1).put("lon", 1))));
    assertThat(run.status()).as(run.raw().body()).isEqualTo(201);
    assertThat(run.json().getString("tenantId")).isEqualTo("A");
  }
}

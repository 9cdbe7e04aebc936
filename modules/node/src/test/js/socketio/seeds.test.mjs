// The two seed documents that speak Socket.IO, their frontends as the documents write them, driven by the real
// commerce API through the balancer: socketio-seller-dashboard.md (rooms shop_{shopId}, dashboard_update) and
// tiffin-notifications.md (namespace /notifications, joinRoom order-{id}, orderStatusUpdate and notification).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { config, lb, connected, record, until, api, payloads, offsets, orderId, placeOrder, setStatus, sleep,
  closeAll } from "./harness.mjs";

after(closeAll);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

// useRealtimeDashboard({ shopId, enabled }): connects on mount, joins the shop room automatically, listens for
// dashboard_update, shows Live/Offline from the connection. `join` is how the shop room is joined: from the
// handshake (auth.shopId or ?shopId=), or by emitting joinRoom once connected.
function useRealtimeDashboard({ shopId, enabled, join, transports }) {
  const state = { isConnected: false, updates: [], toasts: [] };
  if (!enabled) {
    return state;
  }
  const options = { forceNew: true, transports, auth: { token: config.tokens.seller } };
  if (join === "auth") options.auth.shopId = shopId;
  if (join === "query") options.query = { shopId };
  const socket = io(lb, options);
  socket.on("connect", () => {
    state.isConnected = true; // "Live"
    if (join === "emit") socket.emit("joinRoom", `shop_${shopId}`);
  });
  socket.on("disconnect", () => { state.isConnected = false; }); // "Offline"
  socket.on("dashboard_update", (update) => {
    state.updates.push(update);
    if (update.type === "new_order") state.toasts.push("New Order Received! 💰");
    if (update.type === "low_stock") state.toasts.push("Low Stock Alert ⚠️");
  });
  state.socket = socket;
  return state;
}

test("the seller dashboard, however it joins its shop room, gets new_order, low_stock and inventory_update once each, with the seed's payloads", async () => {
  const dashboards = [
    useRealtimeDashboard({ shopId: config.shop, enabled: true, join: "auth" }),
    useRealtimeDashboard({ shopId: config.shop, enabled: true, join: "query", transports: ["polling"] }),
    useRealtimeDashboard({ shopId: config.shop, enabled: true, join: "emit", transports: ["websocket"] }),
  ];
  const idle = useRealtimeDashboard({ shopId: config.shop, enabled: false });
  await until("every dashboard is Live", () => dashboards.every((d) => d.isConnected));
  assert.equal(idle.socket, undefined);
  await sleep(300); // the emitted joinRoom is in

  const o = orderId();
  await placeOrder(o, 4); // 8 in stock, threshold 5: the order leaves 4 available
  assert.equal((await api("POST", `/api/v1/orders/${o}/payments`, config.tokens.service, { status: "paid" })).status, 201);
  assert.equal((await api("POST", `/api/v1/variants/${config.variant}/stock/adjustments`, config.tokens.service,
    { change: 10 })).status, 200);

  for (const d of dashboards) {
    await until("3 updates", () => d.updates.length >= 4);
    await sleep(300);
    // The order's transaction reserves the stock (and finds it low) before it records the order: both come at once.
    assert.deepEqual(d.updates.slice(0, 2).map((u) => u.type).sort(), ["low_stock", "new_order"]);
    assert.deepEqual(d.updates.slice(2).map((u) => u.type), ["inventory_update", "inventory_update"]);
    const order = d.updates.find((u) => u.type === "new_order");
    const low = d.updates.find((u) => u.type === "low_stock");
    const [committed, adjusted] = d.updates.slice(2);
    assert.equal(order.data.orderId, o);
    assert.equal(order.data.total, 50);
    assert.equal(typeof order.data.revenue, "number");
    assert.equal(typeof order.data.profit, "number");
    assert.deepEqual(order.data.items, [{ productId: config.variant, productName: "Red roses", quantity: 4, price: 12.5 }]);
    assert.equal(order.data.customerEmail, "buyer@example.com");
    assert.match(order.data.createdAt, ISO);
    assert.deepEqual(low.data, { productId: config.variant, productName: "Red roses", currentStock: 4, threshold: 5 });
    assert.deepEqual(committed.data, { updates: [{ productId: config.variant, productName: "Red roses", newStock: 4 }] });
    assert.deepEqual(adjusted.data, { updates: [{ productId: config.variant, productName: "Red roses", newStock: 14 }] });
    assert.deepEqual(d.toasts.sort(), ["Low Stock Alert ⚠️", "New Order Received! 💰"]);
  }
  dashboards.forEach((d) => d.socket.close());
});

test("the meal app's /notifications socket gets orderStatusUpdate in its order room and notification for its own orders", async () => {
  // tiffin-notifications.md, as written (the page's origin is the server's; here the balancer's URL is explicit).
  const socket = io(lb + "/notifications", { forceNew: true, auth: { token: config.tokens.customer } });
  const seen = record(socket);
  const shown = [];
  const statuses = [];
  await connected(socket);

  const o = orderId();
  await placeOrder(o, 1);
  socket.emit("joinRoom", `order-${o}`);
  socket.on("orderStatusUpdate", (data) => {
    statuses.push(data.status); // updateOrderStatusUI(data.status)
  });
  socket.on("notification", (notification) => {
    shown.push(notification); // showNotification(notification)
  });
  await sleep(300);
  const story = ["confirmed", "preparing", "ready", "in_progress", "delivered"];
  for (const s of story) {
    await setStatus(o, s);
  }
  await until("5 status updates", () => statuses.filter((x) => x !== "pending").length >= 5);
  await until("6 notifications", () => shown.length >= 6);
  await sleep(300);
  // The order's creation (pending) is shown too when the room was joined before its event went out.
  assert.deepEqual(statuses.filter((x) => x !== "pending"), story);
  for (const u of payloads(seen, "orderStatusUpdate").filter((x) => x.status !== "pending")) {
    assert.deepEqual(Object.keys(u), ["orderId", "status", "timestamp"]);
    assert.equal(u.orderId, o);
    assert.match(u.timestamp, ISO);
  }
  assert.deepEqual(shown.map((n) => n.type), ["order_confirmation", ...story.map(() => "order_status")]);
  assert.deepEqual(shown.map((n) => n.status), ["pending", ...story]);
  for (const n of shown) {
    assert.equal(n.orderId, o);
    assert.equal(typeof n.title, "string");
    assert.equal(typeof n.message, "string");
    assert.match(n.timestamp, ISO);
  }
  // Every durable event carries its offset; a status change reaches both listeners with the same one.
  const updateOffsets = offsets(seen, "orderStatusUpdate");
  // (with the pending one, both listeners got the same offsets from the first event on)
  assert.ok(updateOffsets.every((x) => /^\d+$/.test(x)));
  assert.deepEqual(offsets(seen, "notification").slice(statuses.length === story.length ? 1 : 0), updateOffsets);
  socket.close();
});

test("the meal app's order page with leaveRoom stops getting that order's updates", async () => {
  const socket = io(lb + "/notifications", { forceNew: true, auth: { token: config.tokens.customer } });
  await connected(socket);
  const o = orderId();
  await placeOrder(o, 1);
  const statuses = [];
  socket.on("orderStatusUpdate", (d) => statuses.push(d.status));
  assert.deepEqual(await socket.timeout(5000).emitWithAck("joinRoom", `order-${o}`), { ok: true, room: `order-${o}` });
  await setStatus(o, "confirmed");
  await until("confirmed", () => statuses.includes("confirmed"));
  assert.deepEqual(await socket.timeout(5000).emitWithAck("leaveRoom", `order-${o}`), { ok: true, room: `order-${o}` });
  await setStatus(o, "preparing");
  await sleep(500);
  assert.deepEqual(statuses.filter((x) => x !== "pending"), ["confirmed"]);
  socket.close();
});

// What a careless or hostile client can do to a socket: rooms it may not follow, namespaces we do not serve, forged
// and expired tokens, a foreign page's cookie, packets that are not the protocol, oversized ones, unknown sessions.
// Each gets a clear answer; a bystander's socket keeps its events throughout.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { config, lb, connect, connected, record, until, publish, payloads, orderId, placeOrder, sleep,
  closeAll } from "./harness.mjs";

const channel = `tenant:${config.tenant}:bystander`;
let bystander;
let bystanderSeen;
let published = 0;

before(async () => {
  bystander = connect("/", { auth: { token: config.tokens.service } });
  bystanderSeen = record(bystander);
  await connected(bystander);
  await bystander.timeout(5000).emitWithAck("joinRoom", channel);
});

async function bystanderStillServed() {
  published++;
  assert.equal((await publish(channel, "bystander.ping", { n: published })).status, 202);
  await until("the bystander's event " + published, () => payloads(bystanderSeen, "bystander.ping").length === published);
  assert.ok(bystander.connected);
}

after(async () => {
  await bystanderStillServed();
  closeAll();
});

function connectError(socket) {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected, but should have been refused")));
    socket.once("connect_error", resolve);
  });
}

test("rooms the client may not follow are refused with an ack, or an error event when it asked for none", async () => {
  const customer = connect("/", { auth: { token: config.tokens.customer } });
  const seen = record(customer);
  await connected(customer);
  const refused = await customer.timeout(5000).emitWithAck("joinRoom", `shop_${config.shop}`);
  assert.equal(refused.ok, false);
  assert.equal(refused.error, "forbidden");
  assert.equal(refused.status, 403);
  assert.equal(typeof refused.message, "string");
  customer.emit("joinRoom", `shop_${config.shop}`);
  await until("an error event", () => payloads(seen, "error").length === 1);
  assert.equal(payloads(seen, "error")[0].room, `shop_${config.shop}`);
  const other = connect("/", { auth: { token: config.tokens.otherSeller } });
  await connected(other);
  const o = orderId();
  await placeOrder(o, 1);
  for (const room of [`shop_${config.shop}`, `order-${o}`, `tenant:${config.tenant}:orders`, `user:${config.customer}`]) {
    const r = await other.timeout(5000).emitWithAck("joinRoom", room);
    assert.equal(r.ok, false, "another tenant's " + room);
    assert.equal(r.status, 403);
  }
  const badName = await customer.timeout(5000).emitWithAck("join", "no spaces or ¿ here");
  assert.equal(badName.error, "bad_request");
  const notAName = await customer.timeout(5000).emitWithAck("joinRoom", { room: 1 });
  assert.equal(notAName.error, "bad_request");
  const unknown = await customer.timeout(5000).emitWithAck("launchMissiles", 1);
  assert.equal(unknown.error, "unknown_event");
  customer.close();
  other.close();
  await bystanderStillServed();
});

test("a socket may be in at most 64 rooms", async () => {
  const seller = connect("/", { auth: { token: config.tokens.seller } });
  await connected(seller);
  const rooms = [...Array(64).keys()].map((i) => `tenant:${config.tenant}:r${i}`);
  const r = await seller.timeout(10000).emitWithAck("joinRoom", rooms);
  assert.equal(r.ok, true);
  const more = await seller.timeout(5000).emitWithAck("joinRoom", `tenant:${config.tenant}:one-more`);
  assert.equal(more.error, "too_many_rooms");
  seller.close();
});

test("unknown namespaces, forged and expired tokens and another tenant's shop are refused with CONNECT_ERROR", async () => {
  const cases = [
    [() => connect("/admin", { auth: { token: config.tokens.seller } }), /^Invalid namespace$/, undefined],
    [() => connect("/", { auth: { token: config.tokens.forged } }), /./, 401],
    [() => connect("/notifications", { auth: { token: config.tokens.expired } }), /token/, 401],
    [() => connect("/", { auth: { token: config.tokens.seller, shopId: config.otherShop } }), /not allowed/, 403],
    [() => connect("/", { auth: { token: config.tokens.seller }, query: { shopId: "no such shop" } }), /unknown room/, 400],
  ];
  for (const [open, message, status] of cases) {
    const socket = open();
    const err = await connectError(socket);
    assert.match(err.message, message);
    assert.equal(err.data?.status, status);
    socket.close();
  }
  const anonymous = connect("/");
  await connected(anonymous);
  const r = await anonymous.timeout(5000).emitWithAck("joinRoom", `order-${orderId()}`);
  assert.equal(r.status, 403);
  anonymous.close();
  await bystanderStillServed();
});

test("a foreign page's cookie is not a credential; the same cookie from our own page is", async () => {
  const cookie = `access_token=${config.tokens.seller}`;
  const foreign = connect("/", { transports: ["websocket"], extraHeaders: { Cookie: cookie, Origin: "https://evil.example" } });
  const err = await connectError(foreign);
  assert.match(err.message, /another origin/);
  foreign.close();
  const own = connect("/", { transports: ["websocket"], extraHeaders: { Cookie: cookie, Origin: lb }, auth: { shopId: config.shop } });
  await connected(own);
  own.close();
});

function rawSocket(query = "") {
  const ws = new WebSocket(lb.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket" + query);
  const frames = [];
  ws.on("message", (data) => frames.push(data.toString()));
  const closed = new Promise((resolve) => ws.on("close", (code) => resolve(code)));
  ws.on("error", () => {});
  return { ws, frames, closed };
}

test("packets that are not the protocol close that connection only", async () => {
  for (const bad of ["4abc", "42{}", "42[\"connect\"]", "40/notifications,[1]", "9", "\u0000"]) {
    const { ws, frames, closed } = rawSocket();
    await until("the open packet", () => frames.length > 0);
    assert.match(frames[0], /^0\{"sid":/);
    if (!bad.startsWith("40")) {
      ws.send("40");
      await until("the CONNECT answer", () => frames.some((f) => f.startsWith("40{")));
    }
    ws.send(bad);
    await closed;
  }
  await bystanderStillServed();
});

test("a message larger than maxPayload closes the WebSocket; a larger polling body is a 413", async () => {
  const { ws, frames, closed } = rawSocket();
  await until("the open packet", () => frames.length > 0);
  ws.send("42[\"joinRoom\",\"" + "x".repeat(1_100_000) + "\"]");
  assert.equal(await closed, 1009);
  const open = await (await fetch(lb + "/socket.io/?EIO=4&transport=polling")).text();
  const sid = JSON.parse(open.substring(1)).sid;
  const r = await fetch(lb + `/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "4" + "x".repeat(1_100_000) });
  assert.equal(r.status, 413);
  assert.equal((await r.json()).error, "payload_too_large");
  await bystanderStillServed();
});

test("unknown sessions, versions, transports and methods get the reference server's error codes as JSON", async () => {
  const expect = async (url, init, status, code) => {
    const r = await fetch(lb + url, init);
    assert.equal(r.status, status, url);
    const body = await r.json();
    assert.equal(body.code, code, url);
    assert.equal(typeof body.message, "string");
    assert.equal(typeof body.error, "string");
  };
  await expect("/socket.io/?EIO=4&transport=polling&sid=nope", {}, 400, 1);
  await expect("/socket.io/?EIO=4&transport=polling&sid=4e0b8a4c-0000-4000-8000-000000000000.x", {}, 400, 1);
  await expect("/socket.io/?EIO=4&transport=polling&sid=nope", { method: "POST", body: "40" }, 400, 1);
  await expect("/socket.io/?EIO=3&transport=polling", {}, 400, 5);
  await expect("/socket.io/?transport=polling", {}, 400, 5);
  await expect("/socket.io/?EIO=4&transport=carrier-pigeon", {}, 400, 0);
  await expect("/socket.io/?EIO=4&transport=polling", { method: "PUT" }, 400, 2);
  const open = await (await fetch(lb + "/socket.io/?EIO=4&transport=polling")).text();
  const sid = JSON.parse(open.substring(1)).sid;
  await expect(`/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "garbage" }, 400, 3);
  await expect(`/socket.io/?EIO=4&transport=polling&sid=${sid}`, {}, 400, 1);
  const ws = rawSocket(`&sid=${encodeURIComponent("nope.nope")}`);
  ws.ws.on("open", () => ws.ws.send("2probe"));
  await ws.closed;
  await bystanderStillServed();
});

// Every transport through a plain round-robin balancer, no sticky sessions: long-polling whose requests land on
// every node, the polling → WebSocket upgrade (which may land on another node than the session's), WebSocket only.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { config, connect, connected, record, until, publish, payloads, offsets, sleep, closeAll } from "./harness.mjs";

after(closeAll);

const channel = `tenant:${config.tenant}:transports`;

async function health() {
  return Promise.all(config.nodes.map(async (n) => (await fetch(n.url + "/health/ready")).json()));
}

async function forwardedTotal() {
  return (await health()).reduce((sum, h) => sum + h.socketio.forwarded, 0);
}

async function roundTrip(socket, label, count = 5) {
  const seen = record(socket);
  assert.deepEqual(await socket.timeout(5000).emitWithAck("joinRoom", channel), { ok: true, room: channel });
  for (let i = 0; i < count; i++) {
    assert.equal((await publish(channel, "transport.checked", { label, i })).status, 202);
  }
  await until(`${count} events for ${label}`, () => payloads(seen, "transport.checked").filter((p) => p.data.label === label).length >= count);
  const mine = seen.filter((e) => e.name === "transport.checked" && e.args[0].data.label === label);
  assert.deepEqual(mine.map((e) => e.args[0].data.i), [...Array(count).keys()]);
  const ids = mine.map((e) => Number(e.args[e.args.length - 1]));
  assert.ok(ids.every((id, k) => k === 0 || id > ids[k - 1]), "offsets increase: " + ids);
  assert.deepEqual(mine.map((e) => e.args[0].id), ids, "the offset is the event's sequence number");
  return seen;
}

test("a polling-only client works although its requests land on every node of the balancer", async () => {
  const before = await forwardedTotal();
  const socket = connect("/", { transports: ["polling"], auth: { token: config.tokens.service } });
  await connected(socket);
  assert.equal(socket.io.engine.transport.name, "polling");
  await roundTrip(socket, "polling", 10);
  const after = await forwardedTotal();
  // Round-robin over 3 nodes sends about two requests in three to a node that does not own the session.
  assert.ok(after - before >= 5, `requests forwarded to the session's node: ${after - before}`);
  assert.equal(socket.io.engine.transport.name, "polling");
  socket.close();
});

test("a default client upgrades to WebSocket, on whichever node the upgrade lands, and keeps every event", async () => {
  for (let attempt = 0; attempt < 6; attempt++) {
    const socket = connect("/", { auth: { token: config.tokens.service } });
    await connected(socket);
    await until("the upgrade", () => socket.io.engine.transport.name === "websocket");
    await roundTrip(socket, "upgraded-" + attempt, 3);
    socket.close();
  }
});

test("events published while a client upgrades reach it once, in order", async () => {
  const socket = connect("/", { auth: { token: config.tokens.service } });
  const seen = record(socket);
  await connected(socket);
  await socket.timeout(5000).emitWithAck("joinRoom", channel);
  const published = [];
  const publishing = (async () => {
    for (let i = 0; i < 40; i++) {
      if ((await publish(channel, "transport.during", { i })).status === 202) published.push(i);
      await sleep(10);
    }
  })();
  await publishing;
  await until("every event", () => payloads(seen, "transport.during").length >= published.length);
  await sleep(300);
  assert.equal(socket.io.engine.transport.name, "websocket");
  assert.deepEqual(payloads(seen, "transport.during").map((p) => p.data.i), published);
  socket.close();
});

test("a WebSocket-only client works", async () => {
  const socket = connect("/", { transports: ["websocket"], auth: { token: config.tokens.service } });
  await connected(socket);
  assert.equal(socket.io.engine.transport.name, "websocket");
  await roundTrip(socket, "websocket", 10);
  socket.close();
});

test("one connection carries both namespaces, each with its own rooms", async () => {
  const main = connect("/", { auth: { token: config.tokens.service } });
  const notifications = main.io.socket("/notifications", { auth: { token: config.tokens.service } });
  await Promise.all([connected(main), connected(notifications)]);
  const a = record(main);
  const b = record(notifications);
  await main.timeout(5000).emitWithAck("joinRoom", channel);
  await publish(channel, "transport.ns", { n: 1 });
  await until("the event on /", () => payloads(a, "transport.ns").length === 1);
  await sleep(300);
  assert.equal(payloads(b, "transport.ns").length, 0, "/notifications did not join the room");
  notifications.close();
  main.close();
});

test("a client learns its offset at once, so it can recover before its first event", async () => {
  const socket = connect("/", { auth: { token: config.tokens.service } });
  const seen = record(socket);
  await connected(socket);
  await until("the offset mark", () => offsets(seen, "switchboard:offset").length > 0);
  const [mark] = offsets(seen, "switchboard:offset");
  assert.match(mark, /^\d+$/);
  assert.equal(socket._lastOffset, mark);
  socket.close();
});

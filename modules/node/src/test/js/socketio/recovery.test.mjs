// Connection state recovery across the cluster: a client that lost its connection, even because its node was
// SIGKILLed, reconnects through the balancer to any node with its pid and offset and gets `recovered`, its rooms
// back and every event it missed once, in order, then live. Runs last: it kills two of the three nodes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { config, connect, connected, record, until, publish, payloads, offsets, sleep, closeAll } from "./harness.mjs";

after(closeAll);

let rooms = 0;
function room() {
  return `tenant:${config.tenant}:recovery-${++rooms}`;
}

/** Publishes `type` events numbered 1.. every `everyMs` until stopped; remembers which ones were accepted. */
function publisher(channel, type, everyMs = 20) {
  const accepted = [];
  let stopped = false;
  const done = (async () => {
    for (let n = 1; !stopped; n++) {
      try {
        if ((await publish(channel, type, { n })).status === 202) accepted.push(n);
      } catch {
        // the balancer may fail a request while a node dies: that event was not accepted
      }
      await sleep(everyMs);
    }
  })();
  return { accepted, stop: async () => { stopped = true; await done; } };
}

function assertExactlyOnceInOrder(seen, type, accepted) {
  const got = payloads(seen, type).map((p) => p.data.n);
  const duplicates = got.length - new Set(got).size;
  assert.equal(duplicates, 0, "nothing doubled");
  const missed = accepted.filter((n) => !got.includes(n));
  assert.deepEqual(missed, [], "nothing missed");
  assert.ok(got.every((n, i) => i === 0 || n > got[i - 1]), "order kept: " + got.join(","));
  const ids = offsets(seen, type).map(Number);
  assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), "offsets increase");
}

test("a client that lost its connection recovers its rooms and what it missed, even before its first event", async () => {
  const channel = room();
  const socket = connect("/", { auth: { token: config.tokens.service } });
  const seen = record(socket);
  await connected(socket);
  assert.deepEqual(await socket.timeout(5000).emitWithAck("joinRoom", channel), { ok: true, room: channel });
  assert.equal(payloads(seen, "recovery.missed").length, 0, "no event yet: the offset mark alone makes it recoverable");
  socket.io.engine.close(); // the connection drops; the client reconnects by itself
  for (let n = 1; n <= 5; n++) {
    assert.equal((await publish(channel, "recovery.missed", { n })).status, 202);
  }
  await until("the reconnection", () => socket.connected && socket.recovered);
  await until("the missed events", () => payloads(seen, "recovery.missed").length >= 5);
  assert.equal((await publish(channel, "recovery.missed", { n: 6 })).status, 202, "and live again, in its room");
  await until("the live event", () => payloads(seen, "recovery.missed").length >= 6);
  await sleep(200);
  assertExactlyOnceInOrder(seen, "recovery.missed", [1, 2, 3, 4, 5, 6]);
  socket.close();
});

test("a client whose session is unknown gets a fresh one and a switchboard:reset event telling it to reload", async () => {
  const socket = connect("/", { auth: { token: config.tokens.service } });
  const seen = record(socket);
  await connected(socket);
  socket._pid = "a-session-nobody-has"; // as after the recovery window
  socket._lastOffset = "1";
  socket.io.engine.close();
  await until("the reconnection", () => socket.connected && payloads(seen, "switchboard:reset").length === 1);
  assert.equal(socket.recovered, false);
  const reset = payloads(seen, "switchboard:reset")[0];
  assert.equal(reset.reason, "unknown_session");
  assert.equal(typeof reset.offset, "number");
  assert.notEqual(socket._pid, "a-session-nobody-has");
  socket.close();
});

for (const transports of [["websocket"], ["polling"]]) {
  test(`a ${transports[0]} client whose node is SIGKILLed while events flow recovers on another with nothing missed or doubled`, async () => {
    const channel = room();
    const socket = connect("/", { transports, auth: { token: config.tokens.service } });
    const seen = record(socket);
    await connected(socket);
    await socket.timeout(5000).emitWithAck("joinRoom", channel);
    const flow = publisher(channel, "recovery.flow");
    await until("events flowing", () => payloads(seen, "recovery.flow").length >= 10);
    const victim = config.nodes.find((n) => n.id === socket.nodes[socket.nodes.length - 1]);
    const connects = socket.nodes.length;
    const acceptedBeforeKill = flow.accepted.length;
    process.kill(victim.pid, "SIGKILL");
    await until("the reconnection", () => socket.nodes.length > connects && socket.connected, 30_000);
    assert.equal(socket.recovered, true);
    assert.notEqual(socket.nodes[socket.nodes.length - 1], victim.id);
    await sleep(1000);
    await flow.stop();
    await until("every accepted event", () => {
      const got = new Set(payloads(seen, "recovery.flow").map((p) => p.data.n));
      return flow.accepted.every((n) => got.has(n));
    }, 15_000).catch(() => {});
    assertExactlyOnceInOrder(seen, "recovery.flow", flow.accepted);
    // Events flowed on both sides of the kill (how many depends on the machine's speed, not on the recovery).
    assert.ok(flow.accepted.length - acceptedBeforeKill >= 10,
      `events accepted after the kill: ${flow.accepted.length - acceptedBeforeKill}`);
    socket.close();
  });
}

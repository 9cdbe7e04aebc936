// node --test deploy/bench/sse-client: the parser gets every event once, wherever the chunks split the stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sseParser } from "./sse.mjs";

const stream = "retry: 2000\r\nid: 1\r\ndata: {\"a\":1}\r\n\r\n: heartbeat\n\nevent: x\nid: 2\ndata: l1\ndata: l2\n\n"
  + "id: 3\rdata:no-space\r\rid: 4\n\n";

function parse(chunks) {
  const got = [];
  const feed = sseParser((type, data, id) => got.push([type, data, id]));
  chunks.forEach(feed);
  return got;
}

test("every event once, with its type, joined data and last id", () => {
  assert.deepEqual(parse([stream]), [["message", "{\"a\":1}", "1"], ["x", "l1\nl2", "2"], ["message", "no-space", "3"]]);
});

test("the same events for every split into two and three chunks, CRLF split included", () => {
  const whole = parse([stream]);
  for (let i = 0; i <= stream.length; i++) {
    assert.deepEqual(parse([stream.slice(0, i), stream.slice(i)]), whole, `split at ${i}`);
    for (let j = i; j <= stream.length; j += 7) {
      assert.deepEqual(parse([stream.slice(0, i), stream.slice(i, j), stream.slice(j)]), whole, `split at ${i}, ${j}`);
    }
  }
});

// The independent load client of the SSE benchmarks (core-fanout.sh client=node): `count` streams opened with
// Node.js's own http client and read as a browser's EventSource reads them (sse.mjs), each on channel
// bench:<k>; every "message" event's JSON is parsed and its data.t (epoch micros, set by the publisher) gives the
// publish-to-receive latency. Speaks the load generator's subscriber protocol (SubscriberProcess): prints
// "CONNECTED <ok> <errors>", obeys RESET and STOP on stdin, ends with
// "RESULT <received> <errors> <base64 compressed HdrHistogram>".
//   node subscriber.mjs <TARGET> <nodes,csv> <channels> <count> <offset> <token|-> <path with {channel}>
import http from "node:http";
import * as hdr from "hdr-histogram-js";
import { createInterface } from "node:readline";
import { sseParser } from "./sse.mjs";

const [, nodesCsv, channelsArg, countArg, offsetArg, token, pathTemplate] = process.argv.slice(2);
const nodes = nodesCsv.split(",");
const channels = Number(channelsArg);
const count = Number(countArg);
const offset = Number(offsetArg);
const micros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const headers = { Accept: "text/event-stream" };
if (token && token !== "-") headers.Authorization = `Bearer ${token}`;

let histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
let received = 0;
let errors = 0;
let connected = 0;

function onEvent(type, data) {
  if (type !== "message") return;            // what EventSource.onmessage sees
  let t;
  try {
    const json = JSON.parse(data);
    t = json?.data?.t ?? json?.t;
  } catch {
    return;                                   // not one of the benchmark's events
  }
  if (typeof t !== "number") return;          // e.g. Switchboard's opening "connected" frame
  received++;
  histogram.recordValue(Math.max(1, Math.min(micros() - t, 60_000_000)));
}

function open(i) {
  const global = offset + i;
  const url = new URL(pathTemplate.replace("{channel}", `bench:${global % channels}`), nodes[global % nodes.length]);
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers }, (res) => {
      if (res.statusCode !== 200) {
        errors++;
        res.resume();
        resolve();
        return;
      }
      connected++;
      resolve();
      res.setEncoding("utf8");
      res.on("data", sseParser(onEvent));
      res.on("end", () => errors++);
      res.on("error", () => errors++);
    });
    req.on("error", () => { errors++; resolve(); });
  });
}

for (let i = 0; i < count; i += 250) {
  const wave = [];
  for (let j = i; j < Math.min(count, i + 250); j++) wave.push(open(j));
  await Promise.all(wave);
}
process.stdout.write(`CONNECTED ${connected} ${errors}\n`);

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "RESET") {
    histogram.reset();
    received = 0;
  } else if (line === "STOP") {
    process.stdout.write(`RESULT ${received} ${errors} ${hdr.encodeIntoCompressedBase64(histogram)}\n`, () => process.exit(0));
  }
});

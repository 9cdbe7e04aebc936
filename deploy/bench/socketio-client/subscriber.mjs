// The independent load client of the Socket.IO benchmark: `count` socket.io-client 4.8 sockets (WebSocket only,
// as production clients end up), each joining room `bench:<k>` (Switchboard: tenant:bench:bench:<k>) with
// emit('joinRoom', room), recording publish-to-receive latency from the payload's data.t (epoch micros). Speaks the
// load generator's subscriber protocol (SubscriberProcess): prints "CONNECTED <ok> <errors>", obeys RESET and STOP
// on stdin, ends with "RESULT <received> <errors> <base64 compressed HdrHistogram>".
//   node subscriber.mjs <TARGET> <nodes,csv> <channels> <count> <offset> <token|-> <room with {channel}>
import { io } from "socket.io-client";
import * as hdr from "hdr-histogram-js";
import { createInterface } from "node:readline";

const [, nodesCsv, channelsArg, countArg, offsetArg, token, roomTemplate] = process.argv.slice(2);
const nodes = nodesCsv.split(",");
const channels = Number(channelsArg);
const count = Number(countArg);
const offset = Number(offsetArg);
const roomOf = (k) => roomTemplate.replace("{channel}", `bench:${k}`);
const micros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

let histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
let received = 0;
let errors = 0;
let connected = 0;
const sockets = [];

function open(i) {
  const global = offset + i;
  const socket = io(nodes[global % nodes.length], {
    transports: ["websocket"], forceNew: true, reconnection: false,
    auth: token && token !== "-" ? { token } : {},
  });
  sockets.push(socket);
  socket.on("bench", (payload) => {
    received++;
    const latency = micros() - payload.data.t;
    histogram.recordValue(Math.max(1, Math.min(latency, 60_000_000)));
  });
  socket.on("disconnect", () => errors++);
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.emit("joinRoom", roomOf(global % channels));
      connected++;
      resolve();
    });
    socket.once("connect_error", () => { errors++; resolve(); });
  });
}

for (let i = 0; i < count; i += 250) {
  const wave = [];
  for (let j = i; j < Math.min(count, i + 250); j++) wave.push(open(j));
  await Promise.all(wave);
}
await new Promise((r) => setTimeout(r, 500)); // the last joinRooms are in
process.stdout.write(`CONNECTED ${connected} ${errors}\n`);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line === "RESET") {
    histogram.reset();
    received = 0;
  } else if (line === "STOP") {
    process.stdout.write(`RESULT ${received} ${errors} ${hdr.encodeIntoCompressedBase64(histogram)}\n`, () => process.exit(0));
  }
});

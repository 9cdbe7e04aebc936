// Benchmark peer: a Node.js SSE server scaled with Redis pub/sub, as the seed documents advise.
// GET /stream?channel=X (SSE), POST /publish {"channel": X, ...} -> PUBLISH sse:X to every instance.
const http = require('http');
const { createClient } = require('redis');

const port = Number(process.argv[2] || 9181);
const subscribers = new Map(); // channel -> Set of responses

async function main() {
  const pub = createClient({ url: 'redis://127.0.0.1:6379' });
  const sub = pub.duplicate();
  await pub.connect();
  await sub.connect();
  await sub.pSubscribe('sse:*', (message, channel) => {
    const set = subscribers.get(channel.slice(4));
    if (!set) return;
    const frame = `data: ${message}\n\n`;
    for (const res of set) res.write(frame);
  });

  http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/stream') {
      const channel = url.searchParams.get('channel');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      let set = subscribers.get(channel);
      if (!set) subscribers.set(channel, (set = new Set()));
      set.add(res);
      req.on('close', () => set.delete(res));
    } else if (req.method === 'POST' && url.pathname === '/publish') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        let msg;
        try { msg = JSON.parse(body); } catch (e) { res.writeHead(400); return res.end(); }
        pub.publish('sse:' + msg.channel, body).then(() => { res.writeHead(202); res.end(); });
      });
    } else {
      res.writeHead(404);
      res.end();
    }
  }).listen(port, '127.0.0.1');
}

main();

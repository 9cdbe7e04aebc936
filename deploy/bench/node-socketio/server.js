// Benchmark peer: socket.io 4.8 with @socket.io/redis-adapter, as the seller dashboard seed's scaling advice would
// build it: every instance shares Redis, a client joins a room with emit('joinRoom', room), and
// POST /publish {"channel": room, ...} emits 'bench' to that room on every instance.
const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const port = Number(process.argv[2] || 9281);

async function main() {
  const pub = createClient({ url: 'redis://127.0.0.1:6379' });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const server = http.createServer();
  const io = new Server(server, { adapter: createAdapter(pub, sub, { key: 'sbbench' }), serveClient: false });
  io.on('connection', (socket) => {
    socket.on('joinRoom', (room) => socket.join(room));
    socket.on('leaveRoom', (room) => socket.leave(room));
  });
  server.prependListener('request', (req, res) => {
    if (req.method !== 'POST' || !req.url.startsWith('/publish')) {
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let msg;
      try { msg = JSON.parse(body); } catch (e) { res.writeHead(400); return res.end(); }
      io.to(msg.channel).emit('bench', msg);
      res.writeHead(202);
      res.end();
    });
  });
  server.listen(port, '127.0.0.1');
}

main();

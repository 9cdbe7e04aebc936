// Subscribes like a seed document's page does, with the npm `eventsource` package (the library the shop seed
// recommends for headers), and prints one JSON line per thing the page would see:
//   {"kind":"open"} | {"kind":"event","via":"message"|"<name>","lastEventId":"..","data":<parsed JSON>} | {"kind":"error"}
// Usage: node seed-client.js <url> [token] [listen-name ...]
// `via: message` lines come from onmessage; each listen-name is registered with addEventListener.
const EventSource = require('eventsource');

const [url, token, ...names] = process.argv.slice(2);
const options = token && token !== '-' ? { headers: { Authorization: `Bearer ${token}` } } : {};
const es = new EventSource(url, options);
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

es.onopen = () => out({ kind: 'open' });
es.onerror = () => out({ kind: 'error', readyState: es.readyState });
es.onmessage = (e) => out({ kind: 'event', via: 'message', lastEventId: e.lastEventId, data: JSON.parse(e.data) });
for (const name of names) {
  es.addEventListener(name, (e) =>
    out({ kind: 'event', via: name, lastEventId: e.lastEventId, data: JSON.parse(e.data) }));
}
process.stdin.on('end', () => { es.close(); process.exit(0); });
process.stdin.resume();

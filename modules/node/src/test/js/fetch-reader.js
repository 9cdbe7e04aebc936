// The shop seed's own authenticated reader (shop-sse-realtime-guide.md, "Alternative: Use fetch with ReadableStream"),
// as written there: every `data: ` line is one event. Prints {"kind":"event","data":<parsed>} per event it handles.
// Usage: node fetch-reader.js <url> [token]
const [url, token] = process.argv.slice(2);
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const handleRealtimeEvent = (data) => out({ kind: 'event', data });

async function connectRealtime() {
  const response = await fetch(url, {
    headers: token && token !== '-' ? { 'Authorization': `Bearer ${token}` } : {}
  });
  out({ kind: 'open', status: response.status });

  const reader = response.body.getReader();
  const decoder = new TextDecoder();

  while (true) {
    const { done, value } = await reader.read();
    if (done) break;

    const chunk = decoder.decode(value);
    const lines = chunk.split('\n');

    for (const line of lines) {
      if (line.startsWith('data: ')) {
        const data = JSON.parse(line.slice(6));
        handleRealtimeEvent(data);
      }
    }
  }
}

connectRealtime().catch((e) => out({ kind: 'error', message: String(e) }));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

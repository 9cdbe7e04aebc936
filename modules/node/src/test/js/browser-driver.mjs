// A headless Chromium (the OS's, driven by playwright-core) for the Java end-to-end tests: one JSON command per
// line on stdin, one JSON answer per line on stdout ({"ok":true,"value":..} or {"ok":false,"error":".."}).
// The test decides what to do and asserts; this only carries its commands to the page.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const userDataDir = mkdtempSync(join(tmpdir(), 'sb-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 850 },
  // This machine's network is closed: without these, Chromium's own background connections fail by the dozen.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
const pageErrors = [];
page.on('pageerror', e => pageErrors.push(e.message));

const commands = {
  open: ({ url }) => page.goto(url).then(() => null),
  click: ({ selector }) => page.click(selector, { timeout: 5000 }).then(() => null),
  clickAt: ({ x, y }) => page.mouse.click(x, y).then(() => null),
  fill: ({ selector, value }) => page.fill(selector, value, { timeout: 5000 }).then(() => null),
  text: ({ selector }) => page.textContent(selector, { timeout: 5000 }),
  eval: ({ expression }) => page.evaluate(expression),
  // Polls the expression in the page until it is truthy; answers its value.
  waitFor: ({ expression, timeoutMs }) => page.waitForFunction(expression, null, { timeout: timeoutMs, polling: 50 })
    .then(handle => handle.jsonValue()),
  // The browser's network on or off (navigator.onLine and its events follow).
  offline: ({ offline }) => context.setOffline(offline).then(() => null),
  screenshot: ({ path }) => page.screenshot({ path }).then(() => null),
  errors: () => pageErrors,
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line);
  if (command.cmd === 'close') break;
  try {
    const value = await commands[command.cmd](command);
    process.stdout.write(JSON.stringify({ ok: true, value: value ?? null }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(e.message || e).split('\n')[0] }) + '\n');
  }
}
await context.close();
rmSync(userDataDir, { recursive: true, force: true });
process.exit(0);

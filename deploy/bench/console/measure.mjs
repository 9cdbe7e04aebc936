// Opens the dispatcher console in headless Chromium, signs in (development sign-in), waits until the fleet is on
// the map, then measures for a while: the main-thread time each fleet frame costs (the console's own
// fleetApplyMs), the intervals between animation frames (rAF) and long tasks (> 50 ms). Then, in the same page
// and on the same map, the baseline: re-creating every marker for one update instead of moving them.
// Prints one JSON line.   node measure.mjs <console-url> <drivers> <seconds> <playwright-core dir>
const [url, driversArg, secondsArg, pwDir] = process.argv.slice(2);
const { chromium } = await import(`${pwDir}/index.mjs`);
const { mkdtempSync, rmSync } = await import('node:fs');
const drivers = Number(driversArg);
const seconds = Number(secondsArg);

const userDataDir = mkdtempSync('/tmp/sb-bench-chromium-');
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 850 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
await page.addInitScript(() => {
  window.__frames = [];
  window.__long = [];
  let last = performance.now();
  const loop = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  new PerformanceObserver(list => list.getEntries().forEach(e => window.__long.push(e.duration)))
    .observe({ type: 'longtask', buffered: true });
});
await page.goto(url);
await page.click('#signin-dev');
await page.waitForFunction(`window.switchboardConsole?.driverCount?.() >= ${Math.floor(drivers * 0.95)}`, null,
  { timeout: 60_000 });
await page.evaluate(() => {
  window.__frames.length = 0; window.__long.length = 0; window.switchboardConsole.fleetApplyMs.length = 0;
  window.__events0 = window.switchboardConsole.events;
});
await page.waitForTimeout(seconds * 1000);
const r = await page.evaluate(() => {
  const v = window.switchboardConsole;
  const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null; };
  const apply = [...v.fleetApplyMs];
  const frames = [...window.__frames];
  const long = [...window.__long];
  return {
    drivers: v.driverCount(), markersCreated: v.markersCreated(), fleetFrames: apply.length,
    framesWith: v.events - window.__events0,
    applyP50Ms: q(apply, 0.5), applyP99Ms: q(apply, 0.99), applyMaxMs: Math.max(...apply),
    rafFrames: frames.length, rafP50Ms: q(frames, 0.5), rafP99Ms: q(frames, 0.99),
    rafOver50Share: frames.filter(f => f > 50).length / Math.max(1, frames.length),
    longTasks: long.length, longTaskMsPerSec: long.reduce((a, b) => a + b, 0),
  };
});
r.longTaskMsPerSec = r.longTaskMsPerSec / seconds;
// The baseline, on the live page: re-create all markers 10 times, median time of one re-creation.
r.recreateMs = await page.evaluate(async () => {
  const v = window.switchboardConsole;
  const map = v.leafletMap;
  const times = [];
  let layer = null;
  for (let k = 0; k < 10; k++) {
    const points = v.allPositions();
    const t0 = performance.now();
    const next = L.layerGroup(points.map(p => L.circleMarker([p.latitude, p.longitude], { radius: 6 })));
    next.addTo(map);
    if (layer) layer.remove();
    layer = next;
    times.push(performance.now() - t0);
    await new Promise(res => requestAnimationFrame(() => res()));
  }
  layer.remove();
  times.sort((a, b) => a - b);
  return times[5];
});
r.recreateOverApply = r.applyP50Ms > 0 ? r.recreateMs / r.applyP50Ms : null;
console.log(JSON.stringify(r));
await context.close();
rmSync(userDataDir, { recursive: true, force: true });

// Active runs: driver, stops done / total, ETA of the next stop, and a red row when the run is late. A run is
// late when its next stop's ETA has passed without an arrival, or when that ETA slipped LATE_SLIP_MS or more
// since the console first saw it (the data has no promised delivery times; docs/console.md).

const LATE_SLIP_MS = 5 * 60_000;
const OVERDUE_GRACE_MS = 60_000;

export class RunBoard {
  constructor(tbody, counter) {
    this.tbody = tbody;
    this.counter = counter;
    this.runs = new Map();
    this.firstEta = new Map(); // stopId -> the first ETA seen, in ms
    setInterval(() => this.#renderAll(), 15_000); // "overdue" changes with time alone
  }

  /** Runs from GET /api/v1/runs?status=active, merged with what events already showed. */
  load(runs) {
    runs.forEach(run => this.apply(run));
  }

  clear() {
    this.runs.clear();
    this.tbody.replaceChildren();
  }

  /** A run as an event or the API shows it; an older version than the one shown is ignored. */
  apply(run) {
    const shown = this.runs.get(run.id);
    if (shown && shown.version > run.version) return;
    if (run.status === 'completed') {
      this.runs.delete(run.id);
      this.tbody.querySelector(`tr[data-run-id="${CSS.escape(run.id)}"]`)?.remove();
    } else {
      this.runs.set(run.id, run);
      this.#render(run, Boolean(shown));
    }
    this.counter.textContent = `${this.runs.size} active`;
  }

  runOfDriver(driverId) {
    for (const run of this.runs.values()) if (run.driverId === driverId) return run;
    return null;
  }

  #renderAll() {
    for (const run of this.runs.values()) this.#render(run, false);
  }

  #render(run, changed) {
    let row = this.tbody.querySelector(`tr[data-run-id="${CSS.escape(run.id)}"]`);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.runId = run.id;
      for (const name of ['name', 'driver', 'status', 'stops', 'eta']) {
        const cell = document.createElement('td');
        cell.className = name;
        row.append(cell);
      }
      this.tbody.prepend(row);
    }
    const next = (run.stops || []).find(s => s.status !== 'completed');
    const eta = next?.eta ? Date.parse(next.eta) : null;
    if (next && eta !== null && !this.firstEta.has(next.id)) this.firstEta.set(next.id, eta);
    const late = eta !== null && !next.arrivedAt
      && (eta < Date.now() - OVERDUE_GRACE_MS || eta - this.firstEta.get(next.id) >= LATE_SLIP_MS);
    row.querySelector('.name').textContent = run.name || run.id;
    row.querySelector('.driver').textContent = run.driverId || '—';
    row.querySelector('.status').textContent = run.status.replace('_', ' ');
    row.querySelector('.stops').textContent = `${run.completedStops}/${run.totalStops}`;
    row.querySelector('.eta').textContent = next?.arrivedAt ? 'arrived' : eta !== null ? clock(eta) : '—';
    row.classList.toggle('late', late);
    if (changed) flash(row);
  }
}

export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function flash(element) {
  element.classList.remove('changed');
  void element.offsetWidth; // restart the animation
  element.classList.add('changed');
}

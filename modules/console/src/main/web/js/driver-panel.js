// The selected driver: details (last fix, speed, run, next stop), its trail on the map, kept current as its
// positions and its run's events arrive.

import { clock } from './run-board.js';

export class DriverPanel {
  constructor(elements, session, map, runs) {
    this.el = elements; // { panel, title, details, trailMinutes, close }
    this.session = session;
    this.map = map;
    this.runs = runs;
    this.selected = null;
    this.el.close.onclick = () => this.close();
  }

  async open(driverId) {
    this.selected = driverId;
    this.el.panel.hidden = false;
    this.el.title.textContent = driverId;
    this.el.trailMinutes.textContent = this.map.trailMinutes;
    this.render();
    const from = new Date(Date.now() - this.map.trailMinutes * 60_000).toISOString();
    const id = encodeURIComponent(driverId);
    const [track, driver] = await Promise.allSettled([
      this.session.api(`/api/v1/drivers/${id}/track?from=${encodeURIComponent(from)}`),
      this.session.api(`/api/v1/drivers/${id}`)]);
    if (this.selected !== driverId) return; // another driver was chosen meanwhile
    this.map.select(driverId, track.status === 'fulfilled' ? track.value.points : []);
    if (driver.status === 'fulfilled' && driver.value.name) this.el.title.textContent = driver.value.name;
  }

  close() {
    this.selected = null;
    this.map.deselect();
    this.el.panel.hidden = true;
  }

  /** After a fleet frame or a run event: re-render if it concerns the selected driver. */
  refreshIf(concernsSelected) {
    if (this.selected && concernsSelected(this.selected)) this.render();
  }

  render() {
    const p = this.map.positions.get(this.selected);
    const run = this.runs.runOfDriver(this.selected);
    const next = run?.stops?.find(s => s.status !== 'completed');
    const rows = [
      ['Driver', this.selected],
      ['Last fix', p ? new Date(p.timestamp).toLocaleTimeString() : '—'],
      ['Speed', p?.speed != null ? `${Math.round(p.speed)} km/h` : '—'],
      ['Position', p ? `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}` : '—'],
      ['Run', run ? `${run.name || run.id} (${run.status.replace('_', ' ')})` : 'none'],
      ['Stops', run ? `${run.completedStops}/${run.totalStops}` : '—'],
      ['Next stop', next ? `${next.address}${next.eta ? ' · ETA ' + clock(Date.parse(next.eta)) : ''}` : '—'],
    ];
    this.el.details.replaceChildren(...rows.flatMap(([label, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.field = label.toLowerCase().replace(' ', '-');
      return [dt, dd];
    }));
  }
}

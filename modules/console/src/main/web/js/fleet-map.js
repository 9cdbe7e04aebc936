// The map: one marker per driver, created once and moved in place on every fleet frame (a fleet_update carries
// only the drivers that moved, at most once a second), drawn on a canvas so thousands stay smooth.

/* global L */

const TRAIL_MINUTES = 15;
const DEFAULT_VIEW = [[52.52, 13.405], 12];

export class FleetMap {
  constructor(element, config, { onSelect }) {
    this.map = L.map(element, { preferCanvas: true, zoomControl: true }).setView(...DEFAULT_VIEW);
    if (config.tileUrl) {
      // Without reachable tiles the map keeps its plain background; markers and trails still work.
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(this.map);
    }
    this.renderer = L.canvas({ padding: 0.5 });
    this.markers = new Map();   // driverId -> circle marker
    this.positions = new Map(); // driverId -> latest position
    this.onSelect = onSelect;
    this.selected = null;
    this.trail = null;
    this.fitted = false;
    this.created = 0; // markers ever created: stays at the number of drivers however often they move
  }

  get trailMinutes() { return TRAIL_MINUTES; }

  /**
   * A fleet_snapshot or fleet_update frame. A snapshot (on every connect) is the whole live fleet: drivers it does
   * not list went stale while we were away and leave the map.
   */
  apply(frame) {
    if (frame.type === 'fleet_snapshot') {
      const live = new Set((frame.drivers || []).map(d => d.driverId));
      for (const id of [...this.markers.keys()]) if (!live.has(id)) this.#forget(id);
    }
    for (const d of frame.drivers || []) this.#move(d);
    if (!this.fitted && this.positions.size > 0) {
      this.fitted = true;
      const bounds = L.latLngBounds([...this.positions.values()].map(p => [p.latitude, p.longitude]));
      this.map.fitBounds(bounds.pad(0.1), { maxZoom: 15 });
    }
  }

  #move(d) {
    const latLng = [d.latitude, d.longitude];
    let marker = this.markers.get(d.driverId);
    if (!marker) {
      marker = L.circleMarker(latLng, {
        renderer: this.renderer, radius: 6, weight: 2, color: '#fff', fillColor: '#2f6fde', fillOpacity: 1,
      }).addTo(this.map);
      marker.bindTooltip(d.driverId);
      marker.on('click', () => this.onSelect(d.driverId));
      this.markers.set(d.driverId, marker);
      this.created++;
    } else {
      marker.setLatLng(latLng);
    }
    this.positions.set(d.driverId, d);
    if (this.selected === d.driverId && this.trail) this.trail.addLatLng(latLng);
  }

  /** Drivers silent for longer than the server keeps them live (SB_FLEET_STALE_AFTER, 10 min) leave the map. */
  forgetSilent(olderThanMs) {
    const limit = Date.now() - olderThanMs;
    for (const [id, p] of this.positions) if (Date.parse(p.timestamp) < limit) this.#forget(id);
  }

  #forget(id) {
    if (this.selected === id) this.deselect();
    this.markers.get(id)?.remove();
    this.markers.delete(id);
    this.positions.delete(id);
  }

  /** Highlights a driver and draws its trail: history from PostgreSQL, then extended live. */
  select(driverId, trackPoints) {
    this.deselect();
    this.selected = driverId;
    this.markers.get(driverId)?.setStyle({ fillColor: '#d9822b', radius: 9 }).bringToFront();
    const points = trackPoints.map(p => [p.latitude, p.longitude]);
    this.trail = L.polyline(points, { color: '#d9822b', weight: 3, opacity: 0.8 }).addTo(this.map);
  }

  deselect() {
    if (this.selected) this.markers.get(this.selected)?.setStyle({ fillColor: '#2f6fde', radius: 6 });
    this.trail?.remove();
    this.trail = null;
    this.selected = null;
  }

  /** Where a driver's marker is on screen (for tests and keyboard users: click there to select it). */
  pointOf(driverId) {
    const p = this.positions.get(driverId);
    if (!p) return null;
    const point = this.map.latLngToContainerPoint([p.latitude, p.longitude]);
    const box = this.map.getContainer().getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  }
}

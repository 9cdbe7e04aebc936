// Where the subscription resumes from: the number of the last event handed over. Numbers are one global
// sequence, increasing on any subscription, so "seen already" is "not above it". Optionally kept in a storage
// (sessionStorage, localStorage) so that a page reload resumes too.

export class ResumePoint {
  constructor({lastEventId, storage, storageKey}) {
    this.storage = storage ?? null;
    this.storageKey = storageKey;
    this.id = lastEventId ?? this.stored();
  }

  /** True once for each number above the current one (and moves to it); false for a number seen already. */
  accept(id) {
    if (this.id !== null && id <= this.id) return false;
    this.set(id);
    return true;
  }

  /** Moves forward only (a connected frame, a poll's position). */
  advance(id) {
    if (Number.isFinite(id) && (this.id === null || id > this.id)) this.set(id);
  }

  /** Moves anywhere (a reset: the log's head, which may be below a position it never issued). */
  set(id) {
    this.id = id;
    try {
      this.storage?.setItem(this.storageKey, String(id));
    } catch {
      // a full or forbidden storage only loses resume across page loads
    }
  }

  /** @private */
  stored() {
    const text = this.storage?.getItem?.(this.storageKey);
    return text && /^[0-9]+$/.test(text) ? Number(text) : null;
  }
}

// Notices a connection that went silent without closing (a dead node behind a balancer, a sleeping laptop's Wi-Fi):
// the server sends a heartbeat comment every 30 s, so a stream with nothing for longer is dead.

export class Watchdog {
  constructor(onSilence) {
    this.onSilence = onSilence;
    this.timer = null;
  }

  /** (Re)starts the countdown. */
  arm(ms) {
    this.stop();
    this.timer = setTimeout(this.onSilence, ms);
  }

  stop() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

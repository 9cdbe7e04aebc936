// Who is signed in, and calls to the API with their token. The token lives in this tab's sessionStorage and
// travels only in Authorization headers, the stream's included (docs/console.md).

const KEY = 'switchboard.console.token';

export class ApiFailure extends Error {
  constructor(status, error, message) {
    super(message || error || `HTTP ${status}`);
    this.status = status;
    this.error = error;
  }
}

export class Session {
  constructor(token) {
    this.token = token;
    this.claims = decodeClaims(token);
  }

  static restore() {
    const token = sessionStorage.getItem(KEY);
    if (!token) return null;
    try {
      const session = new Session(token);
      return session.expired() ? null : session;
    } catch {
      Session.clear(); // not a token we stored: sign in again rather than break the page
      return null;
    }
  }

  save() { sessionStorage.setItem(KEY, this.token); }
  static clear() { sessionStorage.removeItem(KEY); }

  get tenant() { return this.claims.tenant; }
  get role() { return this.claims.role; }
  get subject() { return this.claims.sub; }
  expired() { return typeof this.claims.exp === 'number' && this.claims.exp * 1000 <= Date.now(); }

  async api(path, { method = 'GET', body } = {}) {
    const headers = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
    if (!response.ok) {
      throw new ApiFailure(response.status, json?.error, json?.message || text.slice(0, 200));
    }
    return json;
  }
}

function decodeClaims(token) {
  const part = (token || '').split('.')[1];
  if (!part) throw new Error('this is not a JWT (header.payload.signature)');
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(json);
}

// Where a connection's credentials come from: a fixed token, a getToken() callback (asked again on a 401, when
// the server ends a stream because the token expired, and shortly before `exp`), a single-use stream ticket bought
// with the token (for EventSource, which cannot send headers), or the browser's cookie.

const REFRESH_BEFORE_EXP_MS = 30_000;

/** Reads a JWT's `exp` (ms since the epoch) without verifying it: only to know when to ask for a new one. */
export function tokenExpiry(token) {
  return claims(token)?.expiresAt ?? null;
}

/** `exp` and `iat` in ms, when the token is a JWT that has them. */
function claims(token) {
  try {
    const json = JSON.parse(base64UrlDecode(token.split('.')[1]));
    return {
      expiresAt: typeof json.exp === 'number' ? json.exp * 1000 : null,
      issuedAt: typeof json.iat === 'number' ? json.iat * 1000 : null,
    };
  } catch {
    return null;
  }
}

/**
 * Whether a token is about to expire: within 30 s of `exp`, or within half its lifetime for tokens that live
 * less than a minute (so a 10 s token is not refreshed before every single use).
 */
function expiresSoon(token, now) {
  const c = claims(token);
  if (!c || c.expiresAt === null) return false;
  const lifetime = c.issuedAt === null ? Infinity : c.expiresAt - c.issuedAt;
  return c.expiresAt - now < Math.min(REFRESH_BEFORE_EXP_MS, lifetime / 2);
}

function base64UrlDecode(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, c => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export class Credentials {
  /**
   * @param {{token?: string, getToken?: (o: {forceRefresh: boolean}) => string | Promise<string>,
   *          useTicket?: boolean, withCredentials?: boolean, now?: () => number}} options
   */
  constructor({token, getToken, useTicket = false, withCredentials = false, now = Date.now}) {
    this.token = token ?? null;
    this.getToken = getToken ?? null;
    this.useTicket = useTicket;
    this.withCredentials = withCredentials;
    this.now = now;
  }

  /** Whether a refused token may be replaced by asking again. */
  get refreshable() {
    return this.getToken !== null;
  }

  /** The bearer token to use now, or null (cookie or anonymous); refreshed when it is about to expire. */
  async current({forceRefresh = false} = {}) {
    if (this.getToken) {
      const stale = this.token !== null && expiresSoon(this.token, this.now());
      if (this.token === null || forceRefresh || stale) {
        this.token = await this.getToken({forceRefresh: forceRefresh || stale});
        // An app's cached token may be the one about to expire: ask once more, for a fresh one.
        if (!forceRefresh && !stale && expiresSoon(this.token, this.now())) {
          this.token = await this.getToken({forceRefresh: true});
        }
      }
    }
    return this.token;
  }

  /** Request headers and query parameters that carry the credentials of one request. */
  async forRequest(baseUrl, fetchImpl, {forceRefresh = false, stream = false} = {}) {
    const token = await this.current({forceRefresh});
    const headers = {};
    const query = {};
    if (token && stream && this.useTicket) {
      query.ticket = await buyTicket(baseUrl, fetchImpl, token);
    } else if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    return {headers, query, credentials: this.withCredentials ? 'include' : 'same-origin'};
  }
}

/** POST /api/v1/realtime/tickets: a 30 s, single-use ticket for one stream. */
async function buyTicket(baseUrl, fetchImpl, token) {
  const res = await fetchImpl(`${baseUrl}/api/v1/realtime/tickets`, {
    method: 'POST', headers: {Authorization: `Bearer ${token}`},
  });
  if (!res.ok) {
    throw await HttpError.from(res);
  }
  return (await res.json()).ticket;
}

/** A refused request, with the server's `{"error","message"}` when it sent one. */
export class HttpError extends Error {
  constructor(status, error, message) {
    super(`${status} ${error}: ${message}`);
    this.status = status;
    this.error = error;
  }

  static async from(res) {
    let body = {};
    try {
      body = await res.json();
    } catch {
      // not JSON: keep the status alone
    }
    return new HttpError(res.status, body.error ?? 'http_error', body.message ?? res.statusText ?? '');
  }

  /** Retrying the same request cannot help (bad request, forbidden, not found). */
  get permanent() {
    return this.status === 400 || this.status === 403 || this.status === 404;
  }
}

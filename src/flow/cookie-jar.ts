/**
 * Just enough of a browser's cookie store for the login flow: cookies per host name
 * (ports share cookies, as in browsers), path matching, expiry by Max-Age and Expires,
 * deletion by an expired Set-Cookie. Domain cookies are treated as host-only: the flow
 * talks to localhost and 127.0.0.1, which take no Domain attribute anyway.
 */

export interface Cookie {
  name: string;
  value: string;
  path: string;
  /** Milliseconds since the epoch; null for a session cookie. */
  expires: number | null;
  httpOnly: boolean;
  sameSite: string | null;
}

/** The default path of a cookie set by a response to `requestPath` (RFC 6265, 5.1.4). */
function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export function parseSetCookie(header: string, requestPath: string, now = Date.now()): Cookie | null {
  const [pair, ...attributes] = header.split(';');
  if (!pair) return null;
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  let value = pair.slice(eq + 1).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  const cookie: Cookie = { name, value, path: defaultPath(requestPath), expires: null, httpOnly: false, sameSite: null };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = (rawKey ?? '').trim().toLowerCase();
    const val = rest.join('=').trim();
    if (key === 'max-age' && /^-?\d+$/.test(val)) {
      maxAgeSeen = true;
      cookie.expires = now + Number(val) * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const time = Date.parse(val);
      if (!Number.isNaN(time)) cookie.expires = time;
    } else if (key === 'path' && val.startsWith('/')) {
      cookie.path = val;
    } else if (key === 'httponly') {
      cookie.httpOnly = true;
    } else if (key === 'samesite') {
      cookie.sameSite = val || null;
    }
  }
  return cookie;
}

export class CookieJar {
  private readonly hosts = new Map<string, Cookie[]>();

  /** Stores the cookies of one response's Set-Cookie headers. */
  store(url: URL, setCookie: string[] | undefined, now = Date.now()): void {
    for (const header of setCookie ?? []) {
      const cookie = parseSetCookie(header, url.pathname, now);
      if (!cookie) continue;
      const list = (this.hosts.get(url.hostname) ?? []).filter((c) => !(c.name === cookie.name && c.path === cookie.path));
      if (cookie.expires === null || cookie.expires > now) list.push(cookie);
      this.hosts.set(url.hostname, list);
    }
  }

  /** The cookies a request to `url` carries. */
  cookiesFor(url: URL, now = Date.now()): Cookie[] {
    const list = (this.hosts.get(url.hostname) ?? []).filter((c) => c.expires === null || c.expires > now);
    // Longer paths first, as browsers send them.
    return list.filter((c) => pathMatches(c.path, url.pathname)).sort((a, b) => b.path.length - a.path.length);
  }

  /** The Cookie header for `url`, or null when there is nothing to send. */
  headerFor(url: URL, now = Date.now()): string | null {
    const cookies = this.cookiesFor(url, now);
    return cookies.length > 0 ? cookies.map((c) => `${c.name}=${c.value}`).join('; ') : null;
  }

  get(url: URL, name: string, now = Date.now()): string | null {
    return this.cookiesFor(url, now).find((c) => c.name === name)?.value ?? null;
  }
}

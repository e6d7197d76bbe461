/**
 * What the relay in front of the emulator was asked, counted by method and path. Tests
 * read it (`GET /__authkit/requests`) to prove how many calls a page made to WorkOS: the
 * session middleware must make none while a token is valid, and one refresh for many
 * concurrent requests. The query string is dropped (it carries codes and state); ids in
 * the path stay, so `/user_management/users/user_01` and `user_02` count apart.
 */

export interface RequestCounts {
  /** Every request counted since the start or the last reset. */
  total: number;
  /** `"METHOD /path"` -> how many times. */
  requests: Record<string, number>;
}

export interface RequestCounter {
  count(method: string | undefined, url: string | undefined): void;
  snapshot(): RequestCounts;
  reset(): void;
}

/** `"GET /sso/jwks/client_emulate"` for `GET /sso/jwks/client_emulate?x=1`. */
export function requestKey(method: string | undefined, url: string | undefined): string {
  const pathname = new URL(url ?? '/', 'http://relay.invalid').pathname;
  return `${(method ?? 'GET').toUpperCase()} ${pathname}`;
}

export function createRequestCounter(): RequestCounter {
  let counts = new Map<string, number>();
  return {
    count(method, url) {
      const key = requestKey(method, url);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    snapshot() {
      const requests: Record<string, number> = {};
      let total = 0;
      for (const [key, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
        requests[key] = n;
        total += n;
      }
      return { total, requests };
    },
    reset() {
      counts = new Map();
    },
  };
}

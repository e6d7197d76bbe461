/**
 * The relay's own paths, under `/__authkit/`, for tests of a site run against the
 * emulator. They exist only on this local relay (127.0.0.1, started by `emulator` or
 * `dev`), never at WorkOS:
 *   GET  /__authkit/requests          what the relay was asked: {total, requests: {"METHOD /path": n}}
 *   POST /__authkit/requests/reset    forget those counts
 *   POST /__authkit/jwks?down=1|0     answer 503 to the JWKS (as an outage would), or stop
 *   POST /__authkit/authenticate?fail=503|0
 *                                     answer 503 to refresh_token grants of POST
 *                                     /user_management/authenticate (WorkOS failing while a
 *                                     session is renewed; sign-ins still work), or stop
 *   POST /__authkit/organization-selection?required=1|0
 *                                     answer a code exchange of a user with organizations
 *                                     with 403 organization_selection_required (relay-organizations.ts)
 * Requests to these paths are not counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCounter } from './relay-requests.js';

export const CONTROL_PREFIX = '/__authkit/';

export interface RelayState {
  counter: RequestCounter;
  /** While true, the JWKS paths answer 503. */
  jwksDown: boolean;
  /** While set (503), refresh_token grants are answered with that status. */
  refreshFailStatus: number | null;
  /** While true, code exchanges of users with organizations ask them to choose one. */
  organizationSelection: boolean;
}

/** A POST switch whose one query parameter takes one of two values. */
function toggle(outgoing: ServerResponse, url: URL, name: string, on: string, set: (on: boolean) => Record<string, unknown>): void {
  const value = url.searchParams.get(name);
  if (value !== on && value !== '0') {
    answer(outgoing, 400, { message: `${name} must be ${on} or 0`, code: 'invalid_request' });
    return;
  }
  answer(outgoing, 200, set(value === on));
}

function answer(outgoing: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  outgoing.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...extra });
  outgoing.end(text);
}

/** Answers a control request (the caller checked the prefix). */
export function answerControl(incoming: IncomingMessage, outgoing: ServerResponse, state: RelayState): void {
  // A body, if any, is not read: drain it so the connection stays usable.
  incoming.resume();
  const url = new URL(incoming.url ?? '/', 'http://relay.invalid');
  const method = incoming.method ?? 'GET';
  const routes: Record<string, { method: string; run: () => void }> = {
    '/__authkit/requests': { method: 'GET', run: () => answer(outgoing, 200, state.counter.snapshot()) },
    '/__authkit/requests/reset': {
      method: 'POST',
      run: () => {
        state.counter.reset();
        answer(outgoing, 200, state.counter.snapshot());
      },
    },
    '/__authkit/jwks': {
      method: 'POST',
      run: () =>
        toggle(outgoing, url, 'down', '1', (on) => {
          state.jwksDown = on;
          return { down: state.jwksDown };
        }),
    },
    '/__authkit/authenticate': {
      method: 'POST',
      run: () =>
        toggle(outgoing, url, 'fail', '503', (on) => {
          state.refreshFailStatus = on ? 503 : null;
          return { fail: state.refreshFailStatus ?? 0 };
        }),
    },
    '/__authkit/organization-selection': {
      method: 'POST',
      run: () =>
        toggle(outgoing, url, 'required', '1', (on) => {
          state.organizationSelection = on;
          return { required: state.organizationSelection };
        }),
    },
  };
  const route = routes[url.pathname];
  if (!route) answer(outgoing, 404, { message: `no relay control path ${url.pathname}`, code: 'not_found' });
  else if (route.method !== method) answer(outgoing, 405, { message: `${url.pathname} takes ${route.method}`, code: 'method_not_allowed' }, { allow: route.method });
  else route.run();
}

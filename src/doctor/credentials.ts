/**
 * `credentials`: one authenticated call to the WorkOS API with the project's API key, to
 * tell a wrong or revoked key (401) from a network problem. GET /user_management/users
 * needs the key and exists both at WorkOS and in its emulator (`workos/emulate`), so
 * WORKOS_BASE_URL pointing at the emulator works too. Short timeout; `--offline` skips it.
 */
import { maskApiKey } from '../util/secrets.js';
import { registerSecret } from '../util/secrets.js';
import type { DoctorCheck } from './types.js';

export const DEFAULT_WORKOS_BASE_URL = 'https://api.workos.com';
export const CREDENTIALS_TIMEOUT_MS = 5000;
const PROBE_PATH = '/user_management/users?limit=1';

/** The network error's code (ENOTFOUND, ECONNREFUSED...), else its innermost message, from fetch's nested causes. */
export function networkCode(error: unknown): string {
  if ((error as Error)?.name === 'TimeoutError') return 'timeout';
  let current: unknown = error;
  let message = (error as Error)?.message ?? String(error);
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (current as { message?: unknown }).message;
    if (typeof inner === 'string' && inner) message = inner;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** The WorkOS base URL doctor's calls go to: WORKOS_BASE_URL (the emulator) or WorkOS's. */
export function workosBase(ctx: { environmentValue(name: string): { value: string } | null }): string {
  return (ctx.environmentValue('WORKOS_BASE_URL')?.value || DEFAULT_WORKOS_BASE_URL).replace(/\/+$/, '');
}

/**
 * One GET to WorkOS with doctor's timeout, never following redirects: the answer, or why
 * none came (a network code, or "no answer within N s").
 */
export async function getFromWorkOS(url: string, headers: Record<string, string> = {}): Promise<Response | { unreachable: string }> {
  try {
    return await fetch(url, {
      headers: { Accept: 'application/json', 'User-Agent': 'authkit-django doctor', ...headers },
      signal: AbortSignal.timeout(CREDENTIALS_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    const code = networkCode(error);
    return { unreachable: code === 'timeout' ? `no answer within ${CREDENTIALS_TIMEOUT_MS / 1000} s` : code };
  }
}

export const credentialsCheck: DoctorCheck = {
  id: 'credentials',
  family: 'workos',
  after: ['env-file'],
  run: async (ctx) => {
    if (ctx.options.offline) return { status: 'skip', message: '--offline: the keys were not tried against WorkOS' };
    const key = ctx.environmentValue('WORKOS_API_KEY');
    if (!key || !key.value.startsWith('sk_')) return { status: 'skip', message: 'no WORKOS_API_KEY to try' };
    registerSecret(key.value);
    const base = workosBase(ctx);
    const shownKey = maskApiKey(key.value);
    const response = await getFromWorkOS(base + PROBE_PATH, { Authorization: `Bearer ${key.value}` });
    if ('unreachable' in response) {
      const why = response.unreachable;
      return {
        status: 'warn',
        message: `could not reach WorkOS at ${base} (${why}): a network problem (offline, proxy, firewall, WORKOS_BASE_URL), not a verdict on the key`,
        fix: 'check the connection and WORKOS_BASE_URL, or run doctor with --offline',
      };
    }
    const status = response.status;
    await response.body?.cancel();
    if (status >= 200 && status < 300) {
      return { status: 'pass', message: `WorkOS at ${base} accepts the API key (${shownKey}, from ${key.from})` };
    }
    if (status === 401) {
      return {
        status: 'fail',
        message: `WorkOS at ${base} refuses the API key (${shownKey}, from ${key.from}): 401, so it is wrong, revoked, or from another WorkOS environment`,
        fix: 'copy a current API key from the WorkOS dashboard (API Keys) into WORKOS_API_KEY',
      };
    }
    if (status === 403) {
      return {
        status: 'warn',
        message: `WorkOS at ${base} knows the API key (${shownKey}) but refuses to list users with it (403): AuthKit calls may be refused too`,
        fix: "check the key's permissions in the WorkOS dashboard",
      };
    }
    return {
      status: 'warn',
      message: `WorkOS at ${base} answered ${status} to an authenticated request, so the key could not be judged` +
        (status === 404 ? ': is WORKOS_BASE_URL the WorkOS API?' : status >= 500 ? ': WorkOS has a problem, try again later' : ''),
      fix: status === 404 ? 'check WORKOS_BASE_URL (default https://api.workos.com)' : 'run doctor again later',
    };
  },
};

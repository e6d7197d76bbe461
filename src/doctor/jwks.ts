/**
 * `jwks`: the authkit app's middleware verifies every signed-in request's access token with
 * the keys WorkOS publishes for the client id (`/sso/jwks/{client_id}`, the URL the SDK's
 * `get_jwks_url()` gives). One GET, no API key needed; short timeout; `--offline` skips it.
 */
import { ourApp } from './authkit-app.js';
import { getFromWorkOS, workosBase } from './credentials.js';
import type { DoctorCheck } from './types.js';

export const jwksCheck: DoctorCheck = {
  id: 'jwks',
  family: 'workos',
  after: ['env-file'],
  run: async (ctx) => {
    if (ctx.options.offline) return { status: 'skip', message: "--offline: WorkOS's signing keys were not fetched" };
    if (!ourApp(ctx)) return { status: 'skip', message: "authkit-django's authkit app is not in the project: nothing here verifies tokens" };
    const clientId = ctx.environmentValue('WORKOS_CLIENT_ID')?.value;
    if (!clientId || !clientId.startsWith('client_')) return { status: 'skip', message: 'no WORKOS_CLIENT_ID to fetch the signing keys for' };
    const base = workosBase(ctx);
    const url = `${base}/sso/jwks/${encodeURIComponent(clientId)}`;
    const response = await getFromWorkOS(url);
    if ('unreachable' in response) {
      return {
        status: 'warn',
        message: `could not fetch WorkOS's signing keys from ${url} (${response.unreachable}): signed-in requests are checked with keys fetched when the site runs, so this is a network problem to look at, not a broken integration`,
        fix: 'check the connection and WORKOS_BASE_URL, or run doctor with --offline',
      };
    }
    const status = response.status;
    let keys: unknown[] = [];
    if (status === 200) {
      const body = (await response.json().catch(() => null)) as { keys?: unknown } | null;
      keys = Array.isArray(body?.keys) ? body.keys : [];
    } else {
      await response.body?.cancel();
    }
    const rsa = keys.filter((k) => (k as { kty?: unknown })?.kty === 'RSA' && typeof (k as { kid?: unknown }).kid === 'string');
    if (status === 200 && rsa.length > 0) {
      return { status: 'pass', message: `WorkOS publishes ${rsa.length} signing key${rsa.length === 1 ? '' : 's'} for ${clientId} at ${url}: access tokens can be verified` };
    }
    if (status === 200) {
      return { status: 'fail', message: `${url} lists no RSA signing key: no access token could be verified, so every sign-in would end at its first check`, fix: 'check WORKOS_BASE_URL and WORKOS_CLIENT_ID' };
    }
    if (status === 404) {
      return {
        status: 'fail',
        message: `WorkOS at ${base} has no signing keys for ${clientId} (404): the client id is wrong or from another WorkOS environment`,
        fix: 'copy the client id from the WorkOS dashboard (API Keys) into WORKOS_CLIENT_ID',
      };
    }
    return { status: 'warn', message: `${url} answered ${status}: the signing keys could not be read`, fix: 'run doctor again later' };
  },
};

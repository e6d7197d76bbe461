// The relay's test aids, against the real emulator (workos 0.14.0): request counts, a JWKS
// outage switch, refresh tokens of revoked sessions refused as WorkOS refuses them, and a
// seed with organizations, roles and permissions. Each check is made over HTTP, as the
// Python tests and a user's own tests use them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadEmulator, type LoadedEmulator } from '../../src/flow/emulator-loader.js';
import { EMULATOR_CLIENT_ID, startEmulator, type RunningEmulator } from '../../src/flow/emulator.js';
import { parseSeed } from '../../src/flow/emulator-seed.js';
import { createRequestCounter, requestKey } from '../../src/flow/relay-requests.js';
import { createSessionRevocations } from '../../src/flow/session-revocation.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/django.js';

let loaded: LoadedEmulator;
const stops: (() => Promise<void>)[] = [];
before(async () => {
  loaded = await loadEmulator({ globalRoot: null });
});
after(async () => {
  for (const stop of stops) await stop();
});

async function started(options: Parameters<typeof startEmulator>[1] = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(loaded, options);
  stops.push(emulator.stop);
  return emulator;
}

async function codeFrom(url: string, loginHint?: string): Promise<string> {
  const authorize = new URL('/user_management/authorize', url);
  authorize.search = new URLSearchParams({
    client_id: EMULATOR_CLIENT_ID,
    redirect_uri: 'http://localhost:9/auth/callback/',
    response_type: 'code',
    state: 's1',
    ...(loginHint ? { login_hint: loginHint } : {}),
  }).toString();
  const answer = await fetch(authorize, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location')!).searchParams.get('code')!;
}

async function grant(emulator: RunningEmulator, body: Record<string, string>): Promise<{ status: number; data: Record<string, unknown> }> {
  const answer = await fetch(new URL('/user_management/authenticate', emulator.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.apiKey}` },
    body: JSON.stringify({ ...body, client_id: EMULATOR_CLIENT_ID, client_secret: emulator.apiKey }),
  });
  return { status: answer.status, data: (await answer.json()) as Record<string, unknown> };
}

async function signIn(emulator: RunningEmulator, loginHint?: string): Promise<Record<string, unknown>> {
  const { status, data } = await grant(emulator, { grant_type: 'authorization_code', code: await codeFrom(emulator.url, loginHint) });
  assert.equal(status, 200, JSON.stringify(data));
  return data;
}

async function refresh(emulator: RunningEmulator, refreshToken: unknown, extra: Record<string, string> = {}) {
  return grant(emulator, { grant_type: 'refresh_token', refresh_token: String(refreshToken), ...extra });
}

const claimsOf = (token: unknown): Record<string, unknown> => JSON.parse(Buffer.from(String(token).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function counts(emulator: RunningEmulator): Promise<{ total: number; requests: Record<string, number> }> {
  const answer = await fetch(new URL('/__authkit/requests', emulator.url));
  assert.equal(answer.status, 200);
  return (await answer.json()) as { total: number; requests: Record<string, number> };
}

async function revoke(emulator: RunningEmulator, sessionId: unknown): Promise<number> {
  const answer = await fetch(new URL('/user_management/sessions/revoke', emulator.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.apiKey}` },
    body: JSON.stringify({ session_id: sessionId }),
  });
  await answer.arrayBuffer();
  return answer.status;
}

describe('request counts', () => {
  test('by method and path, query dropped and ids kept; the health check and control paths are not counted; reset clears', async () => {
    const emulator = await started();
    assert.deepEqual(await counts(emulator), { total: 0, requests: {} });
    await (await fetch(new URL(`/sso/jwks/${EMULATOR_CLIENT_ID}?x=1`, emulator.url))).arrayBuffer();
    await (await fetch(new URL(`/sso/jwks/${EMULATOR_CLIENT_ID}`, emulator.url))).arrayBuffer();
    const signedIn = await signIn(emulator);
    const user = (signedIn.user as { id: string }).id;
    await (await fetch(new URL(`/user_management/users/${user}`, emulator.url), { headers: { authorization: `Bearer ${emulator.apiKey}` } })).arrayBuffer();
    await (await fetch(new URL('/user_management/users/user_nobody', emulator.url), { headers: { authorization: `Bearer ${emulator.apiKey}` } })).arrayBuffer();
    assert.deepEqual(await counts(emulator), {
      total: 6,
      requests: {
        'GET /sso/jwks/client_emulate': 2,
        'GET /user_management/authorize': 1,
        'GET /user_management/users/user_nobody': 1,
        [`GET /user_management/users/${user}`]: 1,
        'POST /user_management/authenticate': 1,
      },
    });
    const reset = await fetch(new URL('/__authkit/requests/reset', emulator.url), { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual(await reset.json(), { total: 0, requests: {} });
    assert.deepEqual(await counts(emulator), { total: 0, requests: {} });
  });

  test('control paths: a wrong method is 405, an unknown one 404, and neither reaches the emulator', async () => {
    const emulator = await started();
    const wrong = await fetch(new URL('/__authkit/requests/reset', emulator.url));
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    await wrong.arrayBuffer();
    const unknown = await fetch(new URL('/__authkit/nothing', emulator.url), { method: 'POST' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'not_found');
    assert.equal((await counts(emulator)).total, 0);
  });

  test('the counter on its own', () => {
    assert.equal(requestKey('post', '/a/b?c=d#e'), 'POST /a/b');
    assert.equal(requestKey(undefined, undefined), 'GET /');
    const counter = createRequestCounter();
    counter.count('GET', '/b');
    counter.count('GET', '/a?1');
    counter.count('GET', '/a?2');
    assert.deepEqual(counter.snapshot(), { total: 3, requests: { 'GET /a': 2, 'GET /b': 1 } });
  });
});

describe('the JWKS outage switch', () => {
  test('down=1: the JWKS paths answer 503, counted, and other paths work; down=0 ends it', async () => {
    const emulator = await started({ tokenTtl: 60 });
    const jwks = new URL(`/sso/jwks/${EMULATOR_CLIENT_ID}`, emulator.url);
    const down = await fetch(new URL('/__authkit/jwks?down=1', emulator.url), { method: 'POST' });
    assert.deepEqual(await down.json(), { down: true });
    for (const path of [jwks, new URL(`/user_management/sessions/jwks/${EMULATOR_CLIENT_ID}`, emulator.url)]) {
      const answer = await fetch(path);
      assert.equal(answer.status, 503, String(path));
      assert.equal(((await answer.json()) as { code: string }).code, 'service_unavailable');
    }
    // Only the JWKS is out: signing in still works.
    await signIn(emulator);
    assert.equal((await counts(emulator)).requests['GET /sso/jwks/client_emulate'], 1);

    const up = await fetch(new URL('/__authkit/jwks?down=0', emulator.url), { method: 'POST' });
    assert.deepEqual(await up.json(), { down: false });
    const again = await fetch(jwks);
    assert.equal(again.status, 200);
    assert.match(String(((await again.json()) as { keys: { kid: string }[] }).keys[0]!.kid), /^authkit_django_relay_/);
    assert.equal((await counts(emulator)).requests['GET /sso/jwks/client_emulate'], 2);

    const bad = await fetch(new URL('/__authkit/jwks?down=yes', emulator.url), { method: 'POST' });
    assert.equal(bad.status, 400);
    await bad.arrayBuffer();
    assert.equal((await fetch(jwks)).status, 200, 'a bad value changes nothing');
  });
});

async function control(emulator: RunningEmulator, path: string): Promise<{ status: number; data: unknown }> {
  const answer = await fetch(new URL(path, emulator.url), { method: 'POST' });
  return { status: answer.status, data: await answer.json() };
}

describe('the refresh failure switch', () => {
  test('fail=503: refresh_token grants answer 503, counted, without reaching the emulator; code exchanges work; fail=0 ends it', async () => {
    const emulator = await started({ tokenTtl: 60 });
    const signedIn = await signIn(emulator);
    assert.deepEqual(await control(emulator, '/__authkit/authenticate?fail=503'), { status: 200, data: { fail: 503 } });
    const failed = await refresh(emulator, signedIn.refresh_token);
    assert.equal(failed.status, 503);
    assert.equal(failed.data.code, 'service_unavailable');
    // Sign-ins are not refreshes: they still work.
    const other = await signIn(emulator);
    assert.equal((await counts(emulator)).requests['POST /user_management/authenticate'], 3);

    assert.deepEqual(await control(emulator, '/__authkit/authenticate?fail=0'), { status: 200, data: { fail: 0 } });
    // The token the failed refresh carried was not spent.
    assert.equal((await refresh(emulator, signedIn.refresh_token)).status, 200);
    assert.equal((await refresh(emulator, other.refresh_token)).status, 200);
    for (const bad of ['fail=1', 'fail=500', 'down=1', '']) assert.equal((await control(emulator, `/__authkit/authenticate?${bad}`)).status, 400, bad);
  });
});

describe('organizations', () => {
  const seed = {
    users: [{ email: 'loner@example.com', email_verified: true }],
    organizations: [
      { name: 'Acme', memberships: [{ user_email: 'test.user@example.com' }] },
      { name: 'Globex', memberships: [{ user_email: 'test.user@example.com', role: 'admin' }] },
      { name: 'Initech' },
    ],
  };
  async function orgIds(emulator: RunningEmulator): Promise<Record<string, string>> {
    const answer = await fetch(new URL('/organizations', emulator.url), { headers: { authorization: `Bearer ${emulator.apiKey}` } });
    const data = (await answer.json()) as { data: { id: string; name: string }[] };
    return Object.fromEntries(data.data.map((o) => [o.name, o.id]));
  }

  test('a refresh into an organization the user is not a member of is refused with 400 invalid_grant, and the token stays usable', async () => {
    const emulator = await started({ seed: parseSeed(JSON.stringify(seed), 'seed.json') });
    const ids = await orgIds(emulator);
    const signedIn = await signIn(emulator);
    const refused = await refresh(emulator, signedIn.refresh_token, { organization_id: ids.Initech! });
    assert.equal(refused.status, 400);
    assert.equal(refused.data.code, 'invalid_grant');
    const unknown = await refresh(emulator, signedIn.refresh_token, { organization_id: 'org_nonexistent' });
    assert.equal(unknown.status, 400);
    const switched = await refresh(emulator, signedIn.refresh_token, { organization_id: ids.Acme! });
    assert.equal(switched.status, 200, JSON.stringify(switched.data));
    assert.equal(claimsOf(switched.data.access_token).org_id, ids.Acme);
    // The emulator alone would have switched: the gap the relay fills.
    const raw = await loaded.createEmulator({ port: 0, seed: { users: [{ email: 'raw@example.com', email_verified: true }], organizations: [{ name: 'Nobody' }] } });
    stops.push(() => raw.close());
    const direct = { url: raw.url, apiKey: raw.apiKey } as RunningEmulator;
    const rawOrg = (await orgIds(direct)).Nobody!;
    assert.equal((await refresh(direct, (await signIn(direct)).refresh_token, { organization_id: rawOrg })).status, 200);
  });

  test('organization-selection=1: a code exchange answers 403 with the pending token and the user\'s organizations; the grant signs in to the one chosen, once', async () => {
    const emulator = await started({ tokenTtl: 60, seed: parseSeed(JSON.stringify(seed), 'seed.json') });
    const ids = await orgIds(emulator);
    assert.deepEqual(await control(emulator, '/__authkit/organization-selection?required=1'), { status: 200, data: { required: true } });
    const asked = await grant(emulator, { grant_type: 'authorization_code', code: await codeFrom(emulator.url) });
    assert.equal(asked.status, 403);
    assert.equal(asked.data.code, 'organization_selection_required');
    assert.equal((asked.data.user as { email: string }).email, 'test.user@example.com');
    const offered = [...(asked.data.organizations as { name: string }[])].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(offered, [
      { id: ids.Acme, name: 'Acme' },
      { id: ids.Globex, name: 'Globex' },
    ]);
    const token = String(asked.data.pending_authentication_token);
    const select = (organizationId: string) => grant(emulator, { grant_type: 'urn:workos:oauth:grant-type:organization-selection', pending_authentication_token: token, organization_id: organizationId });
    assert.equal((await select(ids.Initech!)).status, 400, 'an organization not offered');
    const chosen = await select(ids.Globex!);
    assert.equal(chosen.status, 200, JSON.stringify(chosen.data));
    assert.equal(chosen.data.organization_id, ids.Globex);
    const claims = claimsOf(chosen.data.access_token);
    assert.equal(claims.org_id, ids.Globex);
    assert.equal(claims.role, 'admin');
    assert.equal(Number(claims.exp) - Number(claims.iat), 60, 're-signed like any token');
    assert.equal((await select(ids.Acme!)).status, 400, 'a token works once');
    assert.equal((await refresh(emulator, chosen.data.refresh_token)).status, 200);
    // A user without organizations signs in directly.
    const loner = await grant(emulator, { grant_type: 'authorization_code', code: await codeFrom(emulator.url, 'loner@example.com') });
    assert.equal(loner.status, 200);
    assert.deepEqual(await control(emulator, '/__authkit/organization-selection?required=0'), { status: 200, data: { required: false } });
    assert.equal((await grant(emulator, { grant_type: 'authorization_code', code: await codeFrom(emulator.url) })).status, 200);
    assert.equal((await control(emulator, '/__authkit/organization-selection?required=yes')).status, 400);
  });
});

describe('revoked sessions', () => {
  test('the emulator alone keeps refreshing a revoked session: the gap the relay fills', async () => {
    const raw = await loaded.createEmulator({ port: 0, seed: { users: [{ email: 'raw@example.com', password: 'pw-123456789', email_verified: true }] } });
    stops.push(() => raw.close());
    const direct = { url: raw.url, apiKey: raw.apiKey } as RunningEmulator;
    const signedIn = await signIn(direct);
    assert.equal(await revoke(direct, claimsOf(signedIn.access_token).sid), 200);
    // If a newer emulator refuses this itself, this fails and the relay's part can go.
    assert.equal((await refresh(direct, signedIn.refresh_token)).status, 200);
  });

  test('after revoke through the relay, the refresh token gets 400 invalid_grant, counted', async () => {
    const emulator = await started({ tokenTtl: 30 });
    const signedIn = await signIn(emulator);
    const sid = claimsOf(signedIn.access_token).sid;
    assert.equal(await revoke(emulator, sid), 200);
    const refused = await refresh(emulator, signedIn.refresh_token);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.data, { message: 'Session has been revoked', code: 'invalid_grant', error: 'invalid_grant', error_description: 'Session has been revoked' });
    const seen = await counts(emulator);
    assert.equal(seen.requests['POST /user_management/authenticate'], 2);
    assert.equal(seen.requests['POST /user_management/sessions/revoke'], 1);
  });

  test('tokens from a refresh inherit the session: revoking by the first sid or a later one refuses the newest token', async () => {
    const emulator = await started();
    for (const revokeBy of ['first', 'latest'] as const) {
      const signedIn = await signIn(emulator);
      const one = await refresh(emulator, signedIn.refresh_token);
      assert.equal(one.status, 200);
      const two = await refresh(emulator, one.data.refresh_token);
      assert.equal(two.status, 200);
      // The emulator starts a new session on every refresh; WorkOS would keep one.
      assert.notEqual(claimsOf(two.data.access_token).sid, claimsOf(signedIn.access_token).sid);
      const sid = claimsOf((revokeBy === 'first' ? signedIn : two.data).access_token).sid;
      assert.equal(await revoke(emulator, sid), 200);
      assert.equal((await refresh(emulator, two.data.refresh_token)).status, 400, revokeBy);
    }
  });

  test('logout ends the session too; another session of the same user keeps refreshing', async () => {
    const emulator = await started();
    const ended = await signIn(emulator);
    const kept = await signIn(emulator);
    const logout = new URL('/user_management/sessions/logout', emulator.url);
    logout.search = new URLSearchParams({ session_id: String(claimsOf(ended.access_token).sid), return_to: 'http://localhost:9/' }).toString();
    const answer = await fetch(logout, { redirect: 'manual' });
    assert.equal(answer.status, 302);
    await answer.arrayBuffer();
    assert.equal((await refresh(emulator, ended.refresh_token)).status, 400);
    const next = await refresh(emulator, kept.refresh_token);
    assert.equal(next.status, 200);
    assert.equal((await refresh(emulator, next.data.refresh_token)).status, 200);
  });

  test('a failed revoke (unknown session) revokes nothing', async () => {
    const emulator = await started();
    const signedIn = await signIn(emulator);
    assert.equal(await revoke(emulator, 'session_unknown'), 404);
    assert.equal((await refresh(emulator, signedIn.refresh_token)).status, 200);
  });

  test('the bookkeeping on its own: form bodies too, and unknown tokens pass', () => {
    const revocations = createSessionRevocations();
    const token = (sid: string) => `x.${Buffer.from(JSON.stringify({ sid })).toString('base64url')}.y`;
    revocations.learn(Buffer.from('grant_type=authorization_code&code=c'), { access_token: token('session_a'), refresh_token: 'ref_1' });
    revocations.learn(Buffer.from('grant_type=refresh_token&refresh_token=ref_1'), { access_token: token('session_b'), refresh_token: 'ref_2' });
    revocations.revoke('session_b');
    assert.equal(revocations.isRevoked('session_a'), true);
    assert.notEqual(revocations.refusal(Buffer.from(JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'ref_2' }))), null);
    assert.equal(revocations.refusal(Buffer.from(JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'ref_other' }))), null);
    assert.equal(revocations.refusal(Buffer.from(JSON.stringify({ grant_type: 'authorization_code', code: 'c' }))), null);
  });
});

describe('--seed', () => {
  const seed = {
    users: [{ email: 'member@example.com', first_name: 'Mem', email_verified: true }],
    permissions: [
      { slug: 'posts:read', name: 'Read posts' },
      { slug: 'posts:write', name: 'Write posts' },
    ],
    roles: [
      { slug: 'editor', name: 'Editor', permissions: ['posts:read', 'posts:write'] },
      { slug: 'viewer', name: 'Viewer', permissions: ['posts:read'] },
    ],
    organizations: [
      { name: 'Acme', memberships: [{ user_email: 'test.user@example.com', role: 'editor' }] },
      { name: 'Globex', memberships: [{ user_email: 'test.user@example.com', role: 'viewer' }, { user_email: 'member@example.com' }] },
    ],
  };

  test('roles and permissions reach the token of a user switched into an organization; the test user stays first', async () => {
    const emulator = await started({ seed: parseSeed(JSON.stringify(seed), 'seed.json') });
    const signedIn = await signIn(emulator);
    assert.equal((signedIn.user as { email: string }).email, 'test.user@example.com');
    const orgs = (await (await fetch(new URL('/organizations', emulator.url), { headers: { authorization: `Bearer ${emulator.apiKey}` } })).json()) as { data: { id: string; name: string }[] };
    const acme = orgs.data.find((o) => o.name === 'Acme')!.id;
    const globex = orgs.data.find((o) => o.name === 'Globex')!.id;
    const inAcme = await refresh(emulator, signedIn.refresh_token, { organization_id: acme });
    assert.equal(inAcme.status, 200);
    const acmeClaims = claimsOf(inAcme.data.access_token);
    assert.equal(acmeClaims.org_id, acme);
    assert.equal(acmeClaims.role, 'editor');
    assert.deepEqual(acmeClaims.permissions, ['posts:read', 'posts:write']);
    const inGlobex = claimsOf((await refresh(emulator, inAcme.data.refresh_token, { organization_id: globex })).data.access_token);
    assert.equal(inGlobex.role, 'viewer');
    assert.deepEqual(inGlobex.permissions, ['posts:read']);
    const member = await signIn(emulator, 'member@example.com');
    const memberClaims = claimsOf((await refresh(emulator, member.refresh_token, { organization_id: globex })).data.access_token);
    assert.equal(memberClaims.role, 'member');
  });

  test('a bad seed file is refused with what is wrong', () => {
    assert.throws(() => parseSeed('{', 'f.json'), /f\.json is not JSON/);
    assert.throws(() => parseSeed('[]', 'f.json'), /must hold a JSON object/);
    assert.throws(() => parseSeed('{"groups": []}', 'f.json'), /unknown key "groups"/);
    assert.throws(() => parseSeed('{"users": [{"name": "x"}]}', 'f.json'), /every user needs an "email"/);
    assert.throws(() => parseSeed('{"organizations": [{"name": "A", "memberships": [{"role": "x"}]}]}', 'f.json'), /user_email or user_id/);
  });

  test('the command line: --seed FILE is read, a missing or bad file is a usage error (exit 2)', async () => {
    const dir = tempDir('authkit-seed-');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"users": 3}');
    const missing = await cli(['emulator', '--seed', join(dir, 'none.json'), '--json']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /cannot read the seed file/);
    const wrong = await cli(['emulator', '--seed', bad, '--json']);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /"users" must be a list of objects/);
  });
});

test('emulator --help names the control paths and --seed', async () => {
  const help = await cli(['emulator', '--help']);
  assert.equal(help.code, 0);
  for (const text of ['GET  /__authkit/requests', 'POST /__authkit/requests/reset', 'POST /__authkit/jwks?down=1', 'POST /__authkit/authenticate?fail=503', 'POST /__authkit/organization-selection?required=1', 'not a member', 'invalid_grant', '--seed FILE']) assert.ok(help.stdout.includes(text), text);
});

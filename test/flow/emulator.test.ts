// Finding and running WorkOS's emulator (the real `workos` npm package, version 0.14.0 from
// this repository's devDependencies): where it is looked up, what is said when it is
// missing or Node is too old, the relay that corrects one field for the 5.x SDK, ports,
// and --token-ttl's re-signed access tokens.
import assert from 'node:assert/strict';
import { createDecipheriv, createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EmulatorUnavailable, loadEmulator, type LoadedEmulator, emulatorCacheDir } from '../../src/flow/emulator-loader.js';
import { EMULATOR_CLIENT_ID, startEmulator } from '../../src/flow/emulator.js';
import { isListening } from '../../src/flow/ports.js';
import { repoRoot, tempDir } from '../helpers/django.js';

const realPackage = join(repoRoot, 'node_modules', 'workos');

/** A folder whose node_modules/workos is the real package (a symlink, as npm link makes). */
function folderWithEmulator(): string {
  const dir = tempDir('authkit-emulator-home-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(realPackage, join(dir, 'node_modules', 'workos'), 'dir');
  return dir;
}

describe('finding the emulator', () => {
  test("authkit-django's own dependency comes first", async () => {
    const loaded = await loadEmulator({ projectRoot: folderWithEmulator(), globalRoot: null });
    assert.equal(loaded.source, 'authkit-django');
    assert.equal(loaded.version, '0.14.0');
    assert.equal(typeof loaded.createEmulator, 'function');
  });

  test("then the project's node_modules, found from a folder below it", async () => {
    const project = folderWithEmulator();
    const below = join(project, 'backend', 'app');
    mkdirSync(below, { recursive: true });
    const loaded = await loadEmulator({ ownRoot: tempDir('authkit-no-deps-'), projectRoot: below, globalRoot: null });
    assert.equal(loaded.source, 'project');
    assert.equal(loaded.packageDir, join(project, 'node_modules', 'workos'));
  });

  test('then the global npm folder', async () => {
    const globalRoot = join(folderWithEmulator(), 'node_modules');
    const loaded = await loadEmulator({ ownRoot: tempDir('authkit-no-deps-'), projectRoot: tempDir('authkit-project-'), globalRoot });
    assert.equal(loaded.source, 'global');
  });

  test("then authkit-django's cache folder, before the project's node_modules", async () => {
    const cache = tempDir('authkit-cache-');
    const env = { ...process.env, AUTHKIT_DJANGO_CACHE_DIR: cache };
    mkdirSync(join(emulatorCacheDir(env), 'node_modules'), { recursive: true });
    symlinkSync(join(folderWithEmulator(), 'node_modules', 'workos'), join(emulatorCacheDir(env), 'node_modules', 'workos'), 'dir');
    const loaded = await loadEmulator({ ownRoot: tempDir('authkit-no-deps-'), projectRoot: folderWithEmulator(), globalRoot: null, env });
    assert.equal(loaded.source, 'cache');
    assert.equal(loaded.packageDir, join(cache, 'emulator', 'node_modules', 'workos'));
    assert.equal(typeof loaded.createEmulator, 'function');
  });

  test('the cache folder: $AUTHKIT_DJANGO_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache; never a project', () => {
    assert.equal(emulatorCacheDir({ AUTHKIT_DJANGO_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }), '/c/emulator');
    assert.equal(emulatorCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/authkit-django/emulator');
    assert.equal(emulatorCacheDir({ HOME: '/h' }), '/h/.cache/authkit-django/emulator');
  });

  test('missing everywhere: exit code 1 and the commands that get it', async () => {
    const project = tempDir('authkit-project-');
    const cache = tempDir('authkit-cache-');
    await assert.rejects(
      loadEmulator({ ownRoot: tempDir('authkit-no-deps-'), projectRoot: project, globalRoot: tempDir('authkit-empty-global-'), env: { ...process.env, AUTHKIT_DJANGO_CACHE_DIR: cache } }),
      (error: unknown) => {
        assert.ok(error instanceof EmulatorUnavailable);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /WorkOS's emulator is not installed/);
        assert.match(error.message, /next to authkit-django, in authkit-django's cache folder, in the project's node_modules, in the global npm folder/);
        assert.ok(error.hint?.includes(`npm install --prefix ${join(cache, 'emulator')} --no-save --no-audit --no-fund workos@0.14.0`), error.hint);
        assert.doesNotMatch(error.hint ?? '', new RegExp(`cd ${project}`), 'never into the project');
        assert.match(error.hint ?? '', /npm install --global workos@0\.14\.0/);
        return true;
      },
    );
  });

  test('a workos package without the emulator export is skipped and named', async () => {
    // An older workos CLI: the package exists, the ./emulate export does not.
    const project = tempDir('authkit-project-');
    const old = join(project, 'node_modules', 'workos');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'package.json'), JSON.stringify({ name: 'workos', version: '0.3.0', type: 'module', exports: { '.': './index.js' } }));
    await assert.rejects(
      loadEmulator({ ownRoot: tempDir('authkit-no-deps-'), projectRoot: project, globalRoot: null }),
      (error: unknown) => {
        assert.ok(error instanceof EmulatorUnavailable);
        assert.match(error.message, /Found but not usable:\n {2}.*node_modules\/workos \(workos 0\.3\.0\) has no emulator export/);
        return true;
      },
    );
  });

  test('Node older than the emulator needs: a clear message, nothing loaded', async () => {
    await assert.rejects(loadEmulator({ nodeVersion: '20.19.1', globalRoot: null }), (error: unknown) => {
      assert.ok(error instanceof EmulatorUnavailable);
      assert.equal(error.exitCode, 1);
      assert.match(error.message, /needs Node >=20\.20; this is Node 20\.19\.1/);
      assert.match(error.hint ?? '', /Install a newer Node/);
      return true;
    });
  });

  test('Node too old and no emulator: both are said', async () => {
    await assert.rejects(
      loadEmulator({ ownRoot: tempDir('authkit-no-deps-'), nodeVersion: '18.19.0', globalRoot: null }),
      /not installed.*It also needs Node >=20\.20; this is Node 18\.19\.0/s,
    );
  });
});

describe('running the emulator', () => {
  let loaded: LoadedEmulator;
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  /** authorize -> code, as the browser would get it. */
  async function codeFrom(url: string): Promise<string> {
    const authorize = new URL('/user_management/authorize', url);
    authorize.search = new URLSearchParams({
      client_id: EMULATOR_CLIENT_ID,
      redirect_uri: 'http://localhost:9/auth/callback/',
      response_type: 'code',
      provider: 'authkit',
      state: 's1',
    }).toString();
    const answer = await fetch(authorize, { redirect: 'manual' });
    assert.equal(answer.status, 302);
    const back = new URL(answer.headers.get('location')!);
    assert.equal(back.searchParams.get('state'), 's1');
    return back.searchParams.get('code')!;
  }

  async function authenticate(url: string, apiKey: string, code: string, grant: Record<string, string> = { grant_type: 'authorization_code', code }): Promise<Record<string, unknown>> {
    const answer = await fetch(new URL('/user_management/authenticate', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ ...grant, client_id: EMULATOR_CLIENT_ID, client_secret: apiKey }),
    });
    assert.equal(answer.status, 200);
    return (await answer.json()) as Record<string, unknown>;
  }

  async function jwksOf(url: string): Promise<{ keys: JsonWebKey[] }> {
    const answer = await fetch(new URL(`/sso/jwks/${EMULATOR_CLIENT_ID}`, url));
    assert.equal(answer.status, 200);
    return (await answer.json()) as { keys: JsonWebKey[] };
  }

  /** The token's header and claims, once its RS256 signature checks out with the JWKS key it names. */
  function verified(jwks: { keys: JsonWebKey[] }, token: unknown): { kid: string; claims: Record<string, unknown> } {
    assert.equal(typeof token, 'string');
    const [head, body, signature] = (token as string).split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { kid: string };
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    assert.ok(jwk, `the JWKS has no key ${header.kid}`);
    const valid = verify('sha256', Buffer.from(`${head}.${body}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
    assert.equal(valid, true, 'signature');
    return { kid: header.kid, claims: JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown> };
  }

  test('signs in the seeded user; the relay nulls the authentication_method the emulator invents', async () => {
    loaded = await loadEmulator({ globalRoot: null });
    const emulator = await startEmulator(loaded, { user: { email: 'ada@example.com', firstName: 'Ada', lastName: 'L' } });
    stops.push(emulator.stop);
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const data = await authenticate(emulator.url, emulator.apiKey, await codeFrom(emulator.url));
    assert.equal((data.user as { email: string }).email, 'ada@example.com');
    assert.equal(typeof data.access_token, 'string');
    assert.equal(typeof data.refresh_token, 'string');
    assert.equal(data.authentication_method, null);

    // The emulator itself, without the relay, sends the value the 5.x SDK rejects. If a
    // newer emulator stops doing so, this fails and the relay can go.
    const raw = await loaded.createEmulator({ port: 0, seed: { users: [{ email: 'raw@example.com', password: 'pw-123456789', email_verified: true }] } });
    stops.push(() => raw.close());
    const rawData = await authenticate(raw.url, raw.apiKey, await codeFrom(raw.url));
    assert.equal(rawData.authentication_method, 'OAuth');
  });

  test('without --token-ttl the JWKS is the emulator\'s own and its tokens last an hour', async () => {
    const emulator = await startEmulator(loaded);
    stops.push(emulator.stop);
    assert.equal(emulator.tokenTtl, undefined);
    const jwks = await jwksOf(emulator.url);
    assert.equal(jwks.keys.length, 1);
    const { kid, claims } = verified(jwks, (await authenticate(emulator.url, emulator.apiKey, await codeFrom(emulator.url))).access_token);
    assert.match(kid, /^workos_emulate_/);
    assert.equal(Number(claims.exp) - Number(claims.iat), 3600);
  });

  test('with --token-ttl, code and refresh-token grants get tokens signed by the relay that expire after it', async () => {
    const emulator = await startEmulator(loaded, { tokenTtl: 42 });
    stops.push(emulator.stop);
    assert.equal(emulator.tokenTtl, 42);
    const jwks = await jwksOf(emulator.url);
    assert.equal(jwks.keys.length, 2);
    assert.match(String(jwks.keys[0]!.kid), /^authkit_django_relay_/);
    assert.match(String(jwks.keys[1]!.kid), /^workos_emulate_/, "the emulator's key stays, after the relay's");
    for (const path of ['/sso/jwks', `/user_management/sessions/jwks/${EMULATOR_CLIENT_ID}`]) {
      const other = (await (await fetch(new URL(path, emulator.url))).json()) as { keys: JsonWebKey[] };
      assert.equal(other.keys[0]!.kid, jwks.keys[0]!.kid, path);
    }

    const signedIn = await authenticate(emulator.url, emulator.apiKey, await codeFrom(emulator.url));
    assert.equal(signedIn.authentication_method, null, 'the 5.x correction still applies');
    const first = verified(jwks, signedIn.access_token);
    assert.equal(first.kid, jwks.keys[0]!.kid);
    assert.equal(Number(first.claims.exp) - Number(first.claims.iat), 42);
    assert.ok(Math.abs(Number(first.claims.iat) - Date.now() / 1000) < 30, 'iat is now');
    assert.equal(first.claims.sub, (signedIn.user as { id: string }).id);
    assert.match(String(first.claims.sid), /^session_/);
    assert.equal(first.claims.aud, EMULATOR_CLIENT_ID);

    // The emulator's own sealed session (AES-GCM under sha256 of the client secret) holds the new token.
    const raw = Buffer.from(String(signedIn.sealed_session), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(emulator.apiKey).digest(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const sealed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as Record<string, unknown>;
    assert.equal(sealed.access_token, signedIn.access_token);
    assert.equal(sealed.refresh_token, signedIn.refresh_token);

    const refreshed = await authenticate(emulator.url, emulator.apiKey, '', { grant_type: 'refresh_token', refresh_token: String(signedIn.refresh_token) });
    const second = verified(jwks, refreshed.access_token);
    assert.equal(second.kid, jwks.keys[0]!.kid);
    assert.equal(Number(second.claims.exp) - Number(second.claims.iat), 42);
    assert.equal(second.claims.sub, first.claims.sub);

    // A refused grant passes through as the emulator's error.
    const refused = await fetch(new URL('/user_management/authenticate', emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.apiKey}` },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'ref_unknown', client_id: EMULATOR_CLIENT_ID }),
    });
    assert.equal(refused.status >= 400 && refused.status < 500, true, String(refused.status));
    assert.equal(typeof ((await refused.json()) as { code?: unknown }).code, 'string');
  });

  test('the relay passes API-key checks through: a wrong key gets 401, the right one 200', async () => {
    const emulator = await startEmulator(loaded);
    stops.push(emulator.stop);
    const users = new URL('/user_management/users', emulator.url);
    const wrong = await fetch(users, { headers: { authorization: 'Bearer sk_test_wrong' } });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { code: string }).code, 'unauthorized');
    const right = await fetch(users, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
    assert.equal(right.status, 200);
    await right.arrayBuffer();
  });

  test('stop() closes the port, and is safe to call twice', async () => {
    const emulator = await startEmulator(loaded);
    assert.equal(await isListening(emulator.port), true);
    await emulator.stop();
    await emulator.stop();
    assert.equal(await isListening(emulator.port), false);
  });

  test('a busy port is refused with a clear message', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(startEmulator(loaded, { port }), new RegExp(`port ${port} is in use`));
    } finally {
      blocker.close();
    }
  });
});

// Re-signing access tokens for --token-ttl: the signature checks out against the JWKS the
// relay serves, every claim survives, and only iat and exp change. Tokens here are made
// and checked with node:crypto directly, not with the module under test.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type JsonWebKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { createTokenResigner, isJwksPath, resealSession, resignAuthenticateAnswer } from '../../src/flow/token-resign.js';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (text: string): Record<string, unknown> => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The other issuer's (the emulator's) key. */
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A token as another issuer (the emulator) signs it. */
function foreignToken(claims: Record<string, unknown>): string {
  const input = `${segment({ alg: 'RS256', typ: 'JWT', kid: 'workos_emulate_1' })}.${segment(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** Checks the token's RS256 signature with the JWKS key its header names; returns its claims. */
function verifyAgainst(jwks: { keys: { kid?: unknown }[] }, token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [head, body, signature] = token.split('.') as [string, string, string];
  const header = decode(head);
  assert.equal(header.alg, 'RS256');
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  assert.ok(jwk, `no key ${String(header.kid)} in the JWKS`);
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  assert.equal(verify('sha256', Buffer.from(`${head}.${body}`), key, Buffer.from(signature, 'base64url')), true, 'signature');
  return { header, claims: decode(body) };
}

const CLAIMS = {
  sub: 'user_01',
  sid: 'session_01',
  org_id: 'org_01',
  role: 'admin',
  permissions: ['posts:read', 'posts:write'],
  aud: 'client_emulate',
  iss: 'http://localhost:4100',
  iat: 1_700_000_000,
  exp: 1_700_003_600,
  nested: { a: [1, { b: null }] },
};

describe('re-signing access tokens', () => {
  test('keeps every claim, sets iat to now and exp to now + ttl, and verifies against the served JWKS', async () => {
    const resigner = await createTokenResigner(90);
    const before = Math.floor(Date.now() / 1000);
    const resigned = resigner.resign(foreignToken(CLAIMS));
    const after = Math.floor(Date.now() / 1000);
    assert.ok(resigned);

    const jwks = resigner.jwks();
    assert.equal(jwks.keys.length, 1);
    const [key] = jwks.keys;
    assert.deepEqual(Object.keys(key!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(key!.kty, 'RSA');
    assert.equal(key!.alg, 'RS256');
    assert.equal(key!.use, 'sig');

    const { header, claims } = verifyAgainst(jwks, resigned);
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: resigner.kid });
    const { iat, exp, ...rest } = claims as { iat: number; exp: number };
    const { iat: _oldIat, exp: _oldExp, ...expected } = CLAIMS;
    assert.deepEqual(rest, expected);
    assert.deepEqual(Object.keys(claims), Object.keys(CLAIMS), 'claims keep their order');
    assert.ok(iat >= before && iat <= after, `iat ${iat} is not now (${before}..${after})`);
    assert.equal(exp - iat, 90);
  });

  test('the emulator key does not verify a re-signed token, nor the relay key an original', async () => {
    const resigner = await createTokenResigner(30);
    const original = foreignToken(CLAIMS);
    const resigned = resigner.resign(original)!;
    const [head, body, signature] = original.split('.') as [string, string, string];
    const ourKey = createPublicKey({ key: resigner.jwks().keys[0]!, format: 'jwk' });
    assert.equal(verify('sha256', Buffer.from(`${head}.${body}`), ourKey, Buffer.from(signature, 'base64url')), false);
    // A re-signed token whose claims were then changed fails too.
    const [rHead, , rSignature] = resigned.split('.') as [string, string, string];
    const forged = segment({ ...CLAIMS, sub: 'user_02' });
    assert.equal(verify('sha256', Buffer.from(`${rHead}.${forged}`), ourKey, Buffer.from(rSignature, 'base64url')), false);
  });

  test('a given clock: exp is exactly that time plus the ttl', async () => {
    const resigner = await createTokenResigner(5);
    const { claims } = verifyAgainst(resigner.jwks(), resigner.resign(foreignToken(CLAIMS), 2_000_000_000)!);
    assert.equal(claims.iat, 2_000_000_000);
    assert.equal(claims.exp, 2_000_000_005);
  });

  test('each resigner has its own key and key id', async () => {
    const [one, two] = await Promise.all([createTokenResigner(60), createTokenResigner(60)]);
    assert.notEqual(one.kid, two.kid);
    assert.match(one.kid, /^authkit_django_relay_[0-9a-f]{16}$/);
    assert.notEqual(one.jwks().keys[0]!.n, two.jwks().keys[0]!.n);
    const token = one.resign(foreignToken(CLAIMS))!;
    assert.throws(() => verifyAgainst(two.jwks(), token), /no key/);
  });

  test('what is not a JWT is left alone; a lifetime that is not a whole positive number is refused', async () => {
    const resigner = await createTokenResigner(60);
    assert.equal(resigner.resign('not-a-token'), null);
    assert.equal(resigner.resign('a.b.c'), null);
    assert.equal(resigner.resign(`${segment({ alg: 'RS256' })}.${segment([1, 2])}.x`), null);
    for (const bad of [0, -1, 1.5, Number.NaN]) await assert.rejects(createTokenResigner(bad), RangeError);
  });
});

/** A session sealed the way the emulator (workos 0.14.0) seals one, written here from its format. */
function sealLikeTheEmulator(data: unknown, key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(key).digest(), iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
}

function unseal(sealed: string, key: string): Record<string, unknown> {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(key).digest(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as Record<string, unknown>;
}

describe('the authenticate answer', () => {
  test('its access token is re-signed and its sealed session resealed around the new one', async () => {
    const resigner = await createTokenResigner(60);
    const original = foreignToken(CLAIMS);
    const sealed = sealLikeTheEmulator({ access_token: original, refresh_token: 'ref_1', session_id: 'session_01' }, 'sk_secret');
    const record: Record<string, unknown> = { user: { id: 'user_01' }, access_token: original, refresh_token: 'ref_1', sealed_session: sealed };
    const request = { body: Buffer.from(JSON.stringify({ grant_type: 'refresh_token', client_secret: 'sk_secret' })), bearer: 'sk_other' };
    assert.equal(resignAuthenticateAnswer(record, resigner, request), true);
    assert.notEqual(record.access_token, original);
    verifyAgainst(resigner.jwks(), record.access_token as string);
    assert.equal(record.refresh_token, 'ref_1');
    assert.deepEqual(record.user, { id: 'user_01' });
    assert.deepEqual(unseal(record.sealed_session as string, 'sk_secret'), { access_token: record.access_token, refresh_token: 'ref_1', session_id: 'session_01' });
  });

  test('without a client_secret the API key is the seal key; a seal that does not open stays as it was', async () => {
    const resigner = await createTokenResigner(60);
    const original = foreignToken(CLAIMS);
    const sealed = sealLikeTheEmulator({ access_token: original }, 'sk_api');
    const byBearer: Record<string, unknown> = { access_token: original, sealed_session: sealed };
    resignAuthenticateAnswer(byBearer, resigner, { body: Buffer.from('{"grant_type":"authorization_code"}'), bearer: 'sk_api' });
    assert.equal(unseal(byBearer.sealed_session as string, 'sk_api').access_token, byBearer.access_token);

    const wrongKey: Record<string, unknown> = { access_token: original, sealed_session: sealed };
    resignAuthenticateAnswer(wrongKey, resigner, { body: Buffer.from('{}'), bearer: 'sk_wrong' });
    assert.equal(wrongKey.sealed_session, sealed);
    assert.equal(resealSession('c2hvcnQ=', 'k', 'x'), null);
  });

  test('an answer without an access token (an error) is not changed', async () => {
    const resigner = await createTokenResigner(60);
    const record = { code: 'invalid_grant', message: 'nope' };
    assert.equal(resignAuthenticateAnswer(record, resigner, { body: Buffer.alloc(0) }), false);
    assert.deepEqual(record, { code: 'invalid_grant', message: 'nope' });
  });
});

test('JWKS paths: the SDKs\' sso/jwks/{client_id} and the emulator\'s two others', () => {
  assert.equal(isJwksPath('/sso/jwks/client_emulate'), true);
  assert.equal(isJwksPath('/sso/jwks'), true);
  assert.equal(isJwksPath('/user_management/sessions/jwks/client_emulate'), true);
  assert.equal(isJwksPath('/sso/jwks/client_emulate/extra'), false);
  assert.equal(isJwksPath('/sso/token'), false);
});

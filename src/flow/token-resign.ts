/**
 * Short-lived access tokens for local testing. WorkOS's emulator (workos 0.14.0) signs
 * every access token for one hour, so a project run against it never reaches the code
 * that refreshes an expired session. With `--token-ttl SECONDS` the relay re-signs each
 * access token the emulator hands out: the same claims, a fresh `iat` and `exp = iat +
 * SECONDS`, signed RS256 with a key pair made for this run only. The relay serves that
 * key's public half as the JWKS, so an SDK verifying tokens sees a valid, soon-expiring
 * token, exactly as it would from WorkOS. Only node:crypto; nothing is written to disk.
 */
import { createCipheriv, createDecipheriv, createHash, generateKeyPair, randomBytes, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** One RS256 public key as the JWKS lists it. */
export interface Jwk extends JsonWebKey {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export interface TokenResigner {
  /** Seconds from signing to `exp`. */
  ttlSeconds: number;
  kid: string;
  /** The public key, as a JWKS answer. */
  jwks(): { keys: Jwk[] };
  /** The token with `iat` = now and `exp` = now + ttl, signed with this key; null when it is not a JWT. */
  resign(token: string, nowSeconds?: number): string | null;
}

const generateRsaKeyPair = promisify(generateKeyPair);

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function encodeSegment(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A resigner with a new RS256 key pair (2048 bits) and a random key id. */
export async function createTokenResigner(ttlSeconds: number): Promise<TokenResigner> {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError(`token lifetime must be a whole number of seconds, 1 or more; got ${ttlSeconds}`);
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const kid = `authkit_django_relay_${randomBytes(8).toString('hex')}`;
  const exported = (publicKey as KeyObject).export({ format: 'jwk' });
  const jwk: Jwk = { kty: String(exported.kty), n: String(exported.n), e: String(exported.e), kid, alg: 'RS256', use: 'sig' };

  return {
    ttlSeconds,
    kid,
    jwks: () => ({ keys: [{ ...jwk }] }),
    resign(token, nowSeconds = Math.floor(Date.now() / 1000)) {
      const parts = token.split('.');
      if (parts.length !== 3) return null;
      const header = decodeSegment(parts[0]!);
      const claims = decodeSegment(parts[1]!);
      if (!header || !claims) return null;
      // Every claim kept, in its place; only the two times change.
      const payload = { ...claims, iat: nowSeconds, exp: nowSeconds + ttlSeconds };
      const signingInput = `${encodeSegment({ alg: 'RS256', typ: 'JWT', kid })}.${encodeSegment(payload)}`;
      const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), privateKey as KeyObject).toString('base64url');
      return `${signingInput}.${signature}`;
    },
  };
}

/*
 * The emulator also answers a `sealed_session` of its own making (the WorkOS API sends
 * none; the SDKs seal sessions themselves): AES-256-GCM under sha256(client_secret, or
 * else the API key), laid out as iv (12 bytes) | tag (16) | ciphertext, base64. It holds
 * the access token, so it is resealed with the re-signed one; a seal that does not open
 * with the given key is left as it is.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function resealSession(sealed: string, sealKey: string, accessToken: string): string | null {
  const key = createHash('sha256').update(sealKey).digest();
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length <= IV_BYTES + TAG_BYTES) return null;
  let data: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    data = JSON.parse(plain.toString('utf8'));
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify({ ...data, access_token: accessToken }), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
}

/** What the relay knows of the authenticate request: the keys the emulator may have sealed with. */
export interface AuthenticateRequest {
  /** The request's JSON body (client_secret is read from it). */
  body: Buffer;
  /** The bearer token of its Authorization header (the API key). */
  bearer?: string;
}

function sealKeyOf(request: AuthenticateRequest): string | undefined {
  try {
    const body: unknown = JSON.parse(request.body.toString('utf8'));
    if (body && typeof body === 'object' && typeof (body as Record<string, unknown>).client_secret === 'string') {
      return (body as Record<string, string>).client_secret;
    }
  } catch {
    // Not JSON: the emulator refused it anyway; the API key is what remains.
  }
  return request.bearer;
}

/**
 * An authenticate answer (a parsed JSON object) with its access token re-signed, and its
 * sealed session resealed around the new token. Returns whether anything changed.
 */
export function resignAuthenticateAnswer(record: Record<string, unknown>, resigner: TokenResigner, request: AuthenticateRequest): boolean {
  if (typeof record.access_token !== 'string') return false;
  const resigned = resigner.resign(record.access_token);
  if (resigned === null) return false;
  record.access_token = resigned;
  const sealKey = sealKeyOf(request);
  if (typeof record.sealed_session === 'string' && sealKey) {
    const resealed = resealSession(record.sealed_session, sealKey, resigned);
    if (resealed !== null) record.sealed_session = resealed;
  }
  return true;
}

/** GET paths of the JWKS: the SDKs' `sso/jwks/{client_id}`, and the emulator's two others. */
export function isJwksPath(pathname: string): boolean {
  return /^\/sso\/jwks(\/[^/]+)?$/.test(pathname) || /^\/user_management\/sessions\/jwks\/[^/]+$/.test(pathname);
}

/** What --token-ttl changes, in one line, for the emulator and dev banners. */
export function tokenTtlLine(seconds: number, url: string, clientId: string): string {
  return `access tokens expire ${seconds}s after they are issued (re-signed by the relay; its key: ${url}/sso/jwks/${clientId})`;
}

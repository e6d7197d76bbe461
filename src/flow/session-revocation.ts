/**
 * Revoked sessions refuse their refresh tokens, as at WorkOS.
 *
 * This fills a gap of WorkOS's emulator (workos 0.14.0): `POST
 * /user_management/sessions/revoke` and `GET /user_management/sessions/logout` delete the
 * session, but the refresh tokens issued for it keep working (its refresh_token grant
 * looks up only the token). Real WorkOS answers them 400 invalid_grant, and that answer
 * is what signs a revoked user out of a Django site; without it a test of revocation
 * could not fail.
 *
 * The relay learns, from each authenticate answer it passes through, which session (the
 * `sid` claim of the access token) the new refresh token belongs to. The emulator starts
 * a new session on every refresh; WorkOS keeps the one session, so a token from a
 * refresh inherits the session of the token it replaced, and revoking any of the
 * session's ids (the first or one a refresh gave) revokes it all.
 */

export interface RefusedGrant {
  status: 400;
  /** Shaped like the emulator's own errors ({message, code}) plus OAuth's error fields, which both SDK lines read. */
  body: { message: string; code: 'invalid_grant'; error: 'invalid_grant'; error_description: string };
}

export interface SessionRevocations {
  /** For an authenticate request's body: the answer to give instead of forwarding it, or null. */
  refusal(requestBody: Buffer): RefusedGrant | null;
  /** After an authenticate answer (parsed JSON) for that request body: remember its tokens' session. */
  learn(requestBody: Buffer, answer: Record<string, unknown>): void;
  /** A session revoked or logged out through the relay. */
  revoke(sessionId: string): void;
  isRevoked(sessionId: string): boolean;
}

const REVOKED_MESSAGE = 'Session has been revoked';

/** The authenticate request's fields: JSON as the SDKs send it, or a form body. */
export function grantFields(body: Buffer): Record<string, string> {
  const text = body.toString('utf8');
  try {
    const data: unknown = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(data)) if (typeof value === 'string') out[key] = value;
      return out;
    }
    return {};
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/** The `sid` claim of a JWT, read without checking its signature (the emulator made it). */
export function sessionIdOf(accessToken: unknown): string | null {
  if (typeof accessToken !== 'string') return null;
  const payload = accessToken.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const sid = claims && typeof claims === 'object' ? (claims as Record<string, unknown>).sid : undefined;
    return typeof sid === 'string' ? sid : null;
  } catch {
    return null;
  }
}

export function createSessionRevocations(): SessionRevocations {
  /** Any session id the emulator handed out -> the session it belongs to (its first id). */
  const sessionOf = new Map<string, string>();
  /** Refresh token -> session. */
  const tokenSession = new Map<string, string>();
  const revoked = new Set<string>();
  const rootOf = (sessionId: string): string => sessionOf.get(sessionId) ?? sessionId;

  return {
    refusal(requestBody) {
      const fields = grantFields(requestBody);
      if (fields.grant_type !== 'refresh_token' || fields.refresh_token === undefined) return null;
      const session = tokenSession.get(fields.refresh_token);
      if (session === undefined || !revoked.has(session)) return null;
      return { status: 400, body: { message: REVOKED_MESSAGE, code: 'invalid_grant', error: 'invalid_grant', error_description: REVOKED_MESSAGE } };
    },
    learn(requestBody, answer) {
      const sid = sessionIdOf(answer.access_token);
      if (sid === null) return;
      const fields = grantFields(requestBody);
      const previous = fields.grant_type === 'refresh_token' && fields.refresh_token !== undefined ? tokenSession.get(fields.refresh_token) : undefined;
      const session = previous ?? rootOf(sid);
      sessionOf.set(sid, session);
      if (typeof answer.refresh_token === 'string') tokenSession.set(answer.refresh_token, session);
    },
    revoke(sessionId) {
      revoked.add(rootOf(sessionId));
    },
    isRevoked(sessionId) {
      return revoked.has(rootOf(sessionId));
    },
  };
}

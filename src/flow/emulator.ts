/**
 * Runs WorkOS's emulator in this process, seeded with one verified test user, behind a
 * small relay on 127.0.0.1 that the Django project is pointed at (WORKOS_BASE_URL).
 *
 * Why a relay: for an authorization code, the emulator (workos 0.14.0) answers
 * `"authentication_method": "OAuth"`, a value the WorkOS API never sends. The workos 5.x
 * Python SDK checks that field against the documented values and rejects the whole
 * answer, so a 5.x project could not log in against the emulator although it would
 * against WorkOS. The relay sets that one field to null (what the SDKs read as "not
 * reported") and passes every other byte through. It also keeps the public port on the
 * loopback interface. With a token lifetime (`--token-ttl`), it also re-signs the access
 * tokens of those answers to expire that soon, and adds its key to the JWKS answers
 * (token-resign.ts).
 *
 * For tests of a site's session handling, the relay also counts what it is asked, can
 * play a JWKS outage or WorkOS failing to refresh (relay-control.ts), refuses the refresh
 * tokens of sessions revoked through it, which the emulator forgets to do
 * (session-revocation.ts), refuses a switch into an organization the user is not a
 * member of, and can ask a signing-in user to choose an organization
 * (relay-organizations.ts).
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { track } from './cleanup.js';
import type { EmulatorInstance, LoadedEmulator } from './emulator-loader.js';
import { addMemberships, splitSeed, type EmulatorSeed } from './emulator-seed.js';
import { answerControl, CONTROL_PREFIX, type RelayState } from './relay-control.js';
import { createRelayOrganizations, type RelayAnswer, type RelayOrganizations } from './relay-organizations.js';
import { createRequestCounter } from './relay-requests.js';
import { createSessionRevocations, grantFields, type SessionRevocations } from './session-revocation.js';
import { createTokenResigner, isJwksPath, resignAuthenticateAnswer, type AuthenticateRequest, type TokenResigner } from './token-resign.js';

/** The client id the emulator accepts (it does not check client ids; WorkOS's CLI uses this one). */
export const EMULATOR_CLIENT_ID = 'client_emulate';

export interface TestUser {
  email: string;
  firstName: string;
  lastName: string;
}

export const DEFAULT_TEST_USER: TestUser = { email: 'test.user@example.com', firstName: 'Test', lastName: 'User' };

export interface RunningEmulator {
  /** What the project's WORKOS_BASE_URL points at: `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** The emulator's fixed test key (not a WorkOS secret, but never printed all the same). */
  apiKey: string;
  clientId: string;
  user: TestUser;
  /** workos package version and where it was found. */
  version: string;
  source: LoadedEmulator['source'];
  /** Seconds the relay's re-signed access tokens last; absent: the emulator's own (one hour). */
  tokenTtl?: number;
  /** Stops the relay and the emulator; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** The relay's port (0 or absent: any free port). */
  port?: number;
  user?: TestUser;
  /** Re-sign access tokens to expire this many seconds after they are handed out. */
  tokenTtl?: number;
  /** More to seed than the test user (which stays first): see emulator-seed.ts. */
  seed?: EmulatorSeed;
}

const AUTHENTICATE_PATHS = new Set(['/user_management/authenticate', '/x/authkit/users/authenticate']);
/** The values the WorkOS API documents for `authentication_method`. */
const DOCUMENTED_METHODS = new Set([
  'SSO',
  'Password',
  'Passkey',
  'AppleOAuth',
  'GitHubOAuth',
  'GoogleOAuth',
  'MicrosoftOAuth',
  'SalesforceOAuth',
  'MagicAuth',
  'Impersonation',
]);
/** Headers that describe one connection, not the message: never forwarded. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

/** The answer body with an undocumented `authentication_method` replaced by null; others unchanged. */
export function withDocumentedAuthenticationMethod(body: Buffer): Buffer {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return body;
  const record = data as Record<string, unknown>;
  const method = record.authentication_method;
  if (typeof method !== 'string' || DOCUMENTED_METHODS.has(method)) return body;
  record.authentication_method = null;
  return Buffer.from(JSON.stringify(record), 'utf8');
}

function jsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const data: unknown = JSON.parse(body.toString('utf8'));
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An authenticate answer with its documented method, and its access token re-signed. */
function withResignedAccessToken(body: Buffer, resigner: TokenResigner, request: AuthenticateRequest): Buffer {
  const corrected = withDocumentedAuthenticationMethod(body);
  const record = jsonObject(corrected);
  if (!record || !resignAuthenticateAnswer(record, resigner, request)) return corrected;
  return Buffer.from(JSON.stringify(record), 'utf8');
}

/**
 * The emulator's JWKS answer with the relay's key first. The emulator's own keys stay:
 * what it signs and the relay does not re-sign (SSO and widget tokens) still verifies.
 */
function withRelayKey(body: Buffer, resigner: TokenResigner): Buffer {
  const record = jsonObject(body);
  const theirs = record && Array.isArray(record.keys) ? record.keys : [];
  return Buffer.from(JSON.stringify({ ...record, keys: [...resigner.jwks().keys, ...theirs] }), 'utf8');
}

function forwardedHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !CONNECTION_HEADERS.has(name)) out[name] = value;
  }
  return out;
}

const REVOKE_PATH = '/user_management/sessions/revoke';
const LOGOUT_PATH = '/user_management/sessions/logout';

function readAll(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function answerJson(outgoing: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  outgoing.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  outgoing.end(text);
}

interface Relay {
  upstream: URL;
  agent: Agent;
  resigner: TokenResigner | null;
  state: RelayState;
  revocations: SessionRevocations;
  organizations: RelayOrganizations;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function relayHandler(relay: Relay) {
  const { upstream, agent, resigner, state, revocations, organizations } = relay;
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const path = incoming.url ?? '/';
    const url = new URL(path, 'http://relay.invalid');
    const pathname = url.pathname;
    if (pathname.startsWith(CONTROL_PREFIX)) {
      answerControl(incoming, outgoing, state);
      return;
    }
    state.counter.count(incoming.method, path);
    const method = incoming.method ?? 'GET';
    const isJwks = method === 'GET' && isJwksPath(pathname);
    if (isJwks && state.jwksDown) {
      incoming.resume();
      answerJson(outgoing, 503, { message: 'Service Unavailable (the relay\'s JWKS outage switch is on)', code: 'service_unavailable' });
      return;
    }
    const authenticating = method === 'POST' && AUTHENTICATE_PATHS.has(pathname);
    const revoking = method === 'POST' && pathname === REVOKE_PATH;
    const loggingOut = method === 'GET' && pathname === LOGOUT_PATH;
    const jwks = resigner !== null && isJwks;

    /** A successful authenticate answer as the relay passes it on: documented method, re-signed token. */
    const asRelayed = (received: Buffer, requestBody: Buffer): Buffer => {
      if (!resigner) return withDocumentedAuthenticationMethod(received);
      const bearer = /^Bearer\s+(.+)$/i.exec(String(incoming.headers.authorization ?? ''))?.[1]?.trim();
      return withResignedAccessToken(received, resigner, { body: requestBody, bearer });
    };

    const forwardWith = (requestBody: Buffer | null, rewritten = false): void => {
      const headers = forwardedHeaders(incoming.headers);
      headers.host = upstream.host;
      if (requestBody !== null) headers['content-length'] = String(requestBody.length);
      if (rewritten) headers['content-type'] = 'application/json';
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method, path, headers, agent },
        (answer) => {
          const status = answer.statusCode ?? 502;
          const answerHeaders = forwardedHeaders(answer.headers);
          const sessionId = revoking ? grantFields(requestBody ?? Buffer.alloc(0)).session_id : loggingOut ? url.searchParams.get('session_id') : undefined;
          // What the emulator ended, the relay remembers (a logout answers with a redirect).
          if (sessionId && status < 400) revocations.revoke(sessionId);
          const json = String(answer.headers['content-type'] ?? '').includes('application/json');
          if (!(authenticating || jwks) || !json) {
            outgoing.writeHead(status, answerHeaders);
            answer.pipe(outgoing);
            return;
          }
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const received = Buffer.concat(chunks);
            const ok = status < 300;
            let body: Buffer;
            if (jwks) body = ok ? withRelayKey(received, resigner!) : received;
            else {
              if (ok) {
                const record = jsonObject(received);
                if (record) {
                  revocations.learn(requestBody!, record);
                  organizations.learn(record);
                }
              }
              body = asRelayed(received, requestBody!);
            }
            answerHeaders['content-length'] = String(body.length);
            outgoing.writeHead(status, answerHeaders);
            outgoing.end(body);
          });
        },
      );
      forward.on('error', (error) => {
        if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ code: 'relay_error', message: `the emulator did not answer: ${error.message}` }));
      });
      if (requestBody === null) incoming.pipe(forward);
      else forward.end(requestBody);
    };

    // The bodies the relay reads: an authenticate request (its grant, the seal key), a revoke (its session).
    if (!(authenticating || revoking)) {
      forwardWith(null);
      return;
    }
    /**
     * A code exchange while organization selection is required: made with the emulator
     * here, then answered with WorkOS's 403 when the user has organizations to choose from.
     */
    const exchangeAskingForOrganization = async (requestBody: Buffer): Promise<void> => {
      const exchanged = await fetch(new URL(pathname, upstream), {
        method: 'POST',
        headers: { 'content-type': String(incoming.headers['content-type'] ?? 'application/json'), authorization: String(incoming.headers.authorization ?? '') },
        body: requestBody,
        signal: AbortSignal.timeout(10_000),
      });
      const received = Buffer.from(await exchanged.arrayBuffer());
      const record = jsonObject(received);
      const user = record?.user;
      if (!exchanged.ok || !record || !isRecord(user) || typeof user.id !== 'string') {
        outgoing.writeHead(exchanged.status, { 'content-type': exchanged.headers.get('content-type') ?? 'application/json', 'content-length': String(received.length) });
        outgoing.end(received);
        return;
      }
      revocations.learn(requestBody, record);
      organizations.learn(record);
      const choices = await organizations.organizationsOf(user.id);
      if (choices.length === 0) {
        const body = asRelayed(received, requestBody);
        outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        outgoing.end(body);
        return;
      }
      const asked = organizations.selectionRequired(record, choices);
      answerJson(outgoing, asked.status, asked.body);
    };

    const authenticate = async (requestBody: Buffer): Promise<void> => {
      const fields = grantFields(requestBody);
      const refused: RelayAnswer | null =
        revocations.refusal(requestBody) ??
        (fields.grant_type === 'refresh_token' && state.refreshFailStatus !== null
          ? { status: state.refreshFailStatus, body: { message: "Service Unavailable (the relay's authenticate failure switch is on)", code: 'service_unavailable' } }
          : null);
      if (refused) return answerJson(outgoing, refused.status, refused.body);
      const selection = organizations.selection(requestBody);
      if (selection && 'refusal' in selection) return answerJson(outgoing, selection.refusal.status, selection.refusal.body);
      if (selection) return forwardWith(selection.forward, true);
      const notMember = await organizations.membershipRefusal(requestBody);
      if (notMember) return answerJson(outgoing, notMember.status, notMember.body);
      if (fields.grant_type === 'authorization_code' && state.organizationSelection) return exchangeAskingForOrganization(requestBody);
      forwardWith(requestBody);
    };

    // The bodies the relay reads: an authenticate request (its grant, the seal key), a revoke (its session).
    if (!(authenticating || revoking)) {
      forwardWith(null);
      return;
    }
    readAll(incoming)
      .then((requestBody) => (authenticating ? authenticate(requestBody) : forwardWith(requestBody)))
      .catch((error: unknown) => {
        if (outgoing.headersSent) outgoing.destroy();
        else answerJson(outgoing, 502, { code: 'relay_error', message: `the relay could not answer: ${(error as Error).message}` });
      });
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function closeWithin(work: Promise<void>, ms: number): Promise<void> {
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
}

export async function startEmulator(loaded: LoadedEmulator, options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const user = options.user ?? DEFAULT_TEST_USER;
  // Made before the emulator starts, so a bad lifetime leaves nothing running.
  const resigner = options.tokenTtl === undefined ? null : await createTokenResigner(options.tokenTtl);
  const testUser = {
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    // The emulator signs in its first user without asking; a password is only for its login API.
    password: 'authkit-django-test-password',
    email_verified: true,
  };
  const { seed, pending } = splitSeed(options.seed ?? {}, testUser);
  let emulator: EmulatorInstance;
  try {
    // The emulator itself takes any free port; only the relay's port is used.
    emulator = await loaded.createEmulator({ port: 0, seed });
  } catch (error) {
    throw new Error(`WorkOS's emulator (workos ${loaded.version}) did not start: ${(error as Error).message}`);
  }
  try {
    await addMemberships(emulator.url, emulator.apiKey, pending);
  } catch (error) {
    await closeWithin(emulator.close(), 2000);
    throw new Error(`the seed could not be applied: ${(error as Error).message}`);
  }
  const agent = new Agent({ keepAlive: false });
  const state: RelayState = { counter: createRequestCounter(), jwksDown: false, refreshFailStatus: null, organizationSelection: false };
  const emulatorApi = {
    // Straight to the emulator, with its key: the relay's own look-ups are not counted.
    async get(path: string): Promise<unknown> {
      const answer = await fetch(new URL(path, emulator.url), { headers: { authorization: `Bearer ${emulator.apiKey}` }, signal: AbortSignal.timeout(10_000) });
      const data: unknown = await answer.json().catch(() => null);
      return answer.ok ? data : null;
    },
  };
  const relay = createServer(
    relayHandler({ upstream: new URL(emulator.url), agent, resigner, state, revocations: createSessionRevocations(), organizations: createRelayOrganizations(emulatorApi) }),
  );
  let port: number;
  try {
    port = await listen(relay, options.port ?? 0);
  } catch (error) {
    await closeWithin(emulator.close(), 2000);
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `port ${options.port} is in use: the emulator cannot listen there`
        : `the emulator cannot listen on 127.0.0.1:${options.port ?? 0}: ${(error as Error).message}`,
    );
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      untrack();
      relay.closeAllConnections();
      await closeWithin(new Promise<void>((resolve) => relay.close(() => resolve())), 2000);
      agent.destroy();
      // close() waits for the emulator's open connections; a lingering one must not hold us.
      await closeWithin(emulator.close(), 2000);
    })();
    return stopping;
  };
  const untrack = track({ name: 'WorkOS emulator', stop, killNow: () => relay.closeAllConnections() });

  const url = `http://127.0.0.1:${port}`;
  try {
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
    await health.arrayBuffer();
    if (!health.ok) throw new Error(`GET /health answered ${health.status}`);
  } catch (error) {
    await stop();
    throw new Error(`WorkOS's emulator started but does not answer: ${(error as Error).message}`);
  }
  // Counts start at what the project asks, not at this check.
  state.counter.reset();

  return {
    url,
    port,
    apiKey: emulator.apiKey,
    clientId: EMULATOR_CLIENT_ID,
    user,
    version: loaded.version,
    source: loaded.source,
    ...(resigner ? { tokenTtl: resigner.ttlSeconds } : {}),
    stop,
  };
}

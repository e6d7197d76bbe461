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
 * (token-resign.ts); without one, nothing else changes.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { track } from './cleanup.js';
import type { EmulatorInstance, LoadedEmulator } from './emulator-loader.js';
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

function relayHandler(upstream: URL, agent: Agent, resigner: TokenResigner | null) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const path = incoming.url ?? '/';
    const headers = forwardedHeaders(incoming.headers);
    headers.host = upstream.host;
    const pathname = new URL(path, 'http://relay.invalid').pathname;
    const authenticating = AUTHENTICATE_PATHS.has(pathname);
    const jwks = resigner !== null && incoming.method === 'GET' && isJwksPath(pathname);
    // With re-signing, the request's client_secret is the key of the sealed session to reseal.
    const requestChunks: Buffer[] = [];
    if (resigner && authenticating) incoming.on('data', (chunk: Buffer) => requestChunks.push(chunk));
    const forward = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, method: incoming.method, path, headers, agent },
      (answer) => {
        const answerHeaders = forwardedHeaders(answer.headers);
        const json = String(answer.headers['content-type'] ?? '').includes('application/json');
        if (!(authenticating || jwks) || !json) {
          outgoing.writeHead(answer.statusCode ?? 502, answerHeaders);
          answer.pipe(outgoing);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const received = Buffer.concat(chunks);
          const ok = (answer.statusCode ?? 502) < 300;
          let body: Buffer;
          if (!resigner) body = withDocumentedAuthenticationMethod(received);
          else if (jwks) body = ok ? withRelayKey(received, resigner) : received;
          else {
            const bearer = /^Bearer\s+(.+)$/i.exec(String(incoming.headers.authorization ?? ''))?.[1]?.trim();
            body = withResignedAccessToken(received, resigner, { body: Buffer.concat(requestChunks), bearer });
          }
          answerHeaders['content-length'] = String(body.length);
          outgoing.writeHead(answer.statusCode ?? 502, answerHeaders);
          outgoing.end(body);
        });
      },
    );
    forward.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ code: 'relay_error', message: `the emulator did not answer: ${error.message}` }));
    });
    incoming.pipe(forward);
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
  let emulator: EmulatorInstance;
  try {
    emulator = await loaded.createEmulator({
      // The emulator itself takes any free port; only the relay's port is used.
      port: 0,
      seed: {
        users: [
          {
            email: user.email,
            first_name: user.firstName,
            last_name: user.lastName,
            // The emulator signs in its first user without asking; a password is only for its login API.
            password: 'authkit-django-test-password',
            email_verified: true,
          },
        ],
      },
    });
  } catch (error) {
    throw new Error(`WorkOS's emulator (workos ${loaded.version}) did not start: ${(error as Error).message}`);
  }
  const agent = new Agent({ keepAlive: false });
  const relay = createServer(relayHandler(new URL(emulator.url), agent, resigner));
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

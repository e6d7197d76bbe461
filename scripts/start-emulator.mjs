// Starts WorkOS's API emulator (the `workos/emulate` export of WorkOS's CLI package) on a
// free local port, seeded with one verified user, so a Django project can log in without
// a WorkOS account. Used by the Python tests and by `authkit-django dev` / `verify --flow`.
//
// Prints exactly one JSON line on stdout once the emulator answers:
//   {"url": "http://127.0.0.1:PORT", "apiKey": "sk_test_default", "clientId": "client_emulate",
//    "port": PORT, "email": "<seeded user's email>"}
// then runs until its stdin closes (so it dies with the process that started it, even if
// that process is killed) or it gets SIGTERM / SIGINT, and closes the emulator.
// Start it with stdin as a pipe: with stdin at /dev/null it stops at once.
//
// One correction sits in front of the emulator (workos 0.14.0): for an authorization code
// it answers `"authentication_method": "OAuth"`, a value the WorkOS API never sends. The
// workos 5.x Python SDK validates that field against the documented values and rejects the
// whole answer, so no 5.x project could log in. The relay below replaces that one value with
// null (the SDKs' "not reported"); every other byte passes through unchanged. The relay
// listens on the loopback interface only. `--raw` turns it off and prints the emulator's
// own address (http://localhost:PORT, all interfaces).
//
// Usage: node scripts/start-emulator.mjs [--port N] [--email E] [--first-name F]
//                                        [--last-name L] [--password P] [--raw]
// The API key is the emulator's own fixed test key, not a WorkOS secret.
import { request as httpRequest, createServer } from 'node:http';
import { parseArgs } from 'node:util';

// The emulator does not check client ids; this is the id WorkOS's CLI uses with it.
const CLIENT_ID = 'client_emulate';
const AUTHENTICATE_PATHS = new Set(['/user_management/authenticate', '/x/authkit/users/authenticate']);
// Methods the WorkOS API documents for `authentication_method`; anything else is the emulator's.
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
// Connection-level headers belong to one hop; Node sets its own on the other side.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

function fail(message) {
  process.stderr.write(`start-emulator: ${message}\n`);
  process.exit(1);
}

function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      email: { type: 'string', default: 'test.user@example.com' },
      'first-name': { type: 'string', default: 'Test' },
      'last-name': { type: 'string', default: 'User' },
      password: { type: 'string', default: 'emulator-password-1' },
      raw: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail(errorText(error));
}

const port = Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${options.port}`);

let createEmulator;
try {
  ({ createEmulator } = await import('workos/emulate'));
} catch (error) {
  fail(
    `cannot load WorkOS's emulator (npm package "workos", export "workos/emulate"; needs Node >= 20.20, ` +
      `this is ${process.version}): ${errorText(error)}. Install it with: npm install --save-dev workos`,
  );
}

let emulator;
try {
  emulator = await createEmulator({
    // Behind the relay the emulator itself takes any free port; only the relay's is public.
    port: options.raw ? port : 0,
    seed: {
      users: [
        {
          email: options.email,
          first_name: options['first-name'],
          last_name: options['last-name'],
          password: options.password,
          email_verified: true,
        },
      ],
    },
  });
} catch (error) {
  fail(`the emulator did not start on port ${port}: ${errorText(error)}`);
}

/** Rewrites the one field the 5.x SDK rejects; returns the body untouched otherwise. */
function correctAuthenticateBody(body) {
  let parsed;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  const method = parsed?.authentication_method;
  if (typeof method !== 'string' || DOCUMENTED_METHODS.has(method)) return body;
  parsed.authentication_method = null;
  return Buffer.from(JSON.stringify(parsed), 'utf8');
}

function relay(clientRequest, clientResponse) {
  const target = new URL(emulator.url);
  const headers = {};
  for (const [name, value] of Object.entries(clientRequest.headers)) {
    if (!HOP_HEADERS.has(name)) headers[name] = value;
  }
  headers.host = target.host;
  const path = clientRequest.url ?? '/';
  const upstream = httpRequest(
    { hostname: target.hostname, port: target.port, method: clientRequest.method, path, headers },
    (upstreamResponse) => {
      const outHeaders = {};
      for (const [name, value] of Object.entries(upstreamResponse.headers)) {
        if (!HOP_HEADERS.has(name) && value !== undefined) outHeaders[name] = value;
      }
      const pathname = new URL(path, 'http://relay.invalid').pathname;
      const isJson = String(upstreamResponse.headers['content-type'] ?? '').includes('application/json');
      if (!(AUTHENTICATE_PATHS.has(pathname) && isJson)) {
        clientResponse.writeHead(upstreamResponse.statusCode ?? 502, outHeaders);
        upstreamResponse.pipe(clientResponse);
        return;
      }
      const chunks = [];
      upstreamResponse.on('data', (chunk) => chunks.push(chunk));
      upstreamResponse.on('end', () => {
        const body = correctAuthenticateBody(Buffer.concat(chunks));
        outHeaders['content-length'] = String(body.length);
        clientResponse.writeHead(upstreamResponse.statusCode ?? 502, outHeaders);
        clientResponse.end(body);
      });
    },
  );
  upstream.on('error', (error) => {
    if (!clientResponse.headersSent) {
      clientResponse.writeHead(502, { 'content-type': 'application/json' });
    }
    clientResponse.end(JSON.stringify({ message: `emulator relay: ${errorText(error)}`, code: 'relay_error' }));
  });
  clientRequest.pipe(upstream);
}

let relayServer;
let publicUrl = emulator.url;
let publicPort = emulator.port;
if (!options.raw) {
  relayServer = createServer(relay);
  try {
    await new Promise((resolve, reject) => {
      relayServer.once('error', reject);
      relayServer.listen(port, '127.0.0.1', resolve);
    });
  } catch (error) {
    await emulator.close().catch(() => {});
    fail(`cannot listen on port ${port}: ${errorText(error)}`);
  }
  publicPort = relayServer.address().port;
  publicUrl = `http://127.0.0.1:${publicPort}`;
}

// Report only once the server really answers, so callers can use the URL immediately.
try {
  const health = await fetch(`${publicUrl}/health`);
  if (!health.ok) throw new Error(`GET /health answered ${health.status}`);
} catch (error) {
  await emulator.close().catch(() => {});
  fail(`the emulator started but does not answer: ${errorText(error)}`);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // close() waits for open keep-alive connections; do not let a lingering client keep us alive.
  setTimeout(() => process.exit(0), 2000).unref();
  try {
    if (relayServer) {
      relayServer.closeAllConnections();
      await new Promise((resolve) => relayServer.close(() => resolve()));
    }
    await emulator.close();
  } finally {
    process.exit(0);
  }
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();

process.stdout.write(
  `${JSON.stringify({ url: publicUrl, apiKey: emulator.apiKey, clientId: CLIENT_ID, port: publicPort, email: options.email })}\n`,
);

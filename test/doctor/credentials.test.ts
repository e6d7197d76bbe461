// doctor's `credentials` check against WorkOS's own API emulator (`workos/emulate` from
// the real `workos` npm package, started in this process) through WORKOS_BASE_URL: a key
// the emulator knows, a wrong one (401), no server at all (a network problem, not a bad
// key), and --offline. The key never shows up in what doctor prints.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createEmulator, type Emulator } from 'workos/emulate';
import { API_KEY, caseOf, check, doctor, edit, fullVenv, initedProject } from './support.js';
import { join } from 'node:path';

const venv = fullVenv('5.2');
let emulator: Emulator;

/** A local port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('doctor tries the keys against WorkOS', { concurrency: 3 }, () => {
  before(async () => {
    // The emulator accepts the API keys it is seeded with; the project's key is one.
    emulator = await createEmulator({ port: 0, seed: { apiKeys: { [API_KEY]: { environment: 'test' } } } });
    await initedProject('5.2');
  });
  after(() => emulator.close());

  test('a key WorkOS knows passes', async () => {
    const dir = await caseOf('5.2');
    const { code, json, stdout, stderr } = await doctor(dir, venv, [], { WORKOS_BASE_URL: emulator.url });
    const credentials = check(json.checks, 'credentials');
    assert.equal(credentials.status, 'pass', credentials.message);
    assert.match(credentials.message, /accepts the API key \(sk_test_…, from \.env\)/);
    assert.equal(code, 0);
    assert.ok(!stdout.includes(API_KEY) && !stderr.includes(API_KEY), 'the key is never printed');
  });

  test('a wrong key fails with 401, named as a bad key, never printed', async () => {
    const dir = await caseOf('5.2');
    const wrong = 'sk_test_revokedkeydoctor0123456789';
    edit(join(dir, '.env'), API_KEY, wrong);
    const { code, json, stdout, stderr } = await doctor(dir, venv, [], { WORKOS_BASE_URL: emulator.url });
    const credentials = check(json.checks, 'credentials');
    assert.equal(credentials.status, 'fail');
    assert.match(credentials.message, /refuses the API key .*401, so it is wrong, revoked/);
    assert.equal(credentials.fixable, false);
    assert.equal(code, 4);
    assert.ok(!stdout.includes(wrong) && !stderr.includes(wrong), 'the key is never printed');
  });

  test('the key from the environment wins over .env, as python-dotenv has it', async () => {
    const dir = await caseOf('5.2');
    const shell = 'sk_test_fromtheshell0123456789';
    const { json, stdout, stderr } = await doctor(dir, venv, [], { WORKOS_BASE_URL: emulator.url, WORKOS_API_KEY: shell });
    const credentials = check(json.checks, 'credentials');
    assert.equal(credentials.status, 'fail');
    assert.match(credentials.message, /from environment/);
    assert.ok(!stdout.includes(shell) && !stderr.includes(shell), 'the key is never printed');
  });

  test('no server at WORKOS_BASE_URL is a network problem (warning), not a bad key', async () => {
    const dir = await caseOf('5.2');
    const port = await closedPort();
    const { code, json } = await doctor(dir, venv, [], { WORKOS_BASE_URL: `http://127.0.0.1:${port}` });
    const credentials = check(json.checks, 'credentials');
    assert.equal(credentials.status, 'warn');
    assert.match(credentials.message, /could not reach WorkOS at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): a network problem/);
    assert.equal(code, 0, 'a warning does not fail doctor');
  });

  test('--offline does not call WorkOS', async () => {
    const dir = await caseOf('5.2');
    const wrong = 'sk_test_revokedkeydoctor0123456789';
    edit(join(dir, '.env'), API_KEY, wrong);
    const { code, json } = await doctor(dir, venv, ['--offline'], { WORKOS_BASE_URL: emulator.url });
    assert.equal(check(json.checks, 'credentials').status, 'skip');
    assert.equal(code, 0);
  });
});

/**
 * How init talks to people: without a terminal it never waits for an answer; at a
 * terminal it asks for the keys with masked input and confirms before writing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliPath, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree } from '../helpers/django.js';
import { runInPty } from '../helpers/pty.js';

const KEY = 'sk_test_typed123456789';

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AUTHKIT_DJANGO_STATE_DIR: stateDir(), TERM: 'xterm' };
  for (const name of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'VIRTUAL_ENV', 'NO_COLOR']) delete env[name];
  return env;
}

test('without a terminal and without --yes: stops at once with a hint, writes nothing', async () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  const before = snapshotTree(dir);
  const run = await cli(['init', '--api-key', KEY, '--client-id', 'client_x', '--no-install'], { cwd: dir, env: environment() });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /pass --yes/i);
  assert.deepEqual(snapshotTree(dir), before);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(KEY));
});

test('at a terminal: asks for the key (masked) and the client id, confirms, applies', () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  const result = runInPty([process.execPath, cliPath, 'init', '--no-install', '--no-verify'], dir, environment(), [
    ['WORKOS_API_KEY', `${KEY}\r`],
    ['WORKOS_CLIENT_ID', 'client_typed\r'],
    ['Apply these changes', 'y\r'],
  ]);
  assert.ok(result.ok, `a prompt did not appear:\n${result.output}`);
  assert.equal(result.code, 0, result.output);
  assert.doesNotMatch(result.output, new RegExp(KEY), 'the typed key was echoed');
  assert.match(result.output, /\*{10,}/, 'masked input shows stars');
  const env = readFileSync(join(dir, '.env'), 'utf8');
  assert.match(env, new RegExp(`^WORKOS_API_KEY=${KEY}$`, 'm'));
  assert.match(env, /^WORKOS_CLIENT_ID=client_typed$/m);
});

test('at a terminal: a key with the wrong prefix is asked again; answering no writes nothing', () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  const before = snapshotTree(dir);
  const result = runInPty([process.execPath, cliPath, 'init', '--no-install', '--no-verify'], dir, environment(), [
    ['WORKOS_API_KEY', 'pk_wrong\r'],
    ['does not start with sk_', `${KEY}\r`],
    ['WORKOS_CLIENT_ID', 'client_typed\r'],
    ['Apply these changes', 'n\r'],
  ]);
  assert.ok(result.ok, result.output);
  assert.equal(result.code, 1);
  assert.match(result.output, /Nothing was written/);
  assert.deepEqual(snapshotTree(dir), before);
});

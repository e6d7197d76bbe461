/**
 * How init talks to people: without a terminal it never waits for an answer; at a
 * terminal it asks for the keys with masked input and confirms before writing.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliPath, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree } from '../helpers/django.js';
import { runInPty } from '../helpers/pty.js';
import { runTool, toolsBin } from '../helpers/tools.js';

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
  assert.match(result.output, /Not applied, as you answered no: nothing was written/);
  assert.deepEqual(snapshotTree(dir), before);
});

test('a failing install rolls the code changes back, shows the tool\'s own error and how to retry (exit 4)', async () => {
  const dir = copyFixture('tuples');
  await runTool([join(toolsBin, 'virtualenv'), '--quiet', '--no-periodic-update', join(dir, '.venv')], dir);
  writeFileSync(join(dir, '.gitignore'), '.venv/\n');
  gitInit(dir);
  // No index and no local wheels: pip cannot find workos, and says so itself.
  const env = { ...environment(), PIP_NO_INDEX: '1', PIP_FIND_LINKS: '', NO_COLOR: '1' };
  const run = await cli(['init', '--yes', '--api-key', KEY, '--client-id', 'client_x'], { cwd: dir, env });
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, /No matching distribution found for workos/);
  assert.match(run.stderr, /\.venv\/bin\/python -m pip install 'workos>=5\.13\.0,<11' 'pyjwt>=2\.0,<3' 'python-dotenv>=1\.0,<2'/);
  // The code imports workos, which the project's Python does not have: left in place, it would break every page.
  assert.match(run.stderr, /code changes were rolled back/);
  assert.doesNotMatch(readFileSync(join(dir, 'blog', 'settings.py'), 'utf8'), /WORKOS_API_KEY/);
  assert.doesNotMatch(readFileSync(join(dir, 'requirements.txt'), 'utf8'), /workos/);
});

test('an edit that cannot be made safely stops everything: exit 1, file:line, nothing written', async () => {
  const dir = copyFixture('minimal');
  const settings = join(dir, 'mini', 'settings.py');
  writeFileSync(settings, `${readFileSync(settings, 'utf8')}\nBROKEN = [\n`);
  gitInit(dir);
  const before = snapshotTree(dir);
  const run = await cli(['init', '--yes', '--no-install', '--api-key', KEY, '--client-id', 'client_x'], { cwd: dir, env: environment() });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /mini\/settings\.py has a syntax error at line \d+/);
  assert.deepEqual(snapshotTree(dir), before);
});

test('uncommitted changes: a warning, then --yes goes on', async () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  writeFileSync(join(dir, 'notes.txt'), 'work in progress\n');
  const run = await cli(['init', '--yes', '--no-install', '--no-verify', '--api-key', KEY, '--client-id', 'client_x'], { cwd: dir, env: environment() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout + run.stderr, /uncommitted change/);
  assert.match(run.stdout, /Applied: /);
});

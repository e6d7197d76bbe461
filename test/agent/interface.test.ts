// The machine interface an agent relies on: with --json nothing on stdout or stderr is
// meant for a terminal (no colour or cursor codes even at a real pty, no prompt), and
// with --json-progress every stderr line of a real install is one JSON object.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, cliPath, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, DJANGO_VERSIONS } from '../helpers/django.js';
import { runInPty } from '../helpers/pty.js';
import { envWith, PROJECT_API_KEY } from '../flow/support.js';

const ESCAPE = /\u001b\[/;

describe('--json', () => {
  test('at a real terminal: one report, no escape codes, no question asked', async () => {
    const dir = await copyOfStartProject('5.2');
    const env: NodeJS.ProcessEnv = { ...envWith(null), TERM: 'xterm-256color', AUTHKIT_DJANGO_STATE_DIR: stateDir() };
    delete env.NO_COLOR;
    // No answers are scripted: a prompt would hang until the driver's timeout.
    const result = runInPty([process.execPath, cliPath, 'init', '--json', '--no-install', '--no-verify', dir], dir, env, [], 30);
    assert.equal(result.code, 2, result.output);
    assert.doesNotMatch(result.output, ESCAPE, 'no colour or cursor codes with --json');
    assert.match(result.output, /"command": "init"/);
    assert.match(result.output, /Pass --yes/);
  });
});

describe('--json-progress', () => {
  test('a real pip install reports its progress as JSON lines on stderr', async () => {
    const dir = await copyOfStartProject('5.2');
    const venv = join(dir, '.venv');
    execFileSync('python3', ['-m', 'venv', venv]);
    execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', `Django==${DJANGO_VERSIONS['5.2']}`]);
    const result = await cli(['init', '--yes', '--json', '--json-progress', '--no-verify', '--api-key', PROJECT_API_KEY, '--client-id', 'client_project', dir], {
      env: { ...envWith(null), AUTHKIT_DJANGO_STATE_DIR: stateDir() },
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.split('\n').filter(Boolean);
    const events = lines.map((line) => {
      assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
      return JSON.parse(line) as { progress: string; event: string; outcome?: string };
    });
    assert.ok(events.every((e) => e.progress === 'install'), lines.join('\n'));
    assert.equal(events[0]!.event, 'start');
    assert.ok(events.some((e) => e.event === 'output'));
    assert.deepEqual(events.at(-1), { ...events.at(-1), event: 'end', outcome: 'done' });
    assert.equal((JSON.parse(result.stdout) as { install: { status: string } }).install.status, 'installed');
    assert.ok(!result.stderr.includes(PROJECT_API_KEY) && !result.stdout.includes(PROJECT_API_KEY));
  });
});

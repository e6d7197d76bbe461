/**
 * Crash test: `init` SIGKILLed at every point of its write phase, 220 times in all,
 * through apply's test hook (AUTHKIT_DJANGO_TEST_CRASH_AT=k kills the process at its k-th
 * write step: journal saved, each file's temporary half written, whole, renamed; the
 * phase lasts milliseconds, so timed kills would mostly miss it). After each kill every
 * file holds its old bytes or its new ones (never a truncated or mixed file), no file git
 * could commit holds the API key, and the next command (init --yes or undo --yes, in
 * turn) brings the project to a whole state: fully applied, or exactly as it was.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { cli, cliPath, gitInit, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, tempDir } from '../helpers/django.js';

const KEY = 'sk_test_crash00000000000000000000';
const FLAGS = ['--yes', '--no-install', '--no-verify', '--api-key', KEY, '--client-id', 'client_crash'];
/** CRASH_RUNS=N for a quicker look; the suite runs the full count. */
const RUNS = Number(process.env.CRASH_RUNS ?? 220);

type Tree = Map<string, string>;

/** Every file outside .git: relative path -> content (binary-safe as latin1). */
function tree(dir: string): Tree {
  const out: Tree = new Map();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path);
      } else out.set(relative(dir, path), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

function killedInit(dir: string, env: NodeJS.ProcessEnv, step: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'init', dir, ...FLAGS], {
      env: { ...process.env, ...env, NO_COLOR: '1', AUTHKIT_DJANGO_TEST_CRASH_AT: String(step) },
      stdio: 'ignore',
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

function ignoredByGit(dir: string, file: string): boolean {
  return spawnSync('git', ['check-ignore', '-q', file], { cwd: dir }).status === 0;
}

function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/authkit-django-[0-9a-f]{8}\.tmp$/.test(entry.name)) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found;
}

test(`init killed ${RUNS} times during its write phase: never a torn file or a committable secret; the next command makes it whole`, { timeout: 30 * 60 * 1000 }, async () => {
  const pristineDir = await copyOfStartProject('5.2');
  gitInit(pristineDir);
  const before = tree(pristineDir);
  // The state a run that is not killed leaves: what every file may become.
  const reference = join(tempDir('authkit-crash-ref-'), 'mysite');
  cpSync(pristineDir, reference, { recursive: true });
  const done = await cli(['init', reference, ...FLAGS], { env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });
  assert.equal(done.code, 0, done.stderr);
  const after = tree(reference);
  const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
  const steps = 1 + 3 * changed.length;

  let killed = 0;
  const trial = async (run: number) => {
    const step = 1 + (run % (steps + 1)); // 1..steps kill; steps + 1 runs to the end
    const dir = join(tempDir('authkit-crash-'), 'mysite');
    cpSync(pristineDir, dir, { recursive: true });
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir() };
    const result = await killedInit(dir, env, step);
    if (step <= steps) {
      assert.equal(result.signal, 'SIGKILL', `run ${run}: step ${step} of ${steps} must be reached`);
      killed++;
    } else assert.equal(result.code, 0);

    const now = tree(dir);
    for (const [file, bytes] of now) {
      assert.ok(bytes === before.get(file) || bytes === after.get(file), `run ${run}, step ${step}: ${file} is neither the old nor the new file`);
      if (bytes.includes(KEY.slice(8))) assert.ok(ignoredByGit(dir, file), `run ${run}, step ${step}: ${file} holds the key and git would commit it`);
    }
    for (const file of before.keys()) assert.ok(now.has(file), `run ${run}: ${file} vanished`);
    for (const file of leftovers(dir)) assert.ok(file.startsWith('.git/'), `run ${run}: leftover ${file} outside .git`);

    // The next command settles it: init rolls back then applies; undo rolls back.
    if (run % 2 === 0) {
      const next = await cli(['init', dir, ...FLAGS], { env });
      assert.equal(next.code, 0, `run ${run}, step ${step}: ${next.stderr}`);
      assert.deepEqual(tree(dir), after, `run ${run}, step ${step}: init after the crash leaves the applied state`);
      const undo = await cli(['undo', dir, '--yes'], { env });
      assert.equal(undo.code, 0, undo.stderr);
    } else {
      const undo = await cli(['undo', dir, '--yes'], { env });
      if (step === steps + 1 || step > 1) assert.equal(undo.code, 0, `run ${run}, step ${step}: ${undo.stderr}`);
    }
    assert.deepEqual(tree(dir), before, `run ${run}, step ${step}: one undo returns to the state before any run`);
    assert.deepEqual(leftovers(dir), [], `run ${run}, step ${step}: no temporary file left`);
  };
  // Two at a time: the machine's cores, not more.
  for (let run = 0; run < RUNS; run += 2) await Promise.all([trial(run), trial(run + 1)]);
  if (RUNS >= 220) assert.ok(killed >= 200, `${killed} kills`);
});

/**
 * Hostile and broken inputs against the file handling, through the real command line on
 * real `django-admin startproject` projects: links, files outside the repository, syntax
 * errors, secrets in the diff, non-UTF-8 files, read-only files, concurrent runs,
 * interrupted runs and the temporary files they leave.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stateDirFor } from '../../src/plan/journal.js';
import { findInterrupted, finish } from '../../src/plan/recover.js';
import { cli, cliPath, gitInit, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, snapshotTree, tempDir } from '../helpers/django.js';

const KEY = 'sk_test_hostile0000000000000000';
const FLAGS = ['--yes', '--no-install', '--no-verify', '--api-key', KEY, '--client-id', 'client_hostile'];

async function project(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await copyOfStartProject('5.2');
  gitInit(dir);
  return { dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } };
}

function init(dir: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  return cli(['init', dir, ...FLAGS, ...extra], { env });
}

function undo(dir: string, env: NodeJS.ProcessEnv) {
  return cli(['undo', dir, '--yes'], { env });
}

/** Every file below `dir` (outside .git) whose bytes hold `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path);
      } else if (entry.isFile() && readFileSync(path).includes(needle)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

describe('links and the repository boundary', () => {
  test('manage.py linked to a folder outside the repository: exit 1, nothing written anywhere', async () => {
    const outside = tempDir('authkit-outside-');
    const { dir, env } = await project();
    renameSync(join(dir, 'manage.py'), join(outside, 'manage.py'));
    rmSync(join(dir, 'mysite'), { recursive: true });
    symlinkSync(join(outside, 'manage.py'), join(dir, 'manage.py'));
    const before = { repo: snapshotTree(dir), outside: snapshotTree(outside) };
    const result = await init(dir, env);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /settings file of manage\.py was not found; nothing was written/);
    assert.deepEqual(snapshotTree(outside), before.outside, 'nothing written where the link points');
    assert.deepEqual(snapshotTree(dir), before.repo);
  });

  test('root manage.py linked into a subfolder of the repository keeps working', async () => {
    const repo = tempDir('authkit-linkrepo-');
    const inner = await copyOfStartProject('5.2');
    renameSync(inner, join(repo, 'backend'));
    symlinkSync(join('backend', 'manage.py'), join(repo, 'manage.py'));
    gitInit(repo);
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir() };
    const result = await init(repo, env);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(repo, 'backend', 'mysite', 'authkit', 'views.py')));
    assert.match(readFileSync(join(repo, 'backend', 'mysite', 'settings.py'), 'utf8'), /load_dotenv\(/);
    assert.ok(lstatSync(join(repo, 'manage.py')).isSymbolicLink());
  });

  for (const kind of ['relative', 'absolute'] as const) {
    test(`settings.py as a ${kind} link: the target is edited, the link stays, undo restores both`, async () => {
      const { dir, env } = await project();
      const settings = join(dir, 'mysite', 'settings.py');
      const real = join(dir, 'mysite', 'real_settings.py');
      renameSync(settings, real);
      symlinkSync(kind === 'relative' ? 'real_settings.py' : real, settings);
      const original = readFileSync(real);
      const result = await init(dir, env);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(lstatSync(settings).isSymbolicLink(), 'still a link');
      assert.equal(readlinkSync(settings), kind === 'relative' ? 'real_settings.py' : real);
      assert.match(readFileSync(real, 'utf8'), /django\.contrib\.sessions|load_dotenv/);
      const journal = JSON.parse(readFileSync(join(stateDirFor(dir, env), 'journal.json'), 'utf8'));
      const record = journal.entries[0].files.find((f: { path: string }) => f.path === settings);
      assert.equal(record.link, kind === 'relative' ? 'real_settings.py' : real, 'the journal records the link');
      assert.equal(record.target, real);
      // Someone replaces the link by a copy of the file: undo still brings the link back.
      const edited = readFileSync(real);
      rmSync(settings);
      writeFileSync(settings, edited);
      const undone = await undo(dir, env);
      assert.equal(undone.code, 0, undone.stderr);
      assert.ok(lstatSync(settings).isSymbolicLink(), 'undo restores the link as a link');
      assert.deepEqual(readFileSync(real), original);
    });
  }

  test('settings.py linked outside the repository: exit 1, nothing written on either side', async () => {
    const outside = tempDir('authkit-outside-');
    const { dir, env } = await project();
    const settings = join(dir, 'mysite', 'settings.py');
    renameSync(settings, join(outside, 'settings.py'));
    symlinkSync(join(outside, 'settings.py'), settings);
    const before = { repo: snapshotTree(dir), outside: snapshotTree(outside) };
    const result = await init(dir, env);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /not writing .*settings\.py: it is a link to .*, which is outside the repository/);
    assert.deepEqual(snapshotTree(dir), before.repo);
    assert.deepEqual(snapshotTree(outside), before.outside);
  });
});

describe('broken files', () => {
  test('urls.py with a syntax error: exit 1 with file:line, nothing written', async () => {
    const { dir, env } = await project();
    const urls = join(dir, 'mysite', 'urls.py');
    writeFileSync(urls, `${readFileSync(urls, 'utf8')}\nurlpatterns += [path('x/', view,\n`);
    const before = snapshotTree(dir);
    const result = await init(dir, env);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /mysite\/urls\.py has a syntax error at line \d+/);
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  test('a settings file that is not UTF-8: a user error with file:line, exit 1, nothing written', async () => {
    const { dir, env } = await project();
    const settings = join(dir, 'mysite', 'settings.py');
    writeFileSync(settings, Buffer.concat([readFileSync(settings), Buffer.from('\n# caf\xe9\n', 'latin1')]));
    const before = snapshotTree(dir);
    const result = await init(dir, env);
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.match(result.stderr, /settings\.py(:\d+)?.*UTF-8/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  for (const key of ['sk_test_', 'sk_live_']) {
    test(`a ${key} key written in settings.py is masked in the diff`, async () => {
      const { dir, env } = await project();
      const settings = join(dir, 'mysite', 'settings.py');
      const secret = `${key}handwritten1234567890abcdef`;
      writeFileSync(settings, readFileSync(settings, 'utf8').replace('DEFAULT_AUTO_FIELD', `PAYMENTS_KEY = '${secret}'\nDEFAULT_AUTO_FIELD`));
      const result = await cli(['init', dir, '--dry-run', '--api-key', KEY, '--client-id', 'client_x'], { env });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(/\n PAYMENTS_KEY = '/.test(result.stdout), 'the line is shown as context');
      assert.ok(!result.stdout.includes(secret.slice(key.length)), 'the key itself never appears');
      assert.ok(!result.stdout.includes(KEY.slice(8)), 'the registered key never appears');
    });
  }
});

describe('permissions', () => {
  test('a read-only settings.py is refused, naming it; --force-read-only rewrites it and keeps 0444', async () => {
    const { dir, env } = await project();
    const settings = join(dir, 'mysite', 'settings.py');
    chmodSync(settings, 0o444);
    const before = snapshotTree(dir);
    const refused = await init(dir, env);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /mysite\/settings\.py is read-only \(mode 0444\); nothing was written/);
    assert.match(refused.stderr, /--force-read-only/);
    assert.deepEqual(snapshotTree(dir), before);
    const forced = await init(dir, env, ['--force-read-only']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(settings, 'utf8'), /load_dotenv/);
    assert.equal(statSync(settings).mode & 0o777, 0o444);
    const help = await cli(['init', '--help']);
    assert.match(help.stdout, /--force-read-only/);
  });
});

describe('concurrent runs', () => {
  test('a run holding the lock: the second waits, then refuses with exit 1', async () => {
    const { dir, env } = await project();
    const lock = join(stateDirFor(dir, env), 'lock');
    mkdirSync(join(lock, '..'), { recursive: true });
    // A live holder on this host: this test process.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), purpose: 'init', since: new Date().toISOString() }));
    const before = snapshotTree(dir);
    const started = Date.now();
    const result = await init(dir, { ...env, AUTHKIT_DJANGO_LOCK_WAIT_MS: '600' });
    assert.equal(result.code, 1, result.stderr);
    assert.ok(Date.now() - started >= 600, 'it waited');
    assert.match(result.stderr, /authkit-django init \(pid \d+, since .*\) is changing this project; waited/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  test('a lock left by a killed run is taken over', async () => {
    const { dir, env } = await project();
    const lock = join(stateDirFor(dir, env), 'lock');
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), purpose: 'init', since: 'then' }));
    const result = await init(dir, env);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!existsSync(lock), 'released at exit');
  });

  test('two inits at once, 8 trials: one applies, the other has nothing left to do; one journal entry; undo restores', async () => {
    for (let trial = 0; trial < 8; trial++) {
      const { dir, env } = await project();
      const before = snapshotTree(dir);
      const [a, b] = await Promise.all([init(dir, env), init(dir, env)]);
      assert.deepEqual([a.code, b.code], [0, 0], a.stderr + b.stderr);
      const applied = [a, b].filter((r) => /Applied/.test(r.stdout)).length;
      assert.equal(applied, 1, `trial ${trial}: exactly one run applies`);
      const journal = JSON.parse(readFileSync(join(stateDirFor(dir, env), 'journal.json'), 'utf8'));
      assert.equal(journal.entries.length, 1);
      assert.equal(journal.entries[0].state, 'applied');
      assert.equal((await undo(dir, env)).code, 0);
      const after = snapshotTree(dir);
      for (const [path, state] of before) {
        const now = after.get(path);
        assert.deepEqual(typeof state === 'object' ? state.sha256 : state, typeof now === 'object' ? now.sha256 : now, path);
      }
    }
  });
});

describe('interrupted runs and leftovers', () => {
  /** init killed at write step `step` (SIGKILL through apply's test hook). */
  function killedInit(dir: string, env: NodeJS.ProcessEnv, step: number): Promise<string | null> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cliPath, 'init', dir, ...FLAGS], {
        env: { ...process.env, ...env, NO_COLOR: '1', AUTHKIT_DJANGO_TEST_CRASH_AT: String(step) },
        stdio: 'ignore',
      });
      child.on('exit', (_code, signal) => resolve(signal));
    });
  }

  test('the next init sees the interrupted entry: without --yes or a terminal it refuses; with --yes it rolls back, then applies', async () => {
    const { dir, env } = await project();
    const pristine = snapshotTree(dir);
    assert.equal(await killedInit(dir, env, 6), 'SIGKILL');
    const refused = await cli(['init', dir, '--no-install', '--no-verify', '--api-key', KEY, '--client-id', 'client_hostile'], { env });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /was interrupted while writing: \d of \d+ files written/);
    const result = await init(dir, env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /rolled the interrupted run back/);
    const journal = JSON.parse(readFileSync(join(stateDirFor(dir, env), 'journal.json'), 'utf8'));
    assert.deepEqual(journal.entries.map((e: { state: string }) => e.state), ['applied']);
    assert.equal((await undo(dir, env)).code, 0, 'one undo lands on the state before any run');
    const after = snapshotTree(dir);
    for (const [path, state] of pristine) {
      const now = after.get(path);
      assert.deepEqual(typeof state === 'object' ? state.sha256 : state, typeof now === 'object' ? now.sha256 : now, path);
    }
    assert.deepEqual([...after.keys()].sort(), [...pristine.keys()].sort());
  });

  test('finishing an interrupted run (the other choice at a terminal) writes the rest; undo then restores the input', async () => {
    const { dir, env } = await project();
    const pristine = snapshotTree(dir);
    const reference = await project();
    assert.equal((await init(reference.dir, reference.env)).code, 0);
    assert.equal(await killedInit(dir, env, 9), 'SIGKILL');
    const found = findInterrupted(dir, env);
    assert.ok(found && found.written > 0 && found.written < found.entry.files.length, 'killed part-way');
    finish(found, { projectRoot: dir, repoRoot: dir }, env);
    const content = (tree: ReturnType<typeof snapshotTree>) =>
      new Map([...tree].filter(([path]) => !path.startsWith('.git')).map(([path, state]) => [path, typeof state === 'object' ? state.sha256 : state]));
    assert.deepEqual(content(snapshotTree(dir)), content(snapshotTree(reference.dir)), 'the same files as a run that was not killed');
    const journal = JSON.parse(readFileSync(join(stateDirFor(dir, env), 'journal.json'), 'utf8'));
    assert.equal(journal.entries[0].state, 'applied');
    assert.equal(journal.entries[0].files[0].after, undefined, 'the bytes kept to finish are dropped');
    assert.equal((await undo(dir, env)).code, 0);
    assert.deepEqual(content(snapshotTree(dir)), content(pristine));
  });

  test('a kill with the .env temporary file half written leaves no secret in a committable file; undo cleans up', async () => {
    const { dir, env } = await project();
    // Step 1 is the journal saved; then three per file (half written, whole before the
    // rename, renamed). .env is written last: with N files, step 3N is its whole temporary file.
    const planned = JSON.parse((await cli(['init', dir, '--dry-run', '--json', '--api-key', KEY, '--client-id', 'client_hostile'], { env })).stdout);
    assert.ok(planned.files.some((f: { path: string }) => f.path === '.env'));
    assert.equal(await killedInit(dir, env, 3 * planned.files.length), 'SIGKILL');
    assert.deepEqual(filesHolding(dir, KEY.slice(8)), [], 'no file outside .git holds the key');
    const tmp = join(dir, '.git', 'authkit-django-tmp');
    assert.ok(readdirSync(tmp).length > 0, 'the temporary file is in .git, where git add cannot take it');
    const result = await undo(dir, env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /removed 1 temporary file/);
    assert.ok(!existsSync(tmp), "the temp folder is gone with it");
  });

  test('old-style leftovers beside the files we wrote are removed by undo; doctor warns about one elsewhere', async () => {
    const { dir, env } = await project();
    assert.equal((await init(dir, env)).code, 0);
    const beside = join(dir, `..env.authkit-django-0123abcd.tmp`);
    const elsewhere = join(dir, 'mysite', 'deep');
    mkdirSync(elsewhere);
    writeFileSync(beside, `WORKOS_API_KEY=${KEY}\n`);
    writeFileSync(join(elsewhere, '.x.py.authkit-django-89abcdef.tmp'), 'x');
    const doctor = await cli(['doctor', dir, '--json', '--offline'], { env });
    const report = JSON.parse(doctor.stdout);
    assert.ok(!existsSync(beside), 'doctor removed the leftover beside .env');
    const check = report.checks.find((c: { id: string }) => c.id === 'leftover-temp-files');
    assert.equal(check.status, 'warn', JSON.stringify(check));
    assert.match(check.detail, /mysite\/deep\/\.x\.py\.authkit-django-89abcdef\.tmp/);
  });
});

describe('--dry-run and doctor --json with an interrupted run', () => {
  test('--dry-run warns and writes nothing; doctor --json reports the refusal in its JSON', async () => {
    const { dir, env } = await project();
    const child = spawn(process.execPath, [cliPath, 'init', dir, ...FLAGS], {
      env: { ...process.env, ...env, NO_COLOR: '1', AUTHKIT_DJANGO_TEST_CRASH_AT: '6' },
      stdio: 'ignore',
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const crashed = snapshotTree(dir);
    const dry = await cli(['init', dir, '--dry-run', '--api-key', KEY, '--client-id', 'client_x'], { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /warning: an earlier `authkit-django init` was interrupted while writing/);
    assert.deepEqual(snapshotTree(dir), crashed);
    const doctor = await cli(['doctor', dir, '--json', '--offline'], { env });
    assert.equal(doctor.code, 1, doctor.stderr);
    assert.match(JSON.parse(doctor.stdout).error.message, /was interrupted while writing/);
    assert.deepEqual(snapshotTree(dir), crashed);
  });
});

// init at a real terminal (a pty, dist/cli.js): every question comes after everything it
// refers to, on the screen as a person sees it. The plan, the diffs and the one-line
// entries of created files are above "Apply these changes?"; the dirty-tree warning is
// above "Continue anyway?"; a "no" and a Ctrl+C are told apart.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, fixturesDir, snapshotTree, tempDir } from '../helpers/django.js';
import { envWith, initProject, installedWithoutEmulator, venvs } from '../flow/support.js';
import { runInPty } from '../helpers/pty.js';

const KEY = 'sk_test_terminalorder12345';

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AUTHKIT_DJANGO_STATE_DIR: stateDir(), TERM: 'xterm', NO_COLOR: '1' };
  for (const name of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'VIRTUAL_ENV']) delete env[name];
  return env;
}

const INIT = [process.execPath, cliPath, 'init', '--no-install', '--no-verify', '--api-key', KEY, '--client-id', 'client_typed'];

/** The screen's lines, without the carriage returns a terminal adds. */
function screen(output: string): string[] {
  return output.replace(/\r/g, '').split('\n');
}

function lineIndex(lines: string[], pattern: RegExp): number {
  const at = lines.findIndex((line) => pattern.test(line));
  assert.ok(at >= 0, `no line matches ${pattern}:\n${lines.join('\n')}`);
  return at;
}

function lastLineIndex(lines: string[], pattern: RegExp): number {
  const at = lines.findLastIndex((line) => pattern.test(line));
  assert.ok(at >= 0, `no line matches ${pattern}`);
  return at;
}

test('the confirmation comes after the plan, the diffs and the created files; created files are one line each', () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  const before = snapshotTree(dir);
  const result = runInPty([...INIT, dir], dir, environment(), [['Apply these changes', 'n\r']]);
  assert.ok(result.ok, result.output);
  const lines = screen(result.output);
  const question = lineIndex(lines, /Apply these changes to \d+ files\? \[Y\/n\]/);
  assert.ok(lineIndex(lines, /^Plan:$/) < question);
  assert.ok(lastLineIndex(lines, /^\+\+\+ b\/shop\/settings\/base\.py$/) < question, 'a changed file keeps its diff, above the question');
  const created = lineIndex(lines, /^ {2}\+ shop\/authkit\/__init__\.py +\d+ lines, the authkit app: views, middleware, backend, model and migration; \d+ files$/);
  assert.ok(created < question);
  // The app's modules are not printed: only their lines.
  assert.equal(lines.some((line) => line.includes('def callback(')), false);
  // Nothing but the answer's own words after the question.
  assert.equal(lines.slice(question + 1).filter((l) => l.trim()).join('\n'), 'Not applied, as you answered no: nothing was written. Run again when ready (--dry-run only shows the plan).');
  assert.equal(result.code, 1);
  assert.deepEqual(snapshotTree(dir), before);
});

test('Ctrl+C at the confirmation is an interruption, not a "no": exit 130, nothing written', () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  const before = snapshotTree(dir);
  const result = runInPty([...INIT, dir], dir, environment(), [['Apply these changes', '\u0003']]);
  assert.ok(result.ok, result.output);
  assert.equal(result.code, 130);
  assert.match(result.output, /Interrupted: nothing was written\./);
  assert.doesNotMatch(result.output, /as you answered no/);
  assert.deepEqual(snapshotTree(dir), before);
});

test('the dirty-tree warning is above its own question', () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  writeFileSync(join(dir, 'notes.txt'), 'work in progress\n');
  const result = runInPty([...INIT, dir], dir, environment(), [['Continue anyway\\?', 'n\r']]);
  assert.ok(result.ok, result.output);
  const lines = screen(result.output);
  const warning = lineIndex(lines, /^warning: the git tree has 1 uncommitted change/);
  const question = lineIndex(lines, /Continue anyway\? \[y\/N\]/);
  assert.ok(warning < question, `warning at ${warning}, question at ${question}`);
  assert.ok(lastLineIndex(lines, /^\+\+\+ b\//) < warning, 'the diffs come before both');
  assert.equal(lines.some((line) => /Apply these changes/.test(line)), false);
  assert.equal(result.code, 1);
});

test('--diff shows created files in full at the terminal', () => {
  const dir = copyFixture('settings-package');
  gitInit(dir);
  const result = runInPty([...INIT, '--diff', dir], dir, environment(), [['Apply these changes', 'n\r']]);
  assert.ok(result.ok, result.output);
  const lines = screen(result.output);
  const question = lineIndex(lines, /Apply these changes/);
  assert.ok(lineIndex(lines, /^\+def callback\(request: HttpRequest\) -> HttpResponse:$/) < question);
  assert.ok(lineIndex(lines, /^\+\+\+ b\/shop\/authkit\/views\.py$/) < question);
});

test('verify at an 80-column terminal: every line fits, nothing of a problem is cut', () => {
  const dir = copyFixture('settings-package');
  // No virtualenv: Django does not import, so failures (wrapped) and skips (cut) both show.
  const result = runInPty([process.execPath, cliPath, 'verify', dir], dir, environment(), [], 60, 80);
  const lines = screen(result.output).filter((line) => line.length > 0);
  assert.ok(lines.length > 5, result.output);
  const tooLong = lines.filter((line) => [...line].length > 79);
  assert.deepEqual(tooLong, []);
  assert.equal(result.code, 4);
});

test('verify --flow at an 80-column terminal: the checks and every flow step fit, the reasons wrapped', async () => {
  const dir = join(tempDir('authkit-narrow-'), 'api-only');
  cpSync(join(fixturesDir, 'flow', 'api-only'), dir, { recursive: true });
  await initProject(dir, venvs.dj52);
  const env = { ...envWith(venvs.dj52), AUTHKIT_DJANGO_STATE_DIR: stateDir(), TERM: 'xterm' };
  const result = runInPty([process.execPath, cliPath, 'verify', '--flow', dir], dir, env, [], 120, 80);
  assert.equal(result.code, 0, result.output);
  const lines = screen(result.output).filter((line) => line.length > 0);
  assert.deepEqual(lines.filter((line) => [...line].length > 79), []);
  // Wrapped, not cut: the redirect_uri of the login step is there in full.
  assert.match(lines.join(' '), /redirect_uri=http:\/\/localhost:\d+\/auth\/callback\/\)/);
  assert.match(result.output, /the login flow works: 10 passed/);
});

test("a missing emulator at a terminal: asked to install it into authkit-django's cache; no writes nothing anywhere", async () => {
  const pkg = installedWithoutEmulator();
  const dir = join(tempDir('authkit-noemu-'), 'api-only');
  cpSync(join(fixturesDir, 'flow', 'api-only'), dir, { recursive: true });
  const cache = tempDir('authkit-cache-');
  const env = { ...envWith(venvs.dj52), AUTHKIT_DJANGO_CACHE_DIR: cache, npm_config_prefix: tempDir('authkit-npm-prefix-'), TERM: 'xterm' };
  const result = runInPty([process.execPath, join(pkg, 'dist', 'cli.js'), 'dev', dir], dir, env, [['Install it', 'n\r']], 60);
  assert.ok(result.ok, result.output);
  const lines = screen(result.output);
  const notice = lineIndex(lines, /^WorkOS's emulator is not installed\.$/);
  const question = lineIndex(lines, new RegExp(`Install it \\(npm workos@0\\.14\\.0, about 320 MB\\) into ${join(cache, 'emulator').replace(/[.]/g, '\\.')}\\? \\[Y/n\\]`));
  assert.ok(notice < question);
  assert.equal(result.code, 1);
  assert.equal(existsSync(join(dir, 'node_modules')), false, "nothing goes into the project's folder");
  assert.equal(existsSync(join(cache, 'emulator')), false);
});

test('--yes installs it into the cache with npm, and says so when npm fails (here: no registry)', () => {
  const pkg = installedWithoutEmulator();
  const dir = join(tempDir('authkit-noemu-'), 'api-only');
  cpSync(join(fixturesDir, 'flow', 'api-only'), dir, { recursive: true });
  const cache = tempDir('authkit-cache-');
  const env = {
    ...envWith(venvs.dj52),
    AUTHKIT_DJANGO_CACHE_DIR: cache,
    npm_config_prefix: tempDir('authkit-npm-prefix-'),
    // Nothing listens there: npm fails fast instead of downloading 320 MB.
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
    npm_config_cache: tempDir('authkit-npm-cache-'),
  };
  const run = spawnSync(process.execPath, [join(pkg, 'dist', 'cli.js'), 'verify', '--flow', '--yes', '--json', dir], { env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`Installing WorkOS's emulator \\(npm workos@0\\.14\\.0\\) into ${join(cache, 'emulator').replace(/[.]/g, '\\.')} \\.\\.\\.`));
  assert.match(run.stderr, /installing workos@0\.14\.0 into .* failed \(npm exit code \d+\)/);
  assert.equal((JSON.parse(run.stdout) as { exitCode: number }).exitCode, 1);
  assert.equal(existsSync(join(dir, 'node_modules')), false);
  // npm was pointed at the cache folder, and the folder holds its own package.json.
  assert.equal(existsSync(join(cache, 'emulator', 'package.json')), true);
});

test('two projects at a terminal: the list, then the question; the chosen one is planned', () => {
  const dir = copyFixture('two-projects');
  gitInit(dir);
  const result = runInPty([...INIT, '--dry-run', dir], dir, environment(), [['Which one\\?', '2\r']]);
  assert.ok(result.ok, result.output);
  const lines = screen(result.output);
  const listed = lineIndex(lines, /^Found 2 Django projects in this repository:$/);
  const first = lineIndex(lines, /^ {2}1\) alpha\/manage\.py$/);
  const second = lineIndex(lines, /^ {2}2\) beta\/manage\.py$/);
  const question = lineIndex(lines, /^Which one\? \[1-2\]/);
  assert.ok(listed < first && first < second && second < question);
  assert.ok(lineIndex(lines, /Django project beta\/manage\.py/) > question);
  assert.equal(result.code, 0);
});

test('two projects under --yes: refused with the candidates and the --project hint (exit 2)', async () => {
  const dir = copyFixture('two-projects');
  const before = snapshotTree(dir);
  const run = spawnSync(process.execPath, [...INIT.slice(1), '--yes', dir], { env: environment(), encoding: 'utf8' });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /found 2 Django projects: alpha\/manage\.py, beta\/manage\.py; choose one with --project PATH/);
  assert.deepEqual(snapshotTree(dir), before);
});

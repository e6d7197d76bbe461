/**
 * Shared by the flow and e2e tests: real Django projects made ready for the login flow
 * (startproject, a real `init --yes`, `migrate`), and the evidence that nothing outlived
 * a command (no process mentioning the project, no listener on its ports).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli, cliPath, type CliResult } from '../helpers/cli.js';
import { copyOfStartProject, repoRoot, tempDir, VENVS, type DjangoLine } from '../helpers/django.js';

const run = promisify(execFile);

/** A project .env key that must never show up anywhere (it is fake, but treated as a secret). */
export const PROJECT_API_KEY = 'sk_test_projectkeythatmustnotleak42';
/** The emulator's own fixed test key: never printed either. */
export const EMULATOR_API_KEY = 'sk_test_default';

export const venvs = VENVS;

export function venvPython(venv: string): string {
  return join(venv, 'bin', 'python');
}

/** The environment for a command that should use `venv` as the project's Python. */
export function envWith(venv: string | null, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra };
  // Empty rather than absent: the cli helper starts from process.env, which may have one.
  env.VIRTUAL_ENV = venv ?? '';
  for (const name of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_BASE_URL']) if (!(name in extra)) delete env[name];
  return env;
}

/** `init --yes --no-install` with `venv` active: the generated code, nothing installed. */
export async function initProject(dir: string, venv: string): Promise<CliResult> {
  const result = await cli(['init', '--yes', '--no-install', '--no-verify', '--api-key', PROJECT_API_KEY, '--client-id', 'client_project', dir], {
    env: envWith(venv),
  });
  if (result.code !== 0) throw new Error(`init failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

export async function migrate(dir: string, python: string[]): Promise<void> {
  const [program, ...prefix] = python;
  await run(program!, [...prefix, 'manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: dir, env: envWith(null) });
}

/** A `startproject` project after `init` and `migrate`, run by `venv` (shared, read-only use). */
export async function readyStartProject(line: DjangoLine, venv: string): Promise<string> {
  const dir = await copyOfStartProject(line);
  await initProject(dir, venv);
  await migrate(dir, [venvPython(venv)]);
  return dir;
}

export interface ProcessInfo {
  pid: number;
  command: string;
}

/** Every process whose command line contains `text` (Linux /proc). */
export function processesMentioning(text: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let command: string;
    try {
      command = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (command.includes(text)) found.push({ pid: Number(entry), command });
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than null/false, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => T | null | false | Promise<T | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** runserver or testserver processes started for the project in `dir` (its manage.py path is on their command line). */
export function runserversFor(dir: string): ProcessInfo[] {
  return processesMentioning(join(dir, 'manage.py')).filter((p) => /\b(runserver|testserver)\b/.test(p.command));
}

/** `authkit-django dev` in a child process, its output collected. */
export interface DevRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startDev(args: string[], env: NodeJS.ProcessEnv = envWith(venvs.dj52)): DevRun {
  const child = spawn(process.execPath, [cliPath, 'dev', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the banner; returns the two URLs it prints. */
export async function banner(run: DevRun): Promise<{ site: URL; emulator: URL }> {
  await waitFor('the dev banner', () => run.stdout().includes('Press Ctrl+C') || run.child.exitCode !== null, 60_000);
  assert.match(run.stdout(), /Press Ctrl\+C to stop both/, `dev did not start:\n${run.stdout()}\n${run.stderr()}`);
  const site = /Django\s+(http:\/\/localhost:\d+)\//.exec(run.stdout())?.[1];
  const emulator = /WorkOS emulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout())?.[1];
  assert.ok(site && emulator, run.stdout());
  return { site: new URL(site), emulator: new URL(emulator) };
}


/** Ends a dev run as a person would (Ctrl+C), and only if that does not work, kills it. */
export async function stopDev(run: DevRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGINT');
  const timeout = sleep(15_000).then(() => 'timeout' as const);
  if ((await Promise.race([run.exited, timeout])) === 'timeout') run.child.kill('SIGKILL');
}

/** authkit-django as npm installs it for a user: no devDependencies, so no emulator. */
export function installedWithoutEmulator(): string {
  const pkg = join(tempDir('authkit-installed-'), 'authkit-django');
  mkdirSync(join(pkg, 'node_modules'), { recursive: true });
  for (const part of ['dist', 'templates', 'upgrades', 'python', 'grammar', 'package.json']) cpSync(join(repoRoot, part), join(pkg, part), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules', 'web-tree-sitter'), join(pkg, 'node_modules', 'web-tree-sitter'), 'dir');
  return pkg;
}

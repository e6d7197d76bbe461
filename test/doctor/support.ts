/**
 * Shared by doctor's tests: a real project per Django line (`django-admin startproject`
 * from .venvs/bare42|bare52, a git repository, a real `authkit-django init`, `migrate`,
 * everything committed), made once per test file and copied for each case; and doctor
 * run as the user runs it (dist/cli.js), with the project's Python from .venvs.
 */
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DoctorCheckJson } from '../../src/doctor/render.js';
import { cli, gitInit, stateDir, type CliResult } from '../helpers/cli.js';
import { copyOfStartProject, tempDir, VENVS, type DjangoLine } from '../helpers/django.js';

const run = promisify(execFile);

/** A fake key shaped like WorkOS's: long enough for doctor's committed-key search to see it. */
export const API_KEY = 'sk_test_doctorfixturekey0123456789';
export const CLIENT_ID = 'client_doctor_fixture';

export { VENVS };

/** The virtualenv with Django, workos and python-dotenv for a Django line. */
export function fullVenv(line: DjangoLine): string {
  return line === '4.2' ? VENVS.dj42 : VENVS.dj52;
}

export function python(venv: string): string {
  return join(venv, 'bin', 'python');
}

export function gitCommit(dir: string, message: string): Promise<unknown> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  return run('git', ['add', '-A'], { cwd: dir, env }).then(() => run('git', ['commit', '-q', '-m', message], { cwd: dir, env }));
}

/** The environment of a command run with `venv` active (none of the developer's WorkOS variables). */
export function activeVenv(venv: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { VIRTUAL_ENV: venv, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

const bases = new Map<DjangoLine, Promise<string>>();

/**
 * A startproject after `init` and `migrate`, committed: doctor finds nothing wrong with it.
 * Shared by the test file: copy it (`caseOf`) before changing anything.
 */
export function initedProject(line: DjangoLine): Promise<string> {
  let made = bases.get(line);
  if (!made) {
    made = (async () => {
      const dir = await copyOfStartProject(line);
      gitInit(dir);
      const venv = fullVenv(line);
      const init = await cli(['init', '--yes', '--no-install', '--no-verify', '--api-key', API_KEY, '--client-id', CLIENT_ID, dir], {
        env: activeVenv(venv, { AUTHKIT_DJANGO_STATE_DIR: stateDir() }),
      });
      if (init.code !== 0) throw new Error(`init failed (${init.code}):\n${init.stdout}\n${init.stderr}`);
      await run(python(venv), ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      await gitCommit(dir, 'authkit-django init');
      return dir;
    })();
    bases.set(line, made);
  }
  return made;
}

/** A fresh copy of the shared project, free to break. */
export async function caseOf(line: DjangoLine, name = 'mysite'): Promise<string> {
  const dir = join(tempDir('authkit-doctor-'), name);
  cpSync(await initedProject(line), dir, { recursive: true });
  return dir;
}

// The JSON shape the command prints, from the code that prints it.
export type { DoctorCheckJson };

export interface DoctorJson {
  command: 'doctor';
  ok: boolean;
  checks: DoctorCheckJson[];
  fix: {
    applied: boolean;
    reason: string | null;
    rounds: { changes: { path: string; action: string }[]; steps: { id: string }[]; commands: { command: string; ok: boolean; message: string | null }[]; fixed: string[] }[];
    before: DoctorCheckJson[];
  } | null;
  error: { message: string; hint: string | null } | null;
  exitCode: number;
}

export interface DoctorRun extends CliResult {
  json: DoctorJson;
}

/** `authkit-django doctor --json ARGS DIR` with `venv` as the project's Python. */
export async function doctor(dir: string, venv: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<DoctorRun> {
  const result = await cli(['doctor', '--json', ...args, dir], { env: activeVenv(venv, { AUTHKIT_DJANGO_STATE_DIR: stateDir(), ...env }) });
  let json: DoctorJson;
  try {
    json = JSON.parse(result.stdout) as DoctorJson;
  } catch {
    throw new Error(`doctor printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, json };
}

/** id -> status of every check that failed or warned. */
export function problems(checks: readonly DoctorCheckJson[]): Record<string, string> {
  return Object.fromEntries(checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => [c.id, c.status]));
}

export function check(checks: readonly DoctorCheckJson[], id: string): DoctorCheckJson {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in: ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** Replaces one exact piece of text; a missing anchor fails the test setup loudly. */
export function edit(file: string, anchor: string | RegExp, replacement: string): void {
  const text = readFileSync(file, 'utf8');
  const found = typeof anchor === 'string' ? text.includes(anchor) : anchor.test(text);
  if (!found) throw new Error(`test setup: ${String(anchor)} not found in ${file}`);
  writeFileSync(file, text.replace(anchor, replacement));
}

export function append(file: string, text: string): void {
  writeFileSync(file, readFileSync(file, 'utf8') + text);
}

/** `python manage.py check` in the project: its exit code and output. */
export async function manageCheck(dir: string, venv: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(python(venv), ['manage.py', 'check'], { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

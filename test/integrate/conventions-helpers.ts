/**
 * Shared by the tests of issue 8's convention items: run init on a fixture copy, load the
 * result in a real Django virtualenv, and compare the changed files with snapshots in
 * test/integrate/snapshots/CASE (regenerate with UPDATE_SNAPSHOTS=1 and review the diff).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cli, gitInit, stateDir, type CliResult } from '../helpers/cli.js';
import { copyFixture, repoRoot, snapshotTree, VENVS } from '../helpers/django.js';

export const KEYS = ['--api-key', 'sk_test_fixture0000', '--client-id', 'client_fixture'];
const SNAPSHOTS = join(repoRoot, 'test', 'integrate', 'snapshots');
const update = process.env.UPDATE_SNAPSHOTS === '1';

export interface Project {
  dir: string;
  env: NodeJS.ProcessEnv;
  before: ReturnType<typeof snapshotTree>;
}

/** A fixture copy made a git repository (committed), with its own journal folder. */
export function project(fixture: string, prepare?: (dir: string) => void): Project {
  const dir = copyFixture(fixture);
  prepare?.(dir);
  gitInit(dir);
  return { dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() }, before: snapshotTree(dir) };
}

export function init(p: Project, args: string[] = []): Promise<CliResult> {
  return cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...args], { cwd: p.dir, env: p.env });
}

/** Files whose bytes changed since the project was made (sorted, .git excluded). */
export function changedFiles(p: Project): string[] {
  const after = snapshotTree(p.dir);
  const sha = (s: unknown) => (typeof s === 'object' && s ? (s as { sha256: string }).sha256 : String(s));
  const paths = new Set([...p.before.keys(), ...after.keys()]);
  return [...paths].filter((k) => !k.startsWith('.git/') && k !== '.git' && sha(p.before.get(k)) !== sha(after.get(k))).sort();
}

/** Compares the named files (relative paths) with test/integrate/snapshots/CASE/files/PATH.snap. */
export function assertSnapshots(p: Project, name: string, files: string[]): void {
  const dir = join(SNAPSHOTS, name, 'files');
  for (const path of files) {
    const stored = join(dir, `${path}.snap`);
    const actual = existsSync(join(p.dir, path)) ? readFileSync(join(p.dir, path), 'utf8') : '(absent)\n';
    if (update) {
      mkdirSync(dirname(stored), { recursive: true });
      writeFileSync(stored, actual);
    }
    assert.equal(actual, readFileSync(stored, 'utf8'), `${path} differs from its snapshot (${name})`);
  }
  if (update) {
    const listed = join(SNAPSHOTS, name, 'files.txt');
    rmSync(listed, { force: true });
    writeFileSync(listed, `${changedFiles(p).join('\n')}\n`);
  }
  assert.equal(`${changedFiles(p).join('\n')}\n`, readFileSync(join(SNAPSHOTS, name, 'files.txt'), 'utf8'), `the set of changed files differs (${name})`);
}

/** A second run plans nothing and changes no byte. */
export async function assertSecondRunPlansNothing(p: Project, args: string[] = []): Promise<void> {
  const before = snapshotTree(p.dir);
  const second = await init(p, args);
  const report = JSON.parse(second.stdout) as { files: unknown[] };
  assert.deepEqual(report.files, [], `the second run planned changes:\n${second.stdout}`);
  assert.deepEqual(snapshotTree(p.dir), before, 'the second run changed bytes');
}

/**
 * Runs `code` after django.setup() in a real virtualenv, in the project folder, with the
 * given settings module and an environment free of WorkOS variables. Returns stdout.
 */
export function inDjango(p: Project, settingsModule: string, code: string, venv: string = VENVS.dj42, extraEnv: NodeJS.ProcessEnv = {}): string {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, DJANGO_SETTINGS_MODULE: settingsModule, PYTHONDONTWRITEBYTECODE: '1', ...extraEnv };
  const script = `import sys\nsys.path.insert(0, '.')\nimport django\ndjango.setup()\n${code}`;
  const run = spawnSync(join(venv, 'bin', 'python'), ['-c', script], { cwd: p.dir, env, encoding: 'utf8' });
  assert.equal(run.status, 0, `python failed:\n${run.stderr}`);
  return run.stdout;
}

// Shared by the init benchmarks: the built command line, and a pristine startproject in
// a temporary folder removed on exit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = process.env.BENCH_CLI ?? join(root, 'dist', 'cli.js');
const admin = join(root, '.venvs', 'bare52', 'bin', 'django-admin');

/** { work, pristine }: a temporary folder, and a Django 5.2 startproject in it. */
export function pristineStartProject(prefix) {
  for (const [path, hint] of [[cli, 'node scripts/build.mjs'], [admin, 'node scripts/setup-test-env.mjs']]) {
    if (!existsSync(path)) {
      console.error(`${path} is missing: run \`${hint}\` first`);
      process.exit(1);
    }
  }
  const work = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const pristine = join(work, 'pristine');
  mkdirSync(pristine);
  spawnSync(admin, ['startproject', 'mysite', pristine], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return { work, pristine };
}

/**
 * Real Django projects for tests: `django-admin startproject` from the bare42 / bare52
 * virtualenvs (Django from PyPI), made once per test file and copied for each test that
 * changes files; plus copies of the hand-written fixtures in test/fixtures and a
 * byte-and-mtime snapshot of a folder, to prove a command wrote nothing.
 * Temporary folders live under os.tmpdir() and are removed when the process exits.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

export type DjangoLine = '4.2' | '5.2';

/** The exact Django versions in the test virtualenvs (scripts/setup-test-env.mjs pins them). */
export const DJANGO_VERSIONS: Record<DjangoLine, string> = { '4.2': '4.2.30', '5.2': '5.2.19' };

/** The test virtualenvs scripts/setup-test-env.mjs makes (what each holds is listed there). */
export const VENVS = {
  dj42: join(repoRoot, '.venvs', 'dj42'),
  dj52: join(repoRoot, '.venvs', 'dj52'),
  workos5: join(repoRoot, '.venvs', 'workos5'),
  sdkmin: join(repoRoot, '.venvs', 'sdkmin'),
  sdkold: join(repoRoot, '.venvs', 'sdkold'),
  bare42: join(repoRoot, '.venvs', 'bare42'),
  bare52: join(repoRoot, '.venvs', 'bare52'),
  tools: join(repoRoot, '.venvs', 'tools'),
};

/** The bare virtualenv (Django only) for a Django line. */
export function bareVenv(line: DjangoLine): string {
  return line === '4.2' ? VENVS.bare42 : VENVS.bare52;
}

const temps: string[] = [];
process.on('exit', () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system temp folder, removed at exit. */
export function tempDir(prefix = 'authkit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

const pristine = new Map<string, Promise<string>>();

/**
 * A project made by the real `django-admin startproject NAME`, shared by the whole test
 * file: read it, never change it (use `copyOfStartProject` for that).
 */
export function startProject(line: DjangoLine, name = 'mysite'): Promise<string> {
  const key = `${line}:${name}`;
  let made = pristine.get(key);
  if (!made) {
    made = (async () => {
      const dir = join(tempDir(`authkit-startproject-${line.replace('.', '')}-`), name);
      mkdirSync(dir);
      const admin = join(bareVenv(line), 'bin', 'django-admin');
      if (!existsSync(admin)) throw new Error(`missing ${admin}: run node scripts/setup-test-env.mjs`);
      await run(admin, ['startproject', name, dir], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      return dir;
    })();
    pristine.set(key, made);
  }
  return made;
}

/** A fresh copy of a startproject project (in `<tmp>/<name>`), free to change. */
export async function copyOfStartProject(line: DjangoLine, name = 'mysite'): Promise<string> {
  const source = await startProject(line, name);
  const dir = join(tempDir('authkit-project-'), name);
  cpSync(source, dir, { recursive: true });
  return dir;
}

export interface FixtureOptions {
  /** Make the copy a repository root (a `.git` folder, which test/fixtures cannot hold). */
  git?: boolean;
}

/** A copy of test/fixtures/NAME in a new temp folder. */
export function copyFixture(name: string, options: FixtureOptions = {}): string {
  const source = join(fixturesDir, name);
  if (!existsSync(source)) throw new Error(`no fixture named ${name}`);
  const dir = join(tempDir(`authkit-fixture-`), name);
  cpSync(source, dir, { recursive: true });
  if (options.git) mkdirSync(join(dir, '.git'));
  return dir;
}

export interface FileState {
  sha256: string;
  mtimeMs: number;
  size: number;
}

/** Every file and folder below `dir` (symlinks not followed): content hash, size and mtime. */
export function snapshotTree(dir: string): Map<string, FileState | 'dir' | 'link'> {
  const out = new Map<string, FileState | 'dir' | 'link'>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const rel = relative(dir, path);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out.set(rel, 'link');
      else if (st.isDirectory()) {
        out.set(rel, 'dir');
        walk(path);
      } else {
        out.set(rel, {
          sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
          mtimeMs: st.mtimeMs,
          size: st.size,
        });
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * Finds manage.py: below the folder the user named first (breadth first, so the
 * shallowest wins), then in the folders above it when the user stands inside a project,
 * then across the whole repository when the user stands in an unrelated part of it.
 * Folders that hold installed or generated code are never entered: that keeps the
 * search fast in monorepos and keeps Django's own `conf/project_template` out.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { isInside } from './paths.js';
import { findRepoRoot } from './repo-root.js';

/** Folder names never searched (every dot-folder is skipped as well). */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'venv',
  'virtualenvs',
  'site-packages',
  'dist-packages',
  '__pycache__',
  'build',
  'dist',
  'htmlcov',
  'bower_components',
]);

/** Deep enough for any real layout (`services/api/src/manage.py` is depth 3). */
const MAX_DEPTH = 8;

export interface ManagePyChoice {
  /** The chosen manage.py (symlinks resolved: Python runs the real file). */
  managePy: string;
  /** The other manage.py paths found, in the order they were ranked. */
  candidates: string[];
}

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** Every manage.py below `root`, shallowest first, then by path. */
export function findManagePyBelow(root: string, skip?: string): string[] {
  const found: string[] = [];
  let level = [root];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      // A virtualenv under any name: installed packages, never the project.
      if (depth > 0 && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
      for (const entry of entries) {
        if (entry.name === 'manage.py') {
          if (entry.isFile() || (entry.isSymbolicLink() && isFile(join(dir, entry.name)))) found.push(join(dir, entry.name));
        } else if (entry.isDirectory() && !isSkippedFolder(entry.name)) {
          const child = join(dir, entry.name);
          if (child !== skip) next.push(child);
        }
      }
    }
    level = next.sort(byCodePoint);
  }
  return found;
}

/** Chooses the manage.py for `dir`, or for `--project`; throws a UserError when there is none. */
export function chooseManagePy(dir: string, project: string | undefined, cwd = process.cwd()): ManagePyChoice {
  if (project !== undefined) return { managePy: projectManagePy(project, dir, cwd), candidates: [] };
  let found = findManagePyBelow(dir);
  if (found.length === 0) found = findManagePyAbove(dir);
  if (found.length === 0) {
    throw new UserError(
      `no Django project found: there is no manage.py in ${dir}, below it, or in the folders above it.`,
      1,
      'Run authkit-django from your Django project (the folder with manage.py), or name it with --project PATH.',
    );
  }
  return rank(found, dir);
}

/**
 * The first found is the project; the others are candidates, each real file once: a
 * link and its target are one project (Python runs the real file), so a root manage.py
 * linked to `backend/manage.py` is not a second project. Of paths to the same file the
 * first in the ranking stays.
 */
function rank(found: string[], dir: string): ManagePyChoice {
  const first = found[0]!;
  const managePy = followSymlink(first, dir);
  const seen = new Set([realPath(first), realPath(managePy)]);
  const candidates: string[] = [];
  for (const path of found.slice(1)) {
    const real = realPath(path);
    if (seen.has(real)) continue;
    seen.add(real);
    candidates.push(path);
  }
  return { managePy, candidates };
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * A symlinked manage.py stands for the real file (Python puts the real file's folder on
 * sys.path), but only when that file is inside the link's repository: a project is never
 * taken from, and so never written to, a folder outside it. Otherwise the link's own
 * folder is the project.
 */
function followSymlink(path: string, dir: string): string {
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
    const real = realpathSync(path);
    const repo = realpathSync(findRepoRoot(dirname(path), dir).repoRoot);
    return isInside(real, repo) ? real : path;
  } catch {
    return path;
  }
}

/** manage.py in a folder above `dir`, else anywhere in the repository that holds `dir`. */
function findManagePyAbove(dir: string): string[] {
  let current = dir;
  for (;;) {
    const parent = dirname(current);
    if (parent === current) return [];
    const here = join(parent, 'manage.py');
    if (isFile(here)) return [here];
    if (existsSync(join(parent, '.git'))) return findManagePyBelow(parent, dir);
    current = parent;
  }
}

function projectManagePy(project: string, dir: string, cwd: string): string {
  // Relative to the current folder like any path argument; relative to DIR as a convenience.
  for (const base of [cwd, dir]) {
    const path = resolve(base, project);
    const managePy = isDirectory(path) ? join(path, 'manage.py') : path;
    if (isFile(managePy)) return followSymlink(managePy, dir);
  }
  throw new UserError(
    `--project ${project}: no manage.py there.`,
    1,
    'Give --project the manage.py of the project, or the folder that holds it.',
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

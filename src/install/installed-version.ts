/**
 * The version of a distribution installed in the project's virtualenv, read from its
 * `.dist-info` folder name: no process started, so discovery-time checks stay fast.
 * Null without a virtualenv (the caller may then ask the interpreter) or when absent.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePackageName } from '../integrate/requirements.js';

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The site-packages folders of a virtualenv (POSIX lib/pythonX.Y, lib64, Windows Lib). */
export function venvSitePackages(venv: string): string[] {
  const out: string[] = [];
  const windows = join(venv, 'Lib', 'site-packages');
  if (isDir(windows)) out.push(windows);
  for (const lib of ['lib', 'lib64']) {
    for (const name of entries(join(venv, lib))) {
      const site = join(venv, lib, name, 'site-packages');
      if (name.startsWith('python') && isDir(site)) out.push(site);
    }
  }
  return out;
}

/** `workos` -> `10.8.0` when `workos-10.8.0.dist-info` is in the venv. */
export function installedVersion(venv: string, distribution: string): string | null {
  const wanted = normalizePackageName(distribution);
  for (const site of venvSitePackages(venv)) {
    for (const name of entries(site)) {
      const m = /^(.+)-([^-]+)\.dist-info$/.exec(name);
      if (m && normalizePackageName(m[1]!) === wanted) return m[2]!;
    }
  }
  return null;
}

/**
 * The Python the project runs with: the active virtualenv ($VIRTUAL_ENV), else a
 * virtualenv folder in the project or repository root (`.venv`, `venv`, or any folder
 * with pyvenv.cfg), else what the package manager would run, else python3 on PATH.
 * Only looks at files: running `uv run` or `poetry run` could create environments.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { PackageManagerInfo, PythonInfo } from './model.js';
import { foldersUp } from './paths.js';
import type { SourceCache } from './source-cache.js';

const windows = process.platform === 'win32';

export function venvPython(venv: string): string {
  return windows ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

export function findPython(
  cache: SourceCache,
  projectRoot: string,
  repoRoot: string,
  packageManager: PackageManagerInfo,
  env: NodeJS.ProcessEnv,
): PythonInfo {
  const active = env.VIRTUAL_ENV;
  if (active) {
    const venv = resolve(active);
    const python = venvPython(venv);
    return { command: [python], source: 'VIRTUAL_ENV', venv, exists: cache.isFile(python) };
  }
  const folders = foldersUp(projectRoot, repoRoot);
  if (!folders.includes(packageManager.root)) folders.push(packageManager.root);
  for (const dir of folders) {
    const venv = venvIn(cache, dir);
    if (venv) {
      const python = venvPython(venv);
      return { command: [python], source: 'venv', venv, exists: cache.isFile(python) };
    }
  }
  if (packageManager.name !== 'pip') {
    const tool = packageManager.name;
    return { command: [tool, 'run', 'python'], source: 'package-manager', venv: null, exists: onPath(tool, env) };
  }
  const python = windows ? 'python' : 'python3';
  return { command: [python], source: 'system', venv: null, exists: onPath(python, env) };
}

/** `.venv`, then `venv`, then any other folder holding pyvenv.cfg. */
function venvIn(cache: SourceCache, dir: string): string | null {
  for (const name of ['.venv', 'venv']) {
    if (cache.isFile(join(dir, name, 'pyvenv.cfg'))) return join(dir, name);
  }
  const others = cache
    .list(dir)
    .filter((e) => e.isDirectory() && e.name !== '.venv' && e.name !== 'venv' && !['node_modules', '.git'].includes(e.name))
    .map((e) => join(dir, e.name))
    .sort();
  for (const folder of others) if (cache.isFile(join(folder, 'pyvenv.cfg'))) return folder;
  return null;
}

/** True when an executable of that name is on PATH (no process is started). */
export function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const extensions = windows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      try {
        accessSync(join(dir, name + ext), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

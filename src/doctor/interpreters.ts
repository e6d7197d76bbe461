/**
 * The Pythons a project might be meant to run with, besides the one doctor used: the
 * active virtualenv, virtualenv folders in the project and repository, the package
 * manager's own environments, python3 / python on PATH. Found by looking at files only
 * (running `uv run` or `poetry run` could create or sync an environment).
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import type { ProjectModel, PythonInfo } from '../discover/model.js';
import { venvPython } from '../discover/python-env.js';

export interface Candidate {
  python: PythonInfo;
  /** Where it was found, for the message: `$VIRTUAL_ENV`, `the project's .venv`, `python3 on PATH`. */
  label: string;
}

function venvCandidate(venv: string, label: string): Candidate | null {
  const python = venvPython(venv);
  if (!existsSync(python)) return null;
  return { python: { command: [python], source: 'venv', venv, exists: true }, label };
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** poetry and pipenv keep environments outside the project, in folders named after it. */
function packageManagerEnvs(model: ProjectModel, env: NodeJS.ProcessEnv): Candidate[] {
  const out: Candidate[] = [];
  const name = basename(model.packageManager.root).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const stores: [string, string][] = [];
  if (model.packageManager.name === 'poetry') {
    const cache = env.POETRY_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pypoetry');
    stores.push([env.POETRY_VIRTUALENVS_PATH ?? join(cache, 'virtualenvs'), "poetry's environment"]);
  }
  if (model.packageManager.name === 'pipenv') {
    stores.push([env.WORKON_HOME ?? join(homedir(), '.local', 'share', 'virtualenvs'), "pipenv's environment"]);
  }
  for (const [store, label] of stores) {
    for (const dir of listDirs(store)) {
      if (!dir.toLowerCase().replace(/[^a-z0-9]+/g, '-').startsWith(name)) continue;
      const found = venvCandidate(join(store, dir), label);
      if (found) out.push(found);
    }
  }
  return out;
}

function onPath(program: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, program);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Every other Python worth asking, each once (by real path), the one used left out. */
export function otherInterpreters(model: ProjectModel, env: NodeJS.ProcessEnv): Candidate[] {
  const found: Candidate[] = [];
  if (env.VIRTUAL_ENV) {
    const active = venvCandidate(env.VIRTUAL_ENV, '$VIRTUAL_ENV');
    if (active) found.push(active);
  }
  const roots = [...new Set([model.projectRoot, model.repoRoot, model.packageManager.root])];
  for (const root of roots) {
    for (const dir of listDirs(root)) {
      if (dir === 'node_modules' || dir === '.git') continue;
      if (!existsSync(join(root, dir, 'pyvenv.cfg'))) continue;
      const candidate = venvCandidate(join(root, dir), `the virtualenv ${dir}/ in ${root}`);
      if (candidate) found.push(candidate);
    }
  }
  found.push(...packageManagerEnvs(model, env));
  for (const program of ['python3', 'python']) {
    const file = onPath(program, env);
    if (file) found.push({ python: { command: [file], source: 'system', venv: null, exists: true }, label: `${program} on PATH` });
  }
  // By path, not by real path: a virtualenv's python is a symlink to the same base
  // interpreter as every other virtualenv's, yet each sees its own packages.
  const used = model.python.command.length === 1 ? resolve(model.python.command[0]!) : null;
  const seen = new Set<string>(used ? [used] : []);
  return found.filter((c) => {
    const key = resolve(c.python.command[0]!);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How the project's interpreter was chosen, in words. */
export function describeInterpreter(python: PythonInfo): string {
  const shown = python.command.join(' ');
  switch (python.source) {
    case 'VIRTUAL_ENV':
      return `${shown} (the active virtualenv, $VIRTUAL_ENV)`;
    case 'venv':
      return `${shown} (the project's virtualenv)`;
    case 'package-manager':
      return `${shown} (the package manager's environment)`;
    case 'system':
      return `${shown} (on PATH: no virtualenv was found)`;
  }
}

/**
 * The real package managers for tests: uv, poetry and pipenv from .venvs/tools first on
 * PATH, every tool's cache in one folder under the temp dir that survives runs (warm
 * after the first), and project virtualenvs kept inside the (temporary) projects.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './django.js';

export const toolsBin = join(repoRoot, '.venvs', 'tools', 'bin');
export const toolCacheRoot = join(tmpdir(), 'authkit-django-test-cache');

/** The pyproject lines that make poetry use PyPI's simple index (the JSON API is not reachable here). */
export const POETRY_SIMPLE_INDEX = ['[[tool.poetry.source]]', 'name = "pypi-simple"', 'url = "https://pypi.org/simple/"', 'priority = "primary"'];

export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${toolsBin}${delimiter}${process.env.PATH ?? ''}`,
    UV_CACHE_DIR: join(toolCacheRoot, 'uv'),
    // uv would otherwise try to download a Python build, which this machine cannot reach.
    UV_PYTHON_DOWNLOADS: 'never',
    PIP_CACHE_DIR: join(toolCacheRoot, 'pip'),
    POETRY_CACHE_DIR: join(toolCacheRoot, 'poetry'),
    PIPENV_CACHE_DIR: join(toolCacheRoot, 'pipenv'),
    POETRY_VIRTUALENVS_IN_PROJECT: 'true',
    PIPENV_VENV_IN_PROJECT: '1',
    PIPENV_IGNORE_VIRTUALENVS: '1',
    ...extra,
  };
  delete env.VIRTUAL_ENV;
  return env;
}

const execFileAsync = promisify(execFile);

/** Runs a program to completion (asynchronously, so concurrent tests overlap). */
export async function runTool(argv: string[], cwd: string, env: NodeJS.ProcessEnv = toolEnv()): Promise<string> {
  const [program, ...args] = argv;
  const { stdout } = await execFileAsync(program ?? '', args, { cwd, env, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

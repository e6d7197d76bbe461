/**
 * Which tool installs the project's packages, decided by the files in manage.py's folder
 * or the nearest folder above it that has any (up to the repository root, where
 * monorepos keep their lockfile). Within one folder: uv.lock, then Poetry, then
 * Pipfile, then requirements files. A pyproject.toml that only configures tools
 * (ruff, black, pytest) decides nothing.
 */
import { join, relative } from 'node:path';
import { hasSection } from './config-text.js';
import type { PackageManagerInfo } from './model.js';
import { foldersUp } from './paths.js';
import type { SourceCache } from './source-cache.js';

/** Base requirement files in a requirements/ folder, best first. */
const BASE_REQUIREMENTS = ['base.txt', 'common.txt', 'main.txt', 'default.txt', 'requirements.txt', 'core.txt'];
const EXTRA_REQUIREMENTS = /^(dev|develop|development|local|test|tests|testing|ci|docs|lint|linting|typing|extra|extras|prod|production|staging)([-_.].*)?\.txt$/i;

export function detectPackageManager(cache: SourceCache, projectRoot: string, repoRoot: string): PackageManagerInfo {
  for (const dir of foldersUp(projectRoot, repoRoot)) {
    const found = decideIn(cache, dir, projectRoot);
    if (found) return found;
  }
  return {
    name: 'pip',
    files: [],
    root: projectRoot,
    requirementsFile: null,
    reason: 'no uv.lock, Poetry project, Pipfile or requirements file found, so packages are installed with pip',
  };
}

function decideIn(cache: SourceCache, dir: string, projectRoot: string): PackageManagerInfo | null {
  const at = (name: string): string => join(dir, name);
  const where = relative(projectRoot, dir) === '' ? "in manage.py's folder" : `in ${relative(projectRoot, dir).split(/[\\/]/).join('/')}`;
  const pyproject = cache.isFile(at('pyproject.toml')) ? at('pyproject.toml') : null;
  const pyprojectText = pyproject ? (cache.text(pyproject) ?? '') : '';
  const withPyproject = (files: string[]): string[] => (pyproject ? [...files, pyproject] : files);

  if (cache.isFile(at('uv.lock'))) {
    return pm('uv', withPyproject([at('uv.lock')]), dir, `uv.lock ${where}`);
  }
  const poetryLock = cache.isFile(at('poetry.lock'));
  if (poetryLock || hasSection(pyprojectText, 'tool.poetry')) {
    const files = poetryLock ? withPyproject([at('poetry.lock')]) : withPyproject([]);
    return pm('poetry', files, dir, poetryLock ? `poetry.lock ${where}` : `pyproject.toml with [tool.poetry] ${where}`);
  }
  if (hasSection(pyprojectText, 'tool.uv')) {
    return pm('uv', withPyproject([]), dir, `pyproject.toml with [tool.uv] ${where}`);
  }
  if (cache.isFile(at('Pipfile'))) {
    const files = [at('Pipfile'), ...(cache.isFile(at('Pipfile.lock')) ? [at('Pipfile.lock')] : [])];
    return pm('pipenv', files, dir, `Pipfile ${where}`);
  }
  if (cache.isFile(at('requirements.txt'))) {
    return { ...pm('pip', [at('requirements.txt')], dir, `requirements.txt ${where}`), requirementsFile: at('requirements.txt') };
  }
  if (cache.isDir(at('requirements'))) {
    const base = baseRequirements(cache, at('requirements'));
    if (base) {
      const name = base.slice(dir.length + 1).split(/[\\/]/).join('/');
      return {
        ...pm('pip', [base], dir, `requirements/ folder ${where}; ${name} is the base file the others build on`),
        requirementsFile: base,
      };
    }
  }
  return null;
}

function pm(name: PackageManagerInfo['name'], files: string[], root: string, reason: string): PackageManagerInfo {
  return { name, files, root, requirementsFile: null, reason };
}

/** The base file of a requirements/ folder: a base-like name, else the one file that is not an extra. */
export function baseRequirements(cache: SourceCache, folder: string): string | null {
  const names = cache
    .list(folder)
    .filter((e) => e.isFile() && e.name.endsWith('.txt'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) return null;
  for (const name of BASE_REQUIREMENTS) if (names.includes(name)) return join(folder, name);
  const main = names.filter((n) => !EXTRA_REQUIREMENTS.test(n));
  return join(folder, (main[0] ?? names[0])!);
}

/**
 * Which command installs the packages, where it runs, and which of the project's files it
 * will rewrite. Pure: the caller journals `modifies` before anything runs, so `undo` can
 * restore pyproject.toml and the lockfiles byte for byte.
 */
import { basename, join, relative, resolve } from 'node:path';
import type { PackageManagerName, ProjectModel } from '../discover/model.js';
import { ALL_PACKAGES, installSpecs } from './packages.js';
import { shellCommand, shellQuote } from './shell-quote.js';

export interface InstallCommand {
  manager: PackageManagerName;
  /** True when `--package-manager` chose a manager other than the detected one. */
  overridden: boolean;
  /** Program and arguments, ready for spawn. */
  argv: string[];
  /** The folder to run in: the one holding the lockfile / pyproject / Pipfile / requirements. */
  cwd: string;
  packages: string[];
  /** Files the tool itself rewrites (absolute; some may not exist yet): journal them first. */
  modifies: string[];
  /** A line to paste into a shell to run the same install by hand. */
  retry: string;
  /** Why this manager, for messages: `uv.lock found`, `--package-manager pip given`. */
  evidence: string;
}

export interface InstallCommandOptions {
  /** `--package-manager NAME`: overrides the detected manager. */
  packageManager?: PackageManagerName;
  /**
   * Only record the packages in the manager's files, installing nothing (`--no-install`):
   * `uv add --no-sync`, `poetry add --lock`. pipenv and pip have no such mode.
   */
  declareOnly?: boolean;
  /** Requirement specs; defaults to workos, pyjwt and python-dotenv with their ranges; tests point this at a package that does not exist. */
  packages?: readonly string[];
}

/** The files each manager rewrites when it adds a dependency (pip's requirements file is ours to edit). */
const TOOL_FILES: Record<PackageManagerName, string[]> = {
  uv: ['pyproject.toml', 'uv.lock'],
  poetry: ['pyproject.toml', 'poetry.lock'],
  pipenv: ['Pipfile', 'Pipfile.lock'],
  pip: [],
};

function evidenceFor(project: Pick<ProjectModel, 'packageManager'>, override: PackageManagerName | undefined): string {
  if (override && override !== project.packageManager.name) return `--package-manager ${override} given`;
  const first = project.packageManager.files[0];
  if (!first) return `${project.packageManager.name} chosen (${project.packageManager.reason})`;
  const shown = relative(project.packageManager.root, first) || basename(first);
  return `${shown.startsWith('..') ? first : shown} found`;
}

/** The managers that can record dependencies without installing them. */
export function canDeclareOnly(manager: PackageManagerName): boolean {
  return manager === 'uv' || manager === 'poetry';
}

function argvFor(
  manager: PackageManagerName,
  project: Pick<ProjectModel, 'packageManager' | 'python'>,
  packages: string[],
  declareOnly = false,
): string[] {
  if (declareOnly && manager === 'uv') return ['uv', 'add', '--no-sync', ...packages];
  if (declareOnly && manager === 'poetry') return ['poetry', 'add', '--lock', ...packages];
  switch (manager) {
    case 'uv': {
      // An activated virtualenv that is not the project's .venv is the one the user runs Django
      // in; without --active uv would ignore it and install into .venv instead.
      const { python, packageManager } = project;
      const activeElsewhere =
        python.source === 'VIRTUAL_ENV' &&
        python.venv !== null &&
        resolve(python.venv) !== resolve(packageManager.root, '.venv');
      return ['uv', 'add', ...(activeElsewhere ? ['--active'] : []), ...packages];
    }
    case 'poetry':
      return ['poetry', 'add', ...packages];
    case 'pipenv':
      return ['pipenv', 'install', ...packages];
    case 'pip':
      return [...project.python.command, '-m', 'pip', 'install', ...packages];
  }
}

export function installCommand(
  project: Pick<ProjectModel, 'packageManager' | 'python'>,
  options: InstallCommandOptions = {},
): InstallCommand {
  const manager = options.packageManager ?? project.packageManager.name;
  const packages = [...(options.packages ?? installSpecs(ALL_PACKAGES))];
  const cwd = project.packageManager.root;
  const argv = argvFor(manager, project, packages, options.declareOnly === true);
  return {
    manager,
    overridden: manager !== project.packageManager.name,
    argv,
    cwd,
    packages,
    modifies: TOOL_FILES[manager].map((file) => join(cwd, file)),
    retry: `cd ${shellQuote(cwd)} && ${shellCommand(argv)}`,
    evidence: evidenceFor(project, options.packageManager),
  };
}

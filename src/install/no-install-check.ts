/**
 * `init --no-install` writes code that imports workos and jwt (the generated views, which the
 * root urlconf imports) and, where init adds the loader, dotenv (the settings), and installs
 * nothing. Where the project's Python cannot import one of them, every manage.py command and
 * every page would fail until the user installs it: init refuses before writing instead, and
 * names the command that installs what is missing.
 *
 * Read from the virtualenv's .dist-info folders when there is one (no process); a package the
 * folder lacks is confirmed by importing it, since a venv may see system site-packages.
 */
import { resolve } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import { checkImports, type ImportReport } from './check-imports.js';
import { installCommand } from './command.js';
import { installedVersion } from './installed-version.js';
import { DOTENV, installSpecs, packageNames, type AuthkitPackage } from './packages.js';

export interface NoInstallCheck {
  /** The packages the planned code imports that the project's Python cannot import. */
  missing: AuthkitPackage[];
}

/**
 * In a uv project, `uv run` brings the project's environment (its `.venv`) in line with
 * uv.lock before it starts Python: what `uv add --no-sync` declared is installed by the
 * project's own next command. Not so for an activated virtualenv elsewhere, which `uv run`
 * does not touch: that interpreter would stay without the packages.
 */
export function installedOnNextRun(model: Pick<ProjectModel, 'packageManager' | 'python'>, manager: string): boolean {
  if (manager !== 'uv' || model.packageManager.name !== 'uv') return false;
  const { python, packageManager } = model;
  return python.source === 'package-manager' || (python.venv !== null && resolve(python.venv) === resolve(packageManager.root, '.venv'));
}

/** Null when the project's Python cannot say (no interpreter, or Django itself not importable there). */
export async function missingForNoInstall(
  model: Pick<ProjectModel, 'python' | 'projectRoot'>,
  needed: readonly AuthkitPackage[],
  env: NodeJS.ProcessEnv,
  /** The interpreter's answer for Django and every needed module, when already asked. */
  asked?: ImportReport,
): Promise<NoInstallCheck | null> {
  const { python } = model;
  if (!python.exists) return null;
  let candidates = [...needed];
  if (python.venv) {
    candidates = candidates.filter((pkg) => installedVersion(python.venv!, pkg.name) === null);
    if (candidates.length === 0) return { missing: [] };
  }
  // One start of the interpreter answers both: can it import Django at all, and which of these.
  const report = asked ?? (await checkImports(python, model.projectRoot, { env, modules: ['django', ...candidates.map((pkg) => pkg.module)] }));
  if (report.error) return null;
  const failed = new Set(report.imports.filter((i) => !i.ok).map((i) => i.module));
  if (failed.has('django')) return null;
  return { missing: candidates.filter((pkg) => failed.has(pkg.module)) };
}

/** The sentence that stops `init --no-install`, with the command that would install the missing packages. */
export function noInstallMessage(model: Pick<ProjectModel, 'python' | 'packageManager'>, missing: readonly AuthkitPackage[]): string {
  const importers = [
    ...(missing.some((pkg) => pkg !== DOTENV) ? ['the generated views (imported by the root urlconf)'] : []),
    ...(missing.includes(DOTENV) ? ['the settings (load_dotenv)'] : []),
  ].join(' and ');
  const install = installCommand(model, { packages: installSpecs(missing) });
  const one = missing.length === 1;
  return (
    `--no-install was given, but ${packageNames(missing)} ${one ? 'is' : 'are'} not installed for ${model.python.command.join(' ')}, ` +
    `and ${importers} would import ${one ? 'it' : 'them'}: every page and manage.py command would fail until ${one ? 'it is' : 'they are'} installed. ` +
    `Install ${one ? 'it' : 'them'} first (${install.retry}), or run init without --no-install; nothing was written.`
  );
}

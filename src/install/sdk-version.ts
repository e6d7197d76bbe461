/**
 * Is the workos SDK the project has new enough for the generated views? Read from the
 * virtualenv without a process when there is one, else asked of the interpreter.
 */
import type { PythonInfo } from '../discover/model.js';
import { compareReleases } from '../discover/django-version.js';
import { checkImports, type ImportReport } from './check-imports.js';
import { installedVersion } from './installed-version.js';
import { MIN_WORKOS } from './packages.js';

/** `asked`: the interpreter's answer to an import check already made (one start less). */
export async function installedWorkosVersion(python: PythonInfo, cwd: string, env: NodeJS.ProcessEnv, asked?: ImportReport): Promise<string | null> {
  if (python.venv) return installedVersion(python.venv, 'workos');
  if (!python.exists) return null;
  return (asked ?? (await checkImports(python, cwd, { env, modules: [] }))).workosVersion;
}

/** The sentence that stops `init --no-install` on an SDK older than MIN_WORKOS, else null. */
export function oldSdkMessage(version: string | null): string | null {
  if (!version || compareReleases(version, MIN_WORKOS) >= 0) return null;
  return (
    `the installed workos ${version} is older than ${MIN_WORKOS}, the oldest release whose API the generated views use ` +
    `(get_logout_url(return_to=), and PyJWT as a dependency); --no-install would leave it in place: ` +
    `run init without --no-install, or upgrade workos to ${MIN_WORKOS} or later first; nothing was written.`
  );
}

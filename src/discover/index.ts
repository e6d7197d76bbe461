/**
 * Discovery: reads a Django project and returns its model. Never writes, never imports
 * the project's Python. The order is chosen for speed: the parser loads while the
 * file-system questions are answered, and the one possible subprocess (asking the
 * interpreter for Django's version) runs while the settings are read.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadPythonParser } from '../python/parser.js';
import { UserError } from '../util/errors.js';
import { readApps } from './apps.js';
import { djangoInfo, installedDjangoVersion, pinnedDjangoVersion, probeDjangoVersion } from './django-version.js';
import { readEnvFile } from './env-file.js';
import { findExistingAuth } from './existing-auth.js';
import { chooseManagePy } from './find-manage-py.js';
import type { DiscoverOptions, ProjectModel } from './model.js';
import { detectPackageManager } from './package-manager.js';
import { findPython } from './python-env.js';
import { isPackageInit } from './python-modules.js';
import { findRepoRoot } from './repo-root.js';
import { resolveSettings, settingPlaces } from './settings.js';
import { SourceCache } from './source-cache.js';
import { isSessionMiddleware, middlewareLiterals, sessionMiddlewareByPython } from './session-middleware.js';
import { readTemplates } from './templates.js';
import { resolveUrlconf, urlIncludes } from './urlconf.js';

export type { DiscoverOptions, ProjectModel } from './model.js';

export async function discover(dir: string, options: DiscoverOptions = {}): Promise<ProjectModel> {
  const parserReady = loadPythonParser();
  parserReady.catch(() => undefined); // awaited below; this only keeps an early throw from leaving it unhandled
  const root = resolve(dir);
  if (!isDirectory(root)) {
    throw new UserError(`${dir} is not a folder.`, 1, 'Give the folder of your Django project (or any folder of its repository).');
  }
  const env = options.env ?? process.env;
  const { managePy, candidates } = chooseManagePy(root, options.project);
  const projectRoot = dirname(managePy);
  const { repoRoot, isGitRepo } = findRepoRoot(projectRoot, root);
  const roots = [projectRoot];

  const cache = new SourceCache();
  const envFile = readEnvFile(cache, projectRoot, repoRoot);
  const packageManager = detectPackageManager(cache, projectRoot, repoRoot);
  const python = findPython(cache, projectRoot, repoRoot, packageManager, env);
  const installed = python.venv ? installedDjangoVersion(cache, python.venv) : null;
  const probe = installed || options.probeInterpreter === false ? Promise.resolve(null) : probeDjangoVersion(python, projectRoot, env);

  await parserReady;
  const settings = resolveSettings(
    cache,
    {
      managePy,
      projectRoot,
      repoRoot,
      override: options.settings,
      envFile: { file: envFile.settingsModuleFile ?? envFile.info.file, module: envFile.settingsModule },
    },
    roots,
  );
  const chain = settings.chain;
  const urlconf = chain ? resolveUrlconf(cache, chain, roots) : { rootUrlconf: null, urlsFile: null };
  const apps = chain
    ? readApps(cache, chain, roots)
    : { installedApps: [], middleware: [], sessions: { app: false, middleware: false } };
  const templates = chain
    ? readTemplates(cache, chain)
    : { backend: null, appDirs: null, dirs: [], file: null, line: null };
  const includes = urlconf.urlsFile ? urlIncludes(cache, urlconf.urlsFile, roots) : [];
  const existingAuth = findExistingAuth({
    chain,
    installedApps: apps.installedApps,
    middleware: apps.middleware,
    urlIncludes: includes,
  });

  // MIDDLEWARE rebuilt where static reading gives up, or a session class from an installed
  // package: the literal entries, then the project's Python for the classes files cannot show.
  if (chain && !apps.sessions.middleware) {
    const literals = middlewareLiterals(cache, chain.files);
    if (literals.some((entry) => isSessionMiddleware(cache, entry, roots))) apps.sessions.middleware = true;
    else {
      const unknown = literals.filter((entry) => !entry.startsWith('django.') && entry.includes('.'));
      if ((await sessionMiddlewareByPython(python, projectRoot, env, unknown)).length > 0) apps.sessions.middleware = true;
    }
  }
  const probed = await probe;
  const pinned = installed || probed ? null : pinnedDjangoVersion(cache, projectRoot, repoRoot, packageManager);
  const django = installed || probed ? djangoInfo(installed ?? probed, 'installed') : djangoInfo(pinned?.version ?? null, 'pinned', pinned?.file);

  return {
    dir: root,
    repoRoot,
    isGitRepo,
    projectRoot,
    managePy,
    candidates,
    settingsModule: settings.module,
    settingsModuleSource: settings.source,
    settingsFile: settings.settingsFile,
    settingsFiles: chain?.files ?? [],
    settingsIncludedBy: Object.fromEntries(chain?.includedBy ?? []),
    settingPlaces: settingPlaces(chain),
    rootUrlconf: urlconf.rootUrlconf,
    urlsFile: urlconf.urlsFile,
    projectPackage: settings.projectPackage ?? urlsFolder(urlconf.urlsFile),
    installedApps: apps.installedApps,
    middleware: apps.middleware,
    sessions: apps.sessions,
    templates,
    packageManager,
    python,
    django,
    existingAuth,
    env: envFile.info,
    problems: cache.problems,
  };
}

/** The package holding the URL module (the parent of a urls/ package). */
function urlsFolder(urlsFile: string | null): string | null {
  if (!urlsFile) return null;
  return isPackageInit(urlsFile) ? dirname(dirname(urlsFile)) : dirname(urlsFile);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The typed picture of a Django project that discovery builds and every later stage
 * reads. Paths here are absolute; the JSON report of `inspect` turns them into paths
 * relative to the folder the user named.
 */

export interface Problem {
  /** Stable, kebab-case identifier (`settings-syntax-error`, `root-urlconf-computed`, ...). */
  code: string;
  message: string;
  file?: string;
  line?: number;
}

export type PackageManagerName = 'uv' | 'poetry' | 'pipenv' | 'pip';

export interface PackageManagerInfo {
  name: PackageManagerName;
  /** The files that decided it (uv.lock, pyproject.toml, Pipfile, requirements.txt, ...). */
  files: string[];
  /** The folder to run the tool in: the one that holds the lockfile / pyproject / Pipfile. */
  root: string;
  /** pip only: the requirements file to append to (the base one when there is a requirements/ folder). */
  requirementsFile: string | null;
  /** One sentence: why this one. */
  reason: string;
}

export interface PythonInfo {
  /** argv prefix that runs the project's Python (`['/p/.venv/bin/python']`, `['uv', 'run', 'python']`). */
  command: string[];
  source: 'VIRTUAL_ENV' | 'venv' | 'package-manager' | 'system';
  /** The virtualenv folder, when there is one. */
  venv: string | null;
  exists: boolean;
}

export interface DjangoInfo {
  /** `5.2.19` when installed or locked; the requirement as written (`>=4.2,<5`) when only pinned loosely. */
  version: string;
  source: 'installed' | 'pinned';
  /** The dependency file the pin came from (source `pinned` only). */
  file?: string;
}

export interface ExistingAuth {
  /** `django-allauth`, `social-auth-app-django`, `mozilla-django-oidc`, `django-oauth-toolkit`, `python-social-auth`, `AUTH_USER_MODEL`, `django.contrib.auth.urls`, `workos`. */
  kind: string;
  evidence: string;
  file?: string;
  line?: number;
}

export interface TemplatesInfo {
  backend: string | null;
  appDirs: boolean | null;
  /** Source text of each DIRS entry, as written. */
  dirs: string[];
  /** Where TEMPLATES is assigned (null when the settings do not define it). */
  file: string | null;
  line: number | null;
}

export interface EnvFileInfo {
  /** The .env file in use (existing), or where one would be created (next to manage.py). */
  file: string;
  exists: boolean;
  /** Which keys it defines (values are never kept in the model). */
  hasApiKey: boolean;
  hasClientId: boolean;
  /** The key starts with `sk_` / the client id with `client_` (false when absent). */
  apiKeyPrefixOk: boolean;
  clientIdPrefixOk: boolean;
}

/** Where a setting gets the value discovery reports: its defining assignment. */
export interface SettingPlace {
  file: string;
  line: number;
}

export interface ProjectModel {
  /** The folder the user pointed at (JSON paths are relative to it). */
  dir: string;
  /** The repository root (nearest folder with .git above manage.py), or the project root when none. */
  repoRoot: string;
  isGitRepo: boolean;
  /** The folder that holds manage.py. */
  projectRoot: string;
  managePy: string;
  /** Other manage.py files found, not chosen. */
  candidates: string[];
  settingsModule: string | null;
  /** Where the settings module name came from: `--settings`, `search` (nothing named it), or the file that names it (manage.py, .env, pyproject.toml, pytest.ini, setup.cfg, wsgi.py...). */
  settingsModuleSource: string | null;
  /**
   * The file to edit: the one whose `INSTALLED_APPS = ...` gives it its value (the last such
   * assignment in run order; later extensions, like `+=` in dev.py, leave it on the base).
   */
  settingsFile: string | null;
  /** Every settings file in the chain, the loaded module first. */
  settingsFiles: string[];
  /**
   * Settings files run by django-split-settings' include(): the file whose `__file__`
   * they see (the including module's), for path expressions written into them.
   */
  settingsIncludedBy: Record<string, string>;
  /**
   * Where INSTALLED_APPS, MIDDLEWARE, ROOT_URLCONF, TEMPLATES, AUTH_USER_MODEL and
   * AUTHENTICATION_BACKENDS get their value (the assignment, as for settingsFile); a name
   * is absent when the settings do not define it.
   */
  settingPlaces: Record<string, SettingPlace>;
  rootUrlconf: string | null;
  urlsFile: string | null;
  /** The project package: the folder holding the settings (or the urls module). */
  projectPackage: string | null;
  installedApps: string[];
  middleware: string[];
  sessions: { app: boolean; middleware: boolean };
  templates: TemplatesInfo;
  packageManager: PackageManagerInfo;
  python: PythonInfo;
  django: DjangoInfo | null;
  existingAuth: ExistingAuth[];
  env: EnvFileInfo;
  problems: Problem[];
}

/** Options that change what discovery looks at. */
export interface DiscoverOptions {
  /** `--project PATH`: a manage.py or the folder holding it. */
  project?: string;
  /** `--settings MODULE`. */
  settings?: string;
  /** Environment to read VIRTUAL_ENV and PATH from, and to run the version probe with (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Ask the interpreter for Django's version when no virtualenv says it (one subprocess,
   * which a pyenv shim makes slow). Default true; commands that do not need the version
   * turn it off and get the pinned version, if any.
   */
  probeInterpreter?: boolean;
}

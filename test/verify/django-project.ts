/**
 * Test setup for the verification checks: real projects from `django-admin
 * startproject`, integrated the way `init` will integrate them (init is built
 * separately), with plain string edits. The generated views are read from templates/
 * at run time, so these tests always run against the current templates.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath } from '../../src/util/package-root.js';
import type { ProjectForChecks } from '../../src/verify/run-project-checks.js';

export type VenvName = 'dj42' | 'dj52' | 'bare42' | 'bare52' | 'workos5';

export function venvPython(name: VenvName): string {
  return packagePath('.venvs', name, 'bin', 'python');
}

/** `django-admin startproject mysite DIR` with the Django of a bare venv. */
export function startproject(django: '42' | '52', dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync(packagePath('.venvs', `bare${django}`, 'bin', 'django-admin'), ['startproject', 'mysite', dir], {
    stdio: 'pipe',
  });
  return dir;
}

export function copyProject(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Replaces one exact piece of text; a missing anchor fails the test setup loudly. */
export function editFile(file: string, anchor: string, replacement: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(anchor)) throw new Error(`test setup: ${anchor} not found in ${file}`);
  writeFileSync(file, text.replace(anchor, replacement));
}

export function appendToFile(file: string, text: string): void {
  writeFileSync(file, readFileSync(file, 'utf8') + text);
}

export type RouteName = 'login' | 'callback' | 'logout';

export interface IntegrateOptions {
  /** Load .env with python-dotenv in the settings, as init does (needs dotenv installed). */
  dotenv?: boolean;
  /** The auth routes to add to urls.py (default all three). */
  routes?: RouteName[];
}

/** Adds what `init` adds: the views, the settings, the routes and the home page. */
export function integrate(dir: string, options: IntegrateOptions = {}): void {
  const pkg = join(dir, 'mysite');
  cpSync(packagePath('templates', 'authkit'), join(pkg, 'authkit'), {
    recursive: true,
    filter: (source) => !source.includes('__pycache__'),
  });
  copyFileSync(packagePath('templates', 'home_views.py'), join(pkg, 'home_views.py'));
  mkdirSync(join(dir, 'templates'), { recursive: true });
  copyFileSync(packagePath('templates', 'home.html'), join(dir, 'templates', 'home.html'));

  const settings = join(pkg, 'settings.py');
  const imports = options.dotenv ? 'import os\nfrom dotenv import load_dotenv\n' : 'import os\n';
  editFile(settings, 'from pathlib import Path\n', `from pathlib import Path\n${imports}`);
  if (options.dotenv) {
    editFile(
      settings,
      'BASE_DIR = Path(__file__).resolve().parent.parent\n',
      "BASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / '.env')\n",
    );
  }
  editFile(settings, "'DIRS': [],", "'DIRS': [BASE_DIR / 'templates'],");
  editFile(settings, "    'django.contrib.staticfiles',\n", "    'django.contrib.staticfiles',\n    'mysite.authkit',\n");
  editFile(
    settings,
    "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n",
    "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n    'mysite.authkit.middleware.AuthKitMiddleware',\n",
  );
  appendToFile(
    settings,
    "\nAUTHENTICATION_BACKENDS = [\n    'django.contrib.auth.backends.ModelBackend',\n    'mysite.authkit.backends.WorkOSBackend',\n]\nLOGIN_URL = 'workos_login'\n" +
      "\nWORKOS_API_KEY = os.environ.get('WORKOS_API_KEY', '')\nWORKOS_CLIENT_ID = os.environ.get('WORKOS_CLIENT_ID', '')\n",
  );

  const routes = options.routes ?? ['login', 'callback', 'logout'];
  const urls = join(pkg, 'urls.py');
  editFile(urls, 'from django.urls import path\n', 'from django.urls import path\n\nfrom mysite import home_views\nfrom mysite.authkit import views as authkit_views\n');
  const lines = routes.map((r) => `    path('auth/${r}/', authkit_views.${r}, name='workos_${r}'),\n`).join('');
  editFile(
    urls,
    "    path('admin/', admin.site.urls),\n",
    `    path('admin/', admin.site.urls),\n${lines}    path('', home_views.home, name='home'),\n`,
  );
}

export function writeEnvFile(dir: string, values: Record<string, string>): void {
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
  writeFileSync(join(dir, '.env'), text);
}

export function projectFor(dir: string, python: string): ProjectForChecks {
  return {
    projectRoot: dir,
    settingsModule: 'mysite.settings',
    python: { command: [python], source: 'venv', venv: null, exists: true },
  };
}

/**
 * The environment the project's Python gets: this process's, without any WorkOS or
 * Django values a developer's shell may hold, plus the test's own.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('WORKOS_') && name !== 'DJANGO_SETTINGS_MODULE') env[name] = value;
  }
  return { ...env, ...extra };
}

/** Every file under dir, relative, sorted: to show a run left the project as it was. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

export function migrate(dir: string, python: string, env: NodeJS.ProcessEnv): void {
  execFileSync(python, ['manage.py', 'migrate', '--noinput'], { cwd: dir, env, stdio: 'pipe' });
}

/** The 1-based line of the first line of `file` that contains `text`. */
export function lineContaining(file: string, text: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`test setup: ${text} not in ${file}`);
  return index + 1;
}

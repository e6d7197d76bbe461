/**
 * Static checks of the authkit app's settings, read from the settings files (the project's
 * Python is not needed): `authkit-middleware`, our middleware listed (anywhere: it checks in
 * process_view, after every request phase); `authkit-backend`, our backend listed when Django auth
 * is on (off by `init --no-django-auth`, which is reported, not failed).
 */
import { dirname } from 'node:path';
import { APP_PACKAGE, appDottedPath } from '../integrate/app-layout.js';
import { appBackend, appMiddleware, djangoAuthInstalled } from '../integrate/app-settings.js';
import { readUtf8IfExists } from '../util/files.js';
import type { DoctorContext } from './context.js';
import { generatedFiles } from './generated-files.js';
import type { DoctorCheck } from './types.js';

const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
const AUTH_MIDDLEWARE = 'django.contrib.auth.middleware.AuthenticationMiddleware';

/** The app folder of ours in the project and its dotted path, or null. */
export function ourApp(ctx: DoctorContext): { dir: string; dotted: string } | null {
  const init = generatedFiles(ctx.model.projectRoot).find((f) => f.template === `${APP_PACKAGE}/__init__.py`);
  if (!init) return null;
  const dir = dirname(init.file);
  const path = appDottedPath(ctx.model.projectRoot, dirname(dir));
  return 'dotted' in path ? { dir, dotted: path.dotted } : null;
}

function inSettings(ctx: DoctorContext, value: string): string | null {
  for (const file of ctx.model.settingsFiles) {
    const text = readUtf8IfExists(file);
    if (text !== null && (text.includes(`'${value}'`) || text.includes(`"${value}"`))) return file;
  }
  return null;
}

export const authkitMiddlewareCheck: DoctorCheck = {
  id: 'authkit-middleware',
  family: 'sessions',
  run: async (ctx) => {
    const app = ourApp(ctx);
    if (!app) return { status: 'skip', message: "authkit-django's authkit app is not in the project" };
    const middleware = appMiddleware(app.dotted);
    const entries = ctx.model.middleware;
    const settings = ctx.model.settingsFile ?? undefined;
    const at = entries.indexOf(middleware);
    if (at < 0) {
      return {
        status: 'fail',
        message: `${middleware} is not in MIDDLEWARE: request.workos is never set and tokens are never verified or refreshed`,
        ...(settings ? { file: settings } : {}),
        fix: `add '${middleware}' to MIDDLEWARE right after '${AUTH_MIDDLEWARE}' (or authkit-django init, which does)`,
      };
    }
    if (!entries.includes(SESSION_MIDDLEWARE)) return { status: 'skip', message: 'SessionMiddleware is not in MIDDLEWARE (see sessions-setup)' };
    // Its check runs in process_view, after every middleware's request phase: any place works.
    return { status: 'pass', message: `${middleware} is in MIDDLEWARE (it checks the session when the view is about to run, so its place does not matter)` };
  },
};

export const authkitBackendCheck: DoctorCheck = {
  id: 'authkit-backend',
  family: 'sessions',
  run: async (ctx) => {
    const app = ourApp(ctx);
    if (!app) return { status: 'skip', message: "authkit-django's authkit app is not in the project" };
    const backend = appBackend(app.dotted);
    const listed = inSettings(ctx, backend);
    const authInstalled = djangoAuthInstalled(ctx.model.installedApps);
    if (listed && !authInstalled) {
      return {
        status: 'fail',
        message: `${backend} is in AUTHENTICATION_BACKENDS but django.contrib.auth is not installed: it has no users to map WorkOS users to`,
        file: listed,
        fix: `remove '${backend}' from AUTHENTICATION_BACKENDS, or add 'django.contrib.auth' (and 'django.contrib.contenttypes') to INSTALLED_APPS`,
      };
    }
    if (listed) return { status: 'pass', message: `Django auth is on: ${backend} is in AUTHENTICATION_BACKENDS` };
    if (!authInstalled) return { status: 'skip', message: 'django.contrib.auth is not installed: Django auth is off' };
    return {
      status: 'skip',
      message: `Django auth is off (${backend} is not in AUTHENTICATION_BACKENDS, as after init --no-django-auth): request.user stays anonymous after a WorkOS login`,
      fix: `to turn it on, add '${backend}' to AUTHENTICATION_BACKENDS (after 'django.contrib.auth.backends.ModelBackend') and run python manage.py migrate`,
    };
  },
};

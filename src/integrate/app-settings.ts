/**
 * The settings the authkit app comes with: itself in INSTALLED_APPS, its middleware right
 * after Django's AuthenticationMiddleware (or SessionMiddleware), and, where
 * django.contrib.auth is installed and `--no-django-auth` was not given, its backend in
 * AUTHENTICATION_BACKENDS and LOGIN_URL pointing at our login when the project has none.
 * Each is a splice by the same engine as the sessions edits; each is "done" when the value
 * is already in the settings chain.
 */
import { findAssignments, stringLiteralValue } from '../python/locate.js';
import { lineOf, parsePython, type Node } from '../python/parser.js';
import { detectEol, indentUnit, preferredQuote, pythonString } from '../python/style.js';
import type { StepOutcome } from '../plan/types.js';
import type { PlanContext } from './context.js';
import { editPython } from './edit-python.js';
import { addToList, chainTexts, placeBlock, type PartChoice } from './settings.js';
import { ROUTE_NAMES } from './url-facts.js';

const AUTH_APP = 'django.contrib.auth';
const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
const AUTH_MIDDLEWARE = 'django.contrib.auth.middleware.AuthenticationMiddleware';
const MODEL_BACKEND = 'django.contrib.auth.backends.ModelBackend';
/** Django's own default (django.conf.global_settings), which a project without LOGIN_URL has. */
export const DJANGO_DEFAULT_LOGIN_URL = '/accounts/login/';

export const appMiddleware = (dotted: string): string => `${dotted}.middleware.AuthKitMiddleware`;
export const appBackend = (dotted: string): string => `${dotted}.backends.WorkOSBackend`;

/** `value` appears as a string literal somewhere in the settings chain (as planned so far). */
function inChain(ctx: PlanContext, value: string): { file: string } | null {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const literal = new RegExp(`(['"])${escaped}\\1`);
  const found = chainTexts(ctx).find(({ text }) => literal.test(text));
  return found ? { file: found.file } : null;
}

/** Where `name` is assigned anywhere in the chain, local override files included. */
function assignment(ctx: PlanContext, name: string): { file: string; line: number; value: string | null } | null {
  for (const { file, text } of chainTexts(ctx)) {
    const found = findAssignments(parsePython(text), name).find((a) => a.kind !== 'augmented') ?? findAssignments(parsePython(text), name)[0];
    if (found) return { file, line: lineOf(found.statement), value: stringLiteralValue(found.value) };
  }
  return null;
}

/**
 * The file to add to list `name` in: `preferred` when it assigns the list, else the first
 * file of the chain that does (split settings keep MIDDLEWARE apart from INSTALLED_APPS).
 */
function fileAssigning(ctx: PlanContext, name: string, preferred: string): string {
  const assigns = (text: string) => findAssignments(parsePython(text), name).some((a) => a.kind !== 'augmented');
  const own = ctx.workspace.read(preferred);
  if (own !== null && assigns(own)) return preferred;
  return chainTexts(ctx).find(({ text }) => assigns(text))?.file ?? preferred;
}

/** The project's own part of a sum of lists (`LOCAL_APPS`, the last): where its apps go. */
const LAST_PART: PartChoice = (parts) => parts.length - 1;

/** The part that holds any of `anchors` (what the entry goes after), else the last. */
const partHolding =
  (...anchors: string[]): PartChoice =>
  (parts) => {
    for (const anchor of anchors) {
      const at = parts.findIndex((p) => p.values.includes(anchor));
      if (at >= 0) return at;
    }
    return parts.length - 1;
  };

/** Django's auth app is installed, so the project has users the backend can map to. */
export function djangoAuthInstalled(installedApps: readonly string[]): boolean {
  return installedApps.some((app) => app === AUTH_APP || app.startsWith(`${AUTH_APP}.apps.`));
}

export function planAppSettings(ctx: PlanContext, file: string, dotted: string): StepOutcome[] {
  const outcomes: StepOutcome[] = [];
  const app = inChain(ctx, dotted) ?? inChain(ctx, `${dotted}.apps.AuthKitConfig`);
  if (app) {
    outcomes.push({ id: 'settings.authkit-app', status: 'done', file: app.file, summary: `${dotted} is in INSTALLED_APPS` });
  } else {
    outcomes.push(addToList(ctx, file, 'INSTALLED_APPS', dotted, (values) => values.length, 'settings.authkit-app', LAST_PART));
  }
  const middleware = appMiddleware(dotted);
  const present = inChain(ctx, middleware);
  if (present) {
    outcomes.push({ id: 'settings.authkit-middleware', status: 'done', file: present.file, summary: `AuthKitMiddleware is in MIDDLEWARE` });
  } else {
    // Any place works (it checks in process_view); right after what it reads reads best.
    const outcome = addToList(ctx, fileAssigning(ctx, 'MIDDLEWARE', file), 'MIDDLEWARE', middleware, (values) => {
      const auth = values.indexOf(AUTH_MIDDLEWARE);
      if (auth >= 0) return auth + 1;
      const session = values.indexOf(SESSION_MIDDLEWARE);
      return session >= 0 ? session + 1 : values.length;
    }, 'settings.authkit-middleware', partHolding(AUTH_MIDDLEWARE, SESSION_MIDDLEWARE));
    // The default snippet (`MIDDLEWARE += [...]`) pasted after the assignment is right.
    outcomes.push(outcome);
  }
  return outcomes;
}

export function planDjangoAuth(ctx: PlanContext, file: string, dotted: string): StepOutcome[] {
  if (ctx.options.djangoAuth === false) {
    return [{ id: 'settings.django-auth', status: 'done', summary: 'Django auth left alone (--no-django-auth): AUTHENTICATION_BACKENDS and LOGIN_URL not changed' }];
  }
  if (!djangoAuthInstalled(ctx.model.installedApps)) {
    return [{ id: 'settings.django-auth', status: 'done', summary: `${AUTH_APP} is not installed: WorkOS users are not mapped to Django users` }];
  }
  const outcomes: StepOutcome[] = [];
  const tree = parsePython(ctx.workspace.read(file)!);
  const quote = preferredQuote(tree);
  const lines: string[] = [];
  const backend = appBackend(dotted);
  const backends = assignment(ctx, 'AUTHENTICATION_BACKENDS');
  const listed = inChain(ctx, backend);
  if (listed) {
    outcomes.push({ id: 'settings.authkit-backend', status: 'done', file: listed.file, summary: 'WorkOSBackend is in AUTHENTICATION_BACKENDS' });
  } else if (backends) {
    // The project's own backends stay, first: ours is tried after them.
    outcomes.push(addToList(ctx, backends.file, 'AUTHENTICATION_BACKENDS', backend, (values) => values.length, 'settings.authkit-backend', LAST_PART));
  } else {
    const text = ctx.workspace.read(file)!;
    const indent = indentUnit(text);
    lines.push(
      "# WorkOS AuthKit: Django's default backend first, so the logins the project has keep working.",
      'AUTHENTICATION_BACKENDS = [',
      `${indent}${pythonString(MODEL_BACKEND, quote)},`,
      `${indent}${pythonString(backend, quote)},`,
      ']',
    );
    if (ctx.planned) (ctx.planned.listAdditions.AUTHENTICATION_BACKENDS ??= []).push(backend);
    outcomes.push({ id: 'settings.authkit-backend', status: 'change', file, summary: `set AUTHENTICATION_BACKENDS (ModelBackend, then WorkOSBackend) in ${ctx.display(file)}` });
  }
  const loginUrl = assignment(ctx, 'LOGIN_URL');
  const backendStep = outcomes.find((o) => o.id === 'settings.authkit-backend');
  const defaultLogin = loginUrl ? null : defaultLoginServedBy(ctx);
  if (!loginUrl && backendStep?.status === 'manual') {
    // Without the backend a WorkOS sign-in is no Django login: @login_required sent to
    // WorkOS would come back anonymous and go round again.
    outcomes.push({
      id: 'settings.login-url',
      status: 'done',
      summary: 'LOGIN_URL left as it is',
      note: `set LOGIN_URL = "${ROUTE_NAMES.login}" once WorkOSBackend is in AUTHENTICATION_BACKENDS (the step above)`,
    });
  } else if (!loginUrl && defaultLogin) {
    outcomes.push({
      id: 'settings.login-url',
      status: 'done',
      summary: `LOGIN_URL is Django's default ${DJANGO_DEFAULT_LOGIN_URL}, which the project serves (${defaultLogin}): kept`,
      note: `to send @login_required visitors to WorkOS instead, set LOGIN_URL = "${ROUTE_NAMES.login}" in ${ctx.display(file)}`,
    });
  } else if (!loginUrl) {
    const setting = `LOGIN_URL = ${pythonString(ROUTE_NAMES.login, quote)}`;
    const neighbour = redirectSetting(ctx, file);
    if (neighbour) {
      // Beside the project's own LOGIN_REDIRECT_URL: where a reader of the file looks.
      editPython(ctx, file, (source) => {
        const eol = detectEol(source);
        const end = source.slice(neighbour.endIndex).search(/\r?\n|$/) + neighbour.endIndex;
        return `${source.slice(0, end)}${eol}# WorkOS AuthKit: @login_required sends visitors to the WorkOS login.${eol}${setting}${source.slice(end)}`;
      });
    } else {
      if (lines.length === 0) lines.push('# WorkOS AuthKit: @login_required sends visitors to the WorkOS login.');
      lines.push(setting);
    }
    if (ctx.planned) ctx.planned.defaultsReplaced.LOGIN_URL = ROUTE_NAMES.login;
    outcomes.push({ id: 'settings.login-url', status: 'change', file, summary: `set LOGIN_URL = "${ROUTE_NAMES.login}" in ${ctx.display(file)}` });
  } else if (loginUrl.value === ROUTE_NAMES.login) {
    outcomes.push({ id: 'settings.login-url', status: 'done', file: loginUrl.file, line: loginUrl.line, summary: `LOGIN_URL is "${ROUTE_NAMES.login}"` });
  } else {
    outcomes.push({
      id: 'settings.login-url',
      status: 'done',
      file: loginUrl.file,
      line: loginUrl.line,
      summary: `LOGIN_URL is set in ${ctx.display(loginUrl.file)}: kept`,
      note: `to send @login_required visitors to WorkOS instead, set LOGIN_URL = "${ROUTE_NAMES.login}" there`,
    });
  }
  if (lines.length > 0) placeBlock(ctx, file, lines);
  return outcomes;
}

// Login pages projects route at accounts/ (Django's own auth views, django-allauth).
const LOGIN_URLCONFS = /\binclude\(\s*(['"])(django\.contrib\.auth\.urls|allauth\.urls|allauth\.account\.urls)\1/;
const ACCOUNTS_ROUTE = /(?:path|re_path|url)\(\s*r?(['"])\^?accounts\/\1/;

/**
 * What serves Django's default LOGIN_URL (/accounts/login/) in the project, when something
 * does: the project's own Python says so when it was loaded before planning; otherwise a
 * line of the root urlconf that includes a known login urlconf at accounts/.
 */
function defaultLoginServedBy(ctx: PlanContext): string | null {
  const asked = ctx.options.projectFacts;
  if (asked && 'defaultLoginView' in asked) return asked.defaultLoginView ?? null;
  const urls = ctx.model.urlsFile ? ctx.workspace.read(ctx.model.urlsFile) : null;
  const line = (urls ?? '').split('\n').find((l) => ACCOUNTS_ROUTE.test(l) && LOGIN_URLCONFS.test(l));
  return line ? (LOGIN_URLCONFS.exec(line)?.[2] ?? null) : null;
}

/** The file's own module-level LOGIN_REDIRECT_URL (or LOGOUT_REDIRECT_URL) statement, if any. */
function redirectSetting(ctx: PlanContext, file: string): Node | null {
  const text = ctx.workspace.read(file);
  if (text === null) return null;
  const tree = parsePython(text);
  for (const name of ['LOGIN_REDIRECT_URL', 'LOGOUT_REDIRECT_URL']) {
    const found = findAssignments(tree, name).find((a) => !a.conditional && a.kind !== 'augmented');
    if (found) return found.statement;
  }
  return null;
}

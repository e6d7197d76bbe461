/**
 * Where the generated code goes, decided once before settings, views and urls are planned:
 * the `authkit` app package in the views folder (with its dotted import path), or nothing
 * new because the project already routes the WorkOS names (to views of its own, or to the
 * auth_views.py an earlier version of authkit-django generated), or a manual step when the
 * app's import path cannot be known or the name `authkit` is taken.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { packagePath } from '../util/package-root.js';
import type { PlanContext } from './context.js';
import { isEarlierText } from './earlier-versions.js';
import { isOurs } from './generated-file.js';
import { CORE_ROUTE_NAMES, ROUTE_NAMES, type UrlFacts } from './url-facts.js';

export const APP_PACKAGE = 'authkit';
/** The module the earlier layout generated (one file in the project package). */
export const EARLIER_VIEWS_FILE = 'auth_views.py';

export type AppLayout =
  /**
   * Plan the app: `dir` is the package folder, `dotted` its absolute import path (P),
   * `importFrom` how urls.py imports its views; `upgrades` the earlier layout's
   * auth_views.py, unchanged since we generated it, which then re-exports the app's views.
   */
  | { kind: 'app'; dir: string; dotted: string; importFrom: string; upgrades?: string }
  /** Our earlier auth_views.py is routed and was changed by hand: kept as it is. */
  | { kind: 'earlier'; file: string }
  /** The project routes the WorkOS names to views of its own. */
  | { kind: 'own' }
  /** The app cannot be placed: one manual step says why. */
  | { kind: 'blocked'; outcome: StepOutcome };

let appFilesCache: string[] | null = null;

/**
 * The app's files, relative to templates/authkit, from the package's own folder (so a file
 * added there later needs no change here); caches of compiled Python are not ours to copy.
 */
export function appTemplateFiles(): string[] {
  if (appFilesCache) return appFilesCache;
  const root = packagePath('templates', APP_PACKAGE);
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '__pycache__' || entry.name.startsWith('.')) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else if (entry.isFile() && !/\.py[co]$/.test(entry.name)) out.push(rel);
    }
  };
  walk(root, '');
  appFilesCache = out.sort();
  return appFilesCache;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The absolute dotted path of `<viewsDir>/authkit`, with manage.py's folder as the entry of
 * sys.path it is imported from (Django puts it there when manage.py runs; src layouts keep
 * manage.py in src/, so src/ is that folder). Null, with the reason, when it has none.
 */
export function appDottedPath(projectRoot: string, viewsDir: string): { dotted: string } | { reason: string } {
  if (viewsDir === projectRoot) return { dotted: APP_PACKAGE };
  const rel = relative(projectRoot, viewsDir);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || /^[A-Za-z]:/.test(rel)) {
    return { reason: `${viewsDir} is not inside manage.py's folder ${projectRoot}, the folder Python imports the project from` };
  }
  const parts = rel.split(sep);
  const bad = parts.find((p) => !IDENTIFIER.test(p));
  if (bad !== undefined) return { reason: `the folder name "${bad}" is not a Python identifier, so nothing inside it can be imported` };
  return { dotted: [...parts, APP_PACKAGE].join('.') };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The urlconf routes our login to `auth_views.login` and that module is the one we generated. */
function earlierLayout(ctx: PlanContext, facts: UrlFacts): string | null {
  const login = facts.routedViews.get(ROUTE_NAMES.login);
  if (!login?.view || !/(^|\.)\w*auth_views\.login$/.test(login.view)) return null;
  const file = join(facts.viewsDir, EARLIER_VIEWS_FILE);
  const text = ctx.workspace.read(file);
  return text !== null && isOurs(text) ? file : null;
}

export function decideAppLayout(ctx: PlanContext, facts: UrlFacts): AppLayout {
  const dir = join(facts.viewsDir, APP_PACKAGE);
  const initFile = join(dir, '__init__.py');
  const initText = ctx.workspace.read(initFile);
  const appIsOurs = initText !== null && isOurs(initText);
  let upgrades: string | undefined;
  if (!appIsOurs) {
    const earlier = earlierLayout(ctx, facts);
    // Unchanged since an earlier authkit-django wrote it: the layout is upgraded to the app.
    if (earlier && isEarlierText(EARLIER_VIEWS_FILE, ctx.workspace.read(earlier)!)) upgrades = earlier;
    else if (earlier) return { kind: 'earlier', file: earlier };
    else if (CORE_ROUTE_NAMES.every((n) => facts.routedNames.has(n))) return { kind: 'own' };
  }
  const blocked = (summary: string, reason: string, file?: string): AppLayout => ({
    kind: 'blocked',
    outcome: {
      id: 'views.app',
      status: 'manual',
      ...(file ? { file } : {}),
      summary,
      reason,
      snippet: 'authkit-django init --views <another folder inside the project>',
    },
  });
  const path = appDottedPath(ctx.model.projectRoot, facts.viewsDir);
  if ('reason' in path) return blocked(`the import path of the authkit app in ${ctx.display(facts.viewsDir)} cannot be determined`, path.reason);
  const module = join(facts.viewsDir, `${APP_PACKAGE}.py`);
  if (ctx.workspace.read(module) !== null) {
    return blocked(`${ctx.display(module)} already exists: the app package ${APP_PACKAGE}/ cannot go beside it`, 'the tool never overwrites your files', module);
  }
  if (!appIsOurs && (initText !== null || isDirectory(dir))) {
    return blocked(`${ctx.display(dir)}/ already exists and is not authkit-django's`, 'the tool never overwrites your files', initText !== null ? initFile : dir);
  }
  const importFrom = facts.importFrom === '.' ? `.${APP_PACKAGE}` : path.dotted;
  return { kind: 'app', dir, dotted: path.dotted, importFrom, ...(upgrades ? { upgrades } : {}) };
}

/**
 * What the earlier layout's auth_views.py becomes when it is upgraded: the app's views
 * under their old module name, so that every route and import of it keeps working.
 */
export function earlierViewsShim(dotted: string): string {
  return `"""The WorkOS sign-in views, now in the authkit app (added by authkit-django).

They moved to ${dotted}.views when authkit-django upgraded this project. This module
keeps their old name, so that routes and imports of it keep working; once nothing
imports it, it can be deleted.
"""

from ${dotted}.views import callback, login, logout, me, organization

__all__ = ["callback", "login", "logout", "me", "organization"]
`;
}

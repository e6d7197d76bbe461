/**
 * What the project's URLs already provide, read once before planning views, home page
 * and routes: which WorkOS names are routed, whether "/" is served, whether the
 * `auth/` prefix belongs to another system, and where the new views module goes.
 */
import { basename, dirname, join, relative, sep } from 'node:path';
import { resolveModule } from '../discover/python-modules.js';
import { SourceCache } from '../discover/source-cache.js';
import { parsePython } from '../python/parser.js';
import { findAssignments, importsName } from '../python/locate.js';
import type { PlanContext } from './context.js';
import { readUrlpatterns, servesHome, type UrlPattern } from './url-patterns.js';

export const ROUTE_NAMES = {
  login: 'workos_login',
  callback: 'workos_callback',
  logout: 'workos_logout',
  me: 'workos_me',
  organization: 'workos_organization',
} as const;

/** The names a hand-written integration (or our earlier auth_views.py layout) is complete with. */
export const CORE_ROUTE_NAMES: readonly string[] = [ROUTE_NAMES.login, ROUTE_NAMES.callback, ROUTE_NAMES.logout];

export interface UrlFacts {
  urlsFile: string | null;
  /** Names already routed somewhere in the urlconf (root and included project modules). */
  routedNames: Set<string>;
  /** Name -> the view argument as written (`auth_views.login`) and the urls file it is in. */
  routedViews: Map<string, { view: string | null; file: string }>;
  /** "/" is served already (or may be, by an include we cannot read). */
  homeServed: boolean;
  /** ...by the home view authkit-django added. */
  homeIsOurs: boolean;
  /** `auth/` or `auth/workos/`. */
  prefix: string;
  prefixReason: string | null;
  /** The folder that gets the authkit app package (and home_views.py). */
  viewsDir: string;
  /** How urls.py imports a module of viewsDir: `from . import X`, `from pkg import X`, `import X`. */
  importFrom: string | null;
}

const OUR_ROUTES = ['auth/login/', 'auth/callback/', 'auth/logout/', 'auth/me/', 'auth/organization/'];

function walkPatterns(
  ctx: PlanContext,
  cache: SourceCache,
  file: string,
  depth: number,
  seen: Set<string>,
  visit: (pattern: UrlPattern, file: string, depth: number, resolved: string | null) => void,
): void {
  if (seen.has(file) || depth > 4) return;
  seen.add(file);
  const text = ctx.workspace.read(file);
  if (text === null) return;
  for (const pattern of readUrlpatterns(parsePython(text)).patterns) {
    const target = pattern.include ? resolveModule(cache, pattern.include, [ctx.model.projectRoot]) : null;
    visit(pattern, file, depth, target);
    if (target) walkPatterns(ctx, cache, target, depth + 1, seen, visit);
  }
}

/** `from . import`, `from a.b import` or null (`import X`) for modules of `dir`, seen from `urlsFile`. */
function importFromFor(ctx: PlanContext, dir: string, urlsFile: string | null, cache: SourceCache): string | null {
  const root = ctx.model.projectRoot;
  // `from . import` only works in a module loaded as part of a package: ROOT_URLCONF = "urls"
  // is a top-level module even when its folder holds an __init__.py.
  const inPackage = (ctx.model.rootUrlconf ?? '').includes('.');
  if (urlsFile && dirname(urlsFile) === dir && cache.isFile(join(dir, '__init__.py')) && inPackage) return '.';
  if (dir === root) return null;
  return relative(root, dir).split(sep).join('.');
}

export function readUrlFacts(ctx: PlanContext): UrlFacts {
  const { model } = ctx;
  const cache = new SourceCache();
  const urlsFile = model.urlsFile;
  const routedNames = new Set<string>();
  const routedViews = new Map<string, { view: string | null; file: string }>();
  let homeServed = false;
  let homeIsOurs = false;
  let prefixTaken: string | null = null;
  if (urlsFile) {
    walkPatterns(ctx, cache, urlsFile, 0, new Set(), (pattern, file, depth, resolved) => {
      if (pattern.name) routedNames.add(pattern.name);
      if (pattern.name && !routedViews.has(pattern.name)) routedViews.set(pattern.name, { view: pattern.view, file });
      if (depth === 0) {
        if (servesHome(pattern)) {
          homeServed = true;
          homeIsOurs ||= /(^|\.)home_views\.home$/.test(pattern.view ?? '');
        }
        // An include at "" that we cannot read may serve "/": leave the home page alone.
        if (pattern.include !== null && (pattern.route === '' || pattern.route === '^') && !resolved) homeServed = true;
        // So may a pattern whose route is a variable (`path(PREFIX, include(...))`): a home
        // route added beside it could be dead.
        if (pattern.route === null && pattern.view !== null && pattern.func !== '') homeServed = true;
        if (pattern.route && OUR_ROUTES.includes(pattern.route) && !Object.values(ROUTE_NAMES).includes(pattern.name as never)) {
          prefixTaken = `${pattern.route} is already routed in ${ctx.display(file)}`;
        }
        if (pattern.include !== null && (pattern.route === 'auth/' || pattern.route === '^auth/')) {
          prefixTaken = `auth/ is already used by include(${pattern.include ? `"${pattern.include}"` : '...'}) in ${ctx.display(file)}`;
        }
      } else if (depth === 1 && servesHome(pattern)) {
        // An app included at "" that serves its own "" serves the site's home page.
        homeServed ||= includedAtRoot(ctx, urlsFile, file, cache);
      }
    });
  }
  // The project's own resolver, when it could be asked, knows better than reading the text.
  const asked = ctx.options.projectFacts;
  if (asked) {
    homeServed = asked.homeServed;
    homeIsOurs = asked.homeView !== null && /(^|\.)home_views\.home$/.test(asked.homeView);
  }
  const viewsDir = ctx.options.viewsDir ?? model.projectPackage ?? (urlsFile ? dirname(urlsFile) : model.projectRoot);
  return {
    urlsFile,
    routedNames,
    routedViews,
    homeServed,
    homeIsOurs,
    prefix: prefixTaken ? 'auth/workos/' : 'auth/',
    prefixReason: prefixTaken,
    viewsDir,
    importFrom: importFromFor(ctx, viewsDir, urlsFile, cache),
  };
}

/** True when the root urlconf includes `file` at the empty prefix. */
function includedAtRoot(ctx: PlanContext, urlsFile: string, file: string, cache: SourceCache): boolean {
  const text = ctx.workspace.read(urlsFile);
  if (text === null) return false;
  return readUrlpatterns(parsePython(text)).patterns.some(
    (p) => p.include && (p.route === '' || p.route === '^') && resolveModule(cache, p.include, [ctx.model.projectRoot]) === file,
  );
}

/** A name for the imported views module that the urls module does not bind yet. */
export function freeModuleAlias(urlsText: string, wanted: string, fallback: string): { alias: string; renamed: boolean } {
  const tree = parsePython(urlsText);
  const bound = (name: string) => importsName(tree, name) || findAssignments(tree, name).length > 0;
  if (!bound(wanted)) return { alias: wanted, renamed: false };
  return { alias: fallback, renamed: true };
}

export function moduleNameOf(file: string): string {
  return basename(file).replace(/\.py$/, '');
}

/**
 * The invariant: the project after the plan does everything it did before. Compares two
 * snapshots (pure) and lists every difference, each tagged with the kind of step that can
 * cause it, so the search for a safe plan knows what to try next.
 */
import type { PlannedAdditions } from '../integrate/context.js';
import { CORE_ROUTE_NAMES, ROUTE_NAMES } from '../integrate/url-facts.js';
import type { ResolvedView, Snapshot } from './snapshot.js';

/** URL name -> the view it must reach: every route urls.ts adds (ROUTE_NAMES is the one list). */
export const OUR_ROUTES: Record<string, string> = Object.fromEntries(Object.entries(ROUTE_NAMES).map(([view, name]) => [name, `authkit.views.${view}`]));

export type DifferenceKind =
  /** An existing setting's value changed (or the settings stopped loading). */
  | 'settings'
  /** An existing URL name reverses or resolves differently (or the urlconf stopped loading). */
  | 'urls'
  /** Our routes do not reverse un-namespaced, or do not reach our views. */
  | 'routes'
  /** "/" (or its language-prefixed form) would change hands. */
  | 'home'
  /** The home route we add would never be reached. */
  | 'dead-home'
  /** The settings do not see the keys written to .env. */
  | 'keys';

export interface Difference {
  kind: DifferenceKind;
  /** The setting, URL name or path concerned. */
  subject: string;
  message: string;
}

export interface Expectations {
  /** Our routes: added by the plan (they must reach our views), already there, or not routed (a manual step). */
  routes: 'planned' | 'present' | 'none';
  /** The plan adds a home route at "". */
  homePlanned: boolean;
  /** Keys whose non-empty value the planned .env (or the environment) holds. */
  keysWritten: string[];
  /**
   * What the plan adds to list settings, the defaults it replaces and the routes it adds:
   * exactly these are allowed. Absent: any addition to a list is allowed, every route of
   * ours is checked (the repairs of doctor --fix).
   */
  planned?: PlannedAdditions;
}

/** The route now reaches the view the plan moved its old one to (the same function, in the app). */
function movedAsPlanned(planned: PlannedAdditions | undefined, before: ResolvedView | null | undefined, after: ResolvedView | null | undefined): boolean {
  return !!before && !!after && planned?.viewsMoved?.[before.view] === after.view;
}

function shown(view: ResolvedView | null | undefined): string {
  return view ? view.view : 'nothing (404)';
}

/** `after` is `before` with entries added (anywhere) and none removed or moved. */
function onlyAdded(before: readonly string[], after: readonly string[]): boolean {
  const kept = after.filter((entry) => before.includes(entry));
  return kept.length === before.length && kept.every((entry, i) => entry === before[i]);
}

/** The list settings a plan adds to by name (others only as the parts of a sum of lists). */
const LISTS_WITH_ADDITIONS = new Set(['INSTALLED_APPS', 'MIDDLEWARE', 'AUTHENTICATION_BACKENDS']);

export function compareSnapshots(before: Snapshot, after: Snapshot, expect: Expectations): Difference[] {
  const out: Difference[] = [];
  if (!after.loaded) {
    out.push({ kind: 'settings', subject: 'settings', message: `with the planned files, ${after.error ?? 'the settings do not load'}` });
    return out;
  }
  const replaced = (name: string) =>
    expect.planned?.defaultsReplaced[name] !== undefined && before.defaults[name] === 'default' && after.defaults[name] === 'ours';
  for (const [name, value] of Object.entries(before.settings)) {
    if (!(name in after.settings)) out.push({ kind: 'settings', subject: name, message: `setting ${name} would no longer be defined` });
    else if (after.settings[name] !== value && !replaced(name)) out.push({ kind: 'settings', subject: name, message: `setting ${name} would change value` });
  }
  for (const [name, list] of Object.entries(before.lists)) {
    const next = after.lists[name];
    if (!next || !onlyAdded(list, next)) {
      out.push({ kind: 'settings', subject: name, message: `${name} would lose or reorder entries (only additions are planned)` });
      continue;
    }
    // Without the plan's own record, additions pass only where a plan makes them.
    const allowed = expect.planned ? [...(expect.planned.listAdditions[name] ?? [])] : LISTS_WITH_ADDITIONS.has(name) ? null : [];
    if (!allowed) continue;
    // Exactly the entries the plan adds: one that comes from elsewhere (a settings file that
    // reads what we wrote and adds more) is a change the plan did not make on purpose.
    for (const entry of next.filter((e) => !list.includes(e))) {
      const at = allowed.indexOf(entry);
      if (at >= 0) allowed.splice(at, 1);
      else out.push({ kind: 'settings', subject: name, message: `${name} would gain ${entry}, which the plan does not add` });
    }
  }
  if (before.templates.length !== after.templates.length) {
    out.push({ kind: 'settings', subject: 'TEMPLATES', message: 'TEMPLATES would have another number of backends' });
  } else {
    before.templates.forEach((t, i) => {
      const next = after.templates[i]!;
      if (t.backend !== next.backend || t.rest !== next.rest || !onlyAdded(t.dirs, next.dirs)) {
        out.push({ kind: 'settings', subject: 'TEMPLATES', message: `TEMPLATES[${i}] would change beyond the DIRS entries added` });
      }
    });
  }
  for (const key of expect.keysWritten) {
    if (after.keys[key] !== true) {
      out.push({ kind: 'keys', subject: key, message: `the loaded settings would not see ${key}: .env holds it, but settings.${key} stays empty` });
    }
  }

  if (before.urls && !after.urls) {
    out.push({ kind: 'urls', subject: 'ROOT_URLCONF', message: `with the planned files, ${after.urlsError ?? 'the URL configuration does not load'}` });
    return out;
  }
  if (!before.urls || !after.urls) return out;
  for (const [name, route] of Object.entries(before.urls.routes)) {
    const next = after.urls.routes[name];
    if (!next) {
      out.push({ kind: 'urls', subject: name, message: `URL name ${name} would no longer exist` });
      continue;
    }
    if (next.path !== route.path || next.route !== route.route) {
      out.push({ kind: 'urls', subject: name, message: `URL name ${name} would reverse to ${next.path ?? next.route} instead of ${route.path ?? route.route}` });
    } else if (shown(next.resolves) !== shown(route.resolves) && !movedAsPlanned(expect.planned, route.resolves, next.resolves)) {
      out.push({ kind: 'urls', subject: name, message: `${route.path} would be served by ${shown(next.resolves)} instead of ${shown(route.resolves)}` });
    }
  }

  const homeWasFree = Object.values(before.urls.home).every((v) => v === null);
  for (const [path, view] of Object.entries(before.urls.home)) {
    const next = after.urls.home[path] ?? null;
    if (shown(next) === shown(view)) continue;
    const ours = next?.view.endsWith('home_views.home') ?? false;
    if (expect.homePlanned && ours && homeWasFree) continue;
    out.push({
      kind: 'home',
      subject: path,
      message: `${path} would be served by ${shown(next)} instead of ${shown(view)}${before.urls.i18n ? ' (the project serves its pages through i18n_patterns / LocaleMiddleware)' : ''}`,
    });
  }
  if (expect.homePlanned && homeWasFree && !(after.urls.home['/']?.view.endsWith('home_views.home') ?? false)) {
    out.push({ kind: 'dead-home', subject: '/', message: `the planned home route would never be reached: / is served by ${shown(after.urls.home['/'])}` });
  }

  for (const [name, view] of Object.entries(OUR_ROUTES)) {
    if (expect.routes === 'none') break;
    const route = after.urls.routes[name];
    const added = expect.planned ? expect.planned.routes.includes(name) : expect.routes === 'planned';
    // auth/me/ and auth/organization/ belong to our app: a project whose own views (or our
    // earlier layout) serve the other names is complete without them.
    const required = !expect.planned || CORE_ROUTE_NAMES.includes(name) || added || name in before.urls.routes;
    if (!route && !required) continue;
    if (!route) {
      const namespaced = Object.keys(after.urls.routes).find((n) => n.endsWith(`:${name}`));
      out.push({
        kind: 'routes',
        subject: name,
        message: namespaced ? `reverse("${name}") would fail: the route ends up namespaced as ${namespaced}` : `reverse("${name}") would fail: no such URL name`,
      });
      continue;
    }
    if (route.path === null || !route.resolves || route.resolves.name !== name) {
      out.push({ kind: 'routes', subject: name, message: `${route.path ?? name} would not resolve back to ${name} (served by ${shown(route.resolves)})` });
    } else if (expect.routes === 'planned' && added && !route.resolves.view.endsWith(view)) {
      out.push({ kind: 'routes', subject: name, message: `${route.path} would be served by ${route.resolves.view}, not by ${view}` });
    }
  }
  return out;
}

/** Settings whose digest differs between two loads of the same files: not comparable. */
export function unstableSettings(first: Snapshot, second: Snapshot): Set<string> {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(first.settings)) if (second.settings[name] !== value) out.add(name);
  return out;
}

/**
 * The root urlconf: the three WorkOS routes (and the home route when the tool adds the
 * home page), placed before catch-all patterns, outside i18n_patterns, with the imports
 * they need. Routes already present by name are not added again.
 */
import { join } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { findImports, importsName } from '../python/locate.js';
import { lineOf, parsePython } from '../python/parser.js';
import { insertIntoSequence } from '../python/splice.js';
import { addImport, insertAfterWithBlankLines } from '../python/statements.js';
import { detectEol, indentUnit, preferredQuote, pythonString, type Quote } from '../python/style.js';
import type { PlanContext, UrlPlacement } from './context.js';
import { editPython } from './edit-python.js';
import { ROUTE_NAMES, freeModuleAlias, type UrlFacts } from './url-facts.js';
import { describeList, isCatchAll, readUrlpatterns, type UrlpatternsInfo } from './url-patterns.js';

interface Route {
  route: string;
  module: 'auth_views' | 'home_views';
  view: string;
  name: string;
}

/** Makes `name` importable from django.urls (joining an existing `from django.urls import ...`). */
function ensureDjangoUrlsName(ctx: PlanContext, file: string, name: string): void {
  if (importsName(parsePython(ctx.workspace.read(file)!), name)) return;
  editPython(ctx, file, (text, t) => addImport(text, t, { statement: `from django.urls import ${name}`, module: 'django.urls', section: 'thirdparty' }));
}

/** The name urls.py uses for one of our modules: an existing import of it, or a new one. */
function ensureModuleImport(ctx: PlanContext, file: string, facts: UrlFacts, module: string): string {
  const tree = parsePython(ctx.workspace.read(file)!);
  const from = facts.importFrom;
  // `from X import module` (or `import module` when from is null) already there: use its name.
  for (const imp of findImports(tree)) {
    const found = imp.from === from ? imp.names.find((n) => n.name === module) : undefined;
    if (found) return found.alias ?? found.name;
  }
  const { alias, renamed } = freeModuleAlias(ctx.workspace.read(file)!, module, `workos_${module}`);
  const target = renamed ? `${module} as ${alias}` : module;
  const statement = from === null ? `import ${target}` : `from ${from} import ${target}`;
  // The project's own modules: the local section, after Django's imports.
  const sortKey = from ?? module;
  editPython(ctx, file, (text, t) => addImport(text, t, { statement, module: sortKey, section: 'local' }, new Set([sortKey.split('.')[0]!])));
  return alias;
}

function renderRoute(route: Route, alias: string, quote: Quote): string {
  return `path(${pythonString(route.route, quote)}, ${alias}.${route.view}, name=${pythonString(route.name, quote)})`;
}

/**
 * Which list gets the routes. `default`: the first list, or the final one when the first
 * is rebuilt later; `final-list`: the final list (or an append when it is not a literal).
 */
function chooseTarget(info: UrlpatternsInfo, placement: Exclude<UrlPlacement, 'manual'>): 'first' | 'final' | 'append' | null {
  if (placement === 'append') return info.lastStatement ? 'append' : null;
  if (placement === 'default' && !info.reassignment) return info.list ? 'first' : null;
  if (info.reassignment?.list) return 'final';
  return info.lastStatement ? 'append' : null;
}

export function planUrls(ctx: PlanContext, facts: UrlFacts, addHome: boolean, viewsCreated: boolean): StepOutcome[] {
  const file = facts.urlsFile;
  const wanted: Route[] = [
    { route: `${facts.prefix}login/`, module: 'auth_views', view: 'login', name: ROUTE_NAMES.login },
    { route: `${facts.prefix}callback/`, module: 'auth_views', view: 'callback', name: ROUTE_NAMES.callback },
    { route: `${facts.prefix}logout/`, module: 'auth_views', view: 'logout', name: ROUTE_NAMES.logout },
    { route: `${facts.prefix}me/`, module: 'auth_views', view: 'me', name: ROUTE_NAMES.me },
  ].filter((r) => !facts.routedNames.has(r.name)) as Route[];
  // auth/me/ routes to our views module: not added beside login views the project wrote.
  const views = ctx.workspace.read(join(facts.viewsDir, 'auth_views.py'));
  if (wanted.length === 1 && wanted[0]!.name === ROUTE_NAMES.me && !views?.includes('\ndef me(')) wanted.length = 0;
  const homeName = facts.routedNames.has('home') ? 'workos_home' : 'home';
  if (addHome) wanted.push({ route: '', module: 'home_views', view: 'home', name: homeName });
  if (wanted.length === 0) {
    return [{ id: 'urls.routes', status: 'done', ...(file ? { file } : {}), summary: 'the WorkOS routes are in the urlconf' }];
  }
  if (!viewsCreated && wanted.some((r) => r.module === 'auth_views')) {
    return [
      {
        id: 'urls.routes',
        status: 'manual',
        ...(file ? { file } : {}),
        summary: `route ${wanted.map((r) => r.name).join(', ')}`,
        reason: 'auth_views.py could not be created, so there is nothing to route to',
      },
    ];
  }
  const snippet = (alias = 'auth_views') =>
    wanted.map((r) => `    ${renderRoute(r, r.module === 'auth_views' ? alias : 'home_views', "'")},`).join('\n');
  if (!file) {
    return [
      {
        id: 'urls.routes',
        status: 'manual',
        summary: 'add the WorkOS routes to your root urlconf',
        reason: 'ROOT_URLCONF could not be resolved to a file (see `authkit-django inspect`)',
        snippet: `urlpatterns += [\n${snippet()}\n]`,
      },
    ];
  }
  const text = ctx.workspace.read(file)!;
  const info = readUrlpatterns(parsePython(text));
  const placement = ctx.options.urlPlacement ?? 'default';
  const manualSnippet = `urlpatterns += [\n${snippet()}\n]`;
  if (placement === 'manual') {
    return [
      {
        id: 'urls.routes',
        status: 'manual',
        file,
        ...(info.lastStatement ? { line: ctx.workspace.lineOnDisk(file, info.lastStatement.endPosition.row + 1), anchor: info.lastStatement.text } : {}),
        summary: 'add the WorkOS routes to urlpatterns, where their names stay un-namespaced',
        reason: ctx.options.urlManualReason ?? 'no placement the tool can make keeps the project working',
        snippet: manualSnippet,
      },
    ];
  }
  // The first list, unless it is rebuilt later (wrapped in a namespaced include, say):
  // then the final list, or a `urlpatterns += [...]` after the last assignment.
  const target = chooseTarget(info, placement);
  if (!target) {
    return [
      {
        id: 'urls.routes',
        status: 'manual',
        file,
        ...(info.statement ? { line: ctx.workspace.lineOnDisk(file, lineOf(info.statement)), anchor: (info.lastStatement ?? info.statement).text } : {}),
        summary: 'add the WorkOS routes to urlpatterns',
        reason: info.statement
          ? 'urlpatterns is not a list literal the tool can edit safely (for example, i18n_patterns(...) alone)'
          : `${ctx.display(file)} does not assign urlpatterns`,
        snippet: manualSnippet,
      },
    ];
  }
  ensureDjangoUrlsName(ctx, file, 'path');
  const aliases: Record<string, string> = {};
  for (const module of new Set(wanted.map((r) => r.module))) aliases[module] = ensureModuleImport(ctx, file, facts, module);
  const quote = preferredQuote(parsePython(ctx.workspace.read(file)!));
  let statementLine: number;
  if (target === 'append') {
    // Imports were added above: find the last assignment again in the edited text.
    const last = readUrlpatterns(parsePython(ctx.workspace.read(file)!)).lastStatement!;
    statementLine = last.endPosition.row + 2;
    const current = ctx.workspace.read(file)!;
    const indent = indentUnit(current);
    const block = `urlpatterns += [${detectEol(current)}${wanted.map((r) => `${indent}${renderRoute(r, aliases[r.module]!, quote)},`).join(detectEol(current))}${detectEol(current)}]`;
    editPython(ctx, file, (source) => insertAfterWithBlankLines(source, last, block));
  } else {
    statementLine = lineOf((target === 'first' ? info.statement : info.reassignment!.statement)!);
    for (const route of wanted) {
      const current = parsePython(ctx.workspace.read(file)!);
      const now = readUrlpatterns(current);
      const list = target === 'first' ? now.list! : now.reassignment!.list!;
      const patterns = describeList(list);
      const firstCatchAll = patterns.findIndex((p) => isCatchAll(p));
      // After the routes added just before (keeps them together and in order), before any catch-all.
      const ours = new Set<string>(Object.values(ROUTE_NAMES));
      const lastOurs = patterns.findLastIndex((p) => p.name !== null && ours.has(p.name));
      const at = lastOurs >= 0 ? lastOurs + 1 : firstCatchAll >= 0 ? firstCatchAll : list.elements.length;
      editPython(ctx, file, (source) => insertIntoSequence(source, list, renderRoute(route, aliases[route.module]!, quote), at));
    }
  }
  const outcomes: StepOutcome[] = [
    {
      id: 'urls.routes',
      status: 'change',
      file,
      line: ctx.workspace.lineOnDisk(file, statementLine),
      summary: `route ${wanted.map((r) => `/${r.route}`).join(', ')} in ${ctx.display(file)}${target === 'first' ? '' : target === 'final' ? ' (the final urlpatterns list)' : ' (urlpatterns += [...] after the last assignment)'}`,
      ...(facts.prefixReason ? { note: `using auth/workos/ because ${facts.prefixReason}` } : {}),
    },
  ];
  return outcomes;
}

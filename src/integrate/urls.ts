/**
 * The root urlconf: the three WorkOS routes (and the home route when the tool adds the
 * home page), placed before catch-all patterns, outside i18n_patterns, with the imports
 * they need. Routes already present by name are not added again.
 */
import { join } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { findImports, importsName, type SequenceLiteral } from '../python/locate.js';
import { lineOf, parsePython } from '../python/parser.js';
import { inlineLengthWith, insertIntoSequence, isOneLine, spreadSequence } from '../python/splice.js';
import { addImport, insertAfterWithBlankLines } from '../python/statements.js';
import { detectEol, indentUnit, lineLimit, preferredQuote, pythonString, type Quote } from '../python/style.js';
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

/**
 * The names urls.py uses for our modules: an existing import of each, or new imports on
 * lines of their own (`from . import auth_views, home_views`, `import auth_views`), never
 * joined to an import line the project wrote.
 */
function ensureModuleImports(ctx: PlanContext, file: string, facts: UrlFacts, modules: readonly string[]): Record<string, string> {
  const text = ctx.workspace.read(file)!;
  const tree = parsePython(text);
  const from = facts.importFrom;
  const aliases: Record<string, string> = {};
  const targets: string[] = [];
  for (const module of modules) {
    // `from X import module` (or `import module` when from is null) already there: use its name.
    const found = findImports(tree)
      .filter((imp) => imp.from === from)
      .flatMap((imp) => imp.names)
      .find((n) => n.name === module);
    if (found) {
      aliases[module] = found.alias ?? found.name;
      continue;
    }
    const { alias, renamed } = freeModuleAlias(text, module, `workos_${module}`);
    aliases[module] = alias;
    targets.push(renamed ? `${module} as ${alias}` : module);
  }
  if (targets.length === 0) return aliases;
  const statements = from === null ? targets.map((t) => `import ${t}`) : [`from ${from} import ${targets.join(', ')}`];
  // The project's own modules: the local section, after Django's imports.
  const firstParty = new Set(from === null ? modules : [from.split('.')[0]!]);
  for (const statement of statements) {
    const sortKey = from ?? statement.replace(/^import (\w+).*/, '$1');
    editPython(ctx, file, (source, t) => addImport(source, t, { statement, module: sortKey, section: 'local', ownLine: true }, firstParty));
  }
  return aliases;
}

function renderRoute(route: Route, alias: string, quote: Quote): string {
  return `path(${pythonString(route.route, quote)}, ${alias}.${route.view}, name=${pythonString(route.name, quote)})`;
}

/**
 * Where the routes go: into a list literal (`first`: the first `urlpatterns = [...]`;
 * `final`: the last one, when the first is rebuilt; `augmented`: a closing
 * `urlpatterns += [...]`), laid out one element per line first when `spread`; or
 * `append`: a block of their own, `urlpatterns += [...]` after the last assignment.
 */
type Target = { list: 'first' | 'final' | 'augmented'; spread: boolean } | 'append';

/** Whether any placement can edit the file (false: urlpatterns is not a literal, or not assigned). */
function canPlace(info: UrlpatternsInfo, placement: Exclude<UrlPlacement, 'manual'>): boolean {
  if (placement === 'default' && !info.reassignment) return info.list !== null;
  return info.lastStatement !== null;
}

/**
 * The target for a placement. A one-line list is never made longer than the file's lines
 * (`fits`): the routes go to a block of their own instead, or, when they must come before
 * a catch-all in it (or the placement asks for that very list), the list is laid out one
 * element per line. `default` is the first list, or, when the first is rebuilt later, the
 * final one unless a `urlpatterns += [...]` block follows it or it is one line;
 * `final-list` is the final list whatever its layout; `append` is the block of our own.
 */
function chooseTarget(info: UrlpatternsInfo, placement: Exclude<UrlPlacement, 'manual'>, fits: (list: SequenceLiteral) => boolean): Target {
  // Added to a closing `urlpatterns += [...]` when it takes them without a long line.
  const append: Target = info.lastAugmentedList && fits(info.lastAugmentedList) ? { list: 'augmented', spread: false } : 'append';
  if (placement === 'append') return append;
  if (placement === 'final-list') {
    const list = info.reassignment ? info.reassignment.list : info.list;
    return list ? { list: info.reassignment ? 'final' : 'first', spread: !fits(list) } : append;
  }
  if (!info.reassignment) {
    const list = info.list!;
    if (fits(list)) return { list: 'first', spread: false };
    // `urlpatterns = []` becomes a list laid out for its routes, not a block beside it.
    const mustPrecede = list.elements.length === 0 || describeList(list).some((p) => isCatchAll(p));
    return mustPrecede ? { list: 'first', spread: true } : append;
  }
  const final = info.reassignment.list;
  return final && fits(final) && !info.lastAugmentedList ? { list: 'final', spread: false } : append;
}

/** The list literal a target names, in the current text. */
function targetList(info: UrlpatternsInfo, which: 'first' | 'final' | 'augmented'): SequenceLiteral {
  if (which === 'first') return info.list!;
  if (which === 'final') return info.reassignment!.list!;
  return info.lastAugmentedList!;
}

const WHERE: Record<'first' | 'final' | 'augmented' | 'append', string> = {
  first: '',
  final: ' (the final urlpatterns list)',
  augmented: ' (the urlpatterns += [...] list after the last assignment)',
  append: ' (urlpatterns += [...] after the last assignment)',
};

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
  if (!canPlace(info, placement)) {
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
  const aliases = ensureModuleImports(ctx, file, facts, [...new Set(wanted.map((r) => r.module))]);
  const quote = preferredQuote(parsePython(ctx.workspace.read(file)!));
  const rendered = wanted.map((r) => renderRoute(r, aliases[r.module]!, quote));
  // Imports were added above: read the lists again in the edited text.
  const edited = ctx.workspace.read(file)!;
  const limit = lineLimit(text);
  const fits = (list: SequenceLiteral) => !isOneLine(list) || (list.elements.length > 0 && inlineLengthWith(edited, list, rendered) <= limit);
  const target = chooseTarget(readUrlpatterns(parsePython(edited)), placement, fits);
  let statementLine: number;
  if (target === 'append') {
    const last = readUrlpatterns(parsePython(edited)).lastStatement!;
    statementLine = last.endPosition.row + 2;
    const indent = indentUnit(edited);
    const eol = detectEol(edited);
    const block = `urlpatterns += [${eol}${rendered.map((r) => `${indent}${r},`).join(eol)}${eol}]`;
    editPython(ctx, file, (source) => insertAfterWithBlankLines(source, last, block));
  } else {
    const now = readUrlpatterns(parsePython(edited));
    statementLine = lineOf(target.list === 'first' ? now.statement! : target.list === 'final' ? now.reassignment!.statement : now.lastStatement!);
    if (target.spread) editPython(ctx, file, (source, tree) => spreadSequence(source, targetList(readUrlpatterns(tree), target.list)));
    rendered.forEach((element) => {
      const list = targetList(readUrlpatterns(parsePython(ctx.workspace.read(file)!)), target.list);
      const patterns = describeList(list);
      const firstCatchAll = patterns.findIndex((p) => isCatchAll(p));
      // After the routes added just before (keeps them together and in order), before any catch-all.
      const ours = new Set<string>(Object.values(ROUTE_NAMES));
      const lastOurs = patterns.findLastIndex((p) => p.name !== null && ours.has(p.name));
      const at = lastOurs >= 0 ? lastOurs + 1 : firstCatchAll >= 0 ? firstCatchAll : list.elements.length;
      editPython(ctx, file, (source) => insertIntoSequence(source, list, element, at));
    });
  }
  const where = WHERE[target === 'append' ? 'append' : target.list];
  const outcomes: StepOutcome[] = [
    {
      id: 'urls.routes',
      status: 'change',
      file,
      line: ctx.workspace.lineOnDisk(file, statementLine),
      summary: `route ${wanted.map((r) => `/${r.route}`).join(', ')} in ${ctx.display(file)}${where}`,
      ...(facts.prefixReason ? { note: `using auth/workos/ because ${facts.prefixReason}` } : {}),
    },
  ];
  return outcomes;
}

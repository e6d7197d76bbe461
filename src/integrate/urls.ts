/**
 * The root urlconf: the three WorkOS routes (and the home route when the tool adds the
 * home page), placed before catch-all patterns, outside i18n_patterns, with the imports
 * they need. Routes already present by name are not added again.
 */
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
  module: 'authkit_views' | 'home_views';
  view: string;
  name: string;
}

/** How urls.py imports one of our modules: `from <from> import <name>`, `import <name>` when from is null. */
interface ModuleImport {
  from: string | null;
  name: string;
  /** The name urls.py should use (`authkit_views`), and another when that one is taken. */
  alias: string;
  fallback: string;
}

/** Makes `name` importable from django.urls (joining an existing `from django.urls import ...`). */
function ensureDjangoUrlsName(ctx: PlanContext, file: string, name: string): void {
  if (importsName(parsePython(ctx.workspace.read(file)!), name)) return;
  editPython(ctx, file, (text, t) => addImport(text, t, { statement: `from django.urls import ${name}`, module: 'django.urls', section: 'thirdparty' }));
}

/**
 * The names urls.py uses for our modules: an existing import of each, or new imports on
 * lines of their own (`from .authkit import views as authkit_views`, `from . import
 * home_views`, `import home_views`), never joined to an import line the project wrote.
 */
function ensureModuleImports(ctx: PlanContext, file: string, modules: Record<string, ModuleImport>): Record<string, string> {
  const text = ctx.workspace.read(file)!;
  const tree = parsePython(text);
  const aliases: Record<string, string> = {};
  const targets = new Map<string | null, string[]>();
  for (const [key, module] of Object.entries(modules)) {
    // `from X import name` (or `import name` when from is null) already there: use its name.
    const found = findImports(tree)
      .filter((imp) => imp.from === module.from)
      .flatMap((imp) => imp.names)
      .find((n) => n.name === module.name);
    if (found) {
      aliases[key] = found.alias ?? found.name;
      continue;
    }
    const { alias } = freeModuleAlias(text, module.alias, module.fallback);
    aliases[key] = alias;
    targets.set(module.from, [...(targets.get(module.from) ?? []), alias === module.name ? module.name : `${module.name} as ${alias}`]);
  }
  // The project's own modules (all of ours): the local section, after Django's imports.
  const firstParty = new Set([...targets].flatMap(([from, names]) => (from === null ? names.map((n) => n.split(' ')[0]!) : [from.split('.')[0]!])));
  for (const [from, names] of targets) {
    const statements = from === null ? names.map((t) => `import ${t}`) : [`from ${from} import ${names.join(', ')}`];
    for (const statement of statements) {
      const sortKey = from ?? statement.replace(/^import (\w+).*/, '$1');
      editPython(ctx, file, (source, t) => addImport(source, t, { statement, module: sortKey, section: 'local', ownLine: true }, firstParty));
    }
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

/**
 * `layout`: the app's import path when the plan adds (or has) the authkit app; null when
 * the project routes the WorkOS names already (views of its own, or the earlier layout):
 * then only the home route may be added, as auth/me/ and auth/organization/ need our app.
 */
export function planUrls(ctx: PlanContext, facts: UrlFacts, addHome: boolean, app: { importFrom: string } | null, viewsCreated: boolean): StepOutcome[] {
  const file = facts.urlsFile;
  const wanted: Route[] = (
    [
      { route: `${facts.prefix}login/`, module: 'authkit_views', view: 'login', name: ROUTE_NAMES.login },
      { route: `${facts.prefix}callback/`, module: 'authkit_views', view: 'callback', name: ROUTE_NAMES.callback },
      { route: `${facts.prefix}logout/`, module: 'authkit_views', view: 'logout', name: ROUTE_NAMES.logout },
      { route: `${facts.prefix}me/`, module: 'authkit_views', view: 'me', name: ROUTE_NAMES.me },
      { route: `${facts.prefix}organization/`, module: 'authkit_views', view: 'organization', name: ROUTE_NAMES.organization },
    ] as Route[]
  )
    .filter((r) => !facts.routedNames.has(r.name))
    // No app because the project routes the names already: nothing of ours to route. (No app
    // because it could not be placed: kept, so the step below says what is missing.)
    .filter(() => app !== null || !viewsCreated);
  const homeName = facts.routedNames.has('home') ? 'workos_home' : 'home';
  if (addHome) wanted.push({ route: '', module: 'home_views', view: 'home', name: homeName });
  if (wanted.length === 0) {
    return [{ id: 'urls.routes', status: 'done', ...(file ? { file } : {}), summary: 'the WorkOS routes are in the urlconf' }];
  }
  if (!viewsCreated && wanted.some((r) => r.module === 'authkit_views')) {
    return [
      {
        id: 'urls.routes',
        status: 'manual',
        ...(file ? { file } : {}),
        summary: `route ${wanted.map((r) => r.name).join(', ')}`,
        reason: 'the authkit app could not be created, so there is nothing to route to',
      },
    ];
  }
  const snippet = (alias = 'authkit_views') =>
    wanted.map((r) => `    ${renderRoute(r, r.module === 'authkit_views' ? alias : 'home_views', "'")},`).join('\n');
  // A snippet pasted as it is must run: it brings the imports its routes use.
  const snippetImports = [
    'from django.urls import path',
    ...(app && wanted.some((r) => r.module === 'authkit_views') ? [`from ${app.importFrom} import views as authkit_views`] : []),
    ...(wanted.some((r) => r.module === 'home_views') ? [facts.importFrom === null ? 'import home_views' : `from ${facts.importFrom} import home_views`] : []),
  ].join('\n');
  if (!file) {
    return [
      {
        id: 'urls.routes',
        status: 'manual',
        summary: 'add the WorkOS routes to your root urlconf',
        reason: 'ROOT_URLCONF could not be resolved to a file (see `authkit-django inspect`)',
        snippet: `${snippetImports}\n\nurlpatterns += [\n${snippet()}\n]`,
      },
    ];
  }
  const text = ctx.workspace.read(file)!;
  const info = readUrlpatterns(parsePython(text));
  const placement = ctx.options.urlPlacement ?? 'default';
  const manualSnippet = `${snippetImports}\n\nurlpatterns += [\n${snippet()}\n]`;
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
  const modules: Record<string, ModuleImport> = {};
  if (wanted.some((r) => r.module === 'authkit_views')) {
    modules.authkit_views = { from: app!.importFrom, name: 'views', alias: 'authkit_views', fallback: 'workos_authkit_views' };
  }
  if (wanted.some((r) => r.module === 'home_views')) modules.home_views = { from: facts.importFrom, name: 'home_views', alias: 'home_views', fallback: 'workos_home_views' };
  const aliases = ensureModuleImports(ctx, file, modules);
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
  ctx.planned?.routes.push(...wanted.map((r) => r.name));
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

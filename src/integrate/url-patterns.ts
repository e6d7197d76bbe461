/**
 * Reading a urls module: the urlpatterns list literal to insert into, and what each
 * pattern is (route, view, name, include target), as far as it is literal.
 */
import { findAssignments, keywordArgument, positionalArguments, sequenceLiteral, stringLiteralValue, type SequenceLiteral } from '../python/locate.js';
import type { Node, Tree } from '../python/parser.js';

export interface UrlPattern {
  node: Node;
  /** `path`, `re_path`, `url` or whatever the callee is. */
  func: string;
  route: string | null;
  /** The view argument as written (`auth_views.login`, `include("a.urls")`). */
  view: string | null;
  name: string | null;
  /** `include("a.urls")` -> "a.urls"; include of something else -> "" ; not an include -> null. */
  include: string | null;
}

export interface UrlpatternsInfo {
  /** The list literal to add to, or null when urlpatterns is not a literal we can edit. */
  list: SequenceLiteral | null;
  statement: Node | null;
  /** Every pattern of every assignment (`=`, `+=`), in file order. */
  patterns: UrlPattern[];
  /** The patterns of `list`, one per element. */
  listPatterns: UrlPattern[];
  /**
   * The last unconditional `urlpatterns = ...` when it comes after `statement`: the first
   * list is rebuilt there (wrapped in a namespaced include, a prefix, or replaced), so
   * routes added to it may not keep their names or paths.
   */
  reassignment: { statement: Node; list: SequenceLiteral | null } | null;
  /** The last unconditional module-level statement that assigns urlpatterns (`=` or `+=`). */
  lastStatement: Node | null;
  /**
   * The list of `lastStatement` when it is `urlpatterns += [...]`: routes added to it
   * stay un-namespaced, as nothing rebuilds urlpatterns after it.
   */
  lastAugmentedList: SequenceLiteral | null;
}

/** The first list literal of `[...]`, `[...] + other`, `(...)`. */
function leadingList(value: Node | null): SequenceLiteral | null {
  let node: Node | null = value;
  while (node) {
    const list = sequenceLiteral(node);
    if (list) return list;
    node = node.type === 'binary_operator' ? node.childForFieldName('left') : null;
  }
  return null;
}

function describe(node: Node): UrlPattern {
  if (node.type !== 'call') return { node, func: '', route: null, view: null, name: null, include: null };
  const func = node.childForFieldName('function')?.text ?? '';
  const [routeArg, viewArg] = positionalArguments(node);
  let include: string | null = null;
  if (viewArg?.type === 'call' && /(^|\.)include$/.test(viewArg.childForFieldName('function')?.text ?? '')) {
    const target = positionalArguments(viewArg)[0];
    include = stringLiteralValue(target) ?? '';
  }
  return {
    node,
    func: func.split('.').pop() ?? func,
    route: stringLiteralValue(routeArg),
    view: viewArg?.text ?? null,
    name: stringLiteralValue(keywordArgument(node, 'name')),
    include,
  };
}

/** The urlpatterns of a module: `urlpatterns = [...]`, or the first list in `[...] + i18n_patterns(...)`. */
export function readUrlpatterns(tree: Tree): UrlpatternsInfo {
  const assignments = findAssignments(tree, 'urlpatterns');
  const main = assignments.find((a) => !a.conditional && a.kind !== 'augmented');
  const patterns: UrlPattern[] = [];
  for (const a of assignments) {
    const value = a.value;
    const lists: SequenceLiteral[] = [];
    const collect = (node: Node | null): void => {
      if (!node) return;
      const seq = sequenceLiteral(node);
      if (seq) lists.push(seq);
      else if (node.type === 'binary_operator') {
        collect(node.childForFieldName('left'));
        collect(node.childForFieldName('right'));
      }
    };
    collect(value);
    for (const seq of lists) patterns.push(...seq.elements.map(describe));
  }
  const unconditional = assignments.filter((a) => !a.conditional);
  const lastAssignment = unconditional.length > 0 ? unconditional[unconditional.length - 1]! : null;
  const lastStatement = lastAssignment?.statement ?? null;
  const lastSequence = lastAssignment?.kind === 'augmented' && lastAssignment.operator === '+=' ? sequenceLiteral(lastAssignment.value) : null;
  const lastAugmentedList = lastSequence?.kind === 'list' ? lastSequence : null;
  if (!main) return { list: null, statement: null, patterns, listPatterns: [], reassignment: null, lastStatement, lastAugmentedList };
  const list = leadingList(main.value);
  const last = unconditional.filter((a) => a.kind !== 'augmented').pop()!;
  const reassignment = last !== main ? { statement: last.statement, list: leadingList(last.value) } : null;
  return { list, statement: main.statement, patterns, listPatterns: list ? list.elements.map(describe) : [], reassignment, lastStatement, lastAugmentedList };
}

/** The patterns of one list literal, one per element. */
export function describeList(list: SequenceLiteral): UrlPattern[] {
  return list.elements.map(describe);
}

/**
 * A pattern that can swallow any URL: `path("", include(...))` (a CMS, a pages app),
 * a regex that matches everything, a `<path:...>` converter at the start.
 */
export function isCatchAll(pattern: UrlPattern): boolean {
  if (pattern.route === null) return false;
  if (pattern.include !== null && (pattern.route === '' || pattern.route === '^')) return true;
  if (pattern.func === 're_path' || pattern.func === 'url') return /^\^?\.[*+]/.test(pattern.route) || (pattern.route === '^' && pattern.include !== null);
  return /^<path:/.test(pattern.route);
}

/** A pattern that serves the site's home page itself (not an include). */
export function servesHome(pattern: UrlPattern): boolean {
  if (pattern.include !== null) return false;
  if (pattern.func === 're_path' || pattern.func === 'url') return pattern.route === '^$';
  return pattern.route === '';
}

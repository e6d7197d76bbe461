/**
 * Read-only queries over a Python syntax tree: where things are, never how to change
 * them. Everything here returns nodes (with offsets) so that edits can splice text.
 */
import { sourceOf, type Node, type Tree } from './parser.js';

export interface Assignment {
  name: string;
  /** `X = ...`, `X: T = ...`, or `X += ...` (and other augmented operators). */
  kind: 'assign' | 'annotated' | 'augmented';
  operator: string;
  statement: Node;
  value: Node | null;
  /** Inside a module-level if/try/with/for block: may or may not run. */
  conditional: boolean;
}

const BLOCK_STATEMENTS = new Set([
  'if_statement',
  'try_statement',
  'with_statement',
  'for_statement',
  'while_statement',
]);

/** Statements at module level, plus those nested in module-level blocks (flagged conditional). */
export function* moduleLevelStatements(tree: Tree): Generator<{ node: Node; conditional: boolean }> {
  yield* statementsOf(tree.rootNode.namedChildren.filter((c): c is Node => !!c));
}

/** moduleLevelStatements, only within the module's children that mention one of `words` (see moduleChildrenMentioning). */
export function moduleLevelStatementsMentioning(tree: Tree, words: readonly string[]): Generator<{ node: Node; conditional: boolean }> {
  return statementsOf(moduleChildrenMentioning(tree, words));
}

/** moduleLevelStatements restricted to some of the module's children (in file order). */
function* statementsOf(children: Iterable<Node>): Generator<{ node: Node; conditional: boolean }> {
  function* visit(node: Node, conditional: boolean): Generator<{ node: Node; conditional: boolean }> {
    for (const child of node.namedChildren) {
      if (child) yield* one(child, conditional);
    }
  }
  function* one(child: Node, conditional: boolean): Generator<{ node: Node; conditional: boolean }> {
    if (BLOCK_STATEMENTS.has(child.type)) {
      yield* visitBlock(child);
    } else if (child.type === 'block' || child.type.endsWith('_clause')) {
      yield* visit(child, true);
    } else {
      yield { node: child, conditional };
    }
  }
  function* visitBlock(node: Node): Generator<{ node: Node; conditional: boolean }> {
    yield { node, conditional: false };
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'block' || child.type.endsWith('_clause')) yield* visit(child, true);
    }
  }
  for (const child of children) yield* one(child, false);
}

/**
 * The module's named children in file order, one at a time: a loop that stops at the
 * first non-import reads a few nodes, not the whole `namedChildren` array of a large file.
 */
export function moduleChildren(tree: Tree): Generator<Node> {
  return tree.rootNode.namedChildrenInOrder();
}

/** The module's last `count` named children that are not comments, in file order. */
export function lastStatements(tree: Tree, count: number): Node[] {
  return tree.rootNode.lastNamedChildren(count, (child) => child.type !== 'comment');
}

const IDENTIFIER_CHAR = '[A-Za-z0-9_]';

/**
 * The module's named children (statements, comments) whose text mentions one of `words`
 * as a whole word, in file order, each once. Only these can bind, import or call those
 * names: asking the text first keeps a query of a 2 MB settings file from walking every
 * statement through the wasm boundary. Mentions in strings or comments only add
 * candidates, which the caller's own checks then drop.
 */
export function moduleChildrenMentioning(tree: Tree, words: readonly string[]): Node[] {
  if (words.length === 0) return [];
  const text = sourceOf(tree);
  const alternatives = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const pattern = new RegExp(`(?<!${IDENTIFIER_CHAR})(?:${alternatives})(?!${IDENTIFIER_CHAR})`, 'g');
  const root = tree.rootNode;
  const found: Node[] = [];
  let covered = -1;
  for (const match of text.matchAll(pattern)) {
    if (match.index < covered) continue;
    const child = root.firstNamedChildForIndex(match.index);
    if (!child) break;
    // A mention between children (in no statement) cannot bind anything.
    if (child.startIndex > match.index) continue;
    covered = child.endIndex;
    found.push(child);
  }
  return found;
}

/** Every module-level assignment to `name` (in file order). */
export function findAssignments(tree: Tree, name: string): Assignment[] {
  const all = assignmentsByTree.get(tree);
  if (all) return all.filter((a) => a.name === name);
  let byName = assignmentsByName.get(tree);
  if (!byName) assignmentsByName.set(tree, (byName = new Map()));
  let found = byName.get(name);
  if (!found) {
    found = assignmentsIn(moduleChildrenMentioning(tree, [name])).filter((a) => a.name === name);
    byName.set(name, found);
  }
  return [...found];
}

const assignmentsByTree = new WeakMap<Tree, Assignment[]>();
const assignmentsByName = new WeakMap<Tree, Map<string, Assignment[]>>();

/** Every module-level assignment, in file order (computed once per tree: several stages ask). */
export function allAssignments(tree: Tree): Assignment[] {
  const known = assignmentsByTree.get(tree);
  if (known) return known;
  const found = tree.segments.flatMap((segment) => inRange(assignmentsOfSyntaxTree(segment.tree), segment.start, segment.end));
  assignmentsByTree.set(tree, found);
  return found;
}

const inRange = (assignments: Assignment[], start: number, end: number): Assignment[] =>
  start === 0 && end === Infinity ? assignments : assignments.filter((a) => a.statement.startIndex >= start && a.statement.startIndex < end);

type SyntaxTree = Tree['segments'][number]['tree'];
const assignmentsBySyntaxTree = new WeakMap<SyntaxTree, Assignment[]>();

function assignmentsOfSyntaxTree(tree: SyntaxTree): Assignment[] {
  let found = assignmentsBySyntaxTree.get(tree);
  if (!found) {
    found = assignmentsIn(tree.rootNode.namedChildren.filter((c): c is Node => !!c));
    assignmentsBySyntaxTree.set(tree, found);
  }
  return found;
}

/** The assignments within some of the module's children (from moduleChildrenMentioning), in file order. */
export function assignmentsAmong(children: Iterable<Node>): Assignment[] {
  return assignmentsIn(children);
}

function assignmentsIn(children: Iterable<Node>): Assignment[] {
  const found: Assignment[] = [];
  for (const { node, conditional } of statementsOf(children)) {
    if (node.type !== 'expression_statement') continue;
    const expr = node.namedChildren[0];
    if (!expr) continue;
    if (expr.type === 'assignment') {
      // `A = B = value`: every target gets the innermost value.
      const targets: Node[] = [];
      let current: Node | null = expr;
      let annotated = false;
      while (current && current.type === 'assignment') {
        const left = current.childForFieldName('left');
        if (left) targets.push(left);
        if (current.childForFieldName('type')) annotated = true;
        current = current.childForFieldName('right');
      }
      for (const target of targets) {
        if (target.type !== 'identifier') continue;
        found.push({
          name: target.text,
          kind: annotated ? 'annotated' : 'assign',
          operator: '=',
          statement: node,
          value: current,
          conditional,
        });
      }
    } else if (expr.type === 'augmented_assignment') {
      const left = expr.childForFieldName('left');
      const op = expr.childForFieldName('operator');
      if (left?.type !== 'identifier') continue;
      found.push({
        name: left.text,
        kind: 'augmented',
        operator: op?.text ?? '+=',
        statement: node,
        value: expr.childForFieldName('right'),
        conditional,
      });
    }
  }
  return found;
}

/** The value of a plain string literal (or implicit concatenation of them); null when not literal. */
export function stringLiteralValue(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) {
    return stringLiteralValue(node.namedChildren[0]);
  }
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      const v = stringLiteralValue(part);
      if (v === null) return null;
      out += v;
    }
    return out;
  }
  if (node.type !== 'string') return null;
  const start = node.children[0];
  if (!start || /[fFbB]/.test(start.text)) return null;
  const raw = /[rR]/.test(start.text);
  let out = '';
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'interpolation') return null;
    if (child.type === 'string_content') out += child.text;
    else if (child.type === 'escape_sequence') out += raw ? child.text : unescape(child.text);
  }
  return out;
}

function unescape(seq: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  const key = seq.slice(1);
  return simple[key] ?? seq;
}

export interface SequenceLiteral {
  node: Node;
  kind: 'list' | 'tuple';
  /** The elements, comments left out. */
  elements: Node[];
}

/** A list or tuple literal (looking through parentheses), or null. */
export function sequenceLiteral(node: Node | null | undefined): SequenceLiteral | null {
  if (!node) return null;
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) {
    const inner = node.namedChildren[0];
    if (inner?.type === 'tuple' || inner?.type === 'list') return sequenceLiteral(inner);
    return null;
  }
  if (node.type !== 'list' && node.type !== 'tuple') return null;
  return {
    node,
    kind: node.type,
    elements: node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment'),
  };
}

/** The value node for a string key in a dict literal (`{"DIRS": [...]}`), or for a keyword in `dict(DIRS=...)`. */
export function dictValue(node: Node | null | undefined, key: string): Node | null {
  if (!node) return null;
  if (node.type === 'dictionary') {
    for (const pair of node.namedChildren) {
      if (pair?.type !== 'pair') continue;
      if (stringLiteralValue(pair.childForFieldName('key')) === key) return pair.childForFieldName('value');
    }
    return null;
  }
  if (node.type === 'call' && node.childForFieldName('function')?.text === 'dict') {
    return keywordArgument(node, key);
  }
  return null;
}

/** The value passed as `name=` to a call, or null. */
export function keywordArgument(call: Node, name: string): Node | null {
  const args = call.childForFieldName('arguments');
  for (const arg of args?.namedChildren ?? []) {
    if (arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name) {
      return arg.childForFieldName('value');
    }
  }
  return null;
}

/** Positional arguments of a call, in order. */
export function positionalArguments(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return (args?.namedChildren ?? []).filter(
    (a): a is Node =>
      !!a && a.type !== 'keyword_argument' && a.type !== 'comment' && a.type !== 'list_splat' && a.type !== 'dictionary_splat',
  );
}

export interface ImportInfo {
  node: Node;
  /** `from X import ...`: X as written (with leading dots); null for `import X`. */
  from: string | null;
  /** Imported names (`os.path` for `import os.path`; `Path` for `from pathlib import Path`). */
  names: { name: string; alias: string | null }[];
  star: boolean;
  conditional: boolean;
}

const importsByTree = new WeakMap<Tree, ImportInfo[]>();

/** Module-level imports, including those inside try/if blocks (flagged conditional). */
export function findImports(tree: Tree): ImportInfo[] {
  const known = importsByTree.get(tree);
  if (known) return known;
  const out: ImportInfo[] = [];
  importsByTree.set(tree, out);
  // Every import statement has the word `import` in its text.
  for (const { node, conditional } of statementsOf(moduleChildrenMentioning(tree, ['import']))) {
    if (node.type === 'import_statement') {
      out.push({ node, from: null, names: importedNames(node), star: false, conditional });
    } else if (node.type === 'import_from_statement' || node.type === 'future_import_statement') {
      const moduleNode = node.childForFieldName('module_name');
      const from = node.type === 'future_import_statement' ? '__future__' : (moduleNode?.text ?? null);
      const star = node.namedChildren.some((c) => c?.type === 'wildcard_import');
      out.push({ node, from, names: importedNames(node), star, conditional });
    }
  }
  return out;
}

function importedNames(node: Node): { name: string; alias: string | null }[] {
  const names: { name: string; alias: string | null }[] = [];
  for (const child of node.childrenForFieldName('name')) {
    if (!child) continue;
    if (child.type === 'aliased_import') {
      names.push({ name: child.childForFieldName('name')?.text ?? '', alias: child.childForFieldName('alias')?.text ?? null });
    } else {
      names.push({ name: child.text, alias: null });
    }
  }
  return names;
}

/** True when the module binds `name` at module level by an import (e.g. `os`, `load_dotenv`). */
export function importsName(tree: Tree, name: string, from?: string): boolean {
  return findImports(tree).some(
    (imp) =>
      (from === undefined || imp.from === from) &&
      imp.names.some((n) => (n.alias ?? (imp.from === null ? n.name.split('.')[0] : n.name)) === name),
  );
}

/**
 * Every call whose callee is written exactly as `callee` (`load_dotenv`, `os.environ.setdefault`).
 * A predicate may name `hints`, words one of which every matching callee contains (its
 * last name): only the statements that mention one are searched.
 */
export function findCalls(tree: Tree, callee: string | ((text: string) => boolean), hints?: readonly string[]): Node[] {
  const matches = typeof callee === 'string' ? (t: string) => t === callee : callee;
  const words = typeof callee === 'string' ? [lastName(callee)] : hints;
  const calls = words ? moduleChildrenMentioning(tree, words).flatMap((child) => child.descendantsOfType('call')) : tree.rootNode.descendantsOfType('call');
  return calls.filter((c): c is Node => {
    const fn = c?.childForFieldName('function');
    return !!fn && matches(fn.text.replace(/\s+/g, ''));
  });
}

/** `read_env` of `env.read_env`: the word a dotted callee always contains. */
export function lastName(callee: string): string {
  return callee.slice(callee.lastIndexOf('.') + 1);
}

/** The module-level statement that contains `node`. */
export function enclosingStatement(node: Node): Node {
  let current: Node = node;
  while (current.parent && current.parent.type !== 'module') current = current.parent;
  return current;
}

/**
 * Read-only queries over a Python syntax tree: where things are, never how to change
 * them. Everything here returns nodes (with offsets) so that edits can splice text.
 */
import type { Node, Tree } from './parser.js';

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
  function* visit(node: Node, conditional: boolean): Generator<{ node: Node; conditional: boolean }> {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (BLOCK_STATEMENTS.has(child.type)) {
        yield* visitBlock(child);
      } else if (child.type === 'block' || child.type.endsWith('_clause')) {
        yield* visit(child, true);
      } else {
        yield { node: child, conditional };
      }
    }
  }
  function* visitBlock(node: Node): Generator<{ node: Node; conditional: boolean }> {
    yield { node, conditional: false };
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'block' || child.type.endsWith('_clause')) yield* visit(child, true);
    }
  }
  yield* visit(tree.rootNode, false);
}

/** Every module-level assignment to `name` (in file order). */
export function findAssignments(tree: Tree, name: string): Assignment[] {
  return allAssignments(tree).filter((a) => a.name === name);
}

const assignmentsByTree = new WeakMap<Tree, Assignment[]>();

/** Every module-level assignment, in file order (computed once per tree: several stages ask). */
export function allAssignments(tree: Tree): Assignment[] {
  const known = assignmentsByTree.get(tree);
  if (known) return known;
  const found: Assignment[] = [];
  assignmentsByTree.set(tree, found);
  for (const { node, conditional } of moduleLevelStatements(tree)) {
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
  for (const { node, conditional } of moduleLevelStatements(tree)) {
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

/** Every call whose callee is written exactly as `callee` (`load_dotenv`, `os.environ.setdefault`). */
export function findCalls(tree: Tree, callee: string | ((text: string) => boolean)): Node[] {
  const matches = typeof callee === 'string' ? (t: string) => t === callee : callee;
  return tree.rootNode.descendantsOfType('call').filter((c): c is Node => {
    const fn = c?.childForFieldName('function');
    return !!fn && matches(fn.text.replace(/\s+/g, ''));
  });
}

/** The module-level statement that contains `node`. */
export function enclosingStatement(node: Node): Node {
  let current: Node = node;
  while (current.parent && current.parent.type !== 'module') current = current.parent;
  return current;
}

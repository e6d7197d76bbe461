/**
 * Static folder paths in settings: `BASE_DIR = Path(__file__).resolve().parent.parent`,
 * `APPS_DIR = BASE_DIR / "my_site"`, `os.path.join(BASE_DIR, "templates")`,
 * `str(APPS_DIR / "templates")`... evaluated without running anything. Unknown shapes
 * evaluate to null, and callers then leave the decision to the user.
 */
import { dirname, join, resolve } from 'node:path';
import { positionalArguments, stringLiteralValue } from '../python/locate.js';
import { pathCandidates } from './path-candidates.js';
import type { Node, Tree } from '../python/parser.js';

export type PathStyle = 'pathlib' | 'os.path';

export interface PathValue {
  path: string;
  style: PathStyle;
}

export interface PathScope {
  /** The settings file (what `__file__` is). */
  file: string;
  /** What a relative path is relative to (Django resolves relative DIRS from the working directory: manage.py's folder). */
  relativeTo: string;
  names: Map<string, PathValue>;
}

function calleeName(call: Node): string {
  return call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
}

/** Evaluates an expression to a path, or null. */
export function evaluatePath(node: Node | null | undefined, scope: PathScope): PathValue | null {
  if (!node) return null;
  switch (node.type) {
    case 'identifier':
      if (node.text === '__file__') return { path: scope.file, style: 'os.path' };
      return scope.names.get(node.text) ?? null;
    case 'parenthesized_expression':
      return node.namedChildren.length === 1 ? evaluatePath(node.namedChildren[0], scope) : null;
    case 'string': {
      const value = stringLiteralValue(node);
      return value === null ? null : { path: resolve(scope.relativeTo, value), style: 'os.path' };
    }
    case 'binary_operator': {
      if (node.childForFieldName('operator')?.text !== '/') return null;
      const left = evaluatePath(node.childForFieldName('left'), scope);
      const right = stringLiteralValue(node.childForFieldName('right'));
      return left && right !== null ? { path: join(left.path, right), style: 'pathlib' } : null;
    }
    case 'attribute': {
      const object = evaluatePath(node.childForFieldName('object'), scope);
      const attr = node.childForFieldName('attribute')?.text;
      return object && attr === 'parent' ? { path: dirname(object.path), style: 'pathlib' } : null;
    }
    case 'subscript': {
      // `.parents[N]`
      const value = node.childForFieldName('value');
      const index = Number(node.childForFieldName('subscript')?.text);
      if (value?.type !== 'attribute' || value.childForFieldName('attribute')?.text !== 'parents' || !Number.isInteger(index)) return null;
      const base = evaluatePath(value.childForFieldName('object'), scope);
      if (!base) return null;
      let path = base.path;
      for (let i = 0; i <= index; i++) path = dirname(path);
      return { path, style: 'pathlib' };
    }
    case 'call':
      return evaluateCall(node, scope);
    default:
      return null;
  }
}

function evaluateCall(call: Node, scope: PathScope): PathValue | null {
  const name = calleeName(call);
  const args = positionalArguments(call);
  const fn = call.childForFieldName('function');
  // Methods on a path: .resolve(), .absolute(), .joinpath("a", "b").
  if (fn?.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text;
    if (method === 'resolve' || method === 'absolute' || method === 'expanduser') {
      const base = evaluatePath(fn.childForFieldName('object'), scope);
      return base ? { path: base.path, style: 'pathlib' } : null;
    }
    if (method === 'joinpath') {
      const base = evaluatePath(fn.childForFieldName('object'), scope);
      const parts = args.map((a) => stringLiteralValue(a));
      return base && parts.every((p) => p !== null) ? { path: join(base.path, ...(parts as string[])), style: 'pathlib' } : null;
    }
  }
  switch (name) {
    case 'Path':
    case 'pathlib.Path': {
      const inner = evaluatePath(args[0], scope);
      return inner && args.length === 1 ? { path: inner.path, style: 'pathlib' } : null;
    }
    // str() and the os.path functions return a str even when given a Path: a name bound
    // to one holds a str, and `name / ".env"` would be a TypeError.
    case 'str':
    case 'os.path.abspath':
    case 'os.path.realpath':
    case 'os.path.normpath':
    case 'os.fspath': {
      const inner = args.length === 1 ? evaluatePath(args[0], scope) : null;
      return inner ? { path: inner.path, style: 'os.path' } : null;
    }
    case 'os.path.dirname': {
      const inner = evaluatePath(args[0], scope);
      return inner && args.length === 1 ? { path: dirname(inner.path), style: 'os.path' } : null;
    }
    case 'os.path.join': {
      const base = evaluatePath(args[0], scope);
      const parts = args.slice(1).map((a) => stringLiteralValue(a));
      return base && parts.every((p) => p !== null) ? { path: join(base.path, ...(parts as string[])), style: 'os.path' } : null;
    }
    default:
      return null;
  }
}

/** Every module-level name bound (unconditionally, once) to a path we can evaluate, in file order. */
export function pathScope(tree: Tree, file: string, relativeTo: string): PathScope {
  const scope: PathScope = { file, relativeTo, names: new Map() };
  const counts = new Map<string, number>();
  // Only the statements that may bind a path are read as syntax (see path-candidates.ts).
  const { assignments, otherBindings } = pathCandidates(tree);
  for (const a of assignments) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
  for (const [name, count] of otherBindings) counts.set(name, (counts.get(name) ?? 0) + count);
  for (const a of assignments) {
    if (a.conditional || a.kind === 'augmented' || counts.get(a.name) !== 1) continue;
    const value = evaluatePath(a.value, scope);
    if (value) scope.names.set(a.name, value);
  }
  return scope;
}

export interface PathExpression {
  /** Python source for the folder (`BASE_DIR`, `Path(__file__).resolve().parents[1]`). */
  source: string;
  style: PathStyle;
  /** The settings name used, when one is (insert after its assignment). */
  boundBy: string | null;
  /** The source uses `Path`, which the file must import. */
  needsPathImport: boolean;
}

/**
 * Python source naming `dir` from the settings file: a module-level name bound to it
 * (BASE_DIR first), else `Path(__file__).resolve().parents[N]` (the caller imports
 * Path when `needsPathImport`). Null when `dir` is not the settings file's folder or
 * one above it.
 */
export function expressionFor(dir: string, scope: PathScope): PathExpression | null {
  const named = [...scope.names.entries()].sort(([a], [b]) => (a === 'BASE_DIR' ? -1 : b === 'BASE_DIR' ? 1 : 0));
  for (const [name, value] of named) if (value.path === dir) return { source: name, style: value.style, boundBy: name, needsPathImport: false };
  let levels = 0;
  for (let current = dirname(scope.file); current !== dir; current = dirname(current)) {
    if (current === dirname(current)) return null;
    levels++;
  }
  const source = levels === 0 ? 'Path(__file__).resolve().parent' : `Path(__file__).resolve().parents[${levels}]`;
  return { source, style: 'pathlib', boundBy: null, needsPathImport: true };
}

/** `base / "part"` or `os.path.join(base, "part")`, with `part` already a Python literal. */
export function joinExpression(base: PathExpression, partLiteral: string): string {
  return base.style === 'pathlib' ? `${base.source} / ${partLiteral}` : `os.path.join(${base.source}, ${partLiteral})`;
}

/**
 * Static values of settings: what a module-level expression evaluates to when it is
 * made of literals, names bound to literals, `+`, `list()`/`tuple()` and `*` unpacking.
 * Everything else is kept as an "unknown part" with its file and line, so callers can
 * report it instead of guessing.
 */
import { lineOf, type Node } from '../python/parser.js';
import { stringLiteralValue } from '../python/locate.js';
import { short } from './snippet.js';

/** A piece of a value that cannot be read without running the code. */
export interface UnknownPart {
  file: string;
  line: number;
  text: string;
}

export type Value =
  | { kind: 'str'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'seq'; items: string[]; unknown: UnknownPart[] }
  | { kind: 'unknown'; unknown: UnknownPart[] };

export interface Binding {
  value: Value;
  /** The expression it was last given (for dict literals like TEMPLATES, read as syntax). */
  node: Node | null;
  file: string;
  line: number;
}

export type Namespace = Map<string, Binding>;

export function unknownAt(node: Node, file: string): Value {
  return { kind: 'unknown', unknown: [{ file, line: lineOf(node), text: short(node.text) }] };
}

/** Evaluates an expression against the names bound so far. */
export function evaluate(node: Node | null, ns: Namespace, file: string): Value {
  if (!node) return { kind: 'unknown', unknown: [] };
  switch (node.type) {
    case 'string':
    case 'concatenated_string': {
      const value = stringLiteralValue(node);
      return value === null ? unknownAt(node, file) : { kind: 'str', value };
    }
    case 'true':
      return { kind: 'bool', value: true };
    case 'false':
      return { kind: 'bool', value: false };
    case 'parenthesized_expression': {
      const inner = node.namedChildren.filter((c) => c?.type !== 'comment');
      return inner.length === 1 ? evaluate(inner[0]!, ns, file) : unknownAt(node, file);
    }
    case 'list':
    case 'tuple':
      return sequence(node, ns, file);
    case 'identifier': {
      const bound = ns.get(node.text);
      return bound ? bound.value : unknownAt(node, file);
    }
    case 'binary_operator': {
      if (node.childForFieldName('operator')?.text !== '+') return unknownAt(node, file);
      return add(
        evaluate(node.childForFieldName('left'), ns, file),
        evaluate(node.childForFieldName('right'), ns, file),
        node,
        file,
      );
    }
    case 'call': {
      const fn = node.childForFieldName('function')?.text;
      const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a?.type !== 'comment');
      if ((fn === 'list' || fn === 'tuple') && args.length === 1 && args[0]!.type !== 'keyword_argument') {
        const inner = evaluate(args[0]!, ns, file);
        if (inner.kind === 'seq') return inner;
      }
      return unknownAt(node, file);
    }
    default:
      return unknownAt(node, file);
  }
}

function sequence(node: Node, ns: Namespace, file: string): Value {
  const items: string[] = [];
  const unknown: UnknownPart[] = [];
  for (const element of node.namedChildren) {
    if (!element || element.type === 'comment') continue;
    const value =
      element.type === 'list_splat' ? evaluate(element.namedChildren[0] ?? null, ns, file) : evaluate(element, ns, file);
    if (element.type === 'list_splat' && value.kind === 'seq') {
      items.push(...value.items);
      unknown.push(...value.unknown);
    } else if (element.type !== 'list_splat' && value.kind === 'str') {
      items.push(value.value);
    } else {
      unknown.push(...(value.kind === 'unknown' && value.unknown.length > 0 ? value.unknown : [unknownPart(element, file)]));
    }
  }
  return { kind: 'seq', items, unknown };
}

function unknownPart(node: Node, file: string): UnknownPart {
  return { file, line: lineOf(node), text: short(node.text) };
}

/** `a + b` for strings and sequences; a sequence plus something unknown keeps what is known. */
export function add(left: Value, right: Value, node: Node, file: string): Value {
  if (left.kind === 'str' && right.kind === 'str') return { kind: 'str', value: left.value + right.value };
  const l = asSequence(left);
  const r = asSequence(right);
  if (l && r && (left.kind === 'seq' || right.kind === 'seq')) {
    return { kind: 'seq', items: [...l.items, ...r.items], unknown: [...l.unknown, ...r.unknown] };
  }
  const parts = [...(left.kind === 'unknown' ? left.unknown : []), ...(right.kind === 'unknown' ? right.unknown : [])];
  return { kind: 'unknown', unknown: parts.length > 0 ? parts : [unknownPart(node, file)] };
}

/** A sequence, or an unknown seen as a sequence of unknown entries (so `+` keeps the known part). */
export function asSequence(value: Value): { items: string[]; unknown: UnknownPart[] } | null {
  if (value.kind === 'seq') return value;
  if (value.kind === 'unknown') return { items: [], unknown: value.unknown };
  return null;
}

/** True when an expression mentions `name` (so `X = X + [...]` extends X instead of replacing it). */
export function mentions(node: Node | null, name: string): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return node.text === name;
  return node.descendantsOfType('identifier').some((n) => n?.text === name);
}

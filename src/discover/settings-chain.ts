/**
 * Follows a settings module the way Python would run it, without running it: statement
 * by statement at module level, into star imports (`from .base import *`, absolute or
 * relative, inside try/except too), names imported from other settings modules, and
 * django-split-settings `include()` (files run in the including module's namespace).
 * What comes out is the final namespace of static values, plus where each setting was
 * defined and extended.
 */
import { dirname, join, resolve, sep } from 'node:path';
import { lineOf, type Node, type Tree } from '../python/parser.js';
import {
  allAssignments,
  findImports,
  moduleLevelStatementsMentioning,
  positionalArguments,
  type Assignment,
  type ImportInfo,
} from '../python/locate.js';
import { resolveImport } from './python-modules.js';
import { add, asSequence, evaluate, mentions, type Binding, type Namespace, type Value } from './settings-values.js';
import type { SourceCache } from './source-cache.js';
import { short } from './snippet.js';

export interface Place {
  file: string;
  line: number;
}

export interface SettingsChain {
  /** The module Django loads. */
  loadedFile: string;
  /** Every settings file that ran, the loaded one first. */
  files: string[];
  namespace: Namespace;
  /** Where each name was given a new value (`X = ...` not mentioning X), in run order. */
  definitions: Map<string, Place[]>;
  /** Where each name was extended (`X += ...`, `X.append(...)`, `X = X + ...`), in run order. */
  extensions: Map<string, Place[]>;
  /**
   * Files run by django-split-settings' include(), mapped to the module whose namespace
   * they run in: their `__file__` is that module's file, not their own.
   */
  includedBy: Map<string, string>;
}

export function followSettings(cache: SourceCache, loadedFile: string, roots: string[]): SettingsChain {
  const walker = new ChainWalker(cache, roots);
  const namespace = walker.runModule(loadedFile, true);
  return {
    loadedFile,
    files: walker.files,
    namespace,
    definitions: walker.definitions,
    extensions: walker.extensions,
    includedBy: walker.includedBy,
  };
}

class ChainWalker {
  readonly files: string[] = [];
  readonly definitions = new Map<string, Place[]>();
  readonly extensions = new Map<string, Place[]>();
  readonly includedBy = new Map<string, string>();
  private readonly modules = new Map<string, Namespace>();
  private readonly running = new Set<string>();

  constructor(
    private readonly cache: SourceCache,
    private readonly roots: string[],
  ) {}

  /** A module's own namespace, run once (Python caches modules too). */
  runModule(file: string, listed: boolean): Namespace {
    let ns = this.modules.get(file);
    if (!ns) {
      ns = new Map();
      this.modules.set(file, ns);
      this.runInto(file, ns, listed);
    }
    return ns;
  }

  /** Runs a file's module-level statements in `ns`. */
  private runInto(file: string, ns: Namespace, listed: boolean): void {
    if (this.running.has(file)) return;
    if (listed && !this.files.includes(file)) this.files.push(file);
    const tree = this.cache.tree(file, 'settings-syntax-error');
    if (!tree) return;
    this.running.add(file);
    try {
      this.runStatements(tree, file, ns, listed);
    } finally {
      this.running.delete(file);
    }
  }

  private runStatements(tree: Tree, file: string, ns: Namespace, listed: boolean): void {
    // The statements that do something here, in file order: imports, assignments, and the
    // calls `call` acts on (found by their method or include name: no walk of every
    // statement of a large file).
    const steps: { at: number; run: () => void }[] = [];
    const imports = findImports(tree);
    const imported = new Set(imports.map((i) => i.node.id));
    for (const info of imports) steps.push({ at: info.node.startIndex, run: () => this.runImport(info, file, ns, listed) });
    const assigned = new Set<number>();
    for (const a of allAssignments(tree)) {
      if (imported.has(a.statement.id)) continue;
      assigned.add(a.statement.id);
      steps.push({ at: a.statement.startIndex, run: () => this.assign(a, file, ns) });
    }
    const includeNames = splitSettingsNames(imports);
    for (const { node } of moduleLevelStatementsMentioning(tree, [...CALL_METHODS, ...includeNames])) {
      if (imported.has(node.id) || assigned.has(node.id)) continue;
      const expr = node.type === 'expression_statement' ? node.namedChildren[0] : null;
      if (expr?.type === 'call') steps.push({ at: node.startIndex, run: () => this.call(expr, file, ns, listed, includeNames) });
    }
    // Stable: the assignments of one statement (`A = B = ...`) keep their order.
    steps.sort((a, b) => a.at - b.at);
    for (const step of steps) step.run();
  }

  private runImport(info: ImportInfo, file: string, ns: Namespace, listed: boolean): void {
    if (info.from === null || info.from === '__future__') return;
    const target = resolveImport(this.cache, file, info.from, this.roots);
    if (!target) {
      const local = info.from.startsWith('.') || this.isLocalPackage(info.from);
      if (local && !insideTry(info.node) && (info.star || info.names.some((n) => isSettingName(n.name)))) {
        this.cache.report({
          code: 'settings-import-missing',
          message: `\`${short(info.node.text)}\` names a module that is not in the project`,
          file,
          line: lineOf(info.node),
        });
      }
      return;
    }
    if (info.star) {
      for (const [name, binding] of this.runModule(target, listed)) {
        if (!name.startsWith('_')) ns.set(name, binding);
      }
      return;
    }
    // Named imports: only settings-like names are worth running the module for.
    if (!info.names.some((n) => isSettingName(n.name))) return;
    const source = this.runModule(target, false);
    for (const { name, alias } of info.names) {
      const binding = source.get(name);
      if (binding) ns.set(alias ?? name, binding);
    }
  }

  private isLocalPackage(dotted: string): boolean {
    const first = dotted.split('.')[0]!;
    return this.roots.some((root) => this.cache.isDir(join(root, first)));
  }

  private assign(a: Assignment, file: string, ns: Namespace): void {
    const place = { file, line: lineOf(a.statement) };
    const current = ns.get(a.name);
    if (a.kind === 'augmented') {
      const value: Value =
        a.operator === '+=' && current
          ? add(current.value, evaluate(a.value, ns, file), a.statement, file)
          : { kind: 'unknown', unknown: [{ file, line: place.line, text: short(a.statement.text) }] };
      record(this.extensions, a.name, place);
      ns.set(a.name, { value, node: current?.node ?? null, file: current?.file ?? file, line: current?.line ?? place.line });
      return;
    }
    const value = evaluate(a.value, ns, file);
    const extends_ = current !== undefined && mentions(a.value, a.name);
    record(extends_ ? this.extensions : this.definitions, a.name, place);
    const binding: Binding = extends_ && current
      ? { value, node: current.node, file: current.file, line: current.line }
      : { value, node: a.value, file, line: place.line };
    ns.set(a.name, binding);
  }

  /** `X.append(...)`, `.extend`, `.insert`, `.remove` on a sequence; split-settings `include()`. */
  private call(call: Node, file: string, ns: Namespace, listed: boolean, includeNames: Set<string>): void {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    if (fn.type === 'identifier' && includeNames.has(fn.text)) {
      this.include(call, file, ns, listed);
      return;
    }
    if (fn.type !== 'attribute') return;
    const object = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')?.text ?? '';
    if (object?.type !== 'identifier' || !CALL_METHODS.includes(method)) return;
    const current = ns.get(object.text);
    const sequence = current ? asSequence(current.value) : null;
    if (!current || !sequence) return;
    const args = positionalArguments(call);
    const items = [...sequence.items];
    const unknown = [...sequence.unknown];
    const unknownArg = { file, line: lineOf(call), text: short(call.text) };
    if (method === 'append' || method === 'insert') {
      const arg = evaluate(args[method === 'insert' ? 1 : 0] ?? null, ns, file);
      if (arg.kind !== 'str') unknown.push(unknownArg);
      else if (method === 'append') items.push(arg.value);
      else items.splice(insertIndex(args[0], items.length), 0, arg.value);
    } else if (method === 'extend') {
      const arg = evaluate(args[0] ?? null, ns, file);
      if (arg.kind === 'seq') {
        items.push(...arg.items);
        unknown.push(...arg.unknown);
      } else unknown.push(unknownArg);
    } else {
      const arg = evaluate(args[0] ?? null, ns, file);
      const at = arg.kind === 'str' ? items.indexOf(arg.value) : -1;
      if (at >= 0) items.splice(at, 1);
      else if (arg.kind !== 'str') unknown.push(unknownArg);
    }
    record(this.extensions, object.text, { file, line: lineOf(call) });
    ns.set(object.text, { ...current, value: { kind: 'seq', items, unknown } });
  }

  /** django-split-settings: each file runs in the namespace of the module that includes it. */
  private include(call: Node, file: string, ns: Namespace, listed: boolean): void {
    const patterns: { pattern: string; optional: boolean; node: Node }[] = [];
    for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
      if (!arg || arg.type === 'comment' || arg.type === 'keyword_argument') continue;
      const optional = arg.type === 'call' && arg.childForFieldName('function')?.text === 'optional';
      const inner = optional ? positionalArguments(arg)[0] ?? null : arg.type === 'list_splat' ? arg.namedChildren[0] ?? null : arg;
      const value = evaluate(inner, ns, file);
      const found = value.kind === 'str' ? [value.value] : value.kind === 'seq' && value.unknown.length === 0 ? value.items : null;
      if (!found) {
        this.cache.report({
          code: 'split-settings-computed',
          message: `include() is given a value authkit-django cannot read (${short(arg.text)}); those settings files are not followed`,
          file,
          line: lineOf(arg),
        });
        continue;
      }
      for (const pattern of found) patterns.push({ pattern, optional, node: arg });
    }
    for (const { pattern, optional, node } of patterns) {
      const files = expandGlob(this.cache, resolve(dirname(file), pattern));
      if (files.length === 0 && !optional) {
        this.cache.report({
          code: 'settings-import-missing',
          message: `include('${pattern}') matches no file`,
          file,
          line: lineOf(node),
        });
      }
      for (const included of files) {
        // Nested includes still run in the first module's namespace.
        if (!this.includedBy.has(included)) this.includedBy.set(included, this.includedBy.get(file) ?? file);
        this.runInto(included, ns, listed);
      }
    }
  }
}

function record(map: Map<string, Place[]>, name: string, place: Place): void {
  const list = map.get(name) ?? [];
  list.push(place);
  map.set(name, list);
}

/** Names a module binds to split-settings' `include` (usually just `include`). */
/** The methods `call` follows on a module-level sequence. */
const CALL_METHODS = ['append', 'extend', 'insert', 'remove'];

function splitSettingsNames(imports: readonly ImportInfo[]): Set<string> {
  const names = new Set<string>();
  for (const info of imports) {
    if (info.from !== 'split_settings.tools') continue;
    for (const n of info.names) if (n.name === 'include') names.add(n.alias ?? n.name);
  }
  return names;
}

/** UPPERCASE names are settings; Django ignores the rest. */
export function isSettingName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name);
}

function insideTry(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'try_statement') return true;
  return false;
}

function insertIndex(node: Node | undefined, length: number): number {
  const text = node?.text.replace(/\s+/g, '') ?? '';
  if (!/^-?\d+$/.test(text)) return length;
  const n = Number(text);
  const at = n < 0 ? Math.max(0, length + n) : Math.min(n, length);
  return at;
}

/** Python's glob for the patterns split-settings takes (`*`, `?`, `[...]` within a path segment), sorted. */
export function expandGlob(cache: SourceCache, pattern: string): string[] {
  const parts = pattern.split(/[\\/]/);
  let paths = [parts[0] === '' ? sep : parts[0]!];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const base of paths) {
      if (!/[*?[]/.test(part)) {
        next.push(join(base, part));
        continue;
      }
      const regex = globRegex(part);
      for (const entry of cache.list(base)) {
        if (regex.test(entry.name) && !(entry.name.startsWith('.') && !part.startsWith('.'))) next.push(join(base, entry.name));
      }
    }
    paths = next;
  }
  return paths.filter((p) => cache.isFile(p)).sort();
}

function globRegex(part: string): RegExp {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const end = part.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${part.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

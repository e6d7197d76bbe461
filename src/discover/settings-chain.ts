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
  assignmentsAmong,
  findImports,
  moduleChildrenMentioning,
  moduleLevelStatementsMentioning,
  positionalArguments,
  type Assignment,
  type ImportInfo,
} from '../python/locate.js';
import { resolveImport } from './python-modules.js';
import { add, asSequence, evaluate, mentions, type Binding, type Namespace, type Value } from './settings-values.js';
import type { Problem } from './model.js';
import { problemKey, type SourceCache } from './source-cache.js';
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

/**
 * Runs the chain for the settings `names` (what the callers read of the namespace, and of
 * `definitions`). Only the statements that mention one of them are evaluated, and with
 * them every name those statements use, and so on: `INSTALLED_APPS = BASE_APPS + [...]`
 * brings in BASE_APPS wherever it is bound. A 2 MB settings file of other names is then
 * searched as text, not walked statement by statement. A name that becomes needed only
 * after a module that binds it has already run (a later file of the chain uses a name of
 * an earlier one) makes the walk run again with every name found; after a few rounds it
 * evaluates every statement, as it did before. Reading a name that was not asked for
 * from the namespace throws: a new reader must be added to the callers' list.
 */
export function followSettings(cache: SourceCache, loadedFile: string, roots: string[], names: readonly string[]): SettingsChain {
  const wanted = new Set(names);
  const earlier: Problem[] = [];
  for (let round = 0; ; round++) {
    const filtered = round < MAX_ROUNDS;
    const walker = new ChainWalker(cache, roots, filtered ? wanted : null);
    const namespace = walker.runModule(loadedFile, true);
    if (walker.stale && filtered) {
      earlier.push(...walker.firstReported);
      continue;
    }
    // A round run again may have reported what the final one does not (an include() of a
    // name it had not followed yet): only the final round's problems stay.
    const kept = new Set(walker.problems.map(problemKey));
    for (const problem of earlier) if (!kept.has(problemKey(problem))) cache.retract(problem);
    return {
      loadedFile,
      files: walker.files,
      namespace: filtered ? new WantedNamespace(namespace, wanted) : namespace,
      definitions: walker.definitions,
      extensions: walker.extensions,
      includedBy: walker.includedBy,
    };
  }
}

const MAX_ROUNDS = 3;

/** The final namespace of a filtered walk: only the names it followed may be read. */
class WantedNamespace extends Map<string, Binding> {
  constructor(
    entries: Namespace,
    private readonly wanted: ReadonlySet<string>,
  ) {
    super(entries);
  }

  private check(name: string): void {
    if (!this.wanted.has(name)) throw new Error(`the settings chain was not followed for ${name}: add it to the names followSettings is given`);
  }

  override get(name: string): Binding | undefined {
    this.check(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    this.check(name);
    return super.has(name);
  }
}

/** What the filtered walk knows of a module it started: the children it evaluates. */
interface Started {
  tree: Tree;
  children: Node[];
  starts: Set<number>;
  ran: boolean;
}

/** The names an expression or statement reads or binds: its identifiers (not words in strings or comments). */
function identifiersIn(node: Node): string[] {
  if (node.type === 'identifier') return [node.text];
  return node.descendantsOfType('identifier').map((id) => id!.text);
}

class ChainWalker {
  readonly files: string[] = [];
  readonly definitions = new Map<string, Place[]>();
  readonly extensions = new Map<string, Place[]>();
  readonly includedBy = new Map<string, string>();
  /** What this round reported, and which of those no one had reported before it. */
  readonly problems: Problem[] = [];
  readonly firstReported: Problem[] = [];
  /** A name became needed that a module already run binds: run the walk again. */
  stale = false;
  private readonly modules = new Map<string, Namespace>();
  private readonly running = new Set<string>();
  private readonly started = new Map<Tree, Started>();

  constructor(
    private readonly cache: SourceCache,
    private readonly roots: string[],
    /** The names to follow (grows as statements that use others are found); null: every statement. */
    private readonly wanted: Set<string> | null,
  ) {}

  private report(problem: Problem): void {
    this.problems.push(problem);
    if (this.cache.report(problem)) this.firstReported.push(problem);
  }

  /**
   * The module's children that mention a wanted name (or one of `extraWords`), and then
   * those that mention a name these use, to a fixed point, in file order. A name added
   * here that another module already started mentions outside its own evaluated
   * children marks the walk stale.
   */
  private relevantChildren(tree: Tree, wanted: Set<string>, extraWords: Iterable<string>): Node[] {
    let entry = this.started.get(tree);
    if (!entry) this.started.set(tree, (entry = { tree, children: [], starts: new Set(), ran: false }));
    const current = entry;
    let words = [...wanted, ...extraWords];
    while (words.length > 0) {
      const added: string[] = [];
      for (const child of moduleChildrenMentioning(tree, words)) {
        if (current.starts.has(child.startIndex)) continue;
        current.starts.add(child.startIndex);
        current.children.push(child);
        for (const name of identifiersIn(child)) {
          if (wanted.has(name)) continue;
          wanted.add(name);
          added.push(name);
        }
      }
      if (added.length > 0 && !this.stale) {
        for (const other of this.started.values()) {
          if (other === current && !current.ran) continue;
          if (moduleChildrenMentioning(other.tree, added).some((child) => !other.starts.has(child.startIndex))) this.stale = true;
        }
      }
      words = added;
    }
    current.ran = true;
    return [...current.children].sort((a, b) => a.startIndex - b.startIndex);
  }

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
    const includeNames = splitSettingsNames(imports);
    const assignments = this.wanted ? assignmentsAmong(this.relevantChildren(tree, this.wanted, includeNames)) : allAssignments(tree);
    for (const a of assignments) {
      if (imported.has(a.statement.id)) continue;
      assigned.add(a.statement.id);
      steps.push({ at: a.statement.startIndex, run: () => this.assign(a, file, ns) });
    }
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
        this.report({
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
        this.report({
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
        this.report({
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

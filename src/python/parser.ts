import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Edit, Language, Parser, type Node, type Point, type Tree as SyntaxTree } from 'web-tree-sitter';
import { EXIT, UserError } from '../util/errors.js';
import { packagePath } from '../util/package-root.js';
import { timePart } from '../util/phase-times.js';
import { ModuleTree, type Segment } from './module-tree.js';

/** A parsed Python module (see module-tree.ts). */
export type Tree = ModuleTree;
export type { Node };

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;
/** Whether a parse has run yet: V8 compiles each of the parser's wasm functions at its first call. */
let parsedYet = false;

/**
 * Above this size a parse is long enough to repay V8's optimizing compile of the parser
 * (measured on a 2 MB settings file: about 0.9 s of CPU with the baseline compiler
 * alone, 0.65 s with the optimizing one, compile included; a 100 KB file gains nothing).
 */
export const OPTIMIZE_PARSER_ABOVE = 512 * 1024;

/**
 * Tells the parser, before its first parse, the size of the largest source the run is
 * about to parse. Only the first call before any parse counts: V8 compiles each wasm
 * function once, at its first call, with the compiler chosen then, so a small file parsed
 * first (manage.py) would fix the baseline code for the whole run. A wrong guess costs
 * time only, never a different tree.
 */
export function expectPythonSource(chars: number): void {
  if (parsedYet || chars <= OPTIMIZE_PARSER_ABOVE) return;
  setFlagsFromString('--no-liftoff-only');
  setFlagsFromString('--no-liftoff');
}

/** Loads web-tree-sitter and the Python grammar once per process. */
export function loadPythonParser(): Promise<Parser> {
  ready ??= (async () => {
    // A short-lived command never earns back V8's optimizing compile of the grammar's
    // wasm: the baseline compiler alone starts tens of milliseconds sooner.
    setFlagsFromString('--liftoff-only');
    await Parser.init();
    const wasm = readFileSync(packagePath('grammar', 'tree-sitter-python.wasm'));
    const language = await Language.load(wasm);
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
    return p;
  })();
  return ready;
}

/**
 * The largest Python source parsed, in characters (UTF-16 code units, about bytes for
 * ASCII). Parsing is linear but the grammar's wasm heap is not unbounded: a 5.5 MB file
 * aborted it. Larger files are refused before parsing, with the file named. Documented in
 * the README.
 */
export const MAX_PARSE_CHARS = 3 * 1024 * 1024;

export class TooLargeToParse extends UserError {
  constructor(readonly file: string | undefined, readonly size: number) {
    super(
      `${file ?? 'a Python file'} is too large to edit safely (${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_PARSE_CHARS / 1024 / 1024} MB); nothing was written`,
      EXIT.error,
      'Move most of it into a module the settings import (authkit-django edits the file that defines INSTALLED_APPS), or make the changes by hand.',
    );
    this.name = 'TooLargeToParse';
  }
}

function checkSize(source: string, file?: string): void {
  if (source.length > MAX_PARSE_CHARS) throw new TooLargeToParse(file, source.length);
}

/**
 * Parses Python source. Call `loadPythonParser()` once before (the commands do it at
 * start-up) so that everything after it stays synchronous. `file` names the source in
 * the refusal of a file over MAX_PARSE_CHARS.
 */
export function parsePython(source: string, file?: string): Tree {
  if (!parser) throw new Error('parsePython called before loadPythonParser()');
  // Several stages read the same text (each planned edit re-reads the settings file):
  // trees are never edited in place, so one parse per distinct text is enough.
  const cached = recentTrees.get(source);
  if (cached) return cached;
  checkSize(source, file);
  expectPythonSource(source.length);
  parsedYet = true;
  const p = parser;
  const parsed = timePart('whole-file parse', () => p.parse(source));
  if (!parsed) throw new Error('tree-sitter returned no tree');
  parseCounts.full++;
  parseCounts.fullChars += source.length;
  const tree = new ModuleTree(source, [{ tree: parsed, start: 0, end: Infinity }]);
  remember(source, tree);
  return tree;
}

/** How much parsing a run did (tests check that an edit never costs a whole-file parse). */
export const parseCounts = { full: 0, fullChars: 0, incremental: 0 };

/** The text a tree was parsed from. */
export function sourceOf(tree: Tree): string {
  return tree.text;
}

function remember(source: string, tree: Tree): void {
  recentTrees.set(source, tree);
  if (recentTrees.size > RECENT_TREES) {
    // Dropped, not deleted: a caller may still hold it, and a CLI run is short.
    recentTrees.delete(recentTrees.keys().next().value as string);
  }
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of `index` in `text`. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * The tree of `after`, a small edit of `before`. Only the module-level statements around
 * the changed span (found as the common head and tail of the two texts) are parsed again,
 * on their own; the trees of the statements before it are kept as they are, those after
 * it shifted by the edit. An edit of a 2 MB settings file then costs milliseconds, not
 * the whole-file walk an incremental tree-sitter parse makes (it re-visits every
 * top-level statement). Where that local parse is not clearly equivalent (a syntax error
 * before or after, a line joined across the cut) the whole text is parsed again instead,
 * so errors are found and reported exactly as a fresh parse finds them.
 */
export function parseEdited(before: string, after: string, file?: string): Tree {
  const cached = recentTrees.get(after);
  if (cached) return cached;
  const old = recentTrees.get(before);
  if (!old || !parser) return parsePython(after, file);
  checkSize(after, file);
  const start = commonHead(before, after);
  const tail = commonTail(before, after, start);
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  const edit = new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
  const tree = old.rootNode.hasError ? null : reparseAround(old, after, edit);
  if (tree) {
    remember(after, tree);
    return tree;
  }
  if (old.segments.length !== 1) return parsePython(after, file);
  // The whole text, re-using the unchanged parts of the one tree `before` has.
  const edited = old.segments[0]!.tree.copy();
  edited.edit(edit);
  parsedYet = true;
  const parsed = parser.parse(after, edited);
  edited.delete();
  parseCounts.incremental++;
  if (!parsed) throw new Error('tree-sitter returned no tree');
  const whole = new ModuleTree(after, [{ tree: parsed, start: 0, end: Infinity }]);
  remember(after, whole);
  return whole;
}

/**
 * `before`'s tree with the statements around `edit` parsed again from `after`; null when
 * that part does not parse cleanly on its own. The part runs from the start of a
 * module-level statement that begins a line before the edit to the start of one after
 * it: there the parser's state is that of a file's start (no open bracket, string or
 * block), so that part parses alone exactly as it does within the whole file.
 */
function reparseAround(old: ModuleTree, after: string, edit: Edit): ModuleTree | null {
  const before = old.text;
  const cutAt = (index: number): boolean => {
    const c = before.charCodeAt(index);
    // A statement at column 0 (not a blank or comment line, not a continuation).
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x23 || c === 0x0c) return false;
    return old.rootNode.firstNamedChildForIndex(index)?.startIndex === index;
  };
  let from = edit.startIndex === 0 ? 0 : lineStartOf(before, edit.startIndex - 1);
  while (from > 0 && !cutAt(from)) from = lineStartOf(before, from - 1);
  let to = nextLineStart(before, edit.oldEndIndex);
  while (to < before.length && !cutAt(to)) to = nextLineStart(before, to);
  to = Math.min(to, before.length);
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const partEnd = to + delta;
  // A backslash before the part's last newline would join it to the next statement.
  if (/\\\r?\n$/.test(after.slice(Math.max(from, partEnd - 3), partEnd))) return null;
  parsedYet = true;
  const part = parser!.parse(after, null, {
    includedRanges: [{ startIndex: from, endIndex: partEnd, startPosition: pointAt(after, from), endPosition: pointAt(after, partEnd) }],
  });
  if (!part) throw new Error('tree-sitter returned no tree');
  parseCounts.incremental++;
  if (part.rootNode.hasError) return null;
  const segments: Segment[] = [];
  const shifted = new Map<SyntaxTree, SyntaxTree>();
  const shift = (tree: SyntaxTree): SyntaxTree => {
    let copy = shifted.get(tree);
    if (!copy) {
      copy = tree.copy();
      copy.edit(edit);
      // Node text is read through the tree's callback: the shifted copy reads `after`.
      (copy as unknown as { textCallback: (index: number) => string }).textCallback = (index) => after.slice(index);
      shifted.set(tree, copy);
    }
    return copy;
  };
  for (const segment of old.segments) {
    if (segment.start < from) segments.push({ ...segment, end: Math.min(segment.end, from) });
  }
  segments.push({ tree: part, start: from, end: to >= before.length ? Infinity : partEnd });
  if (to < before.length) {
    for (const segment of old.segments) {
      if (segment.end <= to) continue;
      const origin = { tree: segment.origin?.tree ?? segment.tree, shift: (segment.origin?.shift ?? 0) + delta };
      segments.push({ tree: shift(segment.tree), start: Math.max(segment.start, to) + delta, end: segment.end + delta, origin });
    }
  }
  return new ModuleTree(after, segments);
}

/**
 * How many leading characters `a` and `b` share. Compared a block at a time (string
 * equality runs natively), then character by character within the first block that
 * differs: a 2 MB settings file costs well under a millisecond per edit.
 */
function commonHead(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  for (let block = 1 << 16; block >= 1; block >>= 4) {
    while (at + block <= limit && a.slice(at, at + block) === b.slice(at, at + block)) at += block;
  }
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** How many trailing characters `a` and `b` share, not reaching into their first `head`. */
function commonTail(a: string, b: string, head: number): number {
  const limit = Math.min(a.length, b.length) - head;
  let tail = 0;
  for (let block = 1 << 16; block >= 1; block >>= 4) {
    while (tail + block <= limit && a.slice(a.length - tail - block, a.length - tail) === b.slice(b.length - tail - block, b.length - tail)) tail += block;
  }
  while (tail < limit && a.charCodeAt(a.length - tail - 1) === b.charCodeAt(b.length - tail - 1)) tail++;
  return tail;
}

function lineStartOf(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** The start of the line after the one holding `index` (the text's length on the last line). */
function nextLineStart(text: string, index: number): number {
  const eol = text.indexOf('\n', index);
  return eol === -1 ? text.length : eol + 1;
}

const RECENT_TREES = 64;
const recentTrees = new Map<string, Tree>();

/** 1-based line of a node, as people and editors count them. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** The first syntax error in a tree, if any: an ERROR node or a MISSING token. */
export function firstSyntaxError(tree: Tree): Node | null {
  for (const segment of tree.segments) {
    const root = segment.tree.rootNode;
    if (!root.hasError) continue;
    const whole = segment.start === 0 && segment.end === Infinity;
    const stack: Node[] = whole ? [root] : root.children.filter((c): c is Node => !!c && c.startIndex >= segment.start && c.startIndex < segment.end);
    while (stack.length > 0) {
      const node = stack.shift()!;
      if (node.isError || node.isMissing) return node;
      if (node.hasError) stack.unshift(...node.children.filter((c): c is Node => !!c));
    }
    if (whole) return root;
  }
  return null;
}

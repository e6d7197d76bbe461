import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Edit, Language, Parser, type Node, type Point, type Tree as SyntaxTree } from 'web-tree-sitter';
import { EXIT, UserError } from '../util/errors.js';
import { packagePath } from '../util/package-root.js';
import { commonHead, commonTail } from '../util/common-ends.js';
import { timePart } from '../util/phase-times.js';
import { ModuleTree, segmentHasError, type Segment } from './module-tree.js';
import { PlainRun, endsContinued, parseInParts } from './parse-in-parts.js';
import { lineStart, nextLineStart } from './style.js';

/** A parsed Python module (see module-tree.ts). */
export type Tree = ModuleTree;
export type { Node };

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;

/**
 * Sources above this many characters are parsed in parts (parse-in-parts.ts): of a large
 * settings file only the statements a query reads are parsed, the rest is checked by a
 * character loop. Below it one whole-file parse costs less than cutting the text.
 * AUTHKIT_DJANGO_PARSE_IN_PARTS_ABOVE changes it (the tests run small files in parts).
 */
export const PARSE_IN_PARTS_ABOVE = Number(process.env.AUTHKIT_DJANGO_PARSE_IN_PARTS_ABOVE ?? 256 * 1024);

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
  if (source.length > PARSE_IN_PARTS_ABOVE) {
    const segments = timePart('parse in parts', () => parseInParts(source, parseRange));
    if (segments) {
      const tree = new ModuleTree(source, segments);
      remember(source, tree);
      return tree;
    }
  }
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
export const parseCounts = { full: 0, fullChars: 0, incremental: 0, partChars: 0 };

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
  let rowStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    rowStart = i + 1;
  }
  return { row, column: index - rowStart };
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
  let from = edit.startIndex === 0 ? 0 : lineStart(before, edit.startIndex - 1);
  while (from > 0 && !cutAt(from)) from = lineStart(before, from - 1);
  let to = nextLineStart(before, edit.oldEndIndex);
  while (to < before.length && !cutAt(to)) to = nextLineStart(before, to);
  to = Math.min(to, before.length);
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const partEnd = to + delta;
  // A backslash before the part's last newline would join it to the next statement.
  if (endsContinued(after, from, partEnd)) return null;
  const part = parseRange(after, from, partEnd, pointAt(after, from), pointAt(after, partEnd));
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
    if (segment.start >= from) continue;
    if (segment instanceof PlainRun && !segment.isParsed) segments.push(segment.end <= from ? segment : segment.endingAt(from, pointAt(before, from)));
    else segments.push({ ...segment, tree: segment.tree, end: Math.min(segment.end, from) });
  }
  segments.push({ tree: part, start: from, end: to >= before.length ? Infinity : partEnd });
  if (to < before.length) {
    for (const segment of old.segments) {
      if (segment.end <= to) continue;
      if (segment instanceof PlainRun && !segment.isParsed && segment.start >= to) {
        segments.push(segment.shifted(after, delta, edit.newEndPosition.row - edit.oldEndPosition.row));
        continue;
      }
      const origin = { tree: segment.origin?.tree ?? segment.tree, shift: (segment.origin?.shift ?? 0) + delta };
      segments.push({ tree: shift(segment.tree), start: Math.max(segment.start, to) + delta, end: segment.end + delta, origin });
    }
  }
  return new ModuleTree(after, segments);
}

/**
 * Parses text[start, end) alone (tree-sitter's included range), for a part of a module
 * that starts a statement: the tree's offsets and points are those of the whole text.
 */
function parseRange(text: string, start: number, end: number, startPosition: Point, endPosition: Point): SyntaxTree {
  const tree = parser!.parse(text, null, { includedRanges: [{ startIndex: start, endIndex: end, startPosition, endPosition }] });
  if (!tree) throw new Error('tree-sitter returned no tree');
  parseCounts.incremental++;
  parseCounts.partChars += end - start;
  return tree;
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
    if (!segmentHasError(segment)) continue;
    const root = segment.tree.rootNode;
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

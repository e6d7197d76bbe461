import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Edit, Language, Parser, type Node, type Point, type Tree } from 'web-tree-sitter';
import { EXIT, UserError } from '../util/errors.js';
import { packagePath } from '../util/package-root.js';

export type { Node, Tree };

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;

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
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  parseCounts.full++;
  parseCounts.fullChars += source.length;
  remember(source, tree);
  return tree;
}

/** How much parsing a run did (tests check that an edit never costs a whole-file parse). */
export const parseCounts = { full: 0, fullChars: 0, incremental: 0 };

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
 * The tree of `after`, a small edit of `before`: tree-sitter re-parses only around the
 * changed span (found as the common head and tail of the two texts), reusing the rest of
 * `before`'s tree. An edit of a 2 MB settings file then costs milliseconds, not a second.
 */
export function parseEdited(before: string, after: string, file?: string): Tree {
  const cached = recentTrees.get(after);
  if (cached) return cached;
  const old = recentTrees.get(before);
  if (!old || !parser) return parsePython(after, file);
  checkSize(after, file);
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const startPosition = pointAt(before, start);
  const edited = old.copy();
  edited.edit(
    new Edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition,
      oldEndPosition: pointAt(before, oldEnd),
      newEndPosition: pointAt(after, newEnd),
    }),
  );
  const tree = parser.parse(after, edited);
  edited.delete();
  parseCounts.incremental++;
  if (!tree) throw new Error('tree-sitter returned no tree');
  remember(after, tree);
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
  if (!tree.rootNode.hasError) return null;
  const stack: Node[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.shift()!;
    if (node.isError || node.isMissing) return node;
    if (node.hasError) stack.unshift(...node.children);
  }
  return tree.rootNode;
}

import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
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
 * Parses Python source. Call `loadPythonParser()` once before (the commands do it at
 * start-up) so that everything after it stays synchronous.
 */
export function parsePython(source: string): Tree {
  if (!parser) throw new Error('parsePython called before loadPythonParser()');
  // Several stages read the same text (each planned edit re-reads the settings file):
  // trees are never edited in place, so one parse per distinct text is enough.
  const cached = recentTrees.get(source);
  if (cached) return cached;
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  recentTrees.set(source, tree);
  if (recentTrees.size > RECENT_TREES) {
    // Dropped, not deleted: a caller may still hold it, and a CLI run is short.
    recentTrees.delete(recentTrees.keys().next().value as string);
  }
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

/** How many ERROR / MISSING nodes a tree has (used to tell new errors from old ones). */
export function countSyntaxErrors(tree: Tree): number {
  let count = 0;
  const stack: Node[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) count++;
    else if (node.hasError) stack.push(...node.children);
  }
  return count;
}

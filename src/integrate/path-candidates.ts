/**
 * The assignments of a settings module that can bind a name to a path (path-values.ts),
 * found without walking every statement: a 2 MB settings file of `X = {...}` lines is
 * read as text. A module-level statement starts a line, or follows a `;`. A line that
 * starts `NAME = {`, `NAME = [` or `NAME = 1` (no `;` in it) assigns NAME a value whose
 * leftmost token is a dict, list or number literal, and evaluatePath of such a value is
 * null whatever follows, so that statement binds no path: it only tells that NAME is
 * bound there (a name bound twice is no path name). Every other line that starts with
 * anything but a blank, a comment or indentation, and every line with a `;`, leads to
 * the module-level statements it holds, which are read as syntax.
 */
import { assignmentsAmong, type Assignment } from '../python/locate.js';
import type { Node, Tree } from '../python/parser.js';

export interface PathCandidates {
  /** The assignments of the statements that may bind a path (with those nested in blocks), in file order. */
  assignments: readonly Assignment[];
  /** For names among those assignments: how many of their other module-level bindings bind no path. */
  otherBindings: ReadonlyMap<string, number>;
}

const cached = new WeakMap<Tree, PathCandidates>();

export function pathCandidates(tree: Tree): PathCandidates {
  let found = cached.get(tree);
  if (!found) cached.set(tree, (found = scan(tree)));
  return found;
}

function scan(tree: Tree): PathCandidates {
  const text = tree.text;
  const root = tree.rootNode;
  const children: Node[] = [];
  const seen = new Set<number>();
  const literalLines: { start: number; name: string }[] = [];
  const take = (child: Node | null): Node | null => {
    if (child && !seen.has(child.startIndex)) {
      seen.add(child.startIndex);
      children.push(child);
    }
    return child;
  };
  let semicolon = text.indexOf(';');
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    while (semicolon !== -1 && semicolon < start) semicolon = text.indexOf(';', start);
    if (semicolon !== -1 && semicolon < end) {
      // Every statement on the line, wherever it starts.
      for (let child = root.firstNamedChildForIndex(start); child && child.startIndex < end; child = root.firstNamedChildForIndex(child.endIndex)) {
        take(child);
        if (child.endIndex <= child.startIndex) break;
      }
    } else if (startsStatement(text.charCodeAt(start))) {
      const name = literalAssignmentName(text, start, end);
      if (name !== null) literalLines.push({ start, name });
      else take(root.firstNamedChildForIndex(start));
    }
    start = end + 1;
  }
  children.sort((a, b) => a.startIndex - b.startIndex);
  const assignments = assignmentsAmong(children);
  const names = new Set(assignments.map((a) => a.name));
  const otherBindings = new Map<string, number>();
  for (const line of literalLines) {
    if (!names.has(line.name)) continue;
    // Only a real statement counts (not a line inside a string or a bracket that looks like one).
    const child = root.firstNamedChildForIndex(line.start);
    if (child?.startIndex !== line.start || seen.has(child.startIndex)) continue;
    if (assignmentsAmong([child]).some((a) => a.name === line.name)) otherBindings.set(line.name, (otherBindings.get(line.name) ?? 0) + 1);
  }
  return { assignments, otherBindings };
}

/** Not a blank line, a comment, indentation or a line feed. */
function startsStatement(c: number): boolean {
  return !(c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x23 || Number.isNaN(c));
}

const isIdentifierStart = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isIdentifierPart = (c: number): boolean => isIdentifierStart(c) || (c >= 0x30 && c <= 0x39);

/** NAME when the line is `NAME = {...`, `NAME = [...` or `NAME = <digit>...`; else null. */
function literalAssignmentName(text: string, start: number, end: number): string | null {
  let i = start;
  if (!isIdentifierStart(text.charCodeAt(i))) return null;
  while (i < end && isIdentifierPart(text.charCodeAt(i))) i++;
  const nameEnd = i;
  // A non-ASCII letter continues the name: leave such lines to the syntax tree.
  if (text.charCodeAt(i) > 0x7f) return null;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
  if (text.charCodeAt(i) !== 0x3d || text.charCodeAt(i + 1) === 0x3d) return null;
  i++;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
  const c = text.charCodeAt(i);
  if (c === 0x7b || c === 0x5b || (c >= 0x30 && c <= 0x39)) return text.slice(start, nameEnd);
  return null;
}

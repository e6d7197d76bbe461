/**
 * Style sniffing: new text copies what the file already does (line endings, quotes,
 * indentation), so an edit looks as if the file's author had written it.
 */
import type { Segment } from './module-tree.js';
import type { Node, Tree } from './parser.js';

export type Eol = '\n' | '\r\n';

/** The file's dominant line ending (LF when it has none). */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export type Quote = "'" | '"';

const quoteByTree = new WeakMap<Tree, Quote | null>();

/** The quote most plain (non-docstring) string literals in the tree use; ties go to the first one seen. */
export function preferredQuote(tree: Tree, fallback: Quote = "'"): Quote {
  if (!quoteByTree.has(tree)) quoteByTree.set(tree, countQuotes(tree));
  return quoteByTree.get(tree) ?? fallback;
}

/** Enough literals to know the file's habit; counting every one of a 2 MB file costs a second. */
const QUOTE_SAMPLE = 400;

function countQuotes(tree: Tree): Quote | null {
  let single = 0;
  let double = 0;
  let first: Quote | null = null;
  let seen = 0;
  for (const segment of tree.segments) {
    for (const quote of segmentQuotes(segment)) {
      seen++;
      if (quote === '"') {
        double++;
        first ??= '"';
      } else if (quote === "'") {
        single++;
        first ??= "'";
      }
      if (seen >= QUOTE_SAMPLE) break;
    }
    if (seen >= QUOTE_SAMPLE) break;
  }
  if (single === double) return first;
  return single > double ? "'" : '"';
}

/** The quote of each string literal (null for a docstring-style triple quote), in file order. */
type Quotes = readonly (Quote | null)[];

/**
 * The quotes of the first QUOTE_SAMPLE literals of each module-level statement of a
 * segment, remembered per statement of the tree they were read from: every planned edit
 * makes a new module tree, but the statements away from the edit keep their trees (or
 * shifted copies of them, read through `origin`), so they are walked once per run.
 */
function segmentQuotes(segment: Segment): Quotes {
  const out: (Quote | null)[] = [];
  const source = segment.origin?.tree ?? segment.tree;
  const shift = segment.origin?.shift ?? 0;
  let known = quotesByTree.get(source);
  if (!known) quotesByTree.set(source, (known = new Map()));
  const cursor = source.walk();
  try {
    if (!cursor.gotoFirstChild()) return out;
    do {
      if (!cursor.nodeIsNamed) continue;
      const start = cursor.startIndex;
      if (start + shift >= segment.end) break;
      if (start + shift < segment.start) continue;
      let quotes = known.get(start);
      if (!quotes) known.set(start, (quotes = statementQuotes(cursor.currentNode)));
      out.push(...quotes);
      if (out.length >= QUOTE_SAMPLE) break;
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return out;
}

const quotesByTree = new WeakMap<Segment['tree'], Map<number, Quotes>>();

/** The quotes of a statement's first QUOTE_SAMPLE string literals: a cursor walk, no array of every node. */
function statementQuotes(statement: Node): Quotes {
  const out: (Quote | null)[] = [];
  const cursor = statement.walk();
  try {
    for (;;) {
      if (cursor.nodeType === 'string_start') {
        const text = cursor.nodeText;
        out.push(text.endsWith('"""') || text.endsWith("'''") ? null : text.endsWith('"') ? '"' : text.endsWith("'") ? "'" : null);
        if (out.length >= QUOTE_SAMPLE) break;
      }
      if (cursor.gotoFirstChild()) continue;
      let moved = false;
      while (!moved) {
        if (cursor.gotoNextSibling()) moved = true;
        else if (!cursor.gotoParent()) break;
      }
      if (!moved) break;
    }
  } finally {
    cursor.delete();
  }
  return out;
}

/** A Python string literal for `value` in the given quote style. */
export function pythonString(value: string, quote: Quote): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(quote === "'" ? /'/g : /"/g, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** Index where the line holding `index` starts. */
export function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** The start of the line after the one holding `index` (the text's length on the last line). */
export function nextLineStart(text: string, index: number): number {
  const eol = text.indexOf('\n', index);
  return eol === -1 ? text.length : eol + 1;
}

/** Index of the line ending (or the end of text) of the line holding `index`. */
export function lineEnd(text: string, index: number): number {
  const nl = text.indexOf('\n', index);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** The whitespace before the first non-blank character of the line holding `index`. */
export function lineIndent(text: string, index: number): string {
  const start = lineStart(text, index);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** True when only whitespace stands between the start of its line and `index`. */
export function startsLine(text: string, index: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, index), index));
}

/** The file's indentation unit (a tab, or N spaces), from its indented lines; four spaces when unknown. */
export function indentUnit(text: string): string {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^([ \t]+)\S/gm)) {
    const indent = match[1]!;
    if (indent.startsWith('\t')) return '\t';
    counts.set(indent, (counts.get(indent) ?? 0) + 1);
  }
  const widths = [...counts.keys()].map((k) => k.length).filter((w) => w > 0);
  if (widths.length === 0) return '    ';
  const smallest = Math.min(...widths);
  return ' '.repeat(smallest >= 2 && smallest <= 8 ? smallest : 4);
}

/** Black's and ruff's default line length: the limit a file is held to when its own lines are all shorter. */
const DEFAULT_LINE_LENGTH = 88;

/**
 * How long a line the file tolerates: its longest line, or 88 when every line is
 * shorter. An edit that makes a line longer than this breaks the file's line style.
 */
export function lineLimit(text: string): number {
  let longest = 0;
  for (const line of text.split('\n')) longest = Math.max(longest, line.replace(/\r$/, '').length);
  return Math.max(DEFAULT_LINE_LENGTH, longest);
}

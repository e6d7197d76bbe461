/**
 * Text splices at positions the parser found. Nothing here re-prints code: every edit
 * inserts new text between untouched bytes, copying the neighbours' style.
 */
import type { Node } from './parser.js';
import type { SequenceLiteral } from './locate.js';
import { detectEol, indentUnit, lineEnd, lineIndent, lineStart, startsLine } from './style.js';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping edits to `source`. Insertions at the same position land in
 * the order given.
 */
export function applyEdits(source: string, edits: TextEdit[]): string {
  const sorted = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.start - a.edit.start || b.index - a.index);
  let out = source;
  let limit = Infinity;
  for (const { edit } of sorted) {
    if (edit.end > limit) throw new Error('overlapping edits');
    // A BOM is the file's first byte whatever is inserted "at the start" (before line 1).
    const start = edit.start === 0 && edit.end === 0 && source.startsWith('\uFEFF') ? 1 : edit.start;
    out = out.slice(0, start) + edit.text + out.slice(Math.max(start, edit.end));
    limit = edit.start;
  }
  return out;
}

/** Index just past the comma that follows `node` (skipping spaces), or null when no comma follows. */
function commaAfter(source: string, node: Node): number | null {
  let i = node.endIndex;
  while (i < source.length && (source[i] === ' ' || source[i] === '\t')) i++;
  return source[i] === ',' ? i + 1 : null;
}

/** The separator between the first two elements of a one-line sequence (", " or ","). */
function inlineSeparator(source: string, elements: Node[]): string {
  if (elements.length < 2) return ', ';
  const between = source.slice(elements[0]!.endIndex, elements[1]!.startIndex);
  return between.replace(/\s+$/, '') === ',' && between === ',' ? ',' : ', ';
}

/**
 * Inserts `element` (source text, e.g. `'django.contrib.sessions'`) into a list or tuple
 * literal so that it becomes element number `at` (0 = first, elements.length = last),
 * keeping the literal's layout: one line or one element per line, hanging or not,
 * trailing comma or not, comments where they were.
 */
export function insertIntoSequence(source: string, seq: SequenceLiteral, element: string, at: number): string {
  const { node, elements } = seq;
  if (at < 0 || at > elements.length) throw new RangeError(`insert position ${at} out of range`);
  const eol = detectEol(source);
  const open = node.startIndex;
  const close = node.endIndex - 1;
  const needsTupleComma = seq.kind === 'tuple';

  if (elements.length === 0) {
    const inner = source.slice(open + 1, close);
    if (!inner.includes('\n')) {
      return applyEdits(source, [{ start: open + 1, end: close, text: element + (needsTupleComma ? ',' : '') }]);
    }
    // An empty literal spread over lines: put the element on its own line inside it.
    const indent = lineIndent(source, open) + indentUnit(source);
    return applyEdits(source, [{ start: open + 1, end: open + 1, text: `${eol}${indent}${element},` }]);
  }

  const multiline =
    elements[0]!.startPosition.row !== node.startPosition.row ||
    elements.some((e, i) => i > 0 && e.startPosition.row !== elements[i - 1]!.endPosition.row);

  if (!multiline) {
    const sep = inlineSeparator(source, elements);
    if (at === elements.length) {
      const last = elements[elements.length - 1]!;
      return applyEdits(source, [{ start: last.endIndex, end: last.endIndex, text: `,${sep === ', ' ? ' ' : ''}${element}` }]);
    }
    const next = elements[at]!;
    return applyEdits(source, [{ start: next.startIndex, end: next.startIndex, text: `${element}${sep}` }]);
  }

  // One element per line (or several per line): copy the indentation of an element that starts its own line.
  const reference = [elements[Math.max(0, at - 1)]!, ...elements].find((e) => startsLine(source, e.startIndex));
  const indent = reference
    ? lineIndent(source, reference.startIndex)
    : ' '.repeat(elements[0]!.startPosition.column);

  if (at === 0) {
    const first = elements[0]!;
    if (startsLine(source, first.startIndex)) {
      const start = lineStart(source, first.startIndex);
      return applyEdits(source, [{ start, end: start, text: `${indent}${element},${eol}` }]);
    }
    // Hanging layout (`X = ['a',\n     'b']`): the new first element takes the bracket line.
    return applyEdits(source, [{ start: first.startIndex, end: first.startIndex, text: `${element},${eol}${indent}` }]);
  }

  const prev = elements[at - 1]!;
  const next = elements[at];
  if (next && next.startPosition.row === prev.endPosition.row) {
    // Several elements share prev's line: insert between them on that line.
    return applyEdits(source, [{ start: next.startIndex, end: next.startIndex, text: `${element}, ` }]);
  }
  const edits: TextEdit[] = [];
  const comma = commaAfter(source, prev);
  if (comma === null) edits.push({ start: prev.endIndex, end: prev.endIndex, text: ',' });
  // After prev's line (and its inline comment), unless the closing bracket shares that line.
  const endOfPrevLine = lineEnd(source, prev.endIndex);
  const bracketOnLine = close < endOfPrevLine;
  const insertAt = bracketOnLine ? close : endOfPrevLine;
  // A trailing comma goes on the new element when another element follows, or when the
  // literal already ends with one (the file's style).
  const trailing = next !== undefined || comma !== null ? ',' : '';
  edits.push({ start: insertAt, end: insertAt, text: `${eol}${indent}${element}${trailing}` });
  return applyEdits(source, edits);
}

/** True when the literal, brackets included, sits on one line. */
export function isOneLine(seq: SequenceLiteral): boolean {
  return seq.node.startPosition.row === seq.node.endPosition.row;
}

/**
 * The length of the line holding a one-line literal once `elements` are added to it
 * inline (each with its ", "), to compare with the file's line limit.
 */
export function inlineLengthWith(source: string, seq: SequenceLiteral, elements: readonly string[]): number {
  const start = lineStart(source, seq.node.startIndex);
  const line = source.slice(start, lineEnd(source, seq.node.startIndex));
  return line.length + elements.reduce((sum, e) => sum + e.length + 2, 0);
}

/**
 * Lays a one-line literal out one element per line, the way black would: each element
 * on its own line one indentation unit in, with a trailing comma, the closing bracket
 * back at the statement's indentation. The elements' text is kept byte for byte.
 */
export function spreadSequence(source: string, seq: SequenceLiteral): string {
  const { node, elements } = seq;
  const eol = detectEol(source);
  const base = lineIndent(source, node.startIndex);
  const indent = base + indentUnit(source);
  const lines = elements.map((e) => `${eol}${indent}${source.slice(e.startIndex, e.endIndex)},`).join('');
  return applyEdits(source, [{ start: node.startIndex + 1, end: node.endIndex - 1, text: `${lines}${eol}${base}` }]);
}

/**
 * Line diff (Myers' O(ND) algorithm) and unified-diff rendering for the review step.
 */
import type { Palette } from '../util/output.js';

type Op = { kind: 'same' | 'add' | 'del'; line: string };

/** The lines of a text, without their line breaks (a final line break ends the last line). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The line diff of two texts. Answers about large texts are kept: the review's diff and
 * its summary's line counts ask about the same texts (and a plan writes tens of small
 * files, which cost nothing to diff again).
 */
export function diffTexts(before: string, after: string): Op[] {
  const large = before.length + after.length > 64 * 1024;
  if (large) for (const known of recentDiffs) if (known.before === before && known.after === after) return known.ops;
  const ops = diffLines(splitLines(before), splitLines(after));
  if (large) {
    recentDiffs.unshift({ before, after, ops });
    recentDiffs.length = Math.min(recentDiffs.length, 8);
  }
  return ops;
}

const recentDiffs: { before: string; after: string; ops: Op[] }[] = [];

/** The shortest edit script turning `a` into `b`, as a list of same/add/del lines. */
export function diffLines(a: string[], b: string[]): Op[] {
  // Our edits touch a few lines of a file: match the common head and tail directly and
  // leave only the middle to Myers' search (which costs O((n+m)·d) in time and memory).
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const same = (line: string): Op => ({ kind: 'same', line });
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function myers(a: string[], b: string[]): Op[] {
  if (a.length === 0) return b.map((line) => ({ kind: 'add', line }));
  if (b.length === 0) return a.map((line) => ({ kind: 'del', line }));
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // The frontier of each step d, kept only over the diagonals it reached (-d..d): a copy
  // of the whole array per step would cost O((n+m)·d) memory on a large file.
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  // Walk back from (n, m) through the saved frontiers to recover the script.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d]!;
    // Diagonal k of step d's frontier sits at saved[k + d + 1].
    const at = (k: number): number => saved[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[x - 1]! });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: 'add', line: b[prevY]! });
    else ops.push({ kind: 'del', line: a[prevX]! });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

export interface DiffOptions {
  context?: number;
  palette: Palette;
  /** Turns a line into what may be shown (masks secrets). */
  mask?: (line: string) => string;
}

/** A unified diff of one file (`before` null for a new file). */
export function unifiedDiff(path: string, before: string | null, after: string | null, options: DiffOptions): string {
  const { palette: p } = options;
  const context = options.context ?? 3;
  const mask = options.mask ?? ((l: string) => l);
  const ops = diffTexts(before ?? '', after ?? '');
  const header = [
    p.bold(`--- ${before === null ? '/dev/null' : `a/${path}`}`),
    p.bold(`+++ ${after === null ? '/dev/null' : `b/${path}`}`),
  ];
  const out: string[] = [];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  while (i < ops.length) {
    if (ops[i]!.kind === 'same') {
      i++;
      aLine++;
      bLine++;
      continue;
    }
    // A hunk: back up `context` lines, run until `2*context` unchanged lines in a row.
    const start = Math.max(0, i - context);
    const lead = i - start;
    let end = i;
    let sameRun = 0;
    while (end < ops.length) {
      if (ops[end]!.kind === 'same') {
        sameRun++;
        if (sameRun > 2 * context) break;
      } else sameRun = 0;
      end++;
    }
    const stop = Math.min(ops.length, end - Math.max(0, sameRun - context));
    const hunk = ops.slice(start, stop);
    const aStart = aLine - lead;
    const bStart = bLine - lead;
    const aCount = hunk.filter((o) => o.kind !== 'add').length;
    const bCount = hunk.filter((o) => o.kind !== 'del').length;
    out.push(p.cyan(`@@ -${aCount === 0 ? aStart - 1 : aStart},${aCount} +${bCount === 0 ? bStart - 1 : bStart},${bCount} @@`));
    for (const op of hunk) {
      const text = mask(op.line.replace(/\r$/, ''));
      if (op.kind === 'same') out.push(` ${text}`);
      else if (op.kind === 'add') out.push(p.green(`+${text}`));
      else out.push(p.red(`-${text}`));
    }
    for (const op of ops.slice(i, stop)) {
      if (op.kind !== 'add') aLine++;
      if (op.kind !== 'del') bLine++;
    }
    i = stop;
  }
  return [...header, ...out].join('\n');
}

/** Lines added and removed, for the summary. */
export function diffStat(before: string | null, after: string | null): { added: number; removed: number } {
  const ops = diffTexts(before ?? '', after ?? '');
  return { added: ops.filter((o) => o.kind === 'add').length, removed: ops.filter((o) => o.kind === 'del').length };
}

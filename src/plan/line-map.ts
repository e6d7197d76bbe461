/**
 * Where a line of a planned text was on disk, followed through the plan's steps. Each
 * step (one write to the Workspace) changes one stretch of the text; that stretch is
 * found by the texts' shared head and tail and line-diffed alone, so mapping a line of a
 * 2 MB settings file costs a few small diffs, not a diff of the whole file per question.
 * A line the plan adds maps to the line it follows (after the lines it replaces), as a
 * whole-file line diff would say.
 */
import { commonHead, commonTail } from '../util/common-ends.js';
import { lineStart, nextLineStart } from '../python/style.js';
import { diffLines, splitLines } from './diff.js';

interface Step {
  /** 0-based line where the changed stretch starts (the same in both versions). */
  at: number;
  /** Its length in lines before and after the step. */
  oldCount: number;
  newCount: number;
  /** The line diff of the stretch. */
  ops: { kind: 'same' | 'add' | 'del' }[];
}

export class LineMap {
  private readonly steps: Step[] = [];

  /** Records a step from `before` to `after` (consecutive versions of one file). */
  record(before: string, after: string): void {
    if (before === after) return;
    const head = commonHead(before, after);
    const tail = commonTail(before, after, head);
    const start = lineStart(before, head);
    const delta = after.length - before.length;
    const oldEnd = before.length - tail;
    // Widen the stretch to whole lines in both versions (the text after it is shared).
    let end = oldEnd > start && before.charCodeAt(oldEnd - 1) === 0x0a ? oldEnd : nextLineStart(before, oldEnd);
    if (end + delta < after.length && after.charCodeAt(end + delta - 1) !== 0x0a) end = nextLineStart(before, end);
    const oldLines = splitLines(before.slice(start, end));
    const newLines = splitLines(after.slice(start, end + delta));
    this.steps.push({ at: countLines(before, start), oldCount: oldLines.length, newCount: newLines.length, ops: diffLines(oldLines, newLines) });
  }

  /** The 1-based line of the first version that holds what is at `line` of the last one. */
  lineBefore(line: number): number {
    let index = line - 1;
    for (let s = this.steps.length - 1; s >= 0 && index >= 0; s--) {
      const { at, oldCount, newCount, ops } = this.steps[s]!;
      if (index < at) continue;
      if (index >= at + newCount) {
        index += oldCount - newCount;
        continue;
      }
      let before = 0;
      let after = 0;
      for (const op of ops) {
        if (op.kind !== 'del') after++;
        if (op.kind !== 'add') before++;
        if (after === index - at + 1) break;
      }
      // `before` lines of the stretch up to and including this one: an added line maps to the line before it.
      index = at + before - 1;
    }
    return Math.max(1, index + 1);
  }
}

function countLines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * The Workspace's line on disk (src/plan/line-map.ts) follows a line through the plan's
 * steps, diffing only what each step changed. For a line that was on disk it must
 * answer what a line diff of the whole first and last texts answers, and for an added
 * line a line between its kept neighbours' (seeded random steps: insertions,
 * replacements, deletions, mid-line changes, at both ends of the file).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines } from '../../src/plan/diff.js';
import { LineMap } from '../../src/plan/line-map.js';
import { Workspace } from '../../src/plan/workspace.js';
import { rng } from './property/generator.js';

/** The line of `original` a whole-file line diff gives for `line` of `planned` (added lines: the line they follow). */
function wholeDiffLine(original: string, planned: string, line: number): number {
  const lines = (text: string): string[] => {
    const out = text.split('\n');
    if (out[out.length - 1] === '') out.pop();
    return out;
  };
  let before = 0;
  let after = 0;
  for (const op of diffLines(lines(original), lines(planned))) {
    if (op.kind !== 'del') after++;
    if (op.kind !== 'add') before++;
    if (after === line) return Math.max(1, before);
  }
  return line;
}

test('a line followed through each step lands where a diff of the whole texts puts it', () => {
  const rnd = rng(42);
  let fresh = 0;
  const newLine = (): string => `ADDED_${fresh++} = ${fresh}`;
  let checked = 0;
  for (let trial = 0; trial < 300; trial++) {
    const original = `${Array.from({ length: 5 + Math.floor(rnd() * 40) }, (_, i) => `LINE_${i} = ${i}`).join('\n')}\n`;
    const map = new LineMap();
    let text = original;
    for (let step = 0; step < 1 + Math.floor(rnd() * 5); step++) {
      const lines = text.split('\n').slice(0, -1);
      const at = Math.floor(rnd() * (lines.length + 1));
      const kind = rnd();
      let next: string[];
      if (kind < 0.5) next = [...lines.slice(0, at), ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, newLine), ...lines.slice(at)];
      else if (kind < 0.7 && at < lines.length) next = [...lines.slice(0, at), newLine(), ...lines.slice(at + 1)];
      else if (kind < 0.85 && at < lines.length) next = [...lines.slice(0, at), ...lines.slice(at + 1)];
      else if (at < lines.length) next = [...lines.slice(0, at), `${lines[at]}  # ${newLine()}`, ...lines.slice(at + 1)];
      else next = [...lines, newLine()];
      const after = next.length ? `${next.join('\n')}\n` : '';
      map.record(text, after);
      text = after;
    }
    const planned = text.split('\n').slice(0, -1);
    const kept = new Set(original.split('\n'));
    const where = `of ${JSON.stringify(text)} from ${JSON.stringify(original)}`;
    for (let line = 1; line <= planned.length; line++) {
      const answer = map.lineBefore(line);
      if (kept.has(planned[line - 1]!)) {
        // A line that was on disk: exactly where it was.
        assert.equal(answer, wholeDiffLine(original, text, line), `line ${line} ${where}`);
      } else {
        // An added line: between the lines on disk of its nearest kept neighbours (which
        // of them a diff names depends on how it orders the lines a step replaced).
        let above = 1;
        for (let l = line - 1; l >= 1; l--) if (kept.has(planned[l - 1]!)) { above = wholeDiffLine(original, text, l); break; }
        let below = original.split('\n').length - 1;
        for (let l = line + 1; l <= planned.length; l++) if (kept.has(planned[l - 1]!)) { below = wholeDiffLine(original, text, l); break; }
        assert.ok(answer >= Math.min(above, below) && answer <= below, `added line ${line} -> ${answer}, not within ${above}..${below} ${where}`);
      }
      checked++;
    }
  }
  assert.ok(checked > 3000, `${checked} lines checked`);
});

test('the Workspace answers the line on disk for a file edited in several steps', () => {
  const workspace = new Workspace();
  const file = '/nonexistent/authkit-line-map/settings.py';
  // A file that does not exist reads as null: seed its "disk" content through a first write's original.
  (workspace as unknown as { original: Map<string, string> }).original.set(file, 'A = 1\nB = 2\nC = 3\n');
  workspace.write(file, 'import os\nA = 1\nB = 2\nC = 3\n');
  workspace.write(file, 'import os\nA = 1\nB = 2\nX = 9\nC = 3\n');
  assert.equal(workspace.lineOnDisk(file, 1), 1);
  assert.equal(workspace.lineOnDisk(file, 3), 2);
  assert.equal(workspace.lineOnDisk(file, 4), 2, 'an added line maps to the line it follows');
  assert.equal(workspace.lineOnDisk(file, 5), 3);
});

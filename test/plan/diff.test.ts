import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, diffStat, unifiedDiff } from '../../src/plan/diff.js';
import { palette } from '../../src/util/output.js';

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

test('diffLines rebuilds both sides and is minimal (seeded random cases)', () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let t = 0; t < 500; t++) {
    const make = () => Array.from({ length: Math.floor(random() * 10) }, () => 'abcd'[Math.floor(random() * 4)]!);
    const a = make();
    const b = make();
    const ops = diffLines(a, b);
    assert.deepEqual(ops.filter((o) => o.kind !== 'add').map((o) => o.line), a);
    assert.deepEqual(ops.filter((o) => o.kind !== 'del').map((o) => o.line), b);
    assert.equal(ops.filter((o) => o.kind !== 'same').length, a.length + b.length - 2 * lcsLength(a, b));
  }
});

test('unifiedDiff renders hunks with context and line numbers', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n';
  const after = 'a\nb\nX\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nY\n';
  assert.equal(
    unifiedDiff('s.py', before, after, { palette: palette(false) }),
    ['--- a/s.py', '+++ b/s.py', '@@ -1,4 +1,5 @@', ' a', ' b', '+X', ' c', ' d', '@@ -10,4 +11,4 @@', ' j', ' k', ' l', '-m', '+Y'].join('\n'),
  );
});

test('a new file diffs against /dev/null; CR is not shown; masking applies to every line', () => {
  const out = unifiedDiff('.env', null, 'WORKOS_API_KEY=sk_live_123\r\nOTHER=1\r\n', {
    palette: palette(false),
    mask: (line) => line.replace(/=sk_\w+/, '=sk_…'),
  });
  assert.equal(out, ['--- /dev/null', '+++ b/.env', '@@ -0,0 +1,2 @@', '+WORKOS_API_KEY=sk_…', '+OTHER=1'].join('\n'));
  assert.deepEqual(diffStat(null, 'a\nb\n'), { added: 2, removed: 0 });
});

/**
 * `node --import tsx test/plan/property/main.ts [--variants N] [--seed S]`: one run of the
 * property test outside the test runner, printing its failures and throughput (used by
 * bench/property.mjs; handy to reproduce a failing seed).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProperty } from './run.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'authkit-property-'));
const python = join(process.cwd(), '.venvs', 'dj52', 'bin', 'python');
try {
  const run = await runProperty({ firstSeed: option('--seed', 1), count: option('--variants', 1000), work, python });
  for (const f of run.failures.slice(0, 20)) console.log(`seed ${f.seed} [${f.shape.join(' ')}]\n  ${f.problems.join('\n  ')}`);
  const total = run.applySeconds + run.pythonSeconds;
  console.log(`property: ${run.variants} variants, ${run.failures.length} failing; plan+apply+rerun+undo ${run.applySeconds.toFixed(1)} s, Python checks ${run.pythonSeconds.toFixed(1)} s; ${(run.variants / total).toFixed(0)} variants/s`);
  process.exitCode = run.failures.length > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}

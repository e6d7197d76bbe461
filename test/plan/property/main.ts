/**
 * `node --import tsx test/plan/property/main.ts [--variants N] [--seed S]`: one run of the
 * property test outside the test runner, printing its failures and throughput (used by
 * bench/property.mjs; handy to reproduce a failing seed).
 *
 * `... main.ts --shrink S`: shrinks the failing variant of seed S (shrink.ts) to the fewest
 * lines that still fail the same way, and writes it to regressions/seed-S/ with what it
 * caught (CAUGHT.txt): a regression fixture the property test runs from then on.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generate, type Variant } from './generator.js';
import { REGRESSIONS_DIR } from './regressions.js';
import { runProperty } from './run.js';
import { shrinkVariant } from './shrink.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'authkit-property-'));
const python = join(process.cwd(), '.venvs', 'dj52', 'bin', 'python');

/** A problem without its file names and numbers: "the same way" for the shrinker. */
const kind = (problem: string) => problem.replace(/\S+\.py\b/g, 'FILE').replace(/\d+/g, 'N');

async function problemsOf(variant: Variant, round: number): Promise<string[]> {
  const dir = join(work, `shrink-${round}`);
  const run = await runProperty({ firstSeed: 0, count: 0, seeds: [], variants: [variant], work: dir, python });
  rmSync(dir, { recursive: true, force: true });
  return run.failures.flatMap((f) => f.problems);
}

try {
  if (args.includes('--shrink')) {
    const seed = option('--shrink', 1);
    const original = generate(seed);
    const problems = await problemsOf(original, 0);
    if (problems.length === 0) throw new Error(`seed ${seed} does not fail: nothing to shrink`);
    const wanted = new Set(problems.map(kind));
    let round = 0;
    const shrunk = await shrinkVariant(original, async (candidate) => (await problemsOf(candidate, ++round)).some((p) => wanted.has(kind(p))));
    const out = join(REGRESSIONS_DIR, `seed-${seed}`);
    rmSync(out, { recursive: true, force: true });
    for (const [file, text] of Object.entries(shrunk.files)) {
      mkdirSync(dirname(join(out, file)), { recursive: true });
      writeFileSync(join(out, file), text);
    }
    writeFileSync(join(out, 'CAUGHT.txt'), `seed ${seed} [${original.shape.join(' ')}], shrunk in ${round} tries:\n${problems.join('\n')}\n`);
    console.log(`wrote ${out} (${Object.keys(shrunk.files).length} files, ${round} tries)`);
  } else {
    const run = await runProperty({ firstSeed: option('--seed', 1), count: option('--variants', 1000), work, python });
    for (const f of run.failures.slice(0, 20)) console.log(`seed ${f.seed} [${f.shape.join(' ')}]\n  ${f.problems.join('\n  ')}`);
    const total = run.applySeconds + run.pythonSeconds;
    console.log(`property: ${run.variants} variants, ${run.failures.length} failing; plan+apply+rerun+undo ${run.applySeconds.toFixed(1)} s, Python checks ${run.pythonSeconds.toFixed(1)} s; ${(run.variants / total).toFixed(0)} variants/s`);
    process.exitCode = run.failures.length > 0 ? 1 : 0;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Benchmark: the property test's throughput (variants per second: generate, plan, apply,
// re-plan, undo in-process, then one batch of Python checks). Runs
// test/plan/property/main.ts through tsx.
//
// Usage: node bench/property.mjs [--variants N]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const variants = Number(args[args.indexOf('--variants') + 1]) || 300;
const run = spawnSync(process.execPath, ['--import', 'tsx', join('test', 'plan', 'property', 'main.ts'), '--variants', String(variants)], {
  cwd: root,
  encoding: 'utf8',
});
process.stdout.write(run.stdout.split('\n').filter((l) => l.startsWith('property:')).join('\n') + '\n');
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  process.exit(1);
}

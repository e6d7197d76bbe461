// Benchmark: parse and plan (`init --dry-run`: discover, parse, every planned edit, the
// diff) on a startproject whose settings.py is padded to 100 KB, 1 MB and 2 MB with
// module-level assignments and comments; and the peak memory of a real
// `init --yes --no-install --no-verify` on a plain startproject.
// Goals: linear cost, 2 MB under 1 s; peak memory of init under 100 MB. Times are the
// whole process's wall clock (Node start-up included); "cpu" is its user + system time
// (every thread: V8 collects garbage and compiles beside the main one), "parse and plan"
// the CPU time of the discover and plan phases, and the breakdown is the CPU time of each
// phase of init (AUTHKIT_DJANGO_PHASES=1, see src/util/phase-times.ts): Node's start-up
// with the CLI's first modules, the command's modules, discovery (of which the parse in
// parts, or the whole-file parse of a small file), planning, rendering the diff.
//
// Usage: node scripts/build.mjs && node bench/large-files.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, pristineStartProject } from './startproject.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const { work, pristine } = pristineStartProject('authkit-bench-large-');

const env = { ...process.env, NO_COLOR: '1' };
delete env.VIRTUAL_ENV;
const KEYS = ['--api-key', 'sk_test_bench00000000', '--client-id', 'client_bench'];

/** A copy of the startproject with settings.py padded to about `bytes` (sessions removed, so the plan edits the list). */
function padded(bytes) {
  const dir = join(work, `padded-${bytes}`);
  cpSync(pristine, dir, { recursive: true });
  const file = join(dir, 'mysite', 'settings.py');
  const text = readFileSync(file, 'utf8').replace("    'django.contrib.sessions',\n", '');
  const lines = [];
  let size = text.length;
  for (let i = 0; size < bytes; i++) {
    const line = `SETTING_${i} = {'name': 'value ${i}', 'items': [1, 2, 3], 'enabled': True}  # note ${i}\n`;
    lines.push(line);
    size += line.length;
  }
  writeFileSync(file, text.replace('ALLOWED_HOSTS = []\n', `ALLOWED_HOSTS = []\n${lines.join('')}`));
  return dir;
}

function run(argv, cwd, extraEnv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', join(here, 'peak-rss.mjs'), ...argv], {
    cwd,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  const rss = Number(/PEAK_RSS_KB (\d+)/.exec(result.stderr.toString())?.[1] ?? NaN);
  const stderr = result.stderr.toString();
  const cpuMs = Number(/^CPU_MS (\d+)/m.exec(stderr)?.[1] ?? NaN);
  const phases = {};
  for (const [, kind, name, value] of stderr.matchAll(/^(PHASE|PART)_CPU_MS (.+) ([\d.]+)$/gm)) phases[`${kind === 'PART' ? 'of which ' : ''}${name}`] = Number(value);
  return { ms, rssMb: rss / 1024, cpuMs, phases };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`parse and plan (init --dry-run) by settings.py size (median of ${runs})`);
const rows = [];
for (const bytes of [100 * 1024, 1024 * 1024, 2 * 1024 * 1024]) {
  const dir = padded(bytes);
  const samples = Array.from({ length: runs }, () =>
    run([cli, 'init', dir, '--dry-run', ...KEYS], dir, { AUTHKIT_DJANGO_STATE_DIR: join(work, 'state-dry'), AUTHKIT_DJANGO_PHASES: '1' }),
  );
  const ms = median(samples.map((s) => s.ms));
  const rss = median(samples.map((s) => s.rssMb));
  const cpu = median(samples.map((s) => s.cpuMs));
  // Parse and plan alone: the discover and plan phases (the whole process adds Node's start-up, loading the modules, rendering).
  const parseAndPlan = median(samples.map((s) => (s.phases.discover ?? 0) + (s.phases.plan ?? 0)));
  rows.push({ bytes, ms, cpu, parseAndPlan });
  console.log(`  ${(bytes / 1024).toFixed(0).padStart(5)} KB  ${ms.toFixed(0).padStart(6)} ms  ${(ms / (bytes / 1024 / 1024)).toFixed(0).padStart(6)} ms/MB  cpu ${cpu.toFixed(0)} ms  parse and plan ${parseAndPlan.toFixed(0)} ms  peak ${rss.toFixed(0)} MB`);
  const names = Object.keys(samples[0].phases);
  console.log(`         cpu by phase (median): ${names.map((name) => `${name} ${median(samples.map((s) => s.phases[name] ?? 0)).toFixed(0)}`).join(', ')}`);
}
const two = rows[rows.length - 1];
const perMb = rows.map((r) => r.cpu / (r.bytes / 1024 / 1024));
console.log(
  `  2 MB under 1 s: whole process wall ${two.ms.toFixed(0)} ms ${two.ms < 1000 ? 'met' : 'NOT met'}, CPU (every thread) ${two.cpu.toFixed(0)} ms ${two.cpu < 1000 ? 'met' : 'NOT met'}, parse and plan ${two.parseAndPlan.toFixed(0)} ms ${two.parseAndPlan < 1000 ? 'met' : 'NOT met'}; CPU ms per MB from 1 MB to 2 MB: ${perMb[1].toFixed(0)} -> ${perMb[2].toFixed(0)} (linear when about equal)`,
);

const peaks = [];
for (let i = 0; i < runs; i++) {
  const copy = join(work, `init-${i}`);
  cpSync(pristine, copy, { recursive: true });
  peaks.push(run([cli, 'init', '--yes', '--no-install', '--no-verify', ...KEYS], copy, { AUTHKIT_DJANGO_STATE_DIR: join(work, `state-${i}`) }).rssMb);
}
const peak = median(peaks);
console.log(`peak memory of init --yes --no-install --no-verify on a startproject: ${peak.toFixed(0)} MB (goal < 100 MB) ${peak < 100 ? 'met' : 'NOT met'}`);

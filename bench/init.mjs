// Benchmark: `authkit-django init --yes --no-install --no-verify` on a fresh
// `django-admin startproject` (the whole process: discover, plan, apply, journal)
// against bare Node start-up (`node -e 0`). Goal: within 2.5x.
// Then the default `init --yes --no-install` (the check before writing, which loads the
// project twice in its Python, plus the verification after writing) against
// `python -c "import django; django.setup()"` with the same settings and interpreter.
// Every run gets a fresh copy of the project and its own journal folder.
//
// Usage: node scripts/build.mjs && node bench/init.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, pristineStartProject } from './startproject.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
// The runs that start Python are slower and vary less relative to their length.
const pythonRuns = Math.max(3, Math.ceil(runs / 3));
const venvPython = join(root, '.venvs', 'dj52', 'bin', 'python');
const { work, pristine } = pristineStartProject('authkit-bench-init-');

let lastStdout = '';
function timeOnce(argv, cwd, env, program = process.execPath, okCodes = [0]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(program, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(result.status)) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  lastStdout = result.stdout.toString();
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const env = { ...process.env, NO_COLOR: '1' };
delete env.VIRTUAL_ENV;
const bare = [];
const init = [];
for (let i = 0; i < runs; i++) {
  bare.push(timeOnce(['-e', '0'], work, env));
  const copy = join(work, `run-${i}`);
  cpSync(pristine, copy, { recursive: true });
  init.push(
    timeOnce([cli, 'init', '--yes', '--no-install', '--no-verify', '--api-key', 'sk_test_bench00000000', '--client-id', 'client_bench'], copy, {
      ...env,
      AUTHKIT_DJANGO_STATE_DIR: join(work, `state-${i}`),
    }),
  );
}
const b = median(bare);
const m = median(init);
console.log(`init --yes --no-install --no-verify on a fresh startproject (median of ${runs})`);
console.log(`  node -e 0     ${b.toFixed(0).padStart(5)} ms`);
console.log(`  init          ${m.toFixed(0).padStart(5)} ms   ${(m / b).toFixed(2)}x node -e 0   (goal: within 2.5x) ${m / b <= 2.5 ? 'met' : 'NOT met'}`);

// The default run: the check before writing and the verification after it.
if (!existsSync(venvPython)) {
  console.log(`  (default init skipped: ${venvPython} is missing; run node scripts/setup-test-env.mjs)`);
  process.exit(0);
}
const pyEnv = { ...env, VIRTUAL_ENV: join(root, '.venvs', 'dj52'), PYTHONDONTWRITEBYTECODE: '1' };
const setup = [];
const full = [];
const checkBefore = [];
for (let i = 0; i < pythonRuns; i++) {
  setup.push(timeOnce(['-c', 'import django; django.setup()'], pristine, { ...pyEnv, DJANGO_SETTINGS_MODULE: 'mysite.settings' }, venvPython));
  const copy = join(work, `full-${i}`);
  cpSync(pristine, copy, { recursive: true });
  full.push(
    // Exit 3: the sessions table is not migrated in a fresh project, which init reports.
    timeOnce([cli, 'init', '--yes', '--no-install', '--json', '--api-key', 'sk_test_bench00000000', '--client-id', 'client_bench'], copy, {
      ...pyEnv,
      AUTHKIT_DJANGO_STATE_DIR: join(work, `full-state-${i}`),
    }, process.execPath, [0, 3, 4]),
  );
  const report = JSON.parse(lastStdout);
  if (report.invariant?.status !== 'passed') throw new Error(`the check before writing did not pass: ${JSON.stringify(report.invariant)}`);
  checkBefore.push(report.invariant.durationMs);
}
const s = median(setup);
const f = median(full);
console.log(`\ninit --yes --no-install (check before writing + verification) on a fresh startproject, Django 5.2 (median of ${pythonRuns})`);
console.log(`  python -c "import django; django.setup()"   ${s.toFixed(0).padStart(5)} ms`);
console.log(`  init, whole process                          ${f.toFixed(0).padStart(5)} ms   ${(f / s).toFixed(1)}x django.setup()`);
console.log(`  of which the check before writing            ${median(checkBefore).toFixed(0).padStart(5)} ms   ${(median(checkBefore) / s).toFixed(1)}x django.setup()`);

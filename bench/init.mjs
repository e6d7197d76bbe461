// Benchmark: `authkit-django init --yes --no-install --no-verify` on a fresh
// `django-admin startproject` (the whole process: discover, plan, apply, journal)
// against bare Node start-up (`node -e 0`). Goal: within 2.5x.
// Every run gets a fresh copy of the project and its own journal folder.
//
// Usage: node scripts/build.mjs && node bench/init.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const cli = process.env.BENCH_CLI ?? join(root, 'dist', 'cli.js');
const admin = join(root, '.venvs', 'bare52', 'bin', 'django-admin');
for (const [path, hint] of [[cli, 'node scripts/build.mjs'], [admin, 'node scripts/setup-test-env.mjs']]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: run \`${hint}\` first`);
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'authkit-bench-init-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const pristine = join(work, 'pristine');
mkdirSync(pristine);
spawnSync(admin, ['startproject', 'mysite', pristine], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });

function timeOnce(argv, cwd, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
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

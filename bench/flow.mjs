// Benchmark: the proven login flow.
//   1. `authkit-django verify --flow` (the built dist/cli.js) on a ready project: a
//      `django-admin startproject` project after `init` and `migrate`, run by .venvs/dj52.
//      Includes the project checks, starting WorkOS's emulator and the site on testserver's
//      throwaway database (every migration applied), the whole login/logout over HTTP, and
//      stopping both. Median of --runs runs. Goal: under 3 s.
//   1b. The cost of the throwaway database: how long `manage.py testserver` (test database
//      + an empty fixture) takes to answer, against `manage.py runserver` on the project's
//      migrated database, each started directly and polled until it answers.
//   2. `npm run demo` (build + scripts/demo.mjs: copy the example, venv + pip install from
//      PyPI, init, migrate, verify --flow) on a warm package cache: one run to warm pip's
//      cache first (skip with --cold), then the median of --demo-runs runs.
// Prints one table. Not a test: no thresholds, only numbers.
//
// Usage: node scripts/build.mjs && node bench/flow.mjs [--runs 7] [--demo-runs 2] [--no-demo] [--cold]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'demo-runs': { type: 'string', default: '2' },
    'no-demo': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
  },
  // bench/run.mjs passes the same arguments to every benchmark: ignore the others'.
  strict: false,
});
const runs = Math.max(1, Number(options.runs) || 7);
const demoRuns = Math.max(1, Number(options['demo-runs']) || 2);

const venv = join(root, '.venvs', 'dj52');
for (const [path, fix] of [
  [cli, 'run `node scripts/build.mjs` first'],
  [join(venv, 'bin', 'python'), 'run `node scripts/setup-test-env.mjs` first'],
  [join(root, '.venvs', 'bare52', 'bin', 'django-admin'), 'run `node scripts/setup-test-env.mjs` first'],
]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: ${fix}`);
    process.exit(1);
  }
}

const env = { ...process.env, NO_COLOR: '1', PYTHONDONTWRITEBYTECODE: '1', VIRTUAL_ENV: venv };
delete env.WORKOS_API_KEY;
delete env.WORKOS_CLIENT_ID;
delete env.WORKOS_BASE_URL;

function run(program, args, opts = {}) {
  const started = performance.now();
  const result = spawnSync(program, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    console.error(`${program} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    process.exit(1);
  }
  return { ms, stdout: result.stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `localhost:${port}` } }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Milliseconds from spawning `python manage.py ARGS` until it answers HTTP on `port`. */
async function timeToAnswer(cwd, args, port) {
  const started = performance.now();
  const child = spawn(join(venv, 'bin', 'python'), ['manage.py', ...args], { cwd, env, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`manage.py ${args[0]} exited (${child.exitCode})`);
      if (await answers(port)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
}

// 1. A ready project.
const work = mkdtempSync(join(tmpdir(), 'authkit-bench-flow-'));
try {
  run(join(root, '.venvs', 'bare52', 'bin', 'django-admin'), ['startproject', 'mysite', work], { env });
  const projectDir = work;
  run(process.execPath, [cli, 'init', '--yes', '--no-install', '--no-verify', '--api-key', 'sk_test_benchmark0000', '--client-id', 'client_bench', projectDir], { env });
  run(join(venv, 'bin', 'python'), ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: projectDir, env });

  const walls = [];
  const flows = [];
  for (let i = 0; i < runs; i++) {
    const { ms, stdout } = run(process.execPath, [cli, 'verify', '--flow', '--json', projectDir], { env });
    const report = JSON.parse(stdout);
    if (!report.ok) {
      console.error(`verify --flow failed:\n${stdout}`);
      process.exit(1);
    }
    walls.push(ms);
    flows.push(report.flow.durationMs);
  }

  const fixture = join(mkdtempSync(join(tmpdir(), 'authkit-bench-fixture-')), 'empty.json');
  writeFileSync(fixture, '[]\n');
  const testserver = [];
  const runserver = [];
  for (let i = 0; i < runs; i++) {
    let port = await freePort();
    testserver.push(await timeToAnswer(projectDir, ['testserver', '--noinput', '--addrport', `127.0.0.1:${port}`, fixture], port));
    port = await freePort();
    runserver.push(await timeToAnswer(projectDir, ['runserver', `127.0.0.1:${port}`, '--noreload'], port));
  }
  rmSync(dirname(fixture), { recursive: true, force: true });

  const rows = [
    ['verify --flow (whole command)', walls],
    ['  of which: emulator + site + flow', flows],
    ['site answers: testserver (throwaway DB)', testserver],
    ['site answers: runserver (project DB)', runserver],
  ];

  // 2. npm run demo on a warm cache.
  if (!options['no-demo']) {
    if (!options.cold) {
      process.stderr.write('warming the package cache with one `npm run demo` ...\n');
      run('npm', ['run', '--silent', 'demo'], { cwd: root, env: { ...env, VIRTUAL_ENV: '' } });
    }
    const demo = [];
    for (let i = 0; i < demoRuns; i++) demo.push(run('npm', ['run', '--silent', 'demo'], { cwd: root, env: { ...env, VIRTUAL_ENV: '' } }).ms);
    rows.push([`npm run demo (${options.cold ? 'cache as found' : 'warm package cache'})`, demo]);
  }

  console.log(`Node ${process.version}, ${process.platform}; verify --flow on a startproject project (Django 5.2, workos from .venvs/dj52)`);
  console.log(`throwaway database cost (median testserver - median runserver start): ${seconds(median(testserver) - median(runserver))}`);
  console.log('');
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`${'case'.padEnd(width)}  runs    median       min       max`);
  for (const [name, values] of rows) {
    console.log(
      `${name.padEnd(width)}  ${String(values.length).padStart(4)}  ${seconds(median(values)).padStart(8)}  ${seconds(Math.min(...values)).padStart(8)}  ${seconds(Math.max(...values)).padStart(8)}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

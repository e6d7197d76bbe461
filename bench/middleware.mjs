// Benchmark: what AuthKitMiddleware (templates/authkit) costs on a protected page.
// Starts WorkOS's emulator (`authkit-django emulator --json`, the built dist/cli.js), then
// bench/middleware_overhead.py in .venvs/dj52 (Django 5.2, the newest workos SDK): signed
// in, it times GETs of one view with the middleware and `authkit_login_required` against
// the same view without them, interleaved. Goal: overhead <= 10 % at p50, and no request
// to WorkOS while the token is valid. Prints one table. Not a test: no thresholds.
//
// Usage: node scripts/build.mjs && node bench/middleware.mjs [--rounds 10] [--requests 200]
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: { rounds: { type: 'string', default: '10' }, requests: { type: 'string', default: '200' } },
  strict: false,
});

const emulator = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'emulator', '--json'], { stdio: ['pipe', 'pipe', 'inherit'] });
const first = await new Promise((resolve) => createInterface({ input: emulator.stdout }).once('line', resolve));
const info = JSON.parse(first);
try {
  const run = spawnSync(join(root, '.venvs', 'dj52', 'bin', 'python'), [join(root, 'bench', 'middleware_overhead.py')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      WORKOS_BASE_URL: info.url,
      BENCH_WORKOS_API_KEY: info.apiKey,
      BENCH_WORKOS_CLIENT_ID: info.clientId,
      BENCH_ROUNDS: String(options.rounds),
      BENCH_REQUESTS: String(options.requests),
    },
  });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exitCode = 1;
  } else {
    const result = JSON.parse(run.stdout.trim().split('\n').pop());
    console.log('| what | measured | goal |');
    console.log('| --- | --- | --- |');
    console.log(`| protected page, p50 per request (${result.requests} requests each) | with ${result.with_p50_ms} ms, without ${result.without_p50_ms} ms: +${result.overhead_p50_percent} % | <= 10 % |`);
    console.log(`| p90 per request | with ${result.with_p90_ms} ms, without ${result.without_p90_ms} ms | |`);
    const calls = result.workos_requests_during_loop;
    console.log(`| requests to WorkOS during the timed loop | ${calls === null ? 'not counted (relay has no counter)' : calls} | 0 |`);
  }
} finally {
  emulator.stdin.end();
}

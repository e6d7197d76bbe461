// Benchmark: `authkit-django init --yes` with its install (pip into the project's
// virtualenv, warm pip cache) against the bare `pip install workos pyjwt python-dotenv`
// into the same kind of virtualenv. Both start from a fresh virtualenv with Django 5.2
// installed (not timed); one warm-up of each first. Goal (issue 9): at most 1.5x.
// Two figures for init: the whole default run (check before writing, apply, install with
// pip check before and after, the checks after, and the login flow against WorkOS's
// emulator when it is installed), and `--no-verify` (no Python loads of the project:
// apply, install, pip check).
//
// Usage: node scripts/build.mjs && node bench/install.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, pristineStartProject, root } from './startproject.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const { work, pristine } = pristineStartProject('authkit-bench-install-');
const virtualenv = join(root, '.venvs', 'tools', 'bin', 'virtualenv');
const env = { ...process.env, NO_COLOR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
delete env.VIRTUAL_ENV;
const SPECS = ['workos>=5.13.0,<11', 'pyjwt>=2.0,<3', 'python-dotenv>=1.0,<2'];
let counter = 0;

function must(program, argv, cwd, okCodes = [0]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(program, argv, { cwd, env: { ...env, AUTHKIT_DJANGO_STATE_DIR: join(cwd, '..', `state-${counter}`) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(result.status)) throw new Error(`${program} ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** A copy of the startproject with its own fresh virtualenv holding Django 5.2 (not timed). */
function freshProject() {
  const dir = join(work, `p${counter++}`);
  cpSync(pristine, dir, { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), 'Django>=4.2\n');
  writeFileSync(join(dir, '.gitignore'), '.venv/\n');
  must(virtualenv, ['--quiet', '--no-periodic-update', join(dir, '.venv')], dir);
  must(join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', 'Django==5.2.19'], dir);
  for (const a of [['init', '-q'], ['add', '-A'], ['-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-qm', 'start']]) must('git', a, dir);
  return dir;
}

const KEYS = ['--api-key', 'sk_test_bench00000000', '--client-id', 'client_bench'];
const cases = {
  'bare pip install workos pyjwt python-dotenv': (dir) => must(join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', ...SPECS], dir),
  'init --yes (check before writing, install, checks after, login flow)': (dir) => must(process.execPath, [cli, 'init', '--yes', ...KEYS], dir, [0, 3]),
  'init --yes --no-verify (apply, install)': (dir) => must(process.execPath, [cli, 'init', '--yes', '--no-verify', ...KEYS], dir, [0, 3]),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i <= runs; i++) {
  for (const [name, run] of Object.entries(cases)) {
    const ms = run(freshProject());
    if (i > 0) times[name].push(ms); // the first round warms pip's cache
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times['bare pip install workos pyjwt python-dotenv']);
console.log(`| what | median of ${runs} | against bare pip |`);
console.log('| --- | --- | --- |');
for (const [name, xs] of Object.entries(times)) console.log(`| ${name} | ${(median(xs) / 1000).toFixed(2)} s | ${(median(xs) / base).toFixed(2)}x |`);

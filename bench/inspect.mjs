// Benchmark: `authkit-django inspect --json` (the built dist/cli.js) against bare Node
// start-up (`node -e 0`), on a fresh `django-admin startproject` and on a synthetic
// monorepo of 100,000 files (node_modules, a .venv and .git inside, manage.py in backend/).
// Prints the median of several runs per case. Goals: startproject within 2.5x of
// `node -e 0`; the monorepo under 1 s.
//
// Usage: node scripts/build.mjs && node bench/inspect.mjs [--runs N] [--keep] [--cli path/to/cli.js]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const cli = args.includes('--cli') ? resolve(args[args.indexOf('--cli') + 1]) : join(root, 'dist', 'cli.js');
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const keep = args.includes('--keep');
const MONOREPO_FILES = 100_000;

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}
const venv52 = join(root, '.venvs', 'bare52');
if (!existsSync(join(venv52, 'bin', 'django-admin'))) {
  console.error('.venvs/bare52 is missing: run `node scripts/setup-test-env.mjs` first');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'authkit-bench-'));
process.on('exit', () => {
  if (!keep) rmSync(work, { recursive: true, force: true });
});

/** A fresh startproject, with and without a virtualenv (.venv linking to the real bare52 one). */
function makeStartProject(dir, withVenv) {
  mkdirSync(dir, { recursive: true });
  const made = spawnSync(join(venv52, 'bin', 'django-admin'), ['startproject', 'mysite', dir], {
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (made.status !== 0) throw new Error(`startproject failed: ${made.stderr}`);
  if (withVenv) symlinkSync(venv52, join(dir, '.venv'));
}

/** Writes `count` small files spread over folders of `perDir` files; returns how many it wrote. */
function fill(base, count, perDir, name) {
  for (let i = 0; i < count; i++) {
    const folder = join(base, `d${Math.floor(i / perDir / 20)}`, `p${Math.floor(i / perDir)}`);
    if (i % perDir === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}${i % perDir}.${i % 3 === 0 ? 'py' : 'js'}`), '// x\n');
  }
  return count;
}

/** A monorepo: backend/ is a startproject with apps, frontend/ has node_modules, a .venv at the root. */
function makeMonorepo(repo) {
  let files = 0;
  mkdirSync(join(repo, '.git', 'objects'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  files += 1 + fill(join(repo, '.git', 'objects'), 3_000, 50, 'obj');
  makeStartProject(join(repo, 'backend'), false);
  files += 6;
  files += fill(join(repo, 'backend', 'apps'), 4_000, 20, 'module');
  writeFileSync(join(repo, 'uv.lock'), 'version = 1\n\n[[package]]\nname = "django"\nversion = "5.2.19"\n');
  writeFileSync(join(repo, 'pyproject.toml'), '[project]\nname = "mono"\nversion = "0"\ndependencies = ["django"]\n');
  files += 2;
  // The virtualenv: installed packages (with manage.py templates that must never be taken).
  const site = join(repo, '.venv', 'lib', 'python3.12', 'site-packages');
  mkdirSync(join(site, 'django-5.2.19.dist-info'), { recursive: true });
  writeFileSync(join(repo, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  writeFileSync(join(site, 'django-5.2.19.dist-info', 'METADATA'), 'Name: Django\nVersion: 5.2.19\n');
  files += 2;
  files += fill(join(site, 'pkgs'), 20_000, 40, 'mod');
  writeFileSync(join(site, 'pkgs', 'd0', 'p0', 'manage.py'), '');
  files += 1;
  files += fill(join(repo, 'docs'), 2_000, 25, 'page');
  const rest = MONOREPO_FILES - files - 12_000;
  files += fill(join(repo, 'frontend', 'src'), 12_000, 30, 'component');
  files += fill(join(repo, 'frontend', 'node_modules'), rest, 25, 'index');
  return files;
}

function time(command, argv, cwd, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed in ${cwd}: ${result.stderr}`);
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(label, argv, cwd, env) {
  for (let i = 0; i < 2; i++) time(process.execPath, argv, cwd, env); // warm the file cache
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(time(process.execPath, argv, cwd, env));
  return { label, median: median(samples), min: Math.min(...samples) };
}

const env = { ...process.env };
delete env.VIRTUAL_ENV;

const startVenv = join(work, 'startproject-venv');
const startBare = join(work, 'startproject-bare');
const mono = join(work, 'monorepo');
makeStartProject(startVenv, true);
makeStartProject(startBare, false);
process.stderr.write('creating the synthetic monorepo...\n');
const monoFiles = makeMonorepo(mono);

const rows = [
  measure('node -e 0', ['-e', '0'], work, env),
  measure('inspect --json, startproject with .venv', [cli, 'inspect', '--json'], startVenv, env),
  measure('inspect --json, startproject, no venv (asks python3)', [cli, 'inspect', '--json'], startBare, env),
  measure(`inspect --json, monorepo root (${monoFiles.toLocaleString('en')} files)`, [cli, 'inspect', '--json'], mono, env),
  measure('inspect --json, monorepo frontend/ (search above)', [cli, 'inspect', '--json'], join(mono, 'frontend'), env),
];

const base = rows[0].median;
const width = Math.max(...rows.map((r) => r.label.length));
console.log(`${'case'.padEnd(width)}  median ms  min ms  x node -e 0`);
for (const row of rows) {
  console.log(
    `${row.label.padEnd(width)}  ${row.median.toFixed(0).padStart(9)}  ${row.min.toFixed(0).padStart(6)}  ${(row.median / base).toFixed(2).padStart(11)}`,
  );
}
console.log(`\n${runs} runs per case after 2 warm-up runs; node ${process.version}, ${process.platform}.`);
console.log('Goals: startproject within 2.5x of node -e 0; monorepo under 1000 ms.');

// The README's main command (`npm run demo`): proves on a fresh copy of the example
// project that authkit-django adds a working WorkOS login, with no WorkOS account.
//
//   1. copy example/ (Bookshelf) to a temporary folder and make it a git repository
//   2. create its virtualenv (python3 -m venv .venv) and install its requirements from PyPI
//   3. authkit-django init --yes   (adds the views, settings, URLs, home page, .env and
//                                   .gitignore entries; pip installs workos and python-dotenv)
//   4. python manage.py migrate     (the sessions table)
//   5. authkit-django verify --flow (the checks, then a full login and logout over HTTP
//                                   against WorkOS's emulator)
//
// Credentials: the emulator's own test API key and client id (client_emulate). They are
// not WorkOS secrets and only work against the emulator.
//
// Usage: node scripts/build.mjs && node scripts/demo.mjs [--keep] [--python python3]
// Exits non-zero when a stage fails. The temporary folder is removed unless --keep.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const { values: options } = parseArgs({
  options: { keep: { type: 'boolean', default: false }, python: { type: 'string', default: 'python3' } },
  strict: true,
});

// The emulator's fixed test credentials (what `createEmulator` accepts by default).
const EMULATOR_API_KEY = ['sk', 'test', 'default'].join('_');
const EMULATOR_CLIENT_ID = 'client_emulate';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint(1);
const green = paint(32);
const red = paint(31);
const dim = paint(2);

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run demo` (it builds first) or `node scripts/build.mjs`.');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'authkit-django-demo-'));
const project = join(work, 'bookshelf');
const python = join(project, '.venv', 'bin', 'python');
// The project's own .venv must be the one used, whatever virtualenv this shell has active;
// and the emulator's credentials come from the command line, not from this shell.
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
delete env.VIRTUAL_ENV;
delete env.WORKOS_API_KEY;
delete env.WORKOS_CLIENT_ID;
delete env.WORKOS_BASE_URL;

/** Runs a command with its output shown; resolves with its exit code. */
function run(program, args, cwd = project) {
  console.log(dim(`$ ${[program, ...args].map((a) => (a === EMULATOR_API_KEY ? '<emulator test key>' : a)).join(' ')}`));
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      console.error(red(`cannot run ${program}: ${error.message}`));
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function git(args) {
  const result = spawnSync('git', ['-c', 'user.name=authkit-django demo', '-c', 'user.email=demo@example.com', ...args], { cwd: project, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr || result.error?.message}`);
}

const stages = [
  {
    name: 'copy the example project',
    run: async () => {
      cpSync(join(root, 'example'), project, { recursive: true });
      // A repository with one commit: init then sees a clean tree and adds .env to .gitignore.
      git(['init', '-q']);
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'Bookshelf, before authkit-django']);
      // The virtualenv made next is no change to review; keep it out of git status locally.
      appendFileSync(join(project, '.git', 'info', 'exclude'), '.venv/\n');
      console.log(`example/ copied to ${project} (a git repository with one commit)`);
      return 0;
    },
  },
  {
    name: 'create the virtualenv, install requirements.txt',
    run: async () => {
      const venv = await run(options.python, ['-m', 'venv', '.venv']);
      if (venv !== 0) return venv;
      return run(python, ['-m', 'pip', 'install', '--quiet', '-r', 'requirements.txt']);
    },
  },
  {
    name: 'authkit-django init --yes',
    run: () => run(process.execPath, [cli, 'init', '--yes', '--api-key', EMULATOR_API_KEY, '--client-id', EMULATOR_CLIENT_ID, '.']),
    // Exit 3: init leaves creating the sessions table to the user, which the next stage does.
    accepts: [0, 3],
  },
  { name: 'python manage.py migrate', run: () => run(python, ['manage.py', 'migrate', '--noinput', '-v', '1']) },
  { name: 'authkit-django verify --flow', run: () => run(process.execPath, [cli, 'verify', '--flow', '.']) },
];

console.log(bold('authkit-django demo: add WorkOS AuthKit to the Bookshelf example and prove the login works'));
console.log(dim("Credentials: the WorkOS emulator's own test API key and client id (client_emulate), not WorkOS secrets."));
const started = performance.now();
const results = [];
let failed = null;
for (const [index, stage] of stages.entries()) {
  console.log('');
  console.log(bold(`[${index + 1}/${stages.length}] ${stage.name}`));
  const stageStart = performance.now();
  let code;
  try {
    code = await stage.run();
  } catch (error) {
    console.error(red(error.message));
    code = 1;
  }
  const seconds = (performance.now() - stageStart) / 1000;
  results.push({ name: stage.name, code, seconds });
  if (!(stage.accepts ?? [0]).includes(code)) {
    failed = stage;
    break;
  }
}
const total = (performance.now() - started) / 1000;

console.log('');
console.log(bold('Summary'));
const width = Math.max(...stages.map((s) => s.name.length));
for (const stage of stages) {
  const result = results.find((r) => r.name === stage.name);
  const accepted = result && (stage.accepts ?? [0]).includes(result.code);
  const status = !result ? dim('not run') : accepted ? green(result.code === 0 ? 'ok' : `ok (exit code ${result.code})`) : red(`failed (exit code ${result.code})`);
  const time = result ? `${result.seconds.toFixed(1).padStart(6)} s` : '        ';
  console.log(`  ${stage.name.padEnd(width)}  ${time}  ${status}`);
}
console.log(`  ${'total'.padEnd(width)}  ${`${total.toFixed(1).padStart(6)} s`}`);
console.log('');
if (failed) {
  console.log(red(`The demo stopped at "${failed.name}". The project is kept for a look: ${project}`));
  process.exit(1);
}
console.log(green('The login flow works: signed in and out through the WorkOS emulator, with the code authkit-django generated.'));
if (options.keep) {
  console.log(`The project is kept at ${project}. Try the login in a browser with:`);
  console.log(`  node ${cli} dev ${project}`);
} else {
  rmSync(work, { recursive: true, force: true });
  console.log(dim('The temporary project was removed (keep it with: node scripts/demo.mjs --keep).'));
}

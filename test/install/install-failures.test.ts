// Installs that cannot run or fail, with the real tools: a manager missing from PATH, a
// package that does not exist (uv, against PyPI), an index that cannot be reached (pip),
// an index that never answers (pip, timeout), a system Python the project does not use,
// and a PEP 668 externally managed Python (Debian's /usr/bin/python3, when the machine has it).
// Each ends in a result with a clear message; nothing throws, no project file changes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { PackageManagerName, ProjectModel, PythonInfo } from '../../src/discover/model.js';
import { installCommand } from '../../src/install/command.js';
import { installPackages } from '../../src/install/install.js';

const execFileAsync = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const toolsBin = join(repo, '.venvs', 'tools', 'bin');
const cacheRoot = join(tmpdir(), 'authkit-django-test-cache');
// Port 9 (discard) on loopback: nothing listens, so every request is refused at once.
const UNREACHABLE_INDEX = 'http://127.0.0.1:9/simple/';
const NO_SUCH_PACKAGE = 'authkit-django-test-no-such-package';

let work: string;
let emptyBin: string;
let uvRoot: string;
let venvPython: string;

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${toolsBin}${delimiter}${process.env.PATH ?? ''}`,
    UV_CACHE_DIR: join(cacheRoot, 'uv'),
    UV_PYTHON_DOWNLOADS: 'never',
    PIP_CACHE_DIR: join(cacheRoot, 'pip'),
  };
  delete env.VIRTUAL_ENV;
  return env;
}

/** pip pointed at an index that refuses connections: it can install nothing, whatever it is asked. */
function offlinePipEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv(), PIP_INDEX_URL: UNREACHABLE_INDEX, PIP_RETRIES: '0' };
  delete env.PIP_FIND_LINKS;
  delete env.PIP_EXTRA_INDEX_URL;
  delete env.PIP_BREAK_SYSTEM_PACKAGES;
  return env;
}

function sink(): { write: (chunk: string) => boolean; text: () => string } {
  const chunks: string[] = [];
  return { write: (chunk: string) => (chunks.push(String(chunk)), true), text: () => chunks.join('') };
}

function model(name: PackageManagerName, root: string, files: string[], python: PythonInfo): Pick<ProjectModel, 'packageManager' | 'python'> {
  return {
    packageManager: { name, root, files: files.map((f) => join(root, f)), requirementsFile: name === 'pip' ? join(root, 'requirements.txt') : null, reason: 'test' },
    python,
  };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'authkit-django-install-fail-'));
  emptyBin = join(work, 'empty-bin');
  mkdirSync(emptyBin);

  uvRoot = join(work, 'uv-project');
  mkdirSync(uvRoot);
  writeFileSync(join(uvRoot, 'pyproject.toml'), '[project]\nname = "mysite"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = []\n');
  await execFileAsync('uv', ['lock'], { cwd: uvRoot, env: baseEnv() });

  const venv = join(work, 'pip-project', '.venv');
  mkdirSync(join(work, 'pip-project'));
  writeFileSync(join(work, 'pip-project', 'requirements.txt'), 'Django>=4.2\nworkos\npython-dotenv\n');
  await execFileAsync(join(toolsBin, 'virtualenv'), ['--quiet', '--no-periodic-update', venv], { env: baseEnv() });
  venvPython = join(venv, 'bin', 'python');
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('a package manager that is not installed', () => {
  const python: PythonInfo = { command: ['python3'], source: 'system', venv: null, exists: true };
  const env = (): NodeJS.ProcessEnv => ({ ...baseEnv(), PATH: emptyBin });

  test('uv.lock but no uv: says so and names the way out; nothing runs', async () => {
    const project = model('uv', uvRoot, ['uv.lock'], python);
    const before = readFileSync(join(uvRoot, 'pyproject.toml'), 'utf8');
    const stderr = sink();
    const result = await installPackages(installCommand(project), project, { stderr, env: env() });
    assert.equal(result.ok, false);
    assert.equal(result.status, 'tool-missing');
    assert.equal(result.message, 'uv.lock found but uv is not on PATH: install uv, or pass --package-manager pip');
    assert.equal(result.exitCode, null);
    assert.equal(stderr.text(), '', 'no progress for a tool that never started');
    assert.equal(readFileSync(join(uvRoot, 'pyproject.toml'), 'utf8'), before);
  });

  test('poetry and pipenv likewise', async () => {
    const poetry = model('poetry', work, ['pyproject.toml'], python);
    const pipenv = model('pipenv', work, ['Pipfile'], python);
    const [a, b] = await Promise.all([
      installPackages(installCommand(poetry), poetry, { stderr: sink(), env: env() }),
      installPackages(installCommand(pipenv), pipenv, { stderr: sink(), env: env() }),
    ]);
    assert.equal(a.message, 'pyproject.toml found but poetry is not on PATH: install poetry, or pass --package-manager pip');
    assert.equal(b.message, 'Pipfile found but pipenv is not on PATH: install pipenv, or pass --package-manager pip');
  });

  test('a --package-manager choice that is not installed', async () => {
    const project = model('uv', uvRoot, ['uv.lock'], python);
    const result = await installPackages(installCommand(project, { packageManager: 'pipenv' }), project, { stderr: sink(), env: env() });
    assert.equal(result.status, 'tool-missing');
    assert.equal(result.message, '--package-manager pipenv given but pipenv is not on PATH: install pipenv, or pass another --package-manager');
  });

  test("pip with a project virtualenv whose Python is gone", async () => {
    const root = join(work, 'pip-project');
    const project = model('pip', root, ['requirements.txt'], {
      command: [join(root, 'gone', 'bin', 'python')],
      source: 'venv',
      venv: join(root, 'gone'),
      exists: false,
    });
    const result = await installPackages(installCommand(project), project, { stderr: sink(), env: baseEnv() });
    assert.equal(result.status, 'tool-missing');
    assert.match(result.message ?? '', /^the project's Python \(.*gone\/bin\/python\) was not found: the virtualenv .*gone looks missing or broken/);
  });
});

describe('the tool fails', () => {
  test("uv: a package that does not exist -> not ok, uv's own error, the retry command, files as they were", { timeout: 120_000 }, async () => {
    const project = model('uv', uvRoot, ['uv.lock'], { command: ['uv', 'run', 'python'], source: 'package-manager', venv: null, exists: true });
    const pyproject = readFileSync(join(uvRoot, 'pyproject.toml'), 'utf8');
    const lock = readFileSync(join(uvRoot, 'uv.lock'), 'utf8');
    const command = installCommand(project, { packages: [NO_SUCH_PACKAGE] });
    const stderr = sink();
    const result = await installPackages(command, project, { stderr, env: baseEnv() });
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 1);
    const message = result.message ?? '';
    assert.match(message, /^uv add failed \(exit code 1\)\.\nuv said:\n/);
    assert.match(message, new RegExp(`  error: .*\\n(.|\\n)*${NO_SUCH_PACKAGE} was not found in the package registry`));
    assert.ok(message.endsWith(`To retry, run:\n  cd ${uvRoot} && uv add ${NO_SUCH_PACKAGE}`), message);
    assert.match(stderr.text(), /^installing authkit-django-test-no-such-package with uv \.\.\. failed after \d+\.\d s\n$/);
    assert.equal(readFileSync(join(uvRoot, 'pyproject.toml'), 'utf8'), pyproject);
    assert.equal(readFileSync(join(uvRoot, 'uv.lock'), 'utf8'), lock);
  });

  test("pip: an index that cannot be reached -> not ok, pip's own error", { timeout: 120_000 }, async () => {
    const root = join(work, 'pip-project');
    const project = model('pip', root, ['requirements.txt'], { command: [venvPython], source: 'venv', venv: join(root, '.venv'), exists: true });
    const result = await installPackages(installCommand(project), project, { stderr: sink(), env: offlinePipEnv() });
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 1);
    assert.match(result.message ?? '', /^pip install failed \(exit code 1\)\.\npip said:\n/);
    assert.match(result.message ?? '', /ERROR: No matching distribution found for workos/);
    assert.ok(result.message?.endsWith(`To retry, run:\n  cd ${root} && ${venvPython} -m pip install 'workos>=5.13.0,<11' 'pyjwt>=2.0,<3' 'python-dotenv>=1.0,<2'`), result.message ?? '');
    assert.match(result.outputTail, /127\.0\.0\.1/);
  });

  test('pip: an index that never answers -> stopped by the timeout, and the tool with it', { timeout: 120_000 }, async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket)); // accepts, never answers
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    try {
      const root = join(work, 'pip-project');
      const project = model('pip', root, ['requirements.txt'], { command: [venvPython], source: 'venv', venv: join(root, '.venv'), exists: true });
      const env = { ...offlinePipEnv(), PIP_INDEX_URL: `http://127.0.0.1:${port}/simple/`, PIP_TIMEOUT: '600' };
      const stderr = sink();
      const result = await installPackages(installCommand(project), project, { stderr, env, timeoutMs: 5000 });
      assert.equal(result.ok, false);
      assert.equal(result.status, 'timed-out');
      assert.match(result.message ?? '', /^pip install did not finish within 5\.0 s and was stopped\./);
      assert.match(result.message ?? '', /To retry, run:\n {2}cd .* -m pip install 'workos>=5\.13\.0,<11' 'pyjwt>=2\.0,<3' 'python-dotenv>=1\.0,<2'$/);
      assert.match(stderr.text(), /\.\.\. timed out after \d+\.\d s\n$/);
      assert.ok(sockets.length > 0, 'pip reached the index before the timeout');
      // pip was killed: the connections it held are closed (bounded wait).
      for (const socket of sockets) {
        if (socket.closed) continue;
        await new Promise<void>((done, fail) => {
          const guard = setTimeout(() => fail(new Error('pip still holds its connection')), 10_000);
          socket.once('close', () => (clearTimeout(guard), done()));
          socket.resume();
        });
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

describe('pip into a Python the project does not use', () => {
  const systemPython = '/usr/bin/python3';

  test('no virtualenv and a system Python without Django -> refused, with how to make a venv', async (t) => {
    if (!existsSync(systemPython)) return t.skip('no /usr/bin/python3 on this machine');
    const probe = await execFileAsync(systemPython, ['-c', 'import django']).then(() => true, () => false);
    if (probe) return t.skip('/usr/bin/python3 can import Django here');
    const root = join(work, 'pip-project');
    const project = model('pip', root, ['requirements.txt'], { command: [systemPython], source: 'system', venv: null, exists: true });
    const stderr = sink();
    // Offline pip too, so that even a wrong answer here could install nothing.
    const result = await installPackages(installCommand(project), project, { stderr, env: offlinePipEnv() });
    assert.equal(result.ok, false);
    assert.equal(result.status, 'refused');
    assert.equal(
      result.message,
      'no virtualenv found for this project, and /usr/bin/python3 cannot import Django, so it is not the Python the project runs on; pip install into it would not help.\n' +
        'Create and activate a virtualenv for the project, then run authkit-django again from that shell:\n' +
        `  cd ${root} && python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt`,
    );
    assert.equal(stderr.text(), '');
  });

  test('PEP 668: an externally managed system Python -> pip refuses, and the message says what to do', { timeout: 120_000 }, async (t) => {
    const python = await execFileAsync(systemPython, ['-c', 'import sysconfig; print(sysconfig.get_path("stdlib"))']).catch(() => null);
    const stdlib = python?.stdout.trim();
    if (!stdlib || !existsSync(join(stdlib, 'EXTERNALLY-MANAGED'))) return t.skip('no externally managed system Python here');
    // The system Python must pass our own check first (it can import Django): lend it Django
    // from .venvs/bare52 through PYTHONPATH, the way a system-wide Django would be found.
    const lend = join(work, 'lend-django');
    mkdirSync(lend, { recursive: true });
    const bareLib = join(repo, '.venvs', 'bare52', 'lib');
    const site = join(bareLib, readdirSync(bareLib).find((entry) => entry.startsWith('python')) ?? '', 'site-packages');
    if (!existsSync(join(lend, 'django'))) symlinkSync(join(site, 'django'), join(lend, 'django'));

    const root = join(work, 'pip-project');
    const project = model('pip', root, ['requirements.txt'], { command: [systemPython], source: 'system', venv: null, exists: true });
    // A package that does not exist, from an index that cannot be reached: nothing can be installed.
    const env = { ...offlinePipEnv(), PYTHONPATH: lend, PIP_NO_INDEX: '1' };
    const result = await installPackages(installCommand(project, { packages: [NO_SUCH_PACKAGE] }), project, { stderr: sink(), env });
    assert.equal(result.ok, false);
    assert.equal(result.status, 'failed');
    const message = result.message ?? '';
    assert.match(message, /externally-managed-environment/); // pip's own words
    assert.match(message, /\/usr\/bin\/python3 is a Python managed by the operating system \(PEP 668\)/);
    assert.match(message, /python3 -m venv \.venv && \. \.venv\/bin\/activate && pip install -r requirements\.txt/);
  });
});

// checkImports against the real interpreters in .venvs (Django only; Django + workos 10.x;
// Django + workos 5.x), and against interpreters that fail in the ways a project's can.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PythonInfo } from '../../src/discover/model.js';
import { checkImports } from '../../src/install/check-imports.js';

const venvs = join(import.meta.dirname, '..', '..', '.venvs');

function venvPython(name: string): PythonInfo {
  return { command: [join(venvs, name, 'bin', 'python')], source: 'venv', venv: join(venvs, name), exists: true };
}

/** The workos version pip recorded for a venv, read from its dist-info folder name. */
function installedWorkos(name: string): string {
  const lib = join(venvs, name, 'lib');
  const site = join(lib, readdirSync(lib).find((entry) => entry.startsWith('python')) ?? '', 'site-packages');
  const dist = readdirSync(site).find((entry) => /^workos-.+\.dist-info$/.test(entry));
  assert.ok(dist, `workos is installed in .venvs/${name}`);
  return dist.slice('workos-'.length, -'.dist-info'.length);
}

let project: string;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'authkit-django-imports-'));
});

after(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('checkImports', () => {
  test('a project environment with the newest SDK: workos, jwt and dotenv import, version read from the metadata', async () => {
    const report = await checkImports(venvPython('dj52'), project);
    assert.equal(report.ok, true);
    assert.deepEqual(report.imports, [
      { module: 'workos', ok: true, error: null },
      { module: 'jwt', ok: true, error: null },
      { module: 'dotenv', ok: true, error: null },
    ]);
    assert.equal(report.workosVersion, installedWorkos('dj52'));
    assert.equal(report.executable, join(venvs, 'dj52', 'bin', 'python'));
    assert.equal(report.error, null);
  });

  test('the last 5.x SDK reports its own version', async () => {
    const report = await checkImports(venvPython('workos5'), project);
    assert.equal(report.ok, true);
    assert.equal(report.workosVersion, installedWorkos('workos5'));
    assert.match(report.workosVersion ?? '', /^5\./);
  });

  test('Django only: each module reports its own import error', async () => {
    const report = await checkImports(venvPython('bare52'), project);
    assert.equal(report.ok, false);
    assert.equal(report.error, null);
    assert.deepEqual(report.imports, [
      { module: 'workos', ok: false, error: "ModuleNotFoundError: No module named 'workos'" },
      { module: 'jwt', ok: false, error: "ModuleNotFoundError: No module named 'jwt'" },
      { module: 'dotenv', ok: false, error: "ModuleNotFoundError: No module named 'dotenv'" },
    ]);
    assert.equal(report.workosVersion, null);
  });

  test("a module in the project that shadows the SDK and crashes on import: its error, not ours", async () => {
    const shadowing = mkdtempSync(join(project, 'shadow-'));
    writeFileSync(join(shadowing, 'workos.py'), 'raise RuntimeError("settings not configured")\n');
    const report = await checkImports(venvPython('dj52'), shadowing);
    assert.equal(report.ok, false);
    assert.deepEqual(report.imports[0], { module: 'workos', ok: false, error: 'RuntimeError: settings not configured' });
    assert.deepEqual(report.imports.slice(1), [
      { module: 'jwt', ok: true, error: null },
      { module: 'dotenv', ok: true, error: null },
    ]);
  });

  test('an interpreter that does not exist', async () => {
    const missing: PythonInfo = { command: [join(project, '.venv', 'bin', 'python')], source: 'venv', venv: join(project, '.venv'), exists: false };
    const report = await checkImports(missing, project);
    assert.equal(report.ok, false);
    assert.match(report.error ?? '', /^could not run .*\.venv\/bin\/python: .*ENOENT/);
    assert.ok(report.imports.every((entry) => !entry.ok));
  });

  test('an interpreter that exits before reporting', async () => {
    // The command's own -c runs first; ours only becomes its argv.
    const python = venvPython('bare52');
    const broken: PythonInfo = { ...python, command: [...python.command, '-c', 'import sys; sys.stderr.write("boom\\n"); sys.exit(3)'] };
    const report = await checkImports(broken, project);
    assert.equal(report.ok, false);
    assert.match(report.error ?? '', /exited with code 3 without a report:\nboom/);
  });

  test('an interpreter that hangs is stopped by the timeout', { timeout: 30_000 }, async () => {
    const python = venvPython('bare52');
    const hanging: PythonInfo = { ...python, command: [...python.command, '-c', 'import time; time.sleep(60)'] };
    const report = await checkImports(hanging, project, { timeoutMs: 1000 });
    assert.equal(report.ok, false);
    assert.match(report.error ?? '', /did not answer within 1 s/);
  });
});

// doctor and the project's Python: workos and python-dotenv missing from the interpreter
// the project runs with, found in another one, and installed by --fix with the project's
// package manager (real pip from PyPI, into a real virtualenv). The virtualenvs are made
// with the base interpreter of .venvs and get Django (and, for the "other" one, the SDK)
// through a .pth file pointing at .venvs' site-packages: real packages, no copies.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import { tempDir } from '../helpers/django.js';
import { toolEnv } from '../helpers/tools.js';
import { caseOf, check, doctor, initedProject, manageCheck, problems, python, VENVS } from './support.js';

const run = promisify(execFile);

async function sitePackages(venv: string): Promise<string> {
  const { stdout } = await run(python(venv), ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']);
  return stdout.trim();
}

/** A new virtualenv that sees the packages of `from` (a .pth file), with or without pip. */
async function venvSeeing(dir: string, from: string, withPip: boolean): Promise<string> {
  const { stdout } = await run(python(from), ['-c', 'import sys; print(sys.base_prefix)']);
  const base = join(stdout.trim(), 'bin', 'python3');
  await run(base, ['-m', 'venv', ...(withPip ? [] : ['--without-pip']), dir]);
  writeFileSync(join(await sitePackages(dir), 'authkit_test_packages.pth'), `${await sitePackages(from)}\n`);
  return dir;
}

describe("doctor and the project's Python", { concurrency: 2 }, () => {
  before(() => initedProject('5.2'));

  test('packages missing from the active virtualenv: named, with the virtualenv that has them', async () => {
    const dir = await caseOf('5.2');
    const djangoOnly = await venvSeeing(join(tempDir('authkit-venv-'), 'django-only'), VENVS.bare52, false);
    await venvSeeing(join(dir, '.venv'), VENVS.dj52, false);
    const { code, json } = await doctor(dir, djangoOnly, ['--offline']);
    assert.deepEqual(problems(json.checks), { packages: 'fail' });
    const packages = check(json.checks, 'packages');
    assert.match(packages.message, new RegExp(`workos and python-dotenv are not importable by ${djangoOnly}/bin/python \\(the active virtualenv, \\$VIRTUAL_ENV\\)`));
    assert.match(packages.message, new RegExp(`${dir}/\\.venv/bin/python \\(the virtualenv \\.venv/ in ${dir}\\) has both`));
    assert.match(packages.fix ?? '', /^doctor --fix: install them: .* -m pip install 'workos>=5\.13\.0,<11' 'pyjwt>=2\.0,<3' 'python-dotenv>=1\.0,<2'/);
    // What needs the packages is not judged, and says why.
    assert.deepEqual(check(json.checks, 'settings').blockedBy, ['packages']);
    assert.equal(code, 4);
  });

  test('--fix installs them with pip into the project\'s virtualenv; then everything passes', async () => {
    const dir = await caseOf('5.2');
    const venv = await venvSeeing(join(tempDir('authkit-venv-'), 'project-env'), VENVS.bare52, true);
    const env = toolEnv();
    const fixed = await doctor(dir, venv, ['--offline', '--fix', '--yes'], { PIP_CACHE_DIR: env.PIP_CACHE_DIR, PATH: env.PATH });
    assert.deepEqual(problems(fixed.json.fix?.before ?? []), { packages: 'fail' });
    const commands = fixed.json.fix?.rounds.flatMap((r) => r.commands) ?? [];
    assert.equal(commands.length, 1);
    assert.match(commands[0]!.command, /-m pip install 'workos>=5\.13\.0,<11' 'pyjwt>=2\.0,<3' 'python-dotenv>=1\.0,<2'$/);
    assert.equal(commands[0]!.ok, true, commands[0]!.message ?? '');
    assert.deepEqual(problems(fixed.json.checks), {});
    assert.equal(fixed.code, 0);
    const again = await doctor(dir, venv, ['--offline']);
    assert.deepEqual(problems(again.json.checks), {});
    assert.equal((await manageCheck(dir, venv)).code, 0);
  });

  test('no Python at all for the project: one failure that says which interpreter', async () => {
    const dir = await caseOf('5.2');
    const missing = join(tempDir('authkit-venv-'), 'gone');
    const { code, json } = await doctor(dir, missing, ['--offline']);
    assert.deepEqual(problems(json.checks), { python: 'fail' });
    assert.match(check(json.checks, 'python').message, new RegExp(`${missing}/bin/python`));
    assert.equal(code, 4);
  });
});

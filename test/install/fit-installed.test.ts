/**
 * Issue 8, item 6 (conflicts, transitive upgrades): with pip, init installs the newest workos
 * that fits the packages the project already has, holding each at its `pip freeze` version,
 * and only when no release fits does it install with upgrades, which it then shows. Real pip
 * in real virtualenvs from PyPI: cryptography 43.0.3 is met by a 5.x release (workos 10 wants
 * cryptography ~=50); cryptography 41.0.7 by none from 5.13.0 on. uv holds what uv.lock pins.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture } from '../helpers/django.js';
import { runTool, toolEnv, toolsBin } from '../helpers/tools.js';
import { constraintsFor } from '../../src/install/fit-installed.js';
import { parseFreeze } from '../../src/install/environment-state.js';
import { installedVersion } from '../../src/install/installed-version.js';

const KEYS = ['--api-key', 'sk_test_fitting0000', '--client-id', 'client_fitting'];

async function pipProject(pins: string[], requirementsFile = true): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = copyFixture('minimal');
  if (requirementsFile) writeFileSync(join(dir, 'requirements.txt'), `${pins.join('\n')}\n`);
  writeFileSync(join(dir, '.gitignore'), '.venv/\n');
  const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
  await runTool([join(toolsBin, 'virtualenv'), '--quiet', '--no-periodic-update', join(dir, '.venv')], dir, env);
  await runTool([join(dir, '.venv', 'bin', 'python'), '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...pins], dir, env);
  gitInit(dir);
  return { dir, env };
}

interface InstallReport {
  install: { status: string; heldInstalled?: boolean; changedPackages?: { name: string; from: string; to: string }[] };
}

describe('pip installs the newest workos that fits what is installed', () => {
  it('holds every installed distribution but workos and pip\'s own tools', () => {
    const state = { packages: parseFreeze('Django==5.2.19\nworkos==5.9.1\npip==25.3\nsetuptools==80.0\ncryptography==43.0.3\n'), consistent: true, problems: '' };
    assert.deepEqual(constraintsFor(state), ['Django==5.2.19', 'cryptography==43.0.3']);
  });

  it('keeps cryptography 43.0.3 and picks a 5.x release that accepts it, pinned in the file\'s own == style', async () => {
    const { dir, env } = await pipProject(['Django==5.2.19', 'cryptography==43.0.3']);
    const run = await cli(['init', '--yes', '--json', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(run.stdout) as InstallReport;
    assert.equal(report.install.status, 'installed', run.stderr);
    assert.equal(report.install.heldInstalled, true);
    assert.deepEqual(report.install.changedPackages ?? [], []);
    const venv = join(dir, '.venv');
    assert.equal(installedVersion(venv, 'cryptography'), '43.0.3');
    const workos = installedVersion(venv, 'workos') ?? '';
    assert.match(workos, /^5\./, `workos ${workos} would have needed another cryptography`);
    assert.match(readFileSync(join(dir, 'requirements.txt'), 'utf8'), new RegExp(`^workos==${workos.replace(/\./g, '\\.')}$`, 'm'));
    // The pinned file is the one the journal knows: a second run plans nothing, undo restores it.
    const second = JSON.parse((await cli(['init', '--yes', '--json', '--no-verify'], { cwd: dir, env })).stdout) as { files: unknown[] };
    assert.deepEqual(second.files, []);
    const undo = await cli(['undo', '--yes'], { cwd: dir, env });
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'Django==5.2.19\ncryptography==43.0.3\n');
  });

  it('installs with upgrades, and shows them, when no release fits (cryptography 41.0.7)', async () => {
    const { dir, env } = await pipProject(['Django==5.2.19', 'cryptography==41.0.7']);
    const run = await cli(['init', '--yes', '--json', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(run.stdout) as InstallReport;
    assert.equal(report.install.status, 'installed', run.stderr);
    assert.equal(report.install.heldInstalled, false);
    assert.match(run.stderr, /No workos release from 5\.13\.0 on fits the \d+ packages installed as they are/);
    const upgrade = report.install.changedPackages?.find((c) => c.name.toLowerCase() === 'cryptography');
    assert.equal(upgrade?.from, '41.0.7');
    assert.match(run.stderr, /the project had installed:\n(?:  .*\n)*  cryptography 41\.0\.7 -> \S+\n/);
  });

  it('uv: holds what uv.lock pins (cryptography 43.0.3, locked through a loose requirement), so workos 10 does not raise it', async () => {
    const dir = copyFixture('minimal');
    const pyproject = (crypto: string) => `[project]\nname = "mini"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["django>=4.2", "${crypto}"]\n`;
    writeFileSync(join(dir, '.gitignore'), '.venv/\n');
    const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
    // Lock at 43.0.3, then loosen the requirement: uv keeps the locked version, as in a project locked a while ago.
    writeFileSync(join(dir, 'pyproject.toml'), pyproject('cryptography==43.0.3'));
    await runTool(['uv', 'lock', '--quiet'], dir, env);
    writeFileSync(join(dir, 'pyproject.toml'), pyproject('cryptography>=41'));
    await runTool(['uv', 'lock', '--quiet'], dir, env);
    assert.match(readFileSync(join(dir, 'uv.lock'), 'utf8'), /name = "cryptography"\nversion = "43\.0\.3"/);
    gitInit(dir);
    const run = await cli(['init', '--yes', '--json', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(run.stdout) as InstallReport;
    assert.equal(report.install.status, 'installed', run.stderr);
    assert.equal(report.install.heldInstalled, true);
    const lock = readFileSync(join(dir, 'uv.lock'), 'utf8');
    assert.match(lock, /name = "cryptography"\nversion = "43\.0\.3"/);
    assert.match(lock, /name = "workos"\nversion = "5\./);
    assert.doesNotMatch(readFileSync(join(dir, 'pyproject.toml'), 'utf8'), /constraint/);
  });

  it('with no requirements file at all: installed, and the report says it is recorded nowhere', async () => {
    const { dir, env } = await pipProject(['Django==5.2.19'], false);
    const run = await cli(['init', '--yes', '--json', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(run.stdout) as InstallReport & { install: { note?: string } };
    assert.equal(report.install.status, 'installed', run.stderr);
    assert.match(report.install.note ?? '', /^no requirements file: workos>=5\.13\.0,<11 .* installed but recorded nowhere$/);
  });
});

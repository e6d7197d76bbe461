/**
 * `authkit-django inspect` as users run it: the CLI entry under tsx (and the built
 * dist/cli.js when present), exit codes, the JSON and human forms, clear errors, and
 * proof that it writes nothing (every file's bytes and mtime, before and after).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { bareVenv, copyFixture, copyOfStartProject, DJANGO_VERSIONS, repoRoot, snapshotTree, tempDir } from '../helpers/django.js';

const tsxLoader = pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('tsx')).href;
const cliSource = join(repoRoot, 'src', 'cli.ts');
const cliBuilt = join(repoRoot, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from `cwd` (so that DIR can default to the current folder). */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, built = false): Promise<Run> {
  const argv = built ? [cliBuilt, ...args] : ['--import', tsxLoader, cliSource, ...args];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('inspect command', () => {
  it('--json on a startproject: exit 0, one JSON object, paths relative to the current folder', async () => {
    const dir = await copyOfStartProject('5.2');
    const run = await cli(['inspect', '--json'], dir, { VIRTUAL_ENV: bareVenv('5.2') });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const json = JSON.parse(run.stdout);
    assert.equal(json.managePy, 'manage.py');
    assert.equal(json.settingsFile, 'mysite/settings.py');
    assert.equal(json.urlsFile, 'mysite/urls.py');
    assert.deepEqual(json.django, { version: DJANGO_VERSIONS['5.2'], source: 'installed' });
    for (const key of [
      'managePy', 'candidates', 'settingsModule', 'settingsFile', 'settingsFiles', 'rootUrlconf', 'urlsFile',
      'installedApps', 'middleware', 'sessions', 'templates', 'packageManager', 'packageManagerFiles',
      'requirementsFile', 'python', 'django', 'existingAuth', 'problems', 'env', 'projectPackage', 'isGitRepo', 'repoRoot',
    ]) {
      assert.ok(key in json, `missing key ${key}`);
    }
  });

  it('human output: a short summary, and problems with file:line', async () => {
    const dir = copyFixture('dynamic');
    const run = await cli(['inspect', dir], repoRoot, { PATH: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Django project +manage\.py/m);
    assert.match(run.stdout, /^Settings +dyn\.settings +\(from manage\.py\)$/m);
    assert.match(run.stdout, /^ +edits go to +dyn\/settings\.py$/m);
    assert.match(run.stdout, /^Problems \(3\):$/m);
    assert.match(run.stdout, /^ +dyn\/settings\.py:22 +ROOT_URLCONF is computed/m);
    assert.ok(run.stdout.split('\n').length < 25, 'the summary stays short');
  });

  it('no manage.py: exit 1, one sentence and a hint on stderr, no stack trace; --json also says why on stdout', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'README.md'), 'not a Django project\n');
    const run = await cli(['inspect', '--json'], dir);
    assert.equal(run.code, 1);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 2, run.stderr);
    assert.match(lines[0]!, /^authkit-django: no Django project found: there is no manage\.py in /);
    assert.match(lines[1]!, /--project PATH/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.match(JSON.parse(run.stdout).error.message, /^no Django project found/);
  });

  it('--project and --settings reach discovery', async () => {
    const dir = copyFixture('two-projects');
    const run = await cli(['inspect', '--json', '--project', 'beta'], dir, { PATH: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).managePy, 'beta/manage.py');
    const settings = await cli(['inspect', '--json', '--settings', 'alpha_site.other'], dir, { PATH: '' });
    const json = JSON.parse(settings.stdout);
    assert.equal(json.settingsModuleSource, 'search');
    assert.equal(json.problems[0].code, 'settings-module-missing');
  });

  it('writes nothing: every byte and mtime is the same afterwards, in every kind of project', async () => {
    const projects = [
      await copyOfStartProject('4.2'),
      copyFixture('cookiecutter'),
      copyFixture('dynamic'),
      copyFixture('split-settings'),
      copyFixture('env-only'),
    ];
    const broken = copyFixture('minimal');
    writeFileSync(join(broken, 'mini', 'settings.py'), Buffer.from([0x41, 0x20, 0x3d, 0x20, 0xff, 0x0a, 0x28]));
    projects.push(broken);
    const withVenv = copyFixture('minimal');
    symlinkSync(bareVenv('5.2'), join(withVenv, '.venv'));
    projects.push(withVenv);
    for (const dir of projects) {
      const before = snapshotTree(dir);
      for (const args of [['inspect', '--json'], ['inspect']]) {
        const run = await cli(args, dir);
        assert.equal(run.code, 0, `${dir}: ${run.stderr}`);
      }
      assert.deepEqual(snapshotTree(dir), before, `inspect changed files in ${dir}`);
    }
  });

  it('the built binary (dist/cli.js) gives the same report', { skip: !existsSync(cliBuilt) && !process.env.CI && 'dist/ not built' }, async () => {
    const dir = copyFixture('settings-package');
    const built = await cli(['inspect', '--json'], dir, { PATH: '' }, true);
    const source = await cli(['inspect', '--json'], dir, { PATH: '' });
    assert.equal(built.code, 0, built.stderr);
    assert.deepEqual(JSON.parse(built.stdout), JSON.parse(source.stdout));
    assert.equal(JSON.parse(built.stdout).settingsFile, 'shop/settings/base.py');
  });
});

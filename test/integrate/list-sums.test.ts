// INSTALLED_APPS and MIDDLEWARE as sums of named lists (`DJANGO_APPS + THIRD_PARTY_APPS +
// LOCAL_APPS`, cookiecutter-django's layout), on a real Django 5.2 startproject, with the
// check before writing on (the project loaded in its own Python before and after): the
// app goes into the project's own part, its middleware into the part that holds
// AuthenticationMiddleware, both parts count as planned additions, and the project loads
// with them. (Found on a real project: the check held every write back.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, stateDir } from '../helpers/cli.js';
import { copyOfStartProject } from '../helpers/django.js';
import { envWith, venvPython, venvs } from '../flow/support.js';

test('a sum of named lists: the app in LOCAL_APPS, the middleware beside AuthenticationMiddleware, written after the check', async () => {
  const dir = await copyOfStartProject('5.2');
  const settings = join(dir, 'mysite', 'settings.py');
  const text = readFileSync(settings, 'utf8')
    .replace('INSTALLED_APPS = [', 'DJANGO_APPS = [')
    .replace(/(DJANGO_APPS = \[[^\]]*\]\n)/, '$1\nLOCAL_APPS = [\n    "mysite",\n]\n\nINSTALLED_APPS = DJANGO_APPS + LOCAL_APPS\n')
    .replace('MIDDLEWARE = [', 'BASE_MIDDLEWARE = [')
    .replace(/(BASE_MIDDLEWARE = \[[^\]]*\]\n)/, '$1\nMIDDLEWARE = BASE_MIDDLEWARE + []\n');
  writeFileSync(settings, text);
  const env = envWith(venvs.dj52, { AUTHKIT_DJANGO_STATE_DIR: stateDir() });

  const result = await cli(['init', '--yes', '--json', '--no-install', '--api-key', 'sk_test_listsums000000', '--client-id', 'client_listsums', dir], { env });
  const report = JSON.parse(result.stdout) as { exitCode: number; invariant?: { status: string }; changes: { id: string; status: string }[] };

  // Exit 3: only `migrate` is left to the user; nothing held back.
  assert.equal(result.code, 3, result.stdout);
  assert.ok(!report.changes.some((c) => c.status === 'manual'), JSON.stringify(report.changes.filter((c) => c.status === 'manual')));
  const after = readFileSync(settings, 'utf8');
  assert.match(after, /LOCAL_APPS = \[\n {4}"mysite",\n {4}"mysite\.authkit",\n\]/);
  assert.match(after, /'django\.contrib\.auth\.middleware\.AuthenticationMiddleware',\n {4}'mysite\.authkit\.middleware\.AuthKitMiddleware',/);
  const loaded = execFileSync(venvPython(venvs.dj52), ['-c', 'import django; django.setup(); from django.conf import settings as s; print(s.INSTALLED_APPS[-1], "mysite.authkit.middleware.AuthKitMiddleware" in s.MIDDLEWARE)'], {
    cwd: dir,
    env: { ...env, DJANGO_SETTINGS_MODULE: 'mysite.settings' },
    encoding: 'utf8',
  });
  assert.equal(loaded.trim(), 'mysite.authkit True');
});

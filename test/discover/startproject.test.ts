/**
 * Discovery on real projects made by `django-admin startproject` with Django 4.2 and
 * 5.2 from PyPI (the bare42 / bare52 virtualenvs), from every folder a user may stand
 * in, with the real virtualenv as the active one.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { jsonReport } from '../../src/discover/report.js';
import { bareVenv, DJANGO_VERSIONS, startProject, tempDir, type DjangoLine } from '../helpers/django.js';

const STARTPROJECT_APPS = [
  'django.contrib.admin',
  'django.contrib.auth',
  'django.contrib.contenttypes',
  'django.contrib.sessions',
  'django.contrib.messages',
  'django.contrib.staticfiles',
];

for (const line of ['4.2', '5.2'] as DjangoLine[]) {
  describe(`startproject with Django ${line}`, () => {
    const env = { VIRTUAL_ENV: bareVenv(line), PATH: '' };

    it('finds everything, from the project folder', async () => {
      const dir = await startProject(line);
      const json = jsonReport(await discover(dir, { env })) as Record<string, any>;
      assert.equal(json.managePy, 'manage.py');
      assert.deepEqual(json.candidates, []);
      assert.equal(json.settingsModule, 'mysite.settings');
      assert.equal(json.settingsModuleSource, 'manage.py');
      assert.equal(json.settingsFile, 'mysite/settings.py');
      assert.deepEqual(json.settingsFiles, ['mysite/settings.py']);
      assert.equal(json.rootUrlconf, 'mysite.urls');
      assert.equal(json.urlsFile, 'mysite/urls.py');
      assert.equal(json.projectPackage, 'mysite');
      assert.deepEqual(json.installedApps, STARTPROJECT_APPS);
      assert.equal(json.middleware.length, 7);
      assert.equal(json.middleware[1], 'django.contrib.sessions.middleware.SessionMiddleware');
      assert.deepEqual(json.sessions, { app: true, middleware: true });
      assert.deepEqual(json.templates, {
        backend: 'django.template.backends.django.DjangoTemplates',
        appDirs: true,
        dirs: [],
        file: 'mysite/settings.py',
        line: json.settingPlaces.TEMPLATES.line,
      });
      assert.equal(json.packageManager, 'pip');
      assert.equal(json.python.source, 'VIRTUAL_ENV');
      assert.equal(json.python.exists, true);
      assert.deepEqual(json.django, { version: DJANGO_VERSIONS[line], source: 'installed' });
      assert.deepEqual(json.existingAuth, []);
      assert.equal(json.env.exists, false);
      assert.equal(json.env.file, '.env');
      assert.deepEqual(json.problems, []);
    });

    it('finds the project from its inner package (manage.py is above)', async () => {
      const dir = await startProject(line);
      const json = jsonReport(await discover(join(dir, 'mysite'), { env })) as Record<string, any>;
      assert.equal(json.managePy, '../manage.py');
      assert.equal(json.settingsFile, 'settings.py');
      assert.equal(json.projectPackage, '.');
    });

    it('finds the project from the root of a repository that holds it in a subfolder', async () => {
      const repo = tempDir('authkit-repo-');
      mkdirSync(join(repo, '.git'));
      cpSync(await startProject(line), join(repo, 'services', 'web'), { recursive: true });
      const json = jsonReport(await discover(repo, { env })) as Record<string, any>;
      assert.equal(json.managePy, 'services/web/manage.py');
      assert.equal(json.settingsFile, 'services/web/mysite/settings.py');
      assert.equal(json.repoRoot, '.');
      assert.equal(json.isGitRepo, true);
      assert.equal(json.projectRoot, 'services/web');
      assert.equal(dirname(json.env.file), 'services/web');
    });
  });
}

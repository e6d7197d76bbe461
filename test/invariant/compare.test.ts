/**
 * The comparison the check before writing makes (src/invariant/compare.ts), on hand-made
 * snapshots: each kind of change it must catch, and the planned additions it must allow.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readlinkSync, lstatSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compareSnapshots, type Expectations } from '../../src/invariant/compare.js';
import { buildMirror } from '../../src/invariant/mirror.js';
import type { Snapshot } from '../../src/invariant/snapshot.js';
import { tempDir } from '../helpers/django.js';

function base(): Snapshot {
  return {
    loaded: true,
    error: null,
    django: '5.2',
    settings: { DEBUG: 'a1', SECRET_KEY: 'b2' },
    lists: { INSTALLED_APPS: ['django.contrib.auth'], MIDDLEWARE: ['x.Security'], AUTHENTICATION_BACKENDS: ['django.contrib.auth.backends.ModelBackend'] },
    defaults: { LOGIN_URL: 'default' },
    templates: [{ backend: 'django.template.backends.django.DjangoTemplates', dirs: ['/p/templates'], rest: 'r1' }],
    keys: { WORKOS_API_KEY: false, WORKOS_CLIENT_ID: false },
    urls: {
      routes: { index: { route: '', view: 'pages.views.index', path: '/', resolves: { view: 'pages.views.index', name: 'index' } } },
      home: { '/': { view: 'pages.views.index', name: 'index' } },
      i18n: false,
    },
    urlsError: null,
    standIns: [],
    executable: '/p/.venv/bin/python',
  };
}

function withOurs(s: Snapshot): Snapshot {
  const next = structuredClone(s);
  for (const r of ['login', 'callback', 'logout', 'me', 'organization']) {
    next.urls!.routes[`workos_${r}`] = { route: `auth/${r}/`, view: `site.authkit.views.${r}`, path: `/auth/${r}/`, resolves: { view: `site.authkit.views.${r}`, name: `workos_${r}` } };
  }
  next.keys = { WORKOS_API_KEY: true, WORKOS_CLIENT_ID: true };
  return next;
}

const EXPECT: Expectations = { routes: 'planned', homePlanned: false, keysWritten: ['WORKOS_API_KEY'] };

describe('compareSnapshots', () => {
  test('the planned additions only: no difference', () => {
    const after = withOurs(base());
    after.lists.INSTALLED_APPS!.push('django.contrib.sessions');
    after.templates[0]!.dirs.push('/p/more');
    assert.deepEqual(compareSnapshots(base(), after, EXPECT), []);
  });

  test('with the plan\'s record: exactly the planned list entries and LOGIN_URL from the default to ours are allowed', () => {
    const planned = {
      listAdditions: { INSTALLED_APPS: ['site.authkit'], MIDDLEWARE: ['site.authkit.middleware.AuthKitMiddleware'], AUTHENTICATION_BACKENDS: ['site.authkit.backends.WorkOSBackend'] },
      defaultsReplaced: { LOGIN_URL: 'workos_login' },
      routes: ['workos_login', 'workos_callback', 'workos_logout', 'workos_me', 'workos_organization'],
    };
    const expect: Expectations = { ...EXPECT, planned };
    const before = base();
    before.settings.LOGIN_URL = 'd1';
    const after = withOurs(before);
    after.lists.INSTALLED_APPS!.push('site.authkit');
    after.lists.MIDDLEWARE!.push('site.authkit.middleware.AuthKitMiddleware');
    after.lists.AUTHENTICATION_BACKENDS!.push('site.authkit.backends.WorkOSBackend');
    after.settings.LOGIN_URL = 'd2';
    after.defaults.LOGIN_URL = 'ours';
    assert.deepEqual(compareSnapshots(before, after, expect), []);

    // An entry the plan does not add (a settings file that reads ours and adds more) is caught.
    const more = structuredClone(after);
    more.lists.AUTHENTICATION_BACKENDS!.push('other.Backend');
    assert.deepEqual(compareSnapshots(before, more, expect).map((d) => [d.kind, d.subject]), [['settings', 'AUTHENTICATION_BACKENDS']]);
    // LOGIN_URL: only Django's default may become ours, and only when the plan sets it.
    const theirs = structuredClone(before);
    theirs.defaults.LOGIN_URL = 'other';
    assert.deepEqual(compareSnapshots(theirs, after, expect).map((d) => d.subject), ['LOGIN_URL']);
    assert.deepEqual(compareSnapshots(before, after, { ...expect, planned: { ...planned, defaultsReplaced: {} } }).map((d) => d.subject), ['LOGIN_URL']);
  });

  test('routes already there without auth/me/ and auth/organization/ (the earlier layout, views of its own): no difference', () => {
    const before = withOurs(base());
    delete before.urls!.routes.workos_me;
    delete before.urls!.routes.workos_organization;
    const after = structuredClone(before);
    const planned = { listAdditions: {}, defaultsReplaced: {}, routes: [] };
    assert.deepEqual(compareSnapshots(before, after, { ...EXPECT, routes: 'present', planned }), []);
    // Without the record (doctor --fix), every route of ours is expected.
    assert.deepEqual(compareSnapshots(before, after, { ...EXPECT, routes: 'present' }).map((d) => d.subject), ['workos_me', 'workos_organization']);
  });

  test('a setting that changes value, or disappears', () => {
    const after = withOurs(base());
    after.settings.DEBUG = 'zz';
    delete after.settings.SECRET_KEY;
    assert.deepEqual(
      compareSnapshots(base(), after, EXPECT).map((d) => [d.kind, d.subject]),
      [['settings', 'DEBUG'], ['settings', 'SECRET_KEY']],
    );
  });

  test('a list entry removed or moved; TEMPLATES changed beyond DIRS', () => {
    const before = base();
    before.lists.MIDDLEWARE = ['a', 'b'];
    const after = withOurs(before);
    after.lists.MIDDLEWARE = ['b', 'a'];
    after.templates[0]!.rest = 'other';
    assert.deepEqual(compareSnapshots(before, after, EXPECT).map((d) => d.subject), ['MIDDLEWARE', 'TEMPLATES']);
  });

  test('our routes namespaced: reverse() would fail, and the namespace is named', () => {
    const after = withOurs(base());
    after.urls!.routes['app:workos_login'] = after.urls!.routes.workos_login!;
    delete after.urls!.routes.workos_login;
    const [d] = compareSnapshots(base(), after, EXPECT);
    assert.equal(d?.kind, 'routes');
    assert.match(d!.message, /namespaced as app:workos_login/);
  });

  test('an existing name served by another view; a path that moved', () => {
    const after = withOurs(base());
    after.urls!.routes.index!.resolves = { view: 'site.home_views.home', name: 'home' };
    assert.match(compareSnapshots(base(), after, EXPECT)[0]!.message, /\/ would be served by site\.home_views\.home instead of pages\.views\.index/);
    const moved = withOurs(base());
    moved.urls!.routes.index!.path = '/portal/';
    assert.match(compareSnapshots(base(), moved, EXPECT)[0]!.message, /would reverse to \/portal\/ instead of \//);
  });

  test('/ taken over under i18n: a home route where LocaleMiddleware redirected', () => {
    const before = base();
    before.urls!.routes = {};
    before.urls!.home = { '/': null, '/en/': { view: 'pages.views.index', name: 'index' } };
    before.urls!.i18n = true;
    const after = withOurs(before);
    after.urls!.home['/'] = { view: 'site.home_views.home', name: 'home' };
    const diffs = compareSnapshots(before, after, { ...EXPECT, homePlanned: true });
    assert.deepEqual(diffs.map((d) => [d.kind, d.subject]), [['home', '/']]);
    assert.match(diffs[0]!.message, /i18n_patterns/);
  });

  test('a home route on a free /: allowed; one that would never be reached: caught', () => {
    const before = base();
    before.urls!.routes = {};
    before.urls!.home = { '/': null };
    const served = withOurs(before);
    served.urls!.home['/'] = { view: 'site.home_views.home', name: 'home' };
    assert.deepEqual(compareSnapshots(before, served, { ...EXPECT, homePlanned: true }), []);
    const dead = withOurs(before);
    assert.deepEqual(compareSnapshots(before, dead, { ...EXPECT, homePlanned: true }).map((d) => d.kind), ['dead-home']);
  });

  test('the settings do not see the key written to .env', () => {
    const after = withOurs(base());
    after.keys.WORKOS_API_KEY = false;
    assert.deepEqual(compareSnapshots(base(), after, EXPECT).map((d) => [d.kind, d.subject]), [['keys', 'WORKOS_API_KEY']]);
  });

  test('the planned files stop the settings or the urlconf from loading', () => {
    const broken = { ...withOurs(base()), loaded: false, error: 'the settings module x does not load: KeyError' };
    assert.match(compareSnapshots(base(), broken, EXPECT)[0]!.message, /KeyError/);
    const noUrls = { ...withOurs(base()), urls: null, urlsError: 'TypeError: can only concatenate tuple' };
    assert.deepEqual(compareSnapshots(base(), noUrls, EXPECT).map((d) => d.kind), ['urls']);
  });
});

describe('buildMirror', () => {
  test('planned files written, everything else a symlink to the original; removed after', () => {
    const root = tempDir('authkit-mirror-');
    mkdirSync(join(root, 'site'));
    mkdirSync(join(root, 'big'));
    writeFileSync(join(root, 'manage.py'), 'x');
    writeFileSync(join(root, 'site', 'settings.py'), 'old');
    writeFileSync(join(root, 'site', 'other.py'), 'other');
    const mirror = buildMirror(root, [
      { file: join(root, 'site', 'settings.py'), before: 'old', after: 'new' },
      { file: join(root, 'templates', 'home.html'), before: null, after: '<p>' },
    ]);
    assert.equal(readFileSync(mirror.map(join(root, 'site', 'settings.py')), 'utf8'), 'new');
    assert.equal(readFileSync(mirror.map(join(root, 'templates', 'home.html')), 'utf8'), '<p>');
    assert.equal(readlinkSync(mirror.map(join(root, 'site', 'other.py'))), join(root, 'site', 'other.py'));
    assert.ok(lstatSync(mirror.map(join(root, 'big'))).isSymbolicLink(), 'a folder with nothing planned is one symlink');
    assert.equal(readFileSync(join(root, 'site', 'settings.py'), 'utf8'), 'old', 'the original is untouched');
    assert.ok(!existsSync(join(root, 'templates')));
    mirror.remove();
    assert.ok(!existsSync(mirror.dir));
  });
});

// `verify --flow` on projects that are not a fresh startproject (dist/cli.js, real Django
// 5.2 and workos 10.x, WorkOS's emulator): a "/" that redirects to another app, a home page
// with the project's own "Log in" link, an API-only project without templates. None of
// them was ever migrated: the flow runs on testserver's throwaway database, and the
// project's files, its database file included, are byte-identical afterwards. Routes
// wrapped in a namespace break our callback: the flow fails at the step that shows it.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { fixturesDir, snapshotTree, tempDir } from '../helpers/django.js';
import { EMULATOR_API_KEY, PROJECT_API_KEY, envWith, initProject, migrate, runserversFor, venvs } from './support.js';

interface StepJson {
  id: string;
  status: string;
  reason: string;
}
interface VerifyJson {
  exitCode: number;
  project: { settingsModule: string | null } | null;
  checks: { checks: { id: string; status: string; message: string }[] } | null;
  flow: { ok: boolean; database: string | null; notes: string[]; steps: StepJson[] } | null;
}

/** The flow's steps on a project whose home page is its own (no home-page steps). */
const STEPS_WITHOUT_HOME = ['emulator', 'runserver', 'login-redirect', 'authorize', 'callback', 'signed-in', 'logout', 'workos-logout', 'signed-out', 'logout-get-refused'];

/** A copy of test/fixtures/flow/NAME after `init` (no install, no verify, nothing migrated). */
async function initialised(name: string, emptyDatabase = false): Promise<string> {
  const dir = join(tempDir('authkit-anyproject-'), name);
  cpSync(join(fixturesDir, 'flow', name), dir, { recursive: true });
  // A zero-byte file is what SQLite calls an empty database: never migrated.
  if (emptyDatabase) writeFileSync(join(dir, 'db.sqlite3'), '');
  await initProject(dir, venvs.dj52);
  return dir;
}

async function verifyFlow(dir: string, env = envWith(venvs.dj52)): Promise<VerifyJson & { stderr: string }> {
  const result = await cli(['verify', '--flow', '--json', dir], { env });
  for (const secret of [PROJECT_API_KEY, EMULATOR_API_KEY]) assert.ok(!(result.stdout + result.stderr).includes(secret), `${secret} was printed`);
  assert.deepEqual(runserversFor(dir), [], 'the site outlived verify --flow');
  return { ...(JSON.parse(result.stdout) as VerifyJson), stderr: result.stderr };
}

function failures(report: VerifyJson): string {
  return JSON.stringify(report.flow?.steps.filter((s) => s.status !== 'pass') ?? report.checks, null, 2);
}

describe('verify --flow on projects whose home page is their own', { concurrency: 2 }, () => {
  for (const [name, emptyDatabase] of [
    ['redirect-home', true],
    ['own-login', false],
    ['api-only', true],
  ] as const) {
    test(`${name}: every step passes on a throwaway database; nothing in the project changes`, async () => {
      const dir = await initialised(name, emptyDatabase);
      // init left "/" to the project: no home page of ours.
      assert.equal(existsSync(join(dir, 'site_cfg', 'home_views.py')), false);
      const before = snapshotTree(dir);
      const report = await verifyFlow(dir);
      assert.equal(report.exitCode, 0, failures(report));
      assert.deepEqual(report.flow!.steps.map((s) => [s.id, s.status]), STEPS_WITHOUT_HOME.map((id) => [id, 'pass']));
      assert.equal(report.flow!.database, 'throwaway');
      assert.match(report.flow!.steps.find((s) => s.id === 'signed-in')!.reason, /^GET \/auth\/me\/ -> 200 \{"user": \{"email": "test\.user@example\.com"/);
      assert.equal(report.flow!.steps.find((s) => s.id === 'signed-out')!.reason, 'GET /auth/me/ -> 401 {"user": null}');
      // Byte for byte, the database file included (or still absent).
      assert.deepEqual(snapshotTree(dir), before);
      assert.equal(existsSync(join(dir, 'db.sqlite3')), emptyDatabase);
      if (emptyDatabase) assert.equal(readFileSync(join(dir, 'db.sqlite3')).length, 0);
    });
  }

  test('routes wrapped later in a namespaced include: exit 4, the login step fails with the NoReverseMatch', async () => {
    const dir = await initialised('redirect-home');
    const urls = join(dir, 'site_cfg', 'urls.py');
    writeFileSync(urls, `${readFileSync(urls, 'utf8')}\nurlpatterns = [path("", include((urlpatterns, "shop"), namespace="shop"))]\n`);
    const report = await verifyFlow(dir);
    assert.equal(report.exitCode, 4);
    assert.equal(report.checks!.checks.find((c) => c.id === 'url-names')!.status, 'fail');
    const failed = report.flow!.steps.find((s) => s.status === 'fail')!;
    assert.equal(failed.id, 'login-redirect');
    assert.match(failed.reason, /^GET \/auth\/login\/ -> 500 .*NoReverseMatch/);
    assert.ok(report.flow!.steps.slice(report.flow!.steps.indexOf(failed) + 1).every((s) => s.status === 'skip'));
  });
});

describe('an exported DJANGO_SETTINGS_MODULE wins over the module found by search', () => {
  test('checks and flow load the exported module; without it, the one found', async () => {
    const dir = await initialised('api-only');
    // manage.py names no default, the base settings have no SECRET_KEY, development adds it.
    const manage = join(dir, 'manage.py');
    writeFileSync(manage, readFileSync(manage, 'utf8').replace(/^ *os\.environ\.setdefault\(.*\n/m, ''));
    const settings = join(dir, 'site_cfg', 'settings.py');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^SECRET_KEY = .*$/m, 'SECRET_KEY = ""'));
    writeFileSync(join(dir, 'site_cfg', 'development.py'), 'from .settings import *  # noqa: F403\n\nSECRET_KEY = "django-insecure-development"\n');

    const exported = await verifyFlow(dir, envWith(venvs.dj52, { DJANGO_SETTINGS_MODULE: 'site_cfg.development' }));
    assert.equal(exported.project!.settingsModule, 'site_cfg.development');
    assert.equal(exported.exitCode, 0, failures(exported));

    assert.match(exported.checks!.checks.find((c) => c.id === 'settings')!.message, /^settings module site_cfg\.development loads/);

    // Without the variable, discovery's module is the one Django would load too.
    const plain = await cli(['verify', '--json', dir], { env: envWith(venvs.dj52) });
    const report = JSON.parse(plain.stdout) as VerifyJson;
    assert.equal(report.project!.settingsModule, 'site_cfg.settings');
    assert.match(report.checks!.checks.find((c) => c.id === 'settings')!.message, /^settings module site_cfg\.settings loads/);
  });
});

describe('when Django cannot create a test database', () => {
  test("without consent the flow stops and says so; with --yes it signs in on the project's own database", async () => {
    const dir = await initialised('api-only');
    const settings = join(dir, 'site_cfg', 'settings.py');
    // A test database that cannot be created (as a Postgres role without CREATEDB would refuse).
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('"NAME": BASE_DIR / "db.sqlite3",', '"NAME": BASE_DIR / "db.sqlite3",\n        "TEST": {"NAME": "/proc/no-such-folder/test.sqlite3"},'));
    await migrate(dir, [join(venvs.dj52, 'bin', 'python')]);
    const before = readFileSync(join(dir, 'db.sqlite3'));

    const refused = await verifyFlow(dir);
    assert.equal(refused.exitCode, 4);
    const start = refused.flow!.steps.find((s) => s.id === 'runserver')!;
    assert.equal(start.status, 'fail');
    assert.match(start.reason, /^Django could not create a throwaway test database: unable to open database file; the flow needs a test database or consent to use the project's own \(--yes\)/);
    assert.ok(readFileSync(join(dir, 'db.sqlite3')).equals(before), 'nothing was written without consent');

    const result = await cli(['verify', '--flow', '--yes', '--json', dir], { env: envWith(venvs.dj52) });
    const agreed = JSON.parse(result.stdout) as VerifyJson;
    assert.equal(agreed.exitCode, 0, failures(agreed));
    assert.equal(agreed.flow!.database, 'project');
    assert.match(agreed.flow!.notes.join('\n'), /signed in on the project's own database instead \(as agreed\)/);
  });
});

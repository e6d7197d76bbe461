// The migrate step init and doctor leave to the user: the command for the project's own
// interpreter, and the same verdict (a warning, exit 3) from both commands on a real
// unmigrated startproject (Django 5.2, dist/cli.js).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { migrateCommand, needsMigrate } from '../../src/verify/migrate-step.js';
import { cli } from '../helpers/cli.js';
import { copyOfStartProject } from '../helpers/django.js';
import { envWith, venvs } from '../flow/support.js';

describe('migrateCommand', () => {
  test('uv, poetry and pipenv run through their tool', () => {
    assert.equal(migrateCommand(['uv', 'run', 'python'], '/p'), 'uv run python manage.py migrate');
    assert.equal(migrateCommand(['poetry', 'run', 'python'], '/p'), 'poetry run python manage.py migrate');
    assert.equal(migrateCommand(['pipenv', 'run', 'python'], '/p'), 'pipenv run python manage.py migrate');
  });

  test("a virtualenv inside the project is named from the project's folder", () => {
    assert.equal(migrateCommand(['/p/.venv/bin/python'], '/p'), '.venv/bin/python manage.py migrate');
  });

  test('one outside stays absolute, quoted when needed; never a bare python', () => {
    assert.equal(migrateCommand(['/home/me/envs/shop/bin/python'], '/p'), '/home/me/envs/shop/bin/python manage.py migrate');
    assert.equal(migrateCommand(['/home/me/my envs/bin/python'], '/p'), "'/home/me/my envs/bin/python' manage.py migrate");
  });

  test('needsMigrate: only a sessions-table result that asks for migrate', () => {
    assert.equal(needsMigrate({ id: 'sessions-table', status: 'warn', fix: 'uv run python manage.py migrate' }), true);
    assert.equal(needsMigrate({ id: 'sessions-table', status: 'pass' }), false);
    assert.equal(needsMigrate({ id: 'sessions-table', status: 'warn', fix: 'start the database, then run python manage.py migrate' }), false);
    assert.equal(needsMigrate({ id: 'django-check', status: 'warn', fix: 'python manage.py migrate' }), false);
  });
});

describe('an unmigrated startproject', () => {
  test("init exits 3 with the project's migrate command; doctor gives the same warning and exit 3", async () => {
    const dir = await copyOfStartProject('5.2');
    const env = envWith(venvs.dj52);
    const command = `${join(venvs.dj52, 'bin', 'python')} manage.py migrate`;
    const init = await cli(['init', '--yes', '--no-install', '--json', '--api-key', 'sk_test_migratestep0000', '--client-id', 'client_migrate', dir], { env });
    const report = JSON.parse(init.stdout) as { exitCode: number; migrate: string | null; verify: { checks: { id: string; status: string; fix?: string }[] } };
    assert.equal(init.code, 3, init.stderr);
    assert.equal(report.migrate, command);
    const initCheck = report.verify.checks.find((c) => c.id === 'sessions-table')!;
    assert.equal(initCheck.status, 'warn');
    assert.equal(initCheck.fix, command);
    assert.equal(existsSync(join(dir, 'db.sqlite3')), false, 'no check created the database');

    const human = await cli(['verify', dir], { env });
    assert.match(human.stdout, new RegExp(`the django_session table and authkit's migration \\(0001_initial\\) are missing from the database: run ${command.replace(/[.]/g, '\\.')} \\[sessions-table\\]`));

    const doctor = await cli(['doctor', '--offline', '--json', dir], { env });
    const doctorReport = JSON.parse(doctor.stdout) as { checks: { id: string; status: string; fix?: string }[] };
    assert.equal(doctor.code, 3, doctor.stderr);
    assert.equal(doctorReport.checks.find((c) => c.id === 'sessions-table')!.status, 'warn');
  });
});

/**
 * Bad input: no project, files that cannot be read or parsed. Discovery reports them as
 * problems with file and line (or one clear error when there is no project at all) and
 * never throws a stack trace at the user.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { jsonReport } from '../../src/discover/report.js';
import { SourceCache } from '../../src/discover/source-cache.js';
import { UserError } from '../../src/util/errors.js';
import { copyFixture, tempDir } from '../helpers/django.js';

const env = { PATH: '' };

async function report(dir: string) {
  return jsonReport(await discover(dir, { env })) as Record<string, any>;
}

describe('bad input', () => {
  it('no manage.py anywhere: a UserError with one sentence and a --project hint', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'index.md'), '# docs\n');
    await assert.rejects(discover(dir, { env }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.exitCode, 1);
      assert.match(error.message, /^no Django project found: there is no manage\.py in .+, below it, or in the folders above it\.$/);
      assert.match(error.hint ?? '', /--project PATH/);
      return true;
    });
  });

  it('DIR that is not a folder: a UserError', async () => {
    await assert.rejects(discover(join(tempDir(), 'missing'), { env }), /is not a folder\./);
  });

  it('a settings file that is not UTF-8: a problem with the line of the first bad byte', async () => {
    const dir = copyFixture('minimal');
    const settings = join(dir, 'mini', 'settings.py');
    // "café" in Latin-1 on line 2: valid Python 2-era bytes, invalid UTF-8.
    writeFileSync(settings, Buffer.concat([Buffer.from('SECRET_KEY = "x"\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const json = await report(dir);
    assert.deepEqual(json.problems[0], {
      code: 'file-not-utf8',
      message: 'not valid UTF-8: authkit-django reads and edits UTF-8 files only',
      file: 'mini/settings.py',
      line: 2,
    });
    assert.equal(json.settingsFile, null);
    assert.deepEqual(json.installedApps, []);
  });

  it('a syntax error in settings: a problem with its line, and what can be read is still read', async () => {
    const dir = copyFixture('minimal');
    appendFileSync(join(dir, 'mini', 'settings.py'), '\nDEBUG = (True\nALLOWED_HOSTS = ["*"]\n');
    const json = await report(dir);
    const syntax = json.problems.find((p: { code: string }) => p.code === 'settings-syntax-error');
    assert.ok(syntax, JSON.stringify(json.problems));
    assert.equal(syntax.file, 'mini/settings.py');
    assert.ok(syntax.line >= 10 && syntax.line <= 11, `line ${syntax.line}`);
    assert.equal(json.settingsFile, 'mini/settings.py');
    assert.deepEqual(json.installedApps, ['django.contrib.contenttypes', 'django.contrib.sessions']);
  });

  it('a settings module that does not exist: a problem pointing at manage.py, then a search', async () => {
    const dir = copyFixture('minimal');
    const manage = join(dir, 'manage.py');
    writeFileSync(manage, readFileSync(manage, 'utf8').replace('mini.settings', 'mini.nothere'));
    const json = await report(dir);
    assert.deepEqual(json.problems[0], {
      code: 'settings-module-missing',
      message: 'DJANGO_SETTINGS_MODULE is "mini.nothere" (from manage.py), but there is no such module in the project',
      file: 'manage.py',
      line: 5,
    });
    assert.equal(json.problems[1].code, 'settings-module-guessed');
    assert.match(json.problems[1].message, /^"mini\.nothere" cannot be found; using mini\.settings, /);
    assert.equal(json.settingsModule, 'mini.settings');
    assert.equal(json.settingsModuleSource, 'search');
    assert.equal(json.settingsFile, 'mini/settings.py');
  });

  it('a computed DJANGO_SETTINGS_MODULE in manage.py: a problem with its line', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(
      join(dir, 'manage.py'),
      'import os\nimport sys\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", f"mini.{os.environ[\'STAGE\']}")\n',
    );
    const json = await report(dir);
    assert.equal(json.problems[0].code, 'settings-module-computed');
    assert.equal(json.problems[0].line, 4);
  });

  it('a file that cannot be read is a problem, not a crash', () => {
    const dir = tempDir();
    const cache = new SourceCache();
    assert.equal(cache.text(dir), null);
    assert.equal(cache.problems[0]?.code, 'file-unreadable');
    assert.match(cache.problems[0]?.message ?? '', /cannot read this file \(EISDIR\)/);
    rmSync(dir, { recursive: true });
  });
});

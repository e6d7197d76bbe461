/**
 * Where the settings module's name comes from when manage.py does not set it: .env,
 * pytest-django configuration (pyproject.toml, pytest.ini, setup.cfg), wsgi.py. Each
 * case is the minimal fixture with manage.py's setdefault removed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { runtimeSettingsModule } from '../../src/discover/settings-module.js';
import { copyFixture } from '../helpers/django.js';

/** The minimal project, its settings moved to mini/conf.py, manage.py naming nothing. */
function project(files: Record<string, string>, git = false): string {
  const dir = copyFixture('minimal', { git });
  const manage = join(dir, 'manage.py');
  writeFileSync(manage, readFileSync(manage, 'utf8').replace(/^.*DJANGO_SETTINGS_MODULE.*\n/m, ''));
  writeFileSync(join(dir, 'mini', 'conf.py'), readFileSync(join(dir, 'mini', 'settings.py')));
  writeFileSync(join(dir, 'mini', 'settings.py'), '# not the settings: they moved to conf.py\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function found(dir: string) {
  const model = await discover(dir, { env: { PATH: '' } });
  return { module: model.settingsModule, source: model.settingsModuleSource, file: model.settingsFile, problems: model.problems };
}

describe('settings module source', () => {
  it('pyproject.toml [tool.pytest.ini_options]', async () => {
    const dir = project({ 'pyproject.toml': '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "mini.conf"\n' });
    const got = await found(dir);
    assert.deepEqual([got.module, got.source, got.file], ['mini.conf', join(dir, 'pyproject.toml'), join(dir, 'mini', 'conf.py')]);
  });

  it('pytest.ini [pytest]', async () => {
    const dir = project({ 'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = mini.conf\n' });
    assert.deepEqual((await found(dir)).source, join(dir, 'pytest.ini'));
  });

  it('setup.cfg [tool:pytest]', async () => {
    const dir = project({ 'setup.cfg': '[metadata]\nname = x\n\n[tool:pytest]\nDJANGO_SETTINGS_MODULE=mini.conf\n' });
    const got = await found(dir);
    assert.deepEqual([got.module, got.source], ['mini.conf', join(dir, 'setup.cfg')]);
  });

  it('wsgi.py of the project package', async () => {
    const dir = project({
      'mini/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mini.conf")\napplication = get_wsgi_application()\n',
    });
    const got = await found(dir);
    assert.deepEqual([got.module, got.source], ['mini.conf', join(dir, 'mini', 'wsgi.py')]);
  });

  it('os.environ["DJANGO_SETTINGS_MODULE"] = ... in manage.py', async () => {
    const dir = project({});
    const manage = join(dir, 'manage.py');
    writeFileSync(manage, `import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "mini.conf"\n${readFileSync(manage, 'utf8')}`);
    const got = await found(dir);
    assert.deepEqual([got.module, got.source], ['mini.conf', join(dir, 'manage.py')]);
  });

  it('several literals in manage.py: the first, and a problem naming the other', async () => {
    const dir = project({});
    writeFileSync(
      join(dir, 'manage.py'),
      'import os\nif os.environ.get("CI"):\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mini.conf")\nelse:\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mini.other")\n',
    );
    const got = await found(dir);
    assert.equal(got.module, 'mini.conf');
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line]),
      [['settings-module-alternatives', 5]],
    );
  });

  it('.env at the repository root above manage.py', async () => {
    const root = copyFixture('src-layout', { git: true });
    const manage = join(root, 'src', 'manage.py');
    writeFileSync(manage, readFileSync(manage, 'utf8').replace(/^.*DJANGO_SETTINGS_MODULE.*\n/m, ''));
    writeFileSync(join(root, '.env'), 'DJANGO_SETTINGS_MODULE=webapp.settings\n');
    const model = await discover(root, { env: { PATH: '' } });
    assert.equal(model.settingsModule, 'webapp.settings');
    assert.equal(model.settingsModuleSource, join(root, '.env'));
    assert.equal(model.env.file, join(root, '.env'));
    assert.equal(model.env.exists, true);
  });
});

describe('manage.py choosing other settings for the test runner (fixture test-settings-argv)', () => {
  /** The fixture with its .env (absent when null) and, when given, another main() body. */
  function argvProject(envText: string | null, main?: string): string {
    const dir = copyFixture('test-settings-argv');
    if (envText !== null) writeFileSync(join(dir, '.env'), envText);
    if (main !== undefined) {
      const manage = join(dir, 'manage.py');
      const text = readFileSync(manage, 'utf8');
      writeFileSync(manage, text.replace(/def main\(\):\n[\s\S]*?(?= {4}from django)/, `def main():\n${main}`));
    }
    return dir;
  }
  const LOCAL_ENV = 'DJANGO_SETTINGS_MODULE=proj.settings.local\n';

  it('the setdefault for `manage.py test` is passed over; config("DJANGO_SETTINGS_MODULE") is the .env\'s value', async () => {
    const dir = argvProject(LOCAL_ENV);
    const got = await found(dir);
    assert.deepEqual([got.module, got.source, got.file], ['proj.settings.local', join(dir, '.env'), join(dir, 'proj', 'settings', 'base.py')]);
    assert.deepEqual(got.problems, []);
  });

  it('once init has made .env.workos beside it, the module is still said to come from the .env', async () => {
    const dir = argvProject(LOCAL_ENV);
    writeFileSync(join(dir, '.env.workos'), 'WORKOS_API_KEY=sk_test_x\n');
    const got = await found(dir);
    assert.deepEqual([got.module, got.source], ['proj.settings.local', join(dir, '.env')]);
  });

  it('an exported DJANGO_SETTINGS_MODULE still wins when the project runs', async () => {
    const model = await discover(argvProject(LOCAL_ENV), { env: { PATH: '' } });
    assert.equal(runtimeSettingsModule(model, { DJANGO_SETTINGS_MODULE: 'proj.settings.test' }), 'proj.settings.test');
    assert.equal(runtimeSettingsModule(model, {}), 'proj.settings.local');
  });

  const shapes: [string, string][] = [
    ['"test" in sys.argv', '    if "test" in sys.argv:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.test")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n'],
    ['sys.argv[1:2] == ["test"]', '    if sys.argv[1:2] == ["test"]:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.test")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n'],
    ['a name bound to the test', '    testing = len(sys.argv) > 1 and sys.argv[1] == "test"\n    if testing:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.test")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n'],
    ['"test" not in sys.argv, the test settings in the else', '    if "test" not in sys.argv:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n    else:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.test")\n'],
    ['a conditional expression', '    os.environ.setdefault(\n        "DJANGO_SETTINGS_MODULE", "proj.settings.test" if "test" in sys.argv else "proj.settings.local"\n    )\n'],
    ['os.environ.get with a default, no .env', '    if "test" in sys.argv:\n        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.test")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "proj.settings.local"))\n'],
    ['config with a default, no .env', '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", config("DJANGO_SETTINGS_MODULE", default="proj.settings.local"))\n'],
  ];
  for (const [name, main] of shapes) {
    it(name, async () => {
      const dir = argvProject(null, main);
      const got = await found(dir);
      assert.deepEqual([got.module, got.source, got.problems], ['proj.settings.local', join(dir, 'manage.py'), []]);
    });
  }

  it('os.getenv with a default: the .env\'s value when it names one', async () => {
    const dir = argvProject(LOCAL_ENV, '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", os.getenv("DJANGO_SETTINGS_MODULE", "proj.settings.test"))\n');
    const got = await found(dir);
    assert.deepEqual([got.module, got.source], ['proj.settings.local', join(dir, '.env')]);
  });

  it('config() without a default and no .env: a problem with its line, not the test settings', async () => {
    const dir = argvProject(null);
    const got = await found(dir);
    assert.deepEqual([got.module, got.source], ['proj.settings.base', 'search']);
    assert.deepEqual(got.problems.filter((p) => p.code === 'settings-module-computed').map((p) => p.line), [13]);
  });
});

describe('runtimeSettingsModule: the module Django loads when the project runs', () => {
  const found = { settingsModule: 'proj.settings.base', settingsModuleSource: '/p/proj/wsgi.py' };
  it('an exported DJANGO_SETTINGS_MODULE wins over the one discovery found', () => {
    assert.equal(runtimeSettingsModule(found, { DJANGO_SETTINGS_MODULE: 'proj.settings.development' }), 'proj.settings.development');
  });
  it('without it (or empty), the found one', () => {
    assert.equal(runtimeSettingsModule(found, {}), 'proj.settings.base');
    assert.equal(runtimeSettingsModule(found, { DJANGO_SETTINGS_MODULE: '  ' }), 'proj.settings.base');
  });
  it('--settings wins over the environment, as it does for manage.py', () => {
    assert.equal(runtimeSettingsModule({ settingsModule: 'proj.settings.ci', settingsModuleSource: '--settings' }, { DJANGO_SETTINGS_MODULE: 'proj.settings.development' }), 'proj.settings.ci');
  });
});

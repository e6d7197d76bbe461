/**
 * Which .env loaders count as running on every load: an `if` that only tests that the very
 * file being loaded exists is as good as no `if` (loading a missing file does nothing);
 * any other condition, an else branch, or a test of another file is not.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readConfig } from '../../src/discover/config-library.js';
import { loadPythonParser } from '../../src/python/parser.js';

const ROOT = '/p';
const SETTINGS = '/p/proj/settings.py';
const HEAD = 'import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n';

function loaders(body: string) {
  return readConfig([{ file: SETTINGS, text: HEAD + body }], (f) => f, ROOT, () => false).loaders.map((l) => ({
    unconditional: l.unconditional,
    reads: l.reads,
  }));
}

before(async () => {
  await loadPythonParser();
});

describe('a loader guarded by a test that its own file exists counts', () => {
  const dotenv = 'from dotenv import load_dotenv\n';
  const counted: [string, string][] = [
    ['os.path.exists on the same name', 'env_file = os.path.join(BASE_DIR, ".env")\nif os.path.exists(env_file):\n    load_dotenv(env_file)\n'],
    ['os.path.isfile, keyword dotenv_path', 'env_file = os.path.join(BASE_DIR, ".env")\nif os.path.isfile(env_file):\n    load_dotenv(dotenv_path=env_file, override=True)\n'],
    ['Path.exists() on the expression itself', 'if (BASE_DIR / ".env").exists():\n    load_dotenv(BASE_DIR / ".env")\n'],
    ['is_file() on a name', 'ENV_PATH = BASE_DIR / ".env"\nif ENV_PATH.is_file():\n    load_dotenv(str(ENV_PATH))\n'],
    ['Path(X).exists() around a str path', 'env_file = os.path.join(BASE_DIR, ".env")\nif Path(env_file).exists():\n    load_dotenv(env_file)\n'],
    ['inside a try body, with an else branch doing something else', 'env_file = os.path.join(BASE_DIR, ".env")\ntry:\n    if os.path.exists(env_file):\n        load_dotenv(env_file)\n    else:\n        print("no .env")\nexcept OSError:\n    pass\n'],
  ];
  for (const [name, body] of counted) {
    it(name, () => {
      assert.deepEqual(loaders(dotenv + body), [{ unconditional: true, reads: '/p/.env' }]);
    });
  }

  it('a path static reading cannot evaluate, tested and loaded by the same expression', () => {
    const got = loaders(`${dotenv}env_file = os.environ.get("ENV_FILE", ".env")\nif os.path.exists(env_file):\n    load_dotenv(env_file)\n`);
    assert.deepEqual(got, [{ unconditional: true, reads: null }]);
  });

  it("django-environ's read_env", () => {
    const body = 'import environ\nenv = environ.Env()\nif os.path.exists(str(BASE_DIR / ".env")):\n    environ.Env.read_env(str(BASE_DIR / ".env"))\n';
    assert.deepEqual(loaders(body), [{ unconditional: true, reads: '/p/.env' }]);
  });

  it("environs' read_env reads exactly that file (no upward search from a missing one)", () => {
    const body = 'from environs import Env\nenv = Env()\nENV_FILE = BASE_DIR / ".env"\nif ENV_FILE.exists():\n    env.read_env(ENV_FILE)\n';
    assert.deepEqual(loaders(body), [{ unconditional: true, reads: '/p/.env' }]);
  });
});

describe('other conditions still do not count', () => {
  const dotenv = 'from dotenv import load_dotenv\nenv_file = os.path.join(BASE_DIR, ".env")\n';
  const notCounted: [string, string][] = [
    ['an environment switch', 'if os.environ.get("READ_DOTENV"):\n    load_dotenv(env_file)\n'],
    ['a negated test', 'if not os.path.exists(env_file):\n    load_dotenv(env_file)\n'],
    ['the test of another file', 'if os.path.exists(os.path.join(BASE_DIR, "manage.py")):\n    load_dotenv(env_file)\n'],
    ['existence and something else', 'if os.path.exists(env_file) and os.environ.get("READ_DOTENV"):\n    load_dotenv(env_file)\n'],
    ['the else branch of the test', 'if os.path.exists(env_file):\n    pass\nelse:\n    load_dotenv(env_file)\n'],
    ['the guard inside another condition', 'if os.environ.get("READ_DOTENV"):\n    if os.path.exists(env_file):\n        load_dotenv(env_file)\n'],
    ['inside a function', 'def load():\n    if os.path.exists(env_file):\n        load_dotenv(env_file)\n'],
  ];
  for (const [name, body] of notCounted) {
    it(name, () => {
      assert.deepEqual(
        loaders(dotenv + body).map((l) => l.unconditional),
        [false],
      );
    });
  }

  it('django-environ under `if READ_DOT_ENV_FILE` (the DJANGO_READ_DOT_ENV_FILE switch)', () => {
    const body = 'import environ\nenv = environ.Env()\nREAD_DOT_ENV_FILE = env.bool("DJANGO_READ_DOT_ENV_FILE", default=False)\nif READ_DOT_ENV_FILE:\n    env.read_env(str(BASE_DIR / ".env"))\n';
    assert.deepEqual(loaders(body), [{ unconditional: false, reads: '/p/.env' }]);
  });
});

describe('a reader imported from a module of the project', () => {
  it('`from config.env import env` (config/env.py: env = environ.Env()) is django-environ, and its read_env a loader', () => {
    const root = mkdtempSync(join(tmpdir(), 'authkit-config-'));
    mkdirSync(join(root, 'config', 'django'), { recursive: true });
    writeFileSync(join(root, 'config', '__init__.py'), '');
    writeFileSync(join(root, 'config', 'env.py'), 'import environ\n\nenv = environ.Env()\n');
    const settings = join(root, 'config', 'django', 'base.py');
    const text = 'from pathlib import Path\nfrom config.env import env\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\nenv.read_env(str(BASE_DIR / ".env"))\nDEBUG = env.bool("DEBUG", default=False)\n';
    const reading = readConfig([{ file: settings, text }], (f) => f, root, () => false);
    rmSync(root, { recursive: true, force: true });
    assert.equal(reading.library?.name, 'django-environ');
    assert.equal(reading.library?.reader, 'env');
    assert.deepEqual(reading.loaders.map((l) => ({ library: l.library, unconditional: l.unconditional, reads: l.reads })), [
      { library: 'django-environ', unconditional: true, reads: join(root, '.env') },
    ]);
  });

  it('a module that defines something else under that name is not a reader', () => {
    const root = mkdtempSync(join(tmpdir(), 'authkit-config-'));
    mkdirSync(join(root, 'config'), { recursive: true });
    writeFileSync(join(root, 'config', 'env.py'), 'def env(name, default=None):\n    return default\n');
    const reading = readConfig([{ file: join(root, 'config', 'settings.py'), text: 'from config.env import env\nDEBUG = env("DEBUG")\n' }], (f) => f, root, () => false);
    rmSync(root, { recursive: true, force: true });
    assert.equal(reading.library, null);
  });
});

/** The small readers discovery is built on: TOML/INI sections, .env lines, UTF-8 checks, globs, module paths. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findSection, hasSection, keyValue, stringArray } from '../../src/discover/config-text.js';
import { parseEnvEntries } from '../../src/discover/env-file.js';
import { djangoRequirement } from '../../src/discover/django-version.js';
import { resolveImport, resolveModule } from '../../src/discover/python-modules.js';
import { expandGlob } from '../../src/discover/settings-chain.js';
import { firstInvalidUtf8Line, SourceCache } from '../../src/discover/source-cache.js';
import { tempDir } from '../helpers/django.js';

describe('TOML and INI sections', () => {
  const toml = [
    '[project]',
    'name = "x"',
    'dependencies = [',
    '  "Django>=5.2", # the framework',
    "  'python-dotenv',",
    ']',
    '',
    '[tool.pytest.ini_options]',
    'DJANGO_SETTINGS_MODULE = "conf.settings.test"  # for pytest-django',
    '',
    '[[package]]',
    'name = "django"',
  ].join('\n');

  it('finds sections, keys and string arrays', () => {
    assert.deepEqual(stringArray(findSection(toml, 'project')!.body, 'dependencies'), ['Django>=5.2', 'python-dotenv']);
    assert.equal(keyValue(findSection(toml, 'tool.pytest.ini_options')!.body, 'DJANGO_SETTINGS_MODULE'), 'conf.settings.test');
    assert.equal(keyValue(findSection(toml, '[package]')!.body, 'name'), 'django');
    assert.equal(hasSection(toml, 'tool.pytest'), true);
    assert.equal(hasSection(toml, 'tool.poetry'), false);
  });

  it('reads INI values with = or :', () => {
    const ini = '[tool:pytest]\nDJANGO_SETTINGS_MODULE: app.settings ; comment\n';
    assert.equal(keyValue(findSection(ini, 'tool:pytest')!.body, 'DJANGO_SETTINGS_MODULE'), 'app.settings');
  });
});

describe('.env lines', () => {
  it('reads keys the way python-dotenv does and keeps the line', () => {
    const entries = parseEnvEntries('# c\nexport A=1\nB = "two words" # note\nC=\nnot a line\nD=x # y\n');
    assert.deepEqual(
      entries.map((e) => [e.key, e.value, e.line]),
      [
        ['A', '1', 2],
        ['B', 'two words', 3],
        ['C', '', 4],
        ['D', 'x', 6],
      ],
    );
  });
});

describe('requirement specifiers', () => {
  it('reads Django requirements and ignores other packages', () => {
    assert.equal(djangoRequirement('Django==4.2.30'), '4.2.30');
    assert.equal(djangoRequirement('django[argon2] >= 4.2, < 5 ; python_version > "3.8"'), '>=4.2,<5');
    assert.equal(djangoRequirement('django-allauth==65.0'), null);
    assert.equal(djangoRequirement('django'), null);
  });
});

describe('UTF-8 check', () => {
  it('finds the line of the first invalid byte, overlong forms and surrogates included', () => {
    assert.equal(firstInvalidUtf8Line(Buffer.from('a\nb\n\xff', 'latin1')), 3);
    assert.equal(firstInvalidUtf8Line(Buffer.from([0x61, 0x0a, 0xc3, 0xa9, 0x0a, 0xe0, 0x80, 0x80])), 3);
    assert.equal(firstInvalidUtf8Line(Buffer.from([0x0a, 0xed, 0xa0, 0x80])), 2);
  });

  it('drops a BOM from the text', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.py'), '\ufeffX = 1\n');
    assert.equal(new SourceCache().text(join(dir, 'a.py')), 'X = 1\n');
  });
});

describe('module paths and globs', () => {
  it('a package wins over a module; a folder without __init__.py holds no module', () => {
    const root = tempDir();
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    mkdirSync(join(root, 'a', 'c'), { recursive: true });
    writeFileSync(join(root, 'a', '__init__.py'), '');
    writeFileSync(join(root, 'a', 'b.py'), '');
    writeFileSync(join(root, 'a', 'b', '__init__.py'), '');
    writeFileSync(join(root, 'a', 'c.py'), '');
    const cache = new SourceCache();
    assert.equal(resolveModule(cache, 'a.b', [root]), join(root, 'a', 'b', '__init__.py'));
    assert.equal(resolveModule(cache, 'a.c', [root]), join(root, 'a', 'c.py'));
    assert.equal(resolveModule(cache, 'a.d', [root]), null);
    assert.equal(resolveImport(cache, join(root, 'a', 'c.py'), '.b', [root]), join(root, 'a', 'b', '__init__.py'));
    assert.equal(resolveImport(cache, join(root, 'a', 'b', '__init__.py'), '..c', [root]), join(root, 'a', 'c.py'));
  });

  it('expands split-settings globs in sorted order, skipping hidden files', () => {
    const root = tempDir();
    mkdirSync(join(root, 'components'));
    for (const name of ['b.py', 'a.py', '.hidden.py', 'c.txt']) writeFileSync(join(root, 'components', name), '');
    assert.deepEqual(expandGlob(new SourceCache(), join(root, 'components', '*.py')), [
      join(root, 'components', 'a.py'),
      join(root, 'components', 'b.py'),
    ]);
  });
});

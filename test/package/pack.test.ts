/**
 * The published form: `npm pack` the package, install the tarball into a clean prefix
 * from the registry, and run the installed binary. Proves every runtime file (the
 * grammar's wasm, templates, the Python checks) is in the tarball and that installing it
 * runs no install script and builds nothing native.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/django.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
let tarball: string;
let prefix: string;
let bin: string;
let contents: string[];

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
}

before(() => {
  const out = tempDir('authkit-pack-');
  // dist/ and grammar/ were built by `npm test`; --ignore-scripts keeps prepack from
  // rebuilding (and briefly removing) dist/ under tests running beside this one.
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], repoRoot)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(out, packed[0]!.filename);
  contents = packed[0]!.files.map((f) => f.path);
  prefix = tempDir('authkit-prefix-');
  npm(['install', '--prefix', prefix, tarball], prefix);
  bin = join(prefix, 'node_modules', '.bin', 'authkit-django');
});

describe('the published package', () => {
  test('the tarball holds the runtime files and nothing of the repository besides', () => {
    for (const file of ['dist/cli.js', 'grammar/tree-sitter-python.wasm', 'templates/authkit/__init__.py', 'templates/authkit/views.py', 'templates/authkit/migrations/0001_initial.py', 'templates/authkit/templatetags/authkit.py', 'templates/home_views.py', 'templates/home.html', 'python/authkit_django_checks/__main__.py', 'README.md', 'SKILL.md', 'schemas/init.schema.json', 'schemas/common.schema.json', 'package.json']) {
      assert.ok(contents.includes(file), `${file} is missing from the tarball`);
    }
    for (const file of contents) {
      assert.doesNotMatch(file, /^(src|test|bench|scripts|example|\.ci)\//, `${file} should not be published`);
      assert.doesNotMatch(file, /\.ts$/, `${file}: TypeScript sources are not published`);
    }
  });

  test('installing runs no install script and builds nothing native', () => {
    assert.equal(pkg.scripts.install ?? pkg.scripts.postinstall ?? pkg.scripts.preinstall, undefined);
    const modules = join(prefix, 'node_modules');
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (existsSync(join(path, 'package.json'))) {
            const scripts = (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
            if (scripts.install || scripts.postinstall || scripts.preinstall) found.push(entry.name);
          }
          if (!entry.name.startsWith('.')) walk(path);
        } else if (entry.name.endsWith('.node')) {
          found.push(path);
        }
      }
    };
    walk(modules);
    assert.deepEqual(found, []);
  });

  test('--version prints the package version', () => {
    assert.equal(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim(), pkg.version);
  });

  test('inspect reads the example project with the shipped grammar', () => {
    const report = JSON.parse(execFileSync(bin, ['inspect', join(repoRoot, 'example'), '--json'], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.equal(report.managePy, 'manage.py');
    assert.equal(report.settingsModule, 'bookshelf.settings');
    assert.equal(report.settingsFile, 'bookshelf/settings.py');
    assert.equal(report.urlsFile, 'bookshelf/urls.py');
  });

  test('init --dry-run plans the whole integration from the installed templates', () => {
    const copy = join(tempDir('authkit-pack-example-'), 'example');
    cpSync(join(repoRoot, 'example'), copy, { recursive: true });
    const out = execFileSync(bin, ['init', '--dry-run', '--api-key', 'sk_test_pack00000000', '--client-id', 'client_pack'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.match(out, /\+\+\+ b\/bookshelf\/authkit\/views\.py/);
    assert.match(out, /\+\+\+ b\/bookshelf\/authkit\/migrations\/0001_initial\.py/);
    assert.match(out, /path\("auth\/login\/", authkit_views\.login, name="workos_login"\)/);
    assert.doesNotMatch(out, /sk_test_pack00000000/);
  });
});

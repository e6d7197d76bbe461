/**
 * Settings that load their .env mid-file behind `if os.path.exists(env_file):` (fixture
 * dotenv-exists-guard). A guard that only tests the loaded file exists counts as loading it:
 * init adds no second loader and writes the keys into that .env. Under a guard that does not
 * count, the loader init adds goes below every line binding a name it uses (the project's
 * own `from dotenv import load_dotenv` included), so the settings still load. Each result is
 * loaded in real Django 4.2 and 5.2, and checked by the check before writing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { VENVS } from '../helpers/django.js';
import { assertSecondRunPlansNothing, assertSnapshots, init, inDjango, KEYS, project, type Project } from './conventions-helpers.js';

const SETTINGS = 'proj/settings.py';
const PROBE = 'from django.conf import settings\nprint(settings.WORKOS_API_KEY, settings.WORKOS_CLIENT_ID, settings.SECRET_KEY)';
const KEY_VALUES = 'sk_test_fixture0000 client_fixture';
const MID_FILE_IMPORTS = 'import os\nfrom dotenv import load_dotenv\n\n';

function read(p: Project, path: string): string {
  return readFileSync(join(p.dir, path), 'utf8');
}

function editSettings(dir: string, edit: (text: string) => string): void {
  const file = join(dir, SETTINGS);
  const text = readFileSync(file, 'utf8');
  const changed = edit(text);
  assert.notEqual(changed, text, 'the variant did not change the fixture');
  writeFileSync(file, changed);
}

/** The fixture's imports moved from mid-file to the top of the module. */
function importsAtTop(text: string): string {
  return text.replace(MID_FILE_IMPORTS, '').replace('from pathlib import Path\n', `${MID_FILE_IMPORTS.trim()}\nfrom pathlib import Path\n`);
}

/** A guard that is a switch, not a test of the file: it does not count. */
function switchGuard(text: string): string {
  return text.replace('if os.path.exists(env_file):', 'if os.environ.get("READ_DOTENV"):');
}

/** The check before writing (the project loaded in its own Python, before and after) passes. */
async function invariantPasses(p: Project): Promise<void> {
  const dry = await cli(['init', '--dry-run', '--json', '--no-install', ...KEYS], { cwd: p.dir, env: { ...p.env, VIRTUAL_ENV: VENVS.dj52 } });
  const json = JSON.parse(dry.stdout) as { invariant: { status: string; differences: unknown[] } };
  assert.equal(json.invariant.status, 'passed', JSON.stringify(json.invariant));
}

function loadStep(stdout: string): { status: string; summary: string } | undefined {
  return (JSON.parse(stdout) as { changes: { id: string; status: string; summary: string }[] }).changes.find((c) => c.id === 'settings.load-dotenv');
}

function lineIndex(text: string, line: string): number {
  const index = text.split('\n').indexOf(line);
  assert.ok(index >= 0, `no line ${JSON.stringify(line)} in:\n${text}`);
  return index;
}

describe('a .env loaded only when it exists', () => {
  it('mid-file `if os.path.exists(env_file): load_dotenv(env_file)` counts: no second loader, keys into that .env', async () => {
    const p = project('dotenv-exists-guard', (dir) => writeFileSync(join(dir, '.env'), 'DJANGO_SECRET_KEY=from-the-dotenv\n'));
    await invariantPasses(p);
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.deepEqual(loadStep(first.stdout), { id: 'settings.load-dotenv', status: 'skipped', summary: 'proj/settings.py already loads .env', file: SETTINGS, line: 16 });
    assert.equal((read(p, SETTINGS).match(/load_dotenv\(/g) ?? []).length, 1, 'a second loader was added');
    assert.match(read(p, '.env'), /^WORKOS_API_KEY=sk_test_fixture0000$/m);
    assert.ok(!existsSync(join(p.dir, '.env.workos')), 'the keys went elsewhere than the .env the settings load');
    assertSnapshots(p, 'dotenv-exists-guard', [SETTINGS, '.env', 'requirements.txt']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} from-the-dotenv`);
    await assertSecondRunPlansNothing(p);
  });

  it('the same guard with the imports at the top: still no second loader', async () => {
    const p = project('dotenv-exists-guard', (dir) => editSettings(dir, importsAtTop));
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(loadStep(first.stdout)?.status, 'skipped');
    assert.equal((read(p, SETTINGS).match(/load_dotenv\(/g) ?? []).length, 1, 'a second loader was added');
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} fixture-only`);
    await assertSecondRunPlansNothing(p);
  });
});

describe('a guard that does not count: the loader init adds (of .env.workos, as the project reads its .env only when switched on) goes after what it uses', () => {
  it('the project imports load_dotenv mid-file, below BASE_DIR: the added load goes below that import', async () => {
    const p = project('dotenv-exists-guard', (dir) => editSettings(dir, switchGuard));
    await invariantPasses(p);
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(loadStep(first.stdout)?.status, 'changed');
    const settings = read(p, SETTINGS);
    const added = lineIndex(settings, 'load_dotenv(BASE_DIR / ".env.workos")');
    assert.ok(added > lineIndex(settings, 'from dotenv import load_dotenv'), 'the load comes before the import of load_dotenv');
    assert.ok(added > lineIndex(settings, 'BASE_DIR = Path(__file__).resolve().parent.parent'));
    assertSnapshots(p, 'dotenv-switch-guard', [SETTINGS, '.env.workos', 'requirements.txt']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} fixture-only`);
    await assertSecondRunPlansNothing(p);
  });

  it('the imports at the top: the added load goes after them and after BASE_DIR', async () => {
    const p = project('dotenv-exists-guard', (dir) => editSettings(dir, (text) => switchGuard(importsAtTop(text))));
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(loadStep(first.stdout)?.status, 'changed');
    const settings = read(p, SETTINGS);
    const added = lineIndex(settings, 'load_dotenv(BASE_DIR / ".env.workos")');
    assert.ok(added > lineIndex(settings, 'from dotenv import load_dotenv'));
    assert.ok(added > lineIndex(settings, 'BASE_DIR = Path(__file__).resolve().parent.parent'));
    assert.equal((settings.match(/^from dotenv import load_dotenv$/gm) ?? []).length, 1, 'the import was added again');
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} fixture-only`);
    await assertSecondRunPlansNothing(p);
  });
});

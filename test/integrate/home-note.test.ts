/**
 * On a project with its own home page, init offers a template snippet that reads `request`.
 * The note names the request context processor only where the settings do not list it.
 */
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, VENVS } from '../helpers/django.js';

async function homeNote(withProcessor: boolean): Promise<string> {
  const dir = copyFixture('blog-site');
  const settings = join(dir, 'journal', 'settings.py');
  if (!withProcessor) writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^\s*"django\.template\.context_processors\.request",\n/m, ''));
  symlinkSync(VENVS.dj52, join(dir, '.venv'));
  gitInit(dir);
  const run = await cli(['init', '--dry-run', '--json', '--api-key', 'sk_test_note00000', '--client-id', 'client_note'], { cwd: dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });
  const report = JSON.parse(run.stdout) as { changes: { id: string; note?: string }[] };
  const step = report.changes.find((c) => c.id === 'home.snippet');
  assert.ok(step?.note, run.stdout);
  return step.note;
}

describe('the home-page snippet note', () => {
  it('says nothing of the request context processor where TEMPLATES lists it', async () => {
    assert.doesNotMatch(await homeNote(true), /context_processors/);
  });
  it('names it where TEMPLATES does not', async () => {
    assert.match(await homeNote(false), /needs 'django\.template\.context_processors\.request'/);
  });
});

/**
 * Issue 8, item 13: the WORKOS_* lines go before a local-settings import, whatever block
 * it sits in (here a try inside an if, followed by more settings), so a value set in local
 * settings keeps the last word. Loaded in real Django 4.2 and 5.2.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VENVS } from '../helpers/django.js';
import { assertSecondRunPlansNothing, assertSnapshots, init, inDjango, KEYS, project } from './conventions-helpers.js';

describe('local settings keep the last word', () => {
  it('`if ...: try: from .local_settings import *` in the middle of the file: our lines go above the if', async () => {
    const p = project('local-settings-if');
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const text = readFileSync(join(p.dir, 'proj', 'settings.py'), 'utf8');
    assert.ok(text.indexOf('WORKOS_CLIENT_ID =') < text.indexOf('# Developers override'), 'the keys are not above the local-settings block');
    assertSnapshots(p, 'local-settings-if', ['proj/settings.py']);
    const probe = 'from django.conf import settings\nprint(settings.WORKOS_API_KEY, settings.WORKOS_CLIENT_ID, settings.DEBUG)';
    for (const venv of [VENVS.dj42, VENVS.dj52]) {
      assert.equal(inDjango(p, 'proj.settings', probe, venv).trim(), 'sk_test_fixture0000 client_local_override True');
      assert.equal(inDjango(p, 'proj.settings', probe, venv, { SKIP_LOCAL_SETTINGS: '1' }).trim(), 'sk_test_fixture0000 client_fixture False');
    }
    await assertSecondRunPlansNothing(p);
  });
});

/**
 * Issue 8, item 11: the edits init writes must run. A folder name that holds a str gets
 * os.path.join (not `/`), and a root urlconf loaded as a top-level module gets an absolute
 * import. Each case is loaded afterwards in real Django 4.2 and 5.2.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VENVS } from '../helpers/django.js';
import { assertSecondRunPlansNothing, assertSnapshots, init, inDjango, KEYS, project } from './conventions-helpers.js';

const PROBE = [
  'from django.conf import settings',
  'from django.urls import reverse',
  'print(settings.WORKOS_API_KEY[:3], reverse("workos_login"), reverse("workos_logout"))',
].join('\n');

describe('edits that run', () => {
  it('a str folder name (BASE = str(Path(...))) is joined with os.path.join, and the settings load', async () => {
    const p = project('str-base');
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const settings = readFileSync(join(p.dir, 'oldsite', 'settings.py'), 'utf8');
    assert.match(settings, /load_dotenv\(os\.path\.join\(BASE, "\.env"\)\)/);
    assertSnapshots(p, 'str-base', ['oldsite/settings.py', 'oldsite/urls.py']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'oldsite.settings', PROBE, venv), 'sk_ /auth/login/ /auth/logout/\n');
    await assertSecondRunPlansNothing(p);
  });

  it('ROOT_URLCONF = "urls" beside manage.py (with a stray __init__.py) gets `from authkit import views as authkit_views`, and the urlconf imports', async () => {
    const p = project('toplevel-urls');
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const urls = readFileSync(join(p.dir, 'urls.py'), 'utf8');
    assert.doesNotMatch(urls, /from \. import/);
    assertSnapshots(p, 'toplevel-urls', ['urls.py', 'settings.py']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'settings', PROBE, venv), 'sk_ /auth/login/ /auth/logout/\n');
    await assertSecondRunPlansNothing(p);
  });
});

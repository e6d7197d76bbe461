// A scripted "agent": what a coding agent following SKILL.md does on a project whose
// settings are too dynamic to edit. It runs `init --yes --json`, applies each manual
// step's snippet at its anchor by plain text insertion (no parser, no judgment), runs
// `init --yes --json` again, which must report no manual step left, and proves the
// result with `verify --flow --json`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, stateDir } from '../helpers/cli.js';
import { copyFixture } from '../helpers/django.js';
import { envWith, PROJECT_API_KEY, venvs } from '../flow/support.js';

interface Change {
  id: string;
  status: string;
  file?: string;
  line?: number;
  snippet?: string;
  anchor?: string;
}

interface InitJson {
  changes: Change[];
  exitCode: number;
}

/** Inserts `snippet` on the line after `anchor`, as an agent's plain edit would. */
function insertAfter(text: string, anchor: string, snippet: string): string {
  const at = text.indexOf(anchor);
  assert.ok(at >= 0, `anchor not found:\n${anchor}`);
  assert.equal(text.indexOf(anchor, at + 1), -1, `anchor is not unique:\n${anchor}`);
  const end = at + anchor.length;
  const eol = text.slice(end).match(/^[^\n]*\n/)?.[0].length ?? text.length - end;
  return `${text.slice(0, end + eol)}${snippet}\n${text.slice(end + eol)}`;
}

describe('a scripted agent applying the manual steps', () => {
  test('init, the snippets at their anchors, init again, verify --flow: all pass', async () => {
    const dir = copyFixture('agent-dynamic');
    const env = envWith(venvs.dj52, { WORKOS_API_KEY: PROJECT_API_KEY, WORKOS_CLIENT_ID: 'client_project', AUTHKIT_DJANGO_STATE_DIR: stateDir() });

    const first = await cli(['init', '--yes', '--json', '--no-install', dir], { env });
    const report = JSON.parse(first.stdout) as InitJson;
    const manual = report.changes.filter((c) => c.status === 'manual');
    assert.equal(first.code, 3, first.stderr);
    // The sessions and the authkit app in the dynamic settings, and the routes: their
    // urlconf cannot load the app's views until the app is installed.
    const MANUAL = ['settings.authkit-app', 'settings.authkit-middleware', 'settings.session-middleware', 'settings.sessions-app', 'urls.routes'];
    assert.deepEqual(manual.map((c) => c.id).sort(), MANUAL);

    for (const step of manual) {
      assert.ok(step.file && step.line && step.snippet && step.anchor, `${step.id} carries file, line, snippet and anchor: ${JSON.stringify(step)}`);
      const file = join(dir, step.file);
      const text = readFileSync(file, 'utf8');
      // `line` is the line before init's own edits; the anchor finds the place in the file as it is now.
      assert.match(step.anchor, /^(INSTALLED_APPS|MIDDLEWARE|urlpatterns) = /, `${step.id}: the anchor is the assignment to extend`);
      writeFileSync(file, insertAfter(text, step.anchor, step.snippet));
    }

    const second = await cli(['init', '--yes', '--json', '--no-install', dir], { env });
    const again = JSON.parse(second.stdout) as InitJson & { migrate: string | null };
    assert.deepEqual(again.changes.filter((c) => c.status === 'manual'), [], second.stdout);
    // What is left is the user's own database: the sessions table, named as a command.
    assert.match(String(again.migrate), /python manage\.py migrate$/);
    assert.equal(second.code, 3, second.stdout);
    for (const id of MANUAL) {
      assert.equal(again.changes.find((c) => c.id === id)?.status, 'skipped', `${id} is done now`);
    }

    const flow = await cli(['verify', '--flow', '--json', '--json-progress', dir], { env });
    assert.equal(flow.code, 0, flow.stdout);
    assert.equal((JSON.parse(flow.stdout) as { ok: boolean }).ok, true);
    // --json-progress: one JSON line per flow step on stderr, in the report's order.
    const progress = flow.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { progress: string; id: string; status: string });
    const steps = (JSON.parse(flow.stdout) as { flow: { steps: { id: string; status: string }[] } }).flow.steps;
    assert.deepEqual(progress.filter((p) => p.progress === 'flow').map((p) => [p.id, p.status]), steps.map((s) => [s.id, s.status]));
  });
});

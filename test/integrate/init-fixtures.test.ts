/**
 * `init` on every hand-written layout: file snapshots (input fixture -> expected files in
 * test/integrate/snapshots/CASE/), then the safety properties on the same copy: a second
 * run changes no byte, undo restores the input byte for byte, --dry-run writes nothing.
 * Regenerate snapshots after an intended change with UPDATE_SNAPSHOTS=1 and review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, repoRoot, snapshotTree, type FileState } from '../helpers/django.js';
import { appTemplateFiles } from '../../src/integrate/app-layout.js';

const SNAPSHOTS = join(repoRoot, 'test', 'integrate', 'snapshots');
// The authkit app's files are named by their template: the snapshots follow the templates.
const TEMPLATES = ['home_views.py', 'home.html', ...appTemplateFiles().map((f) => `authkit/${f}`)].map((name) => ({
  name,
  text: readFileSync(join(repoRoot, 'templates', name), 'utf8'),
}));
const update = process.env.UPDATE_SNAPSHOTS === '1';
// Stored under another name: a snapshot of a .gitignore must not act as one in this repository.
const SNAP = '.snap';
const KEYS = ['--api-key', 'sk_test_fixture0000', '--client-id', 'client_fixture'];

interface Case {
  name: string;
  fixture: string;
  /** Folder to run in, inside the copy. */
  cwd?: string;
  args?: string[];
  /** Expected exit code of the first run (3 when a manual step remains). */
  code: number;
}

const CASES: Case[] = [
  { name: 'minimal', fixture: 'minimal', code: 3 },
  { name: 'settings-package', fixture: 'settings-package', code: 0 },
  { name: 'cookiecutter', fixture: 'cookiecutter', code: 0 },
  { name: 'src-layout', fixture: 'src-layout', code: 3 },
  { name: 'monorepo', fixture: 'monorepo', cwd: 'backend', code: 3 },
  { name: 'flat', fixture: 'flat', code: 3 },
  { name: 'tuples', fixture: 'tuples', code: 0 },
  { name: 'env-only', fixture: 'env-only', code: 3 },
  { name: 'urls-package', fixture: 'urls-package', code: 3 },
  { name: 'try-except', fixture: 'try-except', code: 3 },
  { name: 'split-settings', fixture: 'split-settings', code: 3 },
  { name: 'dynamic', fixture: 'dynamic', code: 3 },
  { name: 'two-projects-beta', fixture: 'two-projects', args: ['--project', 'beta'], code: 3 },
];

type Tree = Map<string, FileState | 'dir' | 'link'>;

function contentsOf(tree: Tree): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, state] of tree) if (typeof state === 'object') out.set(path, state.sha256);
  return out;
}

/** Files whose bytes differ between two trees (added, removed or changed), sorted. */
function changedFiles(before: Tree, after: Tree): string[] {
  const a = contentsOf(before);
  const b = contentsOf(after);
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p) && !p.startsWith('.git/')).sort();
}

/** What a snapshot holds for a file: its text, or a pointer to the template it equals. */
function snapshotText(text: string): string {
  const template = TEMPLATES.find((t) => t.text === text);
  return template ? `@template ${template.name}\n` : text;
}

describe('init on hand-written layouts (file snapshots)', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const root = copyFixture(c.fixture);
      gitInit(root);
      const cwd = c.cwd ? join(root, c.cwd) : root;
      const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir() };
      const initial = snapshotTree(root);

      // --dry-run writes nothing (bytes and mtimes).
      const dry = await cli(['init', '--dry-run', ...KEYS, ...(c.args ?? [])], { cwd, env });
      assert.equal(dry.code, 0, dry.stderr);
      assert.deepEqual(snapshotTree(root), initial, '--dry-run changed the tree');

      const first = await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...KEYS, ...(c.args ?? [])], { cwd, env });
      assert.equal(first.code, c.code, `exit ${first.code}\n${first.stderr}\n${first.stdout}`);
      const report = JSON.parse(first.stdout) as { changes: { id: string; status: string }[] };
      const applied = snapshotTree(root);
      const changed = changedFiles(initial, applied);

      const dir = join(SNAPSHOTS, c.name);
      const statuses = `${report.changes.map((o) => `${o.status.padEnd(8)} ${o.id}`).join('\n')}\n`;
      if (update) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'steps.txt'), statuses);
        writeFileSync(join(dir, 'files.txt'), `${changed.join('\n')}\n`);
        for (const path of changed) {
          const file = join(root, path);
          if (!existsSync(file)) continue;
          const out = join(dir, 'files', `${path}${SNAP}`);
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, snapshotText(readFileSync(file, 'utf8')));
        }
      }
      assert.equal(statuses, readFileSync(join(dir, 'steps.txt'), 'utf8'), 'step outcomes differ from the snapshot');
      assert.equal(`${changed.join('\n')}\n`, readFileSync(join(dir, 'files.txt'), 'utf8'), 'the set of changed files differs from the snapshot');
      for (const path of changed) {
        assert.equal(snapshotText(readFileSync(join(root, path), 'utf8')), readFileSync(join(dir, 'files', `${path}${SNAP}`), 'utf8'), `${path} differs from its snapshot`);
      }

      // A second run plans nothing and changes no byte.
      const second = await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...(c.args ?? [])], { cwd, env });
      assert.equal(second.code, c.code, second.stderr);
      const secondReport = JSON.parse(second.stdout) as { files: unknown[] };
      assert.deepEqual(secondReport.files, [], 'the second run planned changes');
      assert.deepEqual(changedFiles(applied, snapshotTree(root)), [], 'the second run changed bytes');

      // Undo restores every byte and removes what was created.
      const undo = await cli(['undo', '--yes', ...(c.args ?? [])], { cwd, env });
      assert.equal(undo.code, 0, undo.stderr);
      const restored = snapshotTree(root);
      assert.deepEqual(changedFiles(initial, restored), [], 'undo left differences');
      assert.deepEqual(
        [...restored.keys()].filter((p) => !p.startsWith('.git')),
        [...initial.keys()].filter((p) => !p.startsWith('.git')),
        'undo left files or folders behind',
      );
    });
  }
});

// SKILL.md tells coding agents what to run. Its claims must hold: every command and flag
// it names exists (checked against each command's own --help), and the command lines of
// its shell blocks, run in order against a real startproject with the real SDK and
// WorkOS's emulator, exit as the skill says they do.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, repoRoot, snapshotTree } from '../helpers/django.js';
import { envWith, PROJECT_API_KEY, venvs } from '../flow/support.js';

const skill = readFileSync(join(repoRoot, 'SKILL.md'), 'utf8');

/** Every `npx authkit-django ...` command line: in shell blocks (runnable) and in inline code. */
function commandLines(): { line: string; runnable: boolean }[] {
  const found: { line: string; runnable: boolean }[] = [];
  for (const block of skill.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.trim();
      if (line.startsWith('npx authkit-django')) found.push({ line, runnable: true });
    }
  }
  for (const inline of skill.replace(/```[\s\S]*?```/g, '').matchAll(/`(npx authkit-django[^`]*)`/g)) {
    found.push({ line: inline[1]!.trim(), runnable: false });
  }
  return found;
}

function argsOf(line: string): string[] {
  return line.replace(/^npx authkit-django\s*/, '').split(/\s+/).filter(Boolean);
}

describe('SKILL.md', () => {
  test('has the frontmatter agent skills use', () => {
    const front = /^---\nname: (.+)\ndescription: (.+)\n---\n/.exec(skill);
    assert.ok(front, 'frontmatter with name and description');
    assert.equal(front[1], 'authkit-django');
    assert.ok(front[2]!.length > 40);
  });

  test('names only commands and flags that exist', async () => {
    const lines = commandLines();
    assert.ok(lines.length >= 6, `found ${lines.length} command lines`);
    const helps = new Map<string, string>();
    for (const { line } of lines) {
      const args = argsOf(line);
      const command = args[0]!;
      if (!helps.has(command)) {
        const help = await cli([command, '--help']);
        assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
        assert.match(help.stdout, new RegExp(`^authkit-django ${command}:`), `${command} is a command`);
        helps.set(command, help.stdout);
      }
      for (const flag of args.filter((a) => a.startsWith('--'))) {
        assert.ok(helps.get(command)!.includes(flag), `${line}: ${command} has no ${flag}`);
      }
    }
  });

  test('names the commands an agent needs', () => {
    const runnable = commandLines().filter((c) => c.runnable).map((c) => c.line);
    for (const wanted of ['init --yes --json', 'verify --flow --json', 'doctor --fix --yes --json', 'undo --yes']) {
      assert.ok(runnable.some((l) => l.includes(wanted)), `the skill runs "${wanted}"`);
    }
  });

  describe('its command lines, run in order on a startproject', () => {
    let dir: string;
    let before0: ReturnType<typeof snapshotTree>;
    const state = stateDir();
    const env = envWith(venvs.dj52, { WORKOS_API_KEY: PROJECT_API_KEY, WORKOS_CLIENT_ID: 'client_project', AUTHKIT_DJANGO_STATE_DIR: state });
    before(async () => {
      dir = await copyOfStartProject('5.2');
      before0 = snapshotTree(dir);
    });

    test('each exits as documented and prints one JSON object', async () => {
      // What the skill's table says each one returns on a healthy project.
      const expected: Record<string, number[]> = {
        'init --dry-run --json': [0],
        'init --yes --json': [0, 3],
        'verify --flow --json': [0],
        'doctor --json': [3],
        'doctor --fix --yes --json': [0],
        'undo --yes --json': [0],
      };
      const ran: string[] = [];
      for (const { line } of commandLines().filter((c) => c.runnable)) {
        const key = argsOf(line).join(' ');
        const want = expected[key];
        assert.ok(want, `no expectation for "${key}": add one`);
        const result = await cli([...argsOf(line), dir], { env });
        assert.ok(want.includes(result.code), `${line} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
        assert.doesNotThrow(() => JSON.parse(result.stdout), `${line}: stdout is one JSON object`);
        assert.ok(!`${result.stdout}${result.stderr}`.includes(PROJECT_API_KEY), `${line} printed the key`);
        ran.push(key);
      }
      assert.deepEqual(ran.slice(-1), ['undo --yes --json']);
      // undo was the last line: the project's files are back as they were. The database
      // doctor --fix migrated stays: undo restores files, not data.
      const after = snapshotTree(dir);
      assert.ok(after.delete('db.sqlite3'), 'doctor --fix ran migrate');
      const bytes = (tree: typeof after) => [...tree].map(([path, state]) => [path, typeof state === 'string' ? state : state.sha256]);
      assert.deepEqual(bytes(after), bytes(before0));
    });
  });
});

describe('authkit-django skill', () => {
  test('prints SKILL.md', async () => {
    const result = await cli(['skill']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, skill);
  });

  test('--install writes it once, and undo takes it back', async () => {
    const dir = await copyOfStartProject('5.2');
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir() };
    const skillsDir = join(dir, '.agents', 'skills');
    const first = await cli(['skill', '--install', skillsDir, '--json'], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).action, 'created');
    assert.equal(readFileSync(join(skillsDir, 'authkit-django', 'SKILL.md'), 'utf8'), skill);
    const second = await cli(['skill', '--install', skillsDir, '--json'], { env });
    assert.equal(JSON.parse(second.stdout).action, 'unchanged');
    const undo = await cli(['undo', '--yes', dir], { env });
    assert.equal(undo.code, 0, undo.stderr);
    assert.ok(!snapshotTree(dir).has('.agents'), 'the folders it created are gone');
  });

  test('--install refuses a file', async () => {
    const dir = await copyOfStartProject('5.2');
    const result = await cli(['skill', '--install', join(dir, 'manage.py')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--install takes a folder/);
  });
});

/**
 * uv, poetry and pipenv rewrite the line of every package they are handed. A package the
 * project already declares in its own words and has installed (here python-dotenv ~=1.0)
 * is not handed to them: its line stays as the user wrote it. Real uv, from PyPI.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture } from '../helpers/django.js';
import { runTool, toolEnv } from '../helpers/tools.js';

const KEYS = ['--api-key', 'sk_test_declared000', '--client-id', 'client_declared'];

describe('packages the project declares already', () => {
  it('uv: python-dotenv ~=1.0 stays as written; only workos and pyjwt are added', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "mini"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = [\n    "django>=4.2",\n    "python-dotenv~=1.0",\n]\n');
    writeFileSync(join(dir, '.gitignore'), '.venv/\n');
    const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
    await runTool(['uv', 'sync', '--quiet'], dir, env);
    gitInit(dir);
    // The plan says which of the project's files the tool rewrites itself (they are not in the diff).
    const dry = await cli(['init', '--dry-run', ...KEYS], { cwd: dir, env });
    assert.match(dry.stdout, /^ {2}then: uv add installs workos and pyjwt and rewrites pyproject\.toml and uv\.lock \(undo restores them\)$/m);
    const run = await cli(['init', '--yes', '--json', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(run.stdout) as { install: { status: string; command?: string } };
    assert.equal(report.install.status, 'installed', run.stderr);
    assert.doesNotMatch(report.install.command ?? '', /dotenv/);
    const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    assert.match(pyproject, /^ {4}"python-dotenv~=1\.0",$/m);
    assert.match(pyproject, /"workos>=5\.13\.0,<11"/);
  });
});

// The JSON Schemas in schemas/ are the contract of every --json report. Every test that
// runs the command line with --json validates what it gets (test/helpers/cli.ts); these
// tests check the schemas themselves: they compile under draft 2020-12 in strict mode,
// every command that takes --json has one, and they refuse what they must refuse.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, repoRoot } from '../helpers/django.js';
import { assertMatchesSchema } from '../helpers/schemas.js';

const COMMANDS = ['init', 'inspect', 'undo', 'doctor', 'dev', 'emulator', 'verify', 'skill'];

describe('schemas/', () => {
  test('every command that takes --json has a schema, and only those', async () => {
    const withJson: string[] = [];
    for (const command of COMMANDS) {
      const help = await cli([command, '--help']);
      if (help.stdout.includes('--json')) withJson.push(command);
    }
    const schemas = readdirSync(join(repoRoot, 'schemas'))
      .filter((f) => f.endsWith('.schema.json') && f !== 'common.schema.json')
      .map((f) => f.replace('.schema.json', ''));
    assert.deepEqual(schemas.sort(), withJson.sort());
  });

  test('each is a draft 2020-12 schema with an id under the package', () => {
    for (const file of readdirSync(join(repoRoot, 'schemas'))) {
      const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', file), 'utf8')) as Record<string, unknown>;
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', file);
      assert.equal(schema.$id, `authkit-django:/schemas/${file}`, file);
    }
  });

  test('a real report passes; the same report with a field added, or one missing, fails', async () => {
    const dir = await copyOfStartProject('5.2');
    const result = await cli(['inspect', '--json', dir], { env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.command, 'inspect');
    assertMatchesSchema('inspect', report);
    assert.throws(() => assertMatchesSchema('inspect', { ...report, somethingNew: true }), /must NOT have additional properties/);
    const { settingsFile: _gone, ...missing } = report;
    void _gone;
    assert.throws(() => assertMatchesSchema('inspect', missing), /must have required property/);
    assert.throws(() => assertMatchesSchema('inspect', { ...report, schemaVersion: 2 }), /schemaVersion/);
  });

  test('an error is one JSON report too, with the exit code', async () => {
    const result = await cli(['init', '--json', join(repoRoot, 'does-not-exist')]);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { command: string; error: { message: string }; exitCode: number };
    assert.equal(report.command, 'init');
    assert.equal(report.exitCode, 1);
    assert.match(report.error.message, /is not a folder/);
  });
});

/**
 * The JSON Schemas in schemas/ (draft 2020-12) as the contract of every `--json` report.
 * The cli() helper validates each report a test gets against its command's schema, so
 * a field added to a report without a schema change fails the test that sees it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoRoot } from './django.js';

const schemasDir = join(repoRoot, 'schemas');

function loadAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  for (const name of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, name), 'utf8')) as object);
  }
  return ajv;
}

let ajv: Ajv2020 | null = null;

export const SCHEMA_BASE = 'authkit-django:/schemas/';

/** Asserts that `report` is a valid `command --json` report. */
export function assertMatchesSchema(command: string, report: unknown): void {
  ajv ??= loadAjv();
  const validate = ajv.getSchema(`${SCHEMA_BASE}${command}.schema.json`);
  assert.ok(validate, `no schema for "${command}": add schemas/${command}.schema.json`);
  if (!validate(report)) {
    const problems = (validate.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    assert.fail(`the ${command} --json report does not match schemas/${command}.schema.json:\n${problems.join('\n')}`);
  }
}

/**
 * For a run of the command line with --json: the one JSON object on stdout, validated.
 * Returns null when stdout is empty (a command that failed before it could report).
 */
export function checkJsonOutput(args: string[], stdout: string): unknown {
  if (!args.includes('--json') || stdout.trim() === '') return null;
  const command = KNOWN.has(args[0] ?? '') ? args[0]! : 'init';
  const report: unknown = JSON.parse(stdout);
  assertMatchesSchema(command, report);
  return report;
}

const KNOWN = new Set(['init', 'inspect', 'undo', 'doctor', 'dev', 'emulator', 'verify', 'skill']);

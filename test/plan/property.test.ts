/**
 * The property test at scale: 1,000 seeded variants of settings.py / urls.py in the
 * shapes real projects use (test/plan/property/generator.ts). For each: plan and apply;
 * every .py file parses with Python's ast; executing the settings under Django 5.2 gives
 * INSTALLED_APPS and MIDDLEWARE equal to the old values plus exactly what we add (nothing,
 * when the step was refused as manual), every other setting unchanged; no byte outside
 * the edits changed; a second run plans nothing; undo restores the input exactly.
 * The Python checks run as one batch in one process. PROPERTY_VARIANTS / PROPERTY_SEED
 * change the run; a failing seed is reproduced with
 * `node --import tsx test/plan/property/main.ts --seed S --variants 1`.
 * Throughput goes to bench/property.mjs, not here.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VENVS } from '../helpers/django.js';
import { generate } from './property/generator.js';
import { onlyInsertions, runProperty } from './property/run.js';
import { regressionVariants } from './property/regressions.js';
import { shrinkVariant } from './property/shrink.js';

/** Seeds that once failed (fixed since): kept as regression cases, run on every run. */
const REGRESSION_SEEDS = [
  24, // BOM + an import inserted at the top went before the BOM
];

const count = Number(process.env.PROPERTY_VARIANTS ?? 1000);
const firstSeed = Number(process.env.PROPERTY_SEED ?? 1);

test('the generator is deterministic and covers the shapes', () => {
  assert.deepEqual(generate(7), generate(7));
  assert.notDeepEqual(generate(7).files, generate(8).files);
  const shapes = new Set(Array.from({ length: 300 }, (_, i) => generate(i + 1).shape).flat().map((s) => s.split(':').slice(0, 2).join(':')));
  for (const shape of ['eol:crlf', 'eol:lf', 'bom', 'star-import', 'if-debug', 'INSTALLED_APPS:tuple', 'INSTALLED_APPS:list', 'INSTALLED_APPS:plus-equals', 'INSTALLED_APPS:prepend', 'INSTALLED_APPS:annotated', 'MIDDLEWARE:parenthesised', 'dotenv:1', 'dotenv:2', 'dotenv:3', 'workos:1', 'workos:2']) {
    assert.ok(shapes.has(shape), `no variant has ${shape}`);
  }
});

test('the shrinker keeps only the lines a failure needs, with their own line endings', async () => {
  const variant = generate(6);
  // A stand-in verdict: "fails" while settings.py still names SessionMiddleware and manage.py exists.
  const fails = async (v: typeof variant) => 'manage.py' in v.files && Object.entries(v.files).some(([f, t]) => f.endsWith('settings.py') && /SessionMiddleware/.test(t));
  assert.ok(await fails(variant));
  const shrunk = await shrinkVariant(variant, fails);
  assert.ok(await fails(shrunk));
  const settings = Object.entries(shrunk.files).filter(([f]) => f.endsWith('settings.py'));
  assert.deepEqual(settings.map(([, t]) => t.split(/\n/).filter(Boolean).length), [1], JSON.stringify(shrunk.files));
  assert.ok(Object.keys(shrunk.files).length < Object.keys(variant.files).length);
  assert.equal(shrunk.files['manage.py'], '', 'every line of manage.py can go; the file itself stays');
});

test('regression fixtures are read from regressions/ as whole variants', () => {
  for (const v of regressionVariants()) assert.ok(Object.keys(v.files).some((f) => f.endsWith('settings.py')), v.shape.join(' '));
});

test('onlyInsertions tells an insertion from a change', () => {
  assert.equal(onlyInsertions("A = ['x']\n", "import os\nA = ['x', 'y']\n"), true);
  assert.equal(onlyInsertions("A = ['x']\n", "A = ['y']\n"), false);
  assert.equal(onlyInsertions('A = 1\r\n', 'A = 1\n'), false);
});

test(`${count} variants plus the regression seeds: plan, apply, re-run, undo, and Python's verdict`, { timeout: 20 * 60 * 1000 }, async (t) => {
  const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'authkit-property-'));
  try {
    const seeds = [...REGRESSION_SEEDS, ...Array.from({ length: count }, (_, i) => firstSeed + i).filter((s) => !REGRESSION_SEEDS.includes(s))];
    const fixtures = regressionVariants();
    const run = await runProperty({ firstSeed, count, seeds, variants: fixtures, work, python: join(VENVS.dj52, 'bin', 'python') });
    t.diagnostic(`${run.variants} variants: ${run.applySeconds.toFixed(1)} s in-process, ${run.pythonSeconds.toFixed(1)} s of Python checks`);
    assert.equal(run.variants, seeds.length + fixtures.length);
    const shown = run.failures.slice(0, 10).map((f) => `seed ${f.seed} [${f.shape.join(' ')}]\n    ${f.problems.join('\n    ')}`);
    assert.deepEqual(shown, [], `${run.failures.length} failing variants`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

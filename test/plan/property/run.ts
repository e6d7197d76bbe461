/**
 * The property test's engine: for each seeded variant, plan and apply in-process (the
 * same discover -> plan -> apply -> undo code the command runs, without its start-up per
 * variant), check the byte-level properties here, and leave before/after copies for one
 * batch run of the Python checks (check_settings.py) in the Django 5.2 virtualenv.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '../../../src/discover/index.js';
import { planIntegration } from '../../../src/integrate/index.js';
import { applyChanges } from '../../../src/plan/apply.js';
import { performUndo, planUndo } from '../../../src/plan/undo.js';
import { loadPythonParser } from '../../../src/python/parser.js';
import { generate, type Variant } from './generator.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface VariantFailure {
  seed: number;
  shape: string[];
  problems: string[];
}

export interface PropertyRun {
  variants: number;
  failures: VariantFailure[];
  /** Seconds for plan + apply + second run + undo of every variant (in-process). */
  applySeconds: number;
  /** Seconds for the one batch of Python checks. */
  pythonSeconds: number;
}

/** Every file below `dir`, relative path -> bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** True when `before` can be found in `after` in order with only insertions between: no byte of it moved or changed. */
export function onlyInsertions(before: string, after: string): boolean {
  let i = 0;
  for (let j = 0; j < after.length && i < before.length; j++) if (after.charCodeAt(j) === before.charCodeAt(i)) i++;
  return i === before.length;
}

export interface PropertyOptions {
  firstSeed: number;
  count: number;
  work: string;
  python: string;
  seeds?: number[];
  /** Variants given whole (regression fixtures, a shrinker's candidates), checked after the seeds. */
  variants?: Variant[];
}

export async function runProperty(options: PropertyOptions): Promise<PropertyRun> {
  await loadPythonParser();
  const seeds = options.seeds ?? Array.from({ length: options.count }, (_, i) => options.firstSeed + i);
  const given = new Map((options.variants ?? []).map((v) => [v.seed, v]));
  const all = [...seeds.filter((s) => !given.has(s)), ...given.keys()];
  const env: NodeJS.ProcessEnv = { ...process.env, AUTHKIT_DJANGO_STATE_DIR: join(options.work, 'state') };
  const failures: VariantFailure[] = [];
  const manifest: { seed: number; before: string; after: string; manual: string[] }[] = [];
  const shapes = new Map<number, string[]>();
  const started = performance.now();
  for (const seed of all) {
    const variant = given.get(seed) ?? generate(seed);
    shapes.set(seed, variant.shape);
    const dir = join(options.work, 'run', `v${seed}`);
    const pristine = join(options.work, 'before', `v${seed}`);
    for (const [file, text] of Object.entries(variant.files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    cpSync(dir, pristine, { recursive: true });
    const problems: string[] = [];
    try {
      const input = readTree(dir);
      const model = await discover(dir, { env, probeInterpreter: false });
      const plan = planIntegration(model, { apiKey: 'sk_test_property000000', clientId: 'client_property', replaceExistingEnvValues: false });
      applyChanges(model, plan.changes, 'init', env);
      const applied = readTree(dir);
      for (const [file, bytes] of input) {
        const now = applied.get(file);
        if (!now) problems.push(`${file} was removed`);
        else if (!onlyInsertions(bytes.toString('utf8'), now.toString('utf8'))) problems.push(`${file}: bytes outside the edits changed`);
      }
      const again = planIntegration(await discover(dir, { env, probeInterpreter: false }), { apiKey: 'sk_test_property000000', clientId: 'client_property', replaceExistingEnvValues: false });
      if (again.changes.length > 0) problems.push(`a second run would change ${again.changes.map((c) => relative(dir, c.file)).join(', ')}`);
      const after = join(options.work, 'after', `v${seed}`);
      cpSync(dir, after, { recursive: true });
      // A change the plan refused (a manual step, e.g. `X = [...] + X`) must leave the value as it was.
      const manual = plan.outcomes.filter((o) => o.status === 'manual').map((o) => o.id);
      manifest.push({ seed, before: pristine, after, manual });
      performUndo(planUndo(model, env));
      const undone = readTree(dir);
      const same = undone.size === input.size && [...input].every(([file, bytes]) => undone.get(file)?.equals(bytes));
      if (!same) problems.push('undo did not restore the input exactly');
    } catch (error) {
      problems.push(`threw: ${(error as Error).message}`);
    }
    if (problems.length > 0) failures.push({ seed, shape: variant.shape, problems });
  }
  const applySeconds = (performance.now() - started) / 1000;

  const manifestFile = join(options.work, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const pyStarted = performance.now();
  const out = execFileSync(options.python, [join(here, 'check_settings.py'), manifestFile], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const pythonSeconds = (performance.now() - pyStarted) / 1000;
  const checked = JSON.parse(out) as { checked: number; failures: { seed: number; problems: string[] }[] };
  for (const failure of checked.failures) failures.push({ seed: failure.seed, shape: shapes.get(failure.seed) ?? [], problems: failure.problems });
  return { variants: all.length, failures, applySeconds, pythonSeconds };
}

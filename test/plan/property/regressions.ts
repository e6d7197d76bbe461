/**
 * Regression fixtures of the property test: each folder under regressions/ holds a shrunk
 * counterexample (the project's files as they were) and a README line saying what it
 * caught. They are run with every property run, numbered from REGRESSION_BASE so their ids
 * never meet a generated seed's.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Variant } from './generator.js';

export const REGRESSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'regressions');
export const REGRESSION_BASE = 1_000_000_000;

function filesBelow(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'CAUGHT.txt') out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function regressionVariants(dir = REGRESSIONS_DIR): Variant[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .map((name, i) => ({ seed: REGRESSION_BASE + i, files: filesBelow(join(dir, name)), shape: [`regression:${name}`] }));
}

/**
 * With pip, install the newest workos that fits the packages the project already has, rather
 * than the newest workos and whatever upgrades it pulls in: a raised `cryptography` can break
 * a pinned pyOpenSSL at import while `pip check` stays clean. pip is given a constraints file
 * that holds every installed distribution at its `pip freeze` version (workos itself excepted,
 * so an older SDK can move up to the supported range); its resolver then walks back to the
 * newest workos release whose requirements those versions meet.
 *
 * Only when no release fits does the caller install without the constraints, showing each
 * upgrade (environment-state.ts). uv, poetry and pipenv resolve against their own lockfiles,
 * which already prefer the locked versions, so this is pip's alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallCommand } from './command.js';
import type { EnvironmentState } from './environment-state.js';
import type { InstallResult } from './install.js';

/** Distributions never held: the SDK we choose, and pip's own tooling. */
const NOT_HELD = new Set(['workos', 'pip', 'setuptools', 'wheel']);

export interface HeldInstall {
  /** The pip command with `-c FILE` added. */
  command: InstallCommand;
  /** How many installed distributions are held at their versions. */
  held: number;
  /** Removes the constraints file. */
  remove(): void;
}

/** The constraints lines: `name==version` for each installed distribution we hold. */
export function constraintsFor(state: EnvironmentState): string[] {
  return [...state.packages.entries()]
    .filter(([key]) => !NOT_HELD.has(key))
    .map(([, p]) => `${p.name}==${p.version}`)
    .sort();
}

/** Null for a manager other than pip, or an environment with nothing installed to hold. */
export function holdInstalled(command: InstallCommand, state: EnvironmentState | null): HeldInstall | null {
  if (command.manager !== 'pip' || !state) return null;
  const lines = constraintsFor(state);
  if (lines.length === 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'authkit-django-constraints-'));
  const file = join(dir, 'installed.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const at = command.argv.indexOf('install');
  const argv = [...command.argv.slice(0, at + 1), '-c', file, ...command.argv.slice(at + 1)];
  return {
    // The retry line stays the plain command: the constraints file is gone when the user reads it.
    command: { ...command, argv, retry: command.retry },
    held: lines.length,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** pip's resolver found no workos release that fits the held versions. */
export function noReleaseFits(result: InstallResult): boolean {
  return !result.ok && result.status === 'failed' && /ResolutionImpossible|conflicting dependencies|No matching distribution found for workos/i.test(result.outputTail + (result.message ?? ''));
}

/**
 * Install the newest workos that fits the packages the project already has, rather than the
 * newest workos and whatever upgrades it pulls in: a raised `cryptography` can break a pinned
 * pyOpenSSL at import while `pip check` stays clean. pip and uv are given a constraints file
 * (`-c`) that holds every installed distribution at its version (workos itself excepted, so
 * an older SDK can move up to the supported range); their resolvers then walk back to the
 * newest workos release whose requirements those versions meet. uv does not write the
 * constraints into pyproject.toml.
 *
 * Only when no release fits does the caller install without the constraints, showing each
 * upgrade (environment-state.ts). poetry and pipenv have no constraints option for adding a
 * package: they resolve as they do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallCommand } from './command.js';
import type { EnvironmentState } from './environment-state.js';
import type { InstallResult } from './install.js';
import { normalizePackageName } from '../integrate/requirements.js';

/** Distributions never held: the SDK we choose, and pip's own tooling. */
const NOT_HELD = new Set(['workos', 'pip', 'setuptools', 'wheel']);

export interface HeldInstall {
  /** The pip or uv command with `-c FILE` added. */
  command: InstallCommand;
  /** How many installed distributions are held at their versions. */
  held: number;
  /** Removes the constraints file. */
  remove(): void;
}

/** The constraints lines: `name==version` for each installed distribution we hold. */
export function constraintsFor(state: Pick<EnvironmentState, 'packages'>): string[] {
  return [...state.packages.entries()]
    .filter(([key]) => !NOT_HELD.has(key))
    .map(([, p]) => `${p.name}==${p.version}`)
    .sort();
}

/**
 * What uv.lock pins from a registry, as the state to hold in a uv project: the versions the
 * project's own `uv sync` installs. A package locked at two versions (a fork by Python
 * version or platform) is not held: one constraint could not stand for both.
 */
export function lockedVersions(lockText: string): Pick<EnvironmentState, 'packages'> {
  const seen = new Map<string, { name: string; versions: Set<string> }>();
  for (const block of lockText.split(/^\[\[package\]\]$/m).slice(1)) {
    const name = /^name = "([^"]+)"$/m.exec(block)?.[1];
    const version = /^version = "([^"]+)"$/m.exec(block)?.[1];
    if (!name || !version || !/^source = \{ registry = /m.test(block)) continue;
    const key = normalizePackageName(name);
    const entry = seen.get(key) ?? { name, versions: new Set<string>() };
    entry.versions.add(version);
    seen.set(key, entry);
  }
  const packages = new Map<string, { name: string; version: string }>();
  for (const [key, entry] of seen) if (entry.versions.size === 1) packages.set(key, { name: entry.name, version: [...entry.versions][0]! });
  return { packages };
}

/** Null for poetry and pipenv, or an environment with nothing installed to hold. */
export function holdInstalled(command: InstallCommand, state: Pick<EnvironmentState, 'packages'> | null): HeldInstall | null {
  if ((command.manager !== 'pip' && command.manager !== 'uv') || !state) return null;
  const lines = constraintsFor(state);
  if (lines.length === 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'authkit-django-constraints-'));
  const file = join(dir, 'installed.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const at = command.argv.indexOf(command.manager === 'uv' ? 'add' : 'install');
  const argv = [...command.argv.slice(0, at + 1), '-c', file, ...command.argv.slice(at + 1)];
  return {
    // The retry line stays the plain command: the constraints file is gone when the user reads it.
    command: { ...command, argv, retry: command.retry },
    held: lines.length,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The resolver (pip's or uv's) found no workos release that fits the held versions. */
export function noReleaseFits(result: InstallResult): boolean {
  const said = result.outputTail + (result.message ?? '');
  // pip names the held versions "(constraint)" in its explanation, whatever else it prints
  // around it; its ResolutionImpossible line can fall out of a long output's tail.
  return !result.ok && result.status === 'failed' && /ResolutionImpossible|conflicting dependencies|requested \(constraint\)|No matching distribution found for workos|No solution found when resolving|unsatisfiable/i.test(said);
}

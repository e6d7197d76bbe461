/**
 * The project environment around an install: `pip check` (are the installed packages'
 * requirements met?) and `pip freeze` (what is installed, at which version), taken before
 * and after, so an install that breaks the project's pins or upgrades its packages is shown,
 * never silent. Both run in the project's own interpreter; a Python without pip (a uv venv)
 * gives no state, and the comparison says so.
 */
import type { PythonInfo } from '../discover/model.js';
import { normalizePackageName } from '../integrate/requirements.js';
import { readdirSync } from 'node:fs';
import { capture } from './capture.js';
import { venvSitePackages } from './installed-version.js';

export interface EnvironmentState {
  /** name (normalised) -> version. */
  packages: Map<string, { name: string; version: string }>;
  /** `pip check`: true when every installed package's requirements are met. */
  consistent: boolean;
  /** What pip check said when it was not. */
  problems: string;
}

/** `Name==1.2.3` lines of `pip freeze` (editable and URL lines are skipped). */
export function parseFreeze(text: string): Map<string, { name: string; version: string }> {
  const out = new Map<string, { name: string; version: string }>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*$/.exec(line.trim());
    if (m) out.set(normalizePackageName(m[1]!), { name: m[1]!, version: m[2]! });
  }
  return out;
}

export async function environmentState(python: PythonInfo, cwd: string, env: NodeJS.ProcessEnv): Promise<EnvironmentState | null> {
  const run = (args: string[]) => capture([...python.command, '-m', 'pip', ...args, '--disable-pip-version-check'], { cwd, env: { ...env, PIP_NO_INPUT: '1' }, timeoutMs: 60_000 });
  // In a virtualenv the installed versions are the .dist-info folder names: read without a
  // second pip start (each costs about half a second), and only `pip check` runs.
  const listed = python.venv ? distributionsIn(python.venv) : null;
  const freeze = listed && listed.size > 0 ? null : await run(['freeze', '--all']);
  if (freeze && freeze.exitCode !== 0) return null;
  const check = await run(['check']);
  if (check.exitCode !== 0 && /No module named pip/.test(check.stderr)) return null;
  return { packages: freeze ? parseFreeze(freeze.stdout) : listed!, consistent: check.exitCode === 0, problems: (check.stdout + check.stderr).trim() };
}

/** name (normalised) -> version of every distribution installed in the virtualenv, as pip freeze would list them. */
export function distributionsIn(venv: string): Map<string, { name: string; version: string }> {
  const out = new Map<string, { name: string; version: string }>();
  for (const site of venvSitePackages(venv)) {
    let names: string[] = [];
    try {
      names = readdirSync(site);
    } catch {
      continue;
    }
    for (const entry of names) {
      const m = /^([A-Za-z0-9][A-Za-z0-9._]*)-([^-]+?)(?:-py\d[\d.]*)?\.(?:dist-info|egg-info)$/.exec(entry);
      if (m) out.set(normalizePackageName(m[1]!), { name: m[1]!, version: m[2]! });
    }
  }
  return out;
}

export interface EnvironmentChange {
  /** Packages that were installed before at another version. */
  changed: { name: string; from: string; to: string }[];
  added: { name: string; version: string }[];
  /** pip check passed before and fails after: the install broke the project's requirements. */
  broke: boolean;
  problems: string;
}

export function compareStates(before: EnvironmentState, after: EnvironmentState): EnvironmentChange {
  const changed: EnvironmentChange['changed'] = [];
  const added: EnvironmentChange['added'] = [];
  for (const [key, now] of after.packages) {
    const was = before.packages.get(key);
    if (!was) added.push({ name: now.name, version: now.version });
    else if (was.version !== now.version) changed.push({ name: now.name, from: was.version, to: now.version });
  }
  return { changed, added, broke: before.consistent && !after.consistent, problems: after.consistent ? '' : after.problems };
}

/** Lines for the user: each package that was already installed and now has another version. */
export function describeChange(change: EnvironmentChange): string[] {
  const lines = change.changed.map((c) => `  ${c.name} ${c.from} -> ${c.to}`);
  const one = lines.length === 1;
  return lines.length > 0 ? [`The install changed the version of ${one ? 'a package' : `${lines.length} packages`} the project had installed:`, ...lines] : [];
}

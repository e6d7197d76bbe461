/**
 * The project environment around an install: `pip check` (are the installed packages'
 * requirements met?) and `pip freeze` (what is installed, at which version), taken before
 * and after, so an install that breaks the project's pins or upgrades its packages is shown,
 * never silent. Both run in the project's own interpreter; a Python without pip (a uv venv)
 * gives no state, and the comparison says so.
 */
import type { PythonInfo } from '../discover/model.js';
import { normalizePackageName } from '../integrate/requirements.js';
import { capture } from './capture.js';

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
  const freeze = await run(['freeze', '--all']);
  if (freeze.exitCode !== 0) return null;
  const check = await run(['check']);
  return { packages: parseFreeze(freeze.stdout), consistent: check.exitCode === 0, problems: (check.stdout + check.stderr).trim() };
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

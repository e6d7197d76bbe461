/** git, read-only, with a timeout: what doctor asks the project's repository. */
import { capture, type Captured } from '../install/capture.js';

export const GIT_TIMEOUT_MS = 20_000;

export function git(args: string[], repoRoot: string, env: NodeJS.ProcessEnv, timeoutMs = GIT_TIMEOUT_MS): Promise<Captured> {
  // No pager, no prompt, no colors: a probe must never wait on anyone.
  return capture(['git', '--no-pager', '-c', 'color.ui=false', ...args], {
    cwd: repoRoot,
    env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    timeoutMs,
  });
}

/** True when git tracks `relativePath` (it is in the index). */
export async function isTracked(repoRoot: string, relativePath: string, env: NodeJS.ProcessEnv): Promise<boolean | null> {
  const run = await git(['ls-files', '--error-unmatch', '--', relativePath], repoRoot, env);
  if (run.spawnError || run.timedOut) return null;
  return run.exitCode === 0;
}

import { spawnSync } from 'node:child_process';

/** Paths with uncommitted changes (`git status --porcelain`), or null when git cannot tell. */
export function uncommittedChanges(repoRoot: string): string[] | null {
  // --no-optional-locks: a read must not refresh (rewrite) the user's index.
  const result = spawnSync('git', ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=normal'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.error || result.status !== 0) return null;
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
}

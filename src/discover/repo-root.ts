/**
 * The repository root: the nearest folder above manage.py with a `.git` (a folder, or a
 * file in worktrees and submodules). Without git, the folder the user named when it holds
 * the project (so a lockfile at its top still counts), else manage.py's folder.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isInside } from './paths.js';

export interface RepoRoot {
  repoRoot: string;
  isGitRepo: boolean;
}

export function findRepoRoot(projectRoot: string, dir: string): RepoRoot {
  for (let current = projectRoot; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return { repoRoot: current, isGitRepo: true };
    if (dirname(current) === current) break;
  }
  return { repoRoot: isInside(projectRoot, dir) ? dir : projectRoot, isGitRepo: false };
}

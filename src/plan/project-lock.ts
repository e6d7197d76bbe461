/**
 * One authkit-django run at a time per project: the lock is taken before planning (a plan
 * made while another run writes would be stale) and held until the process ends, when
 * the journal is final. A second run waits a few seconds, then refuses.
 */
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { EXIT, UserError } from '../util/errors.js';
import { acquireLock, LockBusy, type Lock } from '../util/lock.js';
import type { ProjectRoots } from './apply.js';
import { Journal, stateDirFor, writtenPath } from './journal.js';
import { removeLeftovers, tempFolders } from './temp-files.js';

/** How long a second run waits for the first (`AUTHKIT_DJANGO_LOCK_WAIT_MS` overrides it, for tests). */
export const LOCK_WAIT_MS = 5000;

export async function lockProject(projectRoot: string, purpose: string, env: NodeJS.ProcessEnv = process.env): Promise<Lock> {
  const dir = stateDirFor(projectRoot, env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'lock');
  const wait = Number.parseInt(env.AUTHKIT_DJANGO_LOCK_WAIT_MS ?? '', 10);
  const waitMs = Number.isFinite(wait) && wait >= 0 ? wait : LOCK_WAIT_MS;
  try {
    return await acquireLock(file, purpose, waitMs);
  } catch (error) {
    if (!(error instanceof LockBusy)) throw error;
    const who = error.holder ? `authkit-django ${error.holder.purpose} (pid ${error.holder.pid}, since ${error.holder.since})` : 'another authkit-django run';
    throw new UserError(
      `${who} is changing this project; waited ${Math.round(waitMs / 1000)} s and gave up. Nothing was written.`,
      EXIT.error,
      `Run the command again when it has finished. If no authkit-django is running, delete ${file}.`,
    );
  }
}

/**
 * Removes temporary files a killed run left (ours only: in our temp folders, or named
 * like ours in the folders our journal says we wrote to). Hold the project lock.
 */
export function cleanLeftovers(roots: ProjectRoots, env: NodeJS.ProcessEnv = process.env): string[] {
  const folders = [roots.repoRoot, roots.projectRoot];
  for (const entry of Journal.open(roots.projectRoot, env).entries) {
    for (const file of entry.files) folders.push(dirname(file.path), dirname(writtenPath(file)));
  }
  return removeLeftovers(tempFolders(roots.repoRoot, stateDirFor(roots.projectRoot, env)), folders);
}

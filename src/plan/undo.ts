/**
 * Undo: put back the pre-images of the last entry, but only when every file is still
 * exactly what the tool wrote (a file edited since is the user's work; refuse). An entry
 * an interrupted apply left `applying` is undone the same way: the files it had not
 * reached yet are already as they were.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { removeEmptyDirs, restore, type ProjectRoots } from './apply.js';
import { Journal, sha256, stateDirFor, writtenPath, type JournalEntry } from './journal.js';
import { TempPlacer, tempFolders } from './temp-files.js';

export interface UndoFile {
  path: string;
  action: 'restore' | 'delete' | 'unchanged';
}

export interface UndoPlan {
  journal: Journal;
  entry: JournalEntry;
  files: UndoFile[];
  temp: TempPlacer;
}

/** sha256 of the file's bytes now; null when it does not exist or cannot be read. */
export function currentSha(path: string): string | null {
  try {
    return sha256(readFileSync(path));
  } catch {
    return null;
  }
}

/** What undoing `entry` does to each file, and the files changed since (undo must refuse). */
export function undoActions(entry: JournalEntry): { files: UndoFile[]; changedSince: string[] } {
  const changedSince: string[] = [];
  const files: UndoFile[] = [];
  for (const file of entry.files) {
    const now = currentSha(writtenPath(file));
    const before = file.before === null ? null : sha256(Buffer.from(file.before, 'base64'));
    if (now === before) {
      // Already as it was (a crash before this file was written, or a package manager that left it alone).
      files.push({ path: file.path, action: 'unchanged' });
      continue;
    }
    const ok = file.afterSha256 === null ? true : now === file.afterSha256;
    if (!ok) changedSince.push(file.path);
    files.push({ path: file.path, action: file.before === null ? 'delete' : 'restore' });
  }
  return { files, changedSince };
}

export function changedSinceError(entry: JournalEntry, changedSince: string[], what = 'undoing'): UserError {
  const one = changedSince.length === 1;
  return new UserError(
    `not ${what}: ${one ? 'this file has' : 'these files have'} changed since authkit-django ${entry.command} wrote ${one ? 'it' : 'them'}:\n` +
      changedSince.map((f) => `  ${f}`).join('\n') +
      `\nNothing was restored. Put ${one ? 'it' : 'them'} back as authkit-django left ${one ? 'it' : 'them'} (or restore from git) and run the command again.`,
  );
}

/** Works out what undo would do; throws a UserError when it must refuse. */
export function planUndo(where: string | ProjectRoots, env?: NodeJS.ProcessEnv): UndoPlan {
  const { projectRoot, repoRoot } = typeof where === 'string' ? { projectRoot: where, repoRoot: where } : where;
  const journal = Journal.open(projectRoot, env);
  const entry = journal.last();
  if (!entry) {
    throw new UserError(`nothing to undo: authkit-django has no record of changing ${projectRoot}`);
  }
  const { files, changedSince } = undoActions(entry);
  if (changedSince.length > 0) throw changedSinceError(entry, changedSince);
  return { journal, entry, files, temp: new TempPlacer(tempFolders(repoRoot, stateDirFor(projectRoot, env))) };
}

export function performUndo(plan: UndoPlan): void {
  // A link is put back as a link even when its target's bytes need no restoring.
  restore(plan.entry.files.filter((f, i) => plan.files[i]!.action !== 'unchanged' || f.link !== undefined), plan.temp);
  removeEmptyDirs(plan.entry.createdDirs);
  plan.journal.pop();
  plan.temp.done();
}

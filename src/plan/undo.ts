/**
 * Undo: put back the pre-images of the last applied entry, but only when every file is
 * still exactly what the tool wrote (a file edited since is the user's work; refuse).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { removeEmptyDirs, restore } from './apply.js';
import { Journal, sha256, type JournalEntry } from './journal.js';

export interface UndoFile {
  path: string;
  action: 'restore' | 'delete' | 'unchanged';
}

export interface UndoPlan {
  journal: Journal;
  entry: JournalEntry;
  files: UndoFile[];
}

function currentSha(path: string): string | null {
  try {
    return sha256(readFileSync(path));
  } catch {
    return null;
  }
}

/** Works out what undo would do; throws a UserError when it must refuse. */
export function planUndo(projectRoot: string, env?: NodeJS.ProcessEnv): UndoPlan {
  const journal = Journal.open(projectRoot, env);
  const entry = journal.last();
  if (!entry) {
    throw new UserError(`nothing to undo: authkit-django has no record of changing ${projectRoot}`);
  }
  const changedSince: string[] = [];
  const files: UndoFile[] = [];
  for (const file of entry.files) {
    const now = currentSha(file.path);
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
  if (changedSince.length > 0) {
    throw new UserError(
      `not undoing: ${changedSince.length === 1 ? 'this file has' : 'these files have'} changed since authkit-django ${entry.command} wrote ${changedSince.length === 1 ? 'it' : 'them'}:\n` +
        changedSince.map((f) => `  ${f}`).join('\n') +
        '\nNothing was restored. Put them back as authkit-django left them (or restore them from git) and run undo again.',
    );
  }
  return { journal, entry, files };
}

export function performUndo(plan: UndoPlan): void {
  restore(plan.entry.files.filter((f, i) => plan.files[i]!.action !== 'unchanged'));
  removeEmptyDirs(plan.entry.createdDirs);
  plan.journal.pop();
}

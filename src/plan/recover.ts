/**
 * An interrupted apply (the process killed while writing) leaves its journal entry
 * `applying`: some files new, some old. The next command finishes it (writes the files it
 * had not reached yet) or rolls it back, so that every later state is a whole one.
 */
import { mkdirSync } from 'node:fs';
import { markApplied, writeAtomic, type ProjectRoots } from './apply.js';
import { Journal, sha256, stateDirFor, writtenPath, type JournalEntry } from './journal.js';
import { TempPlacer, tempFolders } from './temp-files.js';
import { changedSinceError, currentSha, performUndo, undoActions } from './undo.js';

export interface Interrupted {
  journal: Journal;
  entry: JournalEntry;
  /** How many of its files hold the new bytes already. */
  written: number;
}

/** The last entry, when an apply was interrupted. */
export function findInterrupted(projectRoot: string, env?: NodeJS.ProcessEnv): Interrupted | null {
  const journal = Journal.open(projectRoot, env);
  const entry = journal.last();
  if (!entry || entry.state !== 'applying') return null;
  const written = entry.files.filter((f) => f.afterSha256 !== null && currentSha(writtenPath(f)) === f.afterSha256).length;
  return { journal, entry, written };
}

function placer(roots: ProjectRoots, env?: NodeJS.ProcessEnv): TempPlacer {
  return new TempPlacer(tempFolders(roots.repoRoot, stateDirFor(roots.projectRoot, env)));
}

/** Puts every file back as it was before the interrupted apply; drops the entry. */
export function rollBack(found: Interrupted, roots: ProjectRoots, env?: NodeJS.ProcessEnv): void {
  const { files, changedSince } = undoActions(found.entry);
  if (changedSince.length > 0) throw changedSinceError(found.entry, changedSince, 'rolling back');
  performUndo({ journal: found.journal, entry: found.entry, files, temp: placer(roots, env) });
}

/** Writes what the interrupted apply had not written yet; the entry becomes `applied` (undo-able). */
export function finish(found: Interrupted, roots: ProjectRoots, env?: NodeJS.ProcessEnv): void {
  const changedSince: string[] = [];
  for (const file of found.entry.files) {
    const now = currentSha(writtenPath(file));
    const before = file.before === null ? null : sha256(Buffer.from(file.before, 'base64'));
    if (now !== before && now !== file.afterSha256) changedSince.push(file.path);
    if (file.after === undefined) changedSince.push(file.path);
  }
  if (changedSince.length > 0) throw changedSinceError(found.entry, [...new Set(changedSince)], 'finishing');
  const temp = placer(roots, env);
  for (const dir of found.entry.createdDirs) mkdirSync(dir, { recursive: true });
  for (const file of found.entry.files) {
    if (currentSha(writtenPath(file)) === file.afterSha256) continue;
    writeAtomic(writtenPath(file), Buffer.from(file.after!, 'base64'), file.afterMode ?? file.beforeMode ?? 0o644, temp);
  }
  markApplied(found.entry);
  found.journal.save();
  temp.done();
}

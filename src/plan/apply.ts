/**
 * The only code that writes the user's files. Journal first, then each file through a
 * temporary file and a rename, so a reader never sees a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../util/errors.js';
import { Journal, sha256, type JournalEntry, type JournalFile } from './journal.js';
import type { FileChange } from './types.js';

/** Writes `bytes` to `file` through a temporary file in the same folder and a rename. */
export function writeAtomic(file: string, bytes: Buffer | string, mode: number): void {
  const tmp = join(dirname(file), `.${basename(file)}.authkit-django-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function modeOf(file: string): number | null {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return null;
  }
}

function readBytes(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** Records the current bytes of `file` as a pre-image (used for files a package manager will rewrite). */
export function preImage(file: string): JournalFile {
  const bytes = readBytes(file);
  return { path: file, before: bytes === null ? null : bytes.toString('base64'), beforeMode: modeOf(file), afterSha256: null };
}

export interface ApplyResult {
  entry: JournalEntry;
  journal: Journal;
}

/**
 * Writes every change, or none: the disk must still hold what the plan was made from,
 * the journal is saved first, and a failure part-way restores what was written.
 */
export function applyChanges(projectRoot: string, changes: FileChange[], command: string, env?: NodeJS.ProcessEnv): ApplyResult {
  for (const change of changes) {
    const now = readBytes(change.file);
    const nowText = now === null ? null : now.toString('utf8');
    if (nowText !== change.before) {
      throw new UserError(`${change.file} changed while the plan was being made; nothing was written. Run the command again.`);
    }
  }
  const journal = Journal.open(projectRoot, env);
  const entry: JournalEntry = {
    id: new Date().toISOString(),
    command,
    state: 'applying',
    files: changes.map((c) => ({ ...preImage(c.file), afterSha256: sha256(Buffer.from(c.after, 'utf8')) })),
    createdDirs: [],
  };
  for (const change of changes) {
    const missing: string[] = [];
    for (let dir = dirname(change.file); !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
    for (const dir of missing) if (!entry.createdDirs.includes(dir)) entry.createdDirs.push(dir);
  }
  journal.push(entry);

  const written: JournalFile[] = [];
  try {
    for (const dir of entry.createdDirs) mkdirSync(dir, { recursive: true });
    changes.forEach((change, i) => {
      const record = entry.files[i]!;
      writeAtomic(change.file, change.after, record.beforeMode ?? change.mode ?? 0o644);
      written.push(record);
    });
  } catch (error) {
    restore(written);
    removeEmptyDirs(entry.createdDirs);
    journal.pop();
    throw new UserError(`writing failed (${(error as Error).message}); every file was put back as it was`);
  }
  entry.state = 'applied';
  journal.save();
  return { entry, journal };
}

/** Puts pre-images back (deleting files that did not exist). */
export function restore(files: JournalFile[]): void {
  for (const file of [...files].reverse()) {
    if (file.before === null) {
      if (existsSync(file.path)) unlinkSync(file.path);
    } else {
      writeAtomic(file.path, Buffer.from(file.before, 'base64'), file.beforeMode ?? 0o644);
    }
  }
}

/** Removes folders the apply created, deepest first, when they are empty again. */
export function removeEmptyDirs(dirs: string[]): void {
  for (const dir of [...dirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (the user put something there) or already gone: leave it.
    }
  }
}

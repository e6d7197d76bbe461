/**
 * The only code that writes the user's files. Journal first, then each file through a
 * temporary file and a rename, so a reader never sees a half-written file.
 *
 * Apply itself enforces what must never happen whatever discovery concluded: no write
 * outside the repository (a link is followed only to a file inside it, and the link is
 * kept), no write over a file the user made read-only (unless asked), no write to a file
 * that changed since it was planned.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { EXIT, UserError } from '../util/errors.js';
import { Journal, sha256, stateDirFor, writtenPath, type JournalEntry, type JournalFile } from './journal.js';
import { TempPlacer, tempFolders } from './temp-files.js';
import type { FileChange } from './types.js';

/** Where a project lives: writes must stay inside `repoRoot`. */
export interface ProjectRoots {
  projectRoot: string;
  repoRoot: string;
}

export interface ApplyOptions {
  /** Rewrite files the user made read-only (`--force-read-only`); their mode stays read-only. */
  forceReadOnly?: boolean;
}

/** The test hook for the crash test: SIGKILL this process at the k-th write step of apply. */
const CRASH_AT = 'AUTHKIT_DJANGO_TEST_CRASH_AT';

class Steps {
  private count = 0;
  constructor(private readonly crashAt: number | null) {}

  /** One point of the write phase where a crash may happen. */
  step(): void {
    this.count++;
    if (this.crashAt !== null && this.count === this.crashAt) process.kill(process.pid, 'SIGKILL');
  }
}

const noSteps = new Steps(null);

/**
 * Writes `bytes` to `file` through a temporary file (made by `temp`, by default beside
 * the target) and a rename: a reader, or a process killed at any point, sees the old
 * bytes or the new ones, never part of them. Only the journal is fsynced (it must be on
 * disk before any file changes); fsyncing every file would double the cost of a run.
 */
export function writeAtomic(file: string, bytes: Buffer | string, mode: number, temp?: TempPlacer, steps: Steps = noSteps): void {
  const tmp = (temp ?? new TempPlacer([])).pathFor(file);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
      const half = Math.floor(buffer.length / 2);
      writeSync(fd, buffer, 0, half);
      steps.step(); // a crash with half the bytes in the temporary file
      writeSync(fd, buffer, half, buffer.length - half);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    steps.step(); // a crash with the temporary file whole, not yet in place
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

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function isInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** Where writing `file` really lands: a link's target, else the file under its real folder. */
interface Target {
  real: string;
  link?: string;
}

function resolveTarget(file: string): Target {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    st = null;
  }
  if (st?.isSymbolicLink()) {
    const real = realOrNull(file);
    if (real === null) {
      throw new UserError(`not writing ${file}: it is a link to ${readlinkSync(file)}, which does not exist; nothing was written`);
    }
    return { real, link: readlinkSync(file) };
  }
  // The nearest folder that exists, resolved: a folder above may itself be a link.
  const rest: string[] = [basename(file)];
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  return { real: join(realOrNull(dir) ?? dir, ...rest) };
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

function rootsOf(where: string | ProjectRoots): ProjectRoots {
  return typeof where === 'string' ? { projectRoot: where, repoRoot: where } : where;
}

/**
 * Writes every change, or none: the disk must still hold what the plan was made from,
 * the journal is saved first, and a failure part-way restores what was written.
 * `where` is the project (its folder alone stands for both roots).
 */
export function applyChanges(
  where: string | ProjectRoots,
  changes: FileChange[],
  command: string,
  env: NodeJS.ProcessEnv = process.env,
  options: ApplyOptions = {},
): ApplyResult {
  const { projectRoot, repoRoot } = rootsOf(where);
  changes = inSafeOrder(changes);
  const realRepo = realOrNull(repoRoot) ?? repoRoot;
  const targets = changes.map((change) => {
    const target = resolveTarget(change.file);
    if (!isInside(target.real, realRepo)) {
      throw new UserError(
        `not writing ${change.file}: ${target.link !== undefined ? `it is a link to ${target.real}, which is` : `it resolves to ${target.real},`} outside the repository ${repoRoot}; nothing was written`,
        EXIT.error,
        'authkit-django only writes inside the repository that holds the Django project.',
      );
    }
    return target;
  });
  changes.forEach((change, i) => {
    const now = readBytes(targets[i]!.real);
    const nowText = now === null ? null : now.toString('utf8');
    if (nowText !== change.before) {
      throw new UserError(`${change.file} changed while the plan was being made; nothing was written. Run the command again.`);
    }
    const mode = modeOf(targets[i]!.real);
    if (mode !== null && (mode & 0o222) === 0 && !options.forceReadOnly) {
      throw new UserError(
        `${change.file} is read-only (mode ${mode.toString(8).padStart(4, '0')}); nothing was written`,
        EXIT.error,
        'Make it writable (chmod u+w) if authkit-django may change it, or pass --force-read-only to rewrite it and keep it read-only.',
      );
    }
  });

  const journal = Journal.open(projectRoot, env);
  const entry: JournalEntry = {
    id: new Date().toISOString(),
    command,
    state: 'applying',
    files: changes.map((c, i) => {
      const target = targets[i]!;
      const record = preImage(target.real);
      return {
        ...record,
        path: c.file,
        ...(target.link !== undefined ? { link: target.link } : {}),
        ...(target.real !== c.file ? { target: target.real } : {}),
        afterSha256: sha256(Buffer.from(c.after, 'utf8')),
        after: Buffer.from(c.after, 'utf8').toString('base64'),
        afterMode: record.beforeMode ?? c.mode ?? 0o644,
      };
    }),
    createdDirs: [],
  };
  for (const target of targets) {
    const missing: string[] = [];
    for (let dir = dirname(target.real); !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
    for (const dir of missing) if (!entry.createdDirs.includes(dir)) entry.createdDirs.push(dir);
  }
  const crashAt = Number.parseInt(env[CRASH_AT] ?? '', 10);
  const steps = new Steps(Number.isFinite(crashAt) ? crashAt : null);
  const temp = new TempPlacer(tempFolders(repoRoot, stateDirFor(projectRoot, env)));
  journal.push(entry);
  steps.step(); // a crash with the journal saying `applying` and nothing written

  const written: JournalFile[] = [];
  try {
    for (const dir of entry.createdDirs) mkdirSync(dir, { recursive: true });
    changes.forEach((change, i) => {
      const record = entry.files[i]!;
      writeAtomic(writtenPath(record), change.after, record.afterMode!, temp, steps);
      written.push(record);
      steps.step(); // a crash between two files
    });
  } catch (error) {
    restore(written, temp);
    removeEmptyDirs(entry.createdDirs);
    journal.pop();
    temp.done();
    throw new UserError(`writing failed (${(error as Error).message}); every file was put back as it was`);
  }
  markApplied(entry);
  journal.save();
  temp.done();
  return { entry, journal };
}

/**
 * Ignore rules first, files holding secrets last: a run killed in between never leaves a
 * new .env that git would pick up.
 */
function inSafeOrder(changes: FileChange[]): FileChange[] {
  const rank = (file: string) => (basename(file) === '.gitignore' ? 0 : /^\.env(\..*)?$/.test(basename(file)) ? 2 : 1);
  return changes.map((change, i) => ({ change, i })).sort((a, b) => rank(a.change.file) - rank(b.change.file) || a.i - b.i).map((x) => x.change);
}

/** The entry is whole: the bytes kept to finish it are no longer needed. */
export function markApplied(entry: JournalEntry): void {
  entry.state = 'applied';
  for (const file of entry.files) {
    delete file.after;
    delete file.afterMode;
  }
}

/** Puts pre-images back (deleting files that did not exist), and links as links. */
export function restore(files: JournalFile[], temp?: TempPlacer): void {
  for (const file of [...files].reverse()) {
    const path = writtenPath(file);
    if (file.before === null) {
      if (existsSync(path)) unlinkSync(path);
    } else {
      writeAtomic(path, Buffer.from(file.before, 'base64'), file.beforeMode ?? 0o644, temp);
    }
    if (file.link !== undefined) relink(file.path, file.link);
  }
}

/** Makes `path` the link it was (something replaced it since, or it is gone). */
function relink(path: string, link: string): void {
  let now: string | null = null;
  try {
    now = lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    now = null;
  }
  if (now === link) return;
  rmSync(path, { force: true });
  symlinkSync(link, path);
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

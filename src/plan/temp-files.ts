/**
 * Where apply's temporary files go, and how our leftovers are found and removed.
 *
 * A temporary file holds the new bytes of a file (a .env holds the API key) until it is
 * renamed into place. If the process dies first, it stays. So it is made where a
 * `git add -A` cannot pick it up: inside the repository's git folder, else in our state
 * folder; only when neither is on the same file system as the target (a rename cannot
 * cross file systems) beside the target, named so that our cleanup recognises it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { isSkippedFolder } from '../discover/find-manage-py.js';

const LEFTOVER = /\.authkit-django-[0-9a-f]{8}\.tmp$/;
const TEMP_FOLDER = 'authkit-django-tmp';

export function isLeftoverName(name: string): boolean {
  return LEFTOVER.test(name);
}

/** The repository's git folder (`.git`, or where a worktree's `.git` file points). */
export function gitDir(repoRoot: string): string | null {
  const dotGit = join(repoRoot, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) return dotGit;
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!match) return null;
    return isAbsolute(match[1]!) ? match[1]! : resolve(repoRoot, match[1]!);
  } catch {
    return null;
  }
}

/** The folders our temporary files may be made in, best first (they need not exist yet). */
export function tempFolders(repoRoot: string, stateDir: string): string[] {
  const git = gitDir(repoRoot);
  return [...(git ? [join(git, TEMP_FOLDER)] : []), join(stateDir, 'tmp')];
}

function deviceOf(path: string): number | null {
  try {
    return statSync(path).dev;
  } catch {
    return null;
  }
}

/** Chooses, per target folder, where its temporary files go (null: beside the target). */
export class TempPlacer {
  private readonly chosen = new Map<string, string | null>();

  constructor(private readonly folders: string[]) {}

  folderFor(targetDir: string): string | null {
    if (this.chosen.has(targetDir)) return this.chosen.get(targetDir)!;
    const dev = deviceOf(targetDir);
    let found: string | null = null;
    for (const folder of this.folders) {
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
      } catch {
        continue;
      }
      if (dev !== null && deviceOf(folder) === dev) {
        found = folder;
        break;
      }
    }
    this.chosen.set(targetDir, found);
    return found;
  }

  /** Removes the temp folders used, when empty again: a finished run leaves no trace. */
  done(): void {
    for (const folder of new Set(this.chosen.values())) if (folder) removeIfEmpty(folder);
  }

  pathFor(file: string): string {
    const tag = `authkit-django-${randomBytes(4).toString('hex')}.tmp`;
    const folder = this.folderFor(dirname(file));
    return folder ? join(folder, `${basename(file)}.${tag}`) : join(dirname(file), `.${basename(file)}.${tag}`);
  }
}

/**
 * Removes our leftovers: everything in our temp folders, and files named like our
 * temporary files in `folders`. Call it holding the project lock (a running apply's
 * temporary files look the same). Returns what was removed.
 */
export function removeLeftovers(temp: string[], folders: Iterable<string>): string[] {
  const removed: string[] = [];
  const remove = (file: string) => {
    try {
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // Not ours to force: doctor reports what stays.
    }
  };
  for (const folder of temp) {
    for (const name of list(folder)) if (isLeftoverName(name)) remove(join(folder, name));
    removeIfEmpty(folder);
  }
  for (const folder of new Set(folders)) for (const name of list(folder)) if (isLeftoverName(name)) remove(join(folder, name));
  return removed;
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty (another file is on its way) or gone.
  }
}

function list(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** Every file in the repository named like our temporary files (for doctor), bounded in depth. */
export function findLeftovers(repoRoot: string, maxDepth = 8): string[] {
  const found: string[] = [];
  let level = [repoRoot];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isFile() && isLeftoverName(entry.name)) found.push(join(dir, entry.name));
        else if (entry.isDirectory() && !isSkippedFolder(entry.name)) next.push(join(dir, entry.name));
      }
    }
    level = next;
  }
  return found.sort();
}

/**
 * The journal: pre-images of every file an apply is about to touch, written before the
 * first file changes, so that `undo` restores bytes exactly and a crash mid-apply leaves
 * a state that can be recovered. It lives outside the project (the user's state folder),
 * so that applying and undoing leave no trace in the repository.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { EXIT, UserError } from '../util/errors.js';

export interface JournalFile {
  /** The path the plan named (for a symbolic link: the link itself). */
  path: string;
  /**
   * For a symbolic link: what the link says (readlink), so undo can put the link back as
   * a link; the bytes were written to `target`.
   */
  link?: string;
  /** The real file written, when it is not `path` (the target of a link). */
  target?: string;
  /** Base64 of the bytes before; null when the file did not exist. */
  before: string | null;
  beforeMode: number | null;
  /** sha256 of the bytes after; null until known (a package manager's files before it runs). */
  afterSha256: string | null;
  /**
   * Base64 of the bytes to write, kept only while the entry is `applying`: an interrupted
   * apply can then be finished, not only rolled back.
   */
  after?: string;
  /** The mode the file is written with (with `after`, to finish an interrupted apply). */
  afterMode?: number;
}

/** The file whose bytes an entry's record describes (a link's target, else the path). */
export function writtenPath(file: JournalFile): string {
  return file.target ?? file.path;
}

export interface JournalEntry {
  id: string;
  command: string;
  /** `applying` until every file is written: an entry left in that state means a crash. */
  state: 'applying' | 'applied';
  files: JournalFile[];
  /** Folders created for new files, deepest last; removed on undo when empty. */
  createdDirs: string[];
}

interface JournalData {
  version: 1;
  project: string;
  entries: JournalEntry[];
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The folder that holds this project's journal. */
export function stateDirFor(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.AUTHKIT_DJANGO_STATE_DIR ??
    join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'authkit-django');
  let real = projectRoot;
  try {
    real = realpathSync(projectRoot);
  } catch {
    // Keep the path as given: the project may be gone, which undo reports itself.
  }
  const slug = basename(real).replace(/[^\w.-]/g, '_') || 'project';
  return join(base, 'projects', `${slug}-${sha256(real).slice(0, 12)}`);
}

export class Journal {
  private constructor(
    private readonly file: string,
    private data: JournalData,
  ) {}

  static open(projectRoot: string, env?: NodeJS.ProcessEnv): Journal {
    const dir = stateDirFor(projectRoot, env);
    const file = join(dir, 'journal.json');
    let data: JournalData = { version: 1, project: projectRoot, entries: [] };
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as JournalData;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new UserError(
          `the undo journal ${file} cannot be read (${(error as Error).message}); nothing was written`,
          EXIT.error,
          'Move that file away to start a new journal (authkit-django then cannot undo its earlier runs).',
        );
      }
    }
    return new Journal(file, data);
  }

  get path(): string {
    return this.file;
  }

  get entries(): readonly JournalEntry[] {
    return this.data.entries;
  }

  last(): JournalEntry | undefined {
    return this.data.entries[this.data.entries.length - 1];
  }

  push(entry: JournalEntry): void {
    this.data.entries.push(entry);
    this.save();
  }

  pop(): void {
    this.data.entries.pop();
    this.save();
  }

  /** Writes the journal atomically, readable by the user only (pre-images may hold secrets). */
  save(): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    // On disk before the rename, and the rename on disk before any project file changes:
    // after a power cut the journal is either the old one or the new one, whole.
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}

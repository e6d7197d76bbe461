import { LineMap } from './line-map.js';
import type { FileChange } from './types.js';
import { readUtf8IfExists } from '../util/files.js';

/**
 * Planned file contents, in memory. Steps read what earlier steps planned (so several
 * edits to one settings file compose) and the final difference against the disk is
 * the plan's file list.
 */
export class Workspace {
  private readonly original = new Map<string, string | null>();
  private readonly planned = new Map<string, string>();
  private readonly modes = new Map<string, number>();
  private readonly lineMaps = new Map<string, LineMap>();

  /** The planned content of `file`, or what is on disk, or null when it does not exist. */
  read(file: string): string | null {
    if (this.planned.has(file)) return this.planned.get(file)!;
    return this.originalOf(file);
  }

  /** What the disk held before any step ran. */
  originalOf(file: string): string | null {
    if (!this.original.has(file)) this.original.set(file, readUtf8IfExists(file));
    return this.original.get(file)!;
  }

  write(file: string, content: string, mode?: number): void {
    const previous = this.read(file);
    if (previous !== null) {
      let map = this.lineMaps.get(file);
      if (!map) this.lineMaps.set(file, (map = new LineMap()));
      map.record(previous, content);
    }
    this.planned.set(file, content);
    if (mode !== undefined) this.modes.set(file, mode);
  }

  /**
   * The line on disk that holds what is at `line` (1-based) of the planned text: a
   * manual step names the line the user sees in the file now, not one shifted by the
   * edits planned above it. Lines the plan adds map to the line they follow.
   */
  lineOnDisk(file: string, line: number): number {
    const planned = this.read(file);
    const original = this.originalOf(file);
    if (planned === null || original === null || planned === original) return line;
    return this.lineMaps.get(file)?.lineBefore(line) ?? line;
  }

  /** Every file whose planned content differs from the disk, in the order first written. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [file, after] of this.planned) {
      const before = this.original.get(file) ?? null;
      if (before === after) continue;
      out.push({ file, before, after, ...(this.modes.has(file) ? { mode: this.modes.get(file)! } : {}) });
    }
    return out;
  }
}

/**
 * The project as it would be after the plan, without touching the project: a folder under
 * the system temp folder where every planned file is written and everything else is a
 * symlink to the original. Only the folders on the way to a planned file are real
 * folders, so building it costs a few syscalls per planned file, however big the project.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { FileChange } from '../plan/types.js';

export interface Mirror {
  /** The folder that stands for `root`. */
  dir: string;
  /** The original folder it mirrors (the common ancestor of the project and the planned files). */
  root: string;
  /** Where `path` (under root) is in the mirror. */
  map(path: string): string;
  remove(): void;
}

function commonAncestor(paths: string[]): string {
  let common = paths[0]!;
  for (const path of paths.slice(1)) {
    while (!(path === common || path.startsWith(common.endsWith(sep) ? common : common + sep))) common = dirname(common);
  }
  return common;
}

/** `alsoUnder`: folders the project reads from that the mirror must hold too (the .env's). */
export function buildMirror(projectRoot: string, changes: readonly FileChange[], alsoUnder: readonly string[] = []): Mirror {
  const root = commonAncestor([projectRoot, ...alsoUnder, ...changes.map((c) => dirname(c.file))]);
  const base = mkdtempSync(join(tmpdir(), 'authkit-invariant-'));
  const dir = join(base, 'p');
  const planned = new Map(changes.map((c) => [c.file, c.after]));
  // Every folder that holds a planned file, and their parents up to root: made for real.
  const realDirs = new Set<string>([root]);
  for (const file of planned.keys()) {
    for (let d = dirname(file); d.length >= root.length; d = dirname(d)) {
      realDirs.add(d);
      if (d === root) break;
    }
  }
  const map = (path: string): string => join(dir, relative(root, path));
  for (const real of [...realDirs].sort((a, b) => a.length - b.length)) {
    const target = map(real);
    mkdirSync(target, { recursive: true });
    if (!existsSync(real)) continue;
    for (const entry of readdirSync(real)) {
      const path = join(real, entry);
      if (realDirs.has(path) || planned.has(path)) continue;
      symlinkSync(path, join(target, entry));
    }
  }
  for (const [file, content] of planned) writeFileSync(map(file), content);
  return {
    dir,
    root,
    map,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

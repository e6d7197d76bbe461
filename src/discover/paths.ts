/** Folder arithmetic shared by the discovery steps that walk up from manage.py. */
import { dirname, sep } from 'node:path';

/** True when `inner` is `outer` or inside it. */
export function isInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** `from`, then each folder above it up to and including `to` (just `from` when `to` is not above it). */
export function foldersUp(from: string, to: string): string[] {
  const out = [from];
  let dir = from;
  while (dir !== to && isInside(dir, to)) {
    const parent = dirname(dir);
    if (parent === dir) break;
    out.push(parent);
    dir = parent;
  }
  return out;
}

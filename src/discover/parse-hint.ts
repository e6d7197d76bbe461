/**
 * The size of the largest Python file near manage.py, told to the parser before its
 * first parse (see expectPythonSource): the settings and urls modules of the layouts we
 * know sit in manage.py's folder, a package below it, or a settings package below that.
 * A guess for speed only; whatever it says, every file parses the same.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceCache } from './source-cache.js';

const DEPTH = 2;
/** Folders listed at most: a hint must not cost more than it can save. */
const MAX_FOLDERS = 200;

export function largestPythonNear(cache: SourceCache, projectRoot: string): number {
  let largest = 0;
  let listed = 0;
  const visit = (dir: string, depth: number): void => {
    if (listed++ >= MAX_FOLDERS) return;
    for (const entry of cache.list(dir)) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === '__pycache__') continue;
      const path = join(dir, entry.name);
      if (entry.isFile() && entry.name.endsWith('.py')) {
        try {
          largest = Math.max(largest, statSync(path).size);
        } catch {
          // Unreadable here is reported where the file is read, if it is.
        }
      } else if (entry.isDirectory() && depth < DEPTH) {
        visit(path, depth + 1);
      }
    }
  };
  visit(projectRoot, 0);
  return largest;
}

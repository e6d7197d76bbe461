/**
 * Maps Python module names to files the way Django's import would, without running
 * Python: a package (`a/b/__init__.py`) wins over a module (`a/b.py`), and a folder
 * without `__init__.py` holds no code of its own.
 */
import { dirname, join } from 'node:path';
import type { SourceCache } from './source-cache.js';

/** The file of a dotted module under one of the import roots, or null. */
export function resolveModule(cache: SourceCache, dotted: string, roots: string[]): string | null {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(dotted)) return null;
  const parts = dotted.split('.');
  for (const root of roots) {
    const file = resolveParts(cache, root, parts);
    if (file) return file;
  }
  return null;
}

/**
 * The file an import in `fromFile` names: `.base` and `..conf.settings` relative to
 * the importing file's package, anything else absolute under the roots.
 */
export function resolveImport(cache: SourceCache, fromFile: string, spec: string, roots: string[]): string | null {
  const dots = /^\.*/.exec(spec)![0].length;
  if (dots === 0) return resolveModule(cache, spec, roots);
  let base = dirname(fromFile);
  for (let i = 1; i < dots; i++) base = dirname(base);
  const rest = spec.slice(dots);
  if (rest === '') return cache.isFile(join(base, '__init__.py')) ? join(base, '__init__.py') : null;
  return resolveParts(cache, base, rest.split('.'));
}

function resolveParts(cache: SourceCache, root: string, parts: string[]): string | null {
  const path = join(root, ...parts);
  const init = join(path, '__init__.py');
  if (cache.isFile(init)) return init;
  if (cache.isFile(`${path}.py`)) return `${path}.py`;
  return null;
}

/** True when the file is a package's `__init__.py`. */
export function isPackageInit(file: string): boolean {
  return /[\\/]__init__\.py$/.test(file);
}

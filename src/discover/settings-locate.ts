/**
 * Finds the settings module's file, and the file that defines INSTALLED_APPS when the
 * module Django loads does not lead there statically (no DJANGO_SETTINGS_MODULE named
 * anywhere, or a settings package that picks its module at run time). A folder named
 * `settings` that does not define INSTALLED_APPS (an app, a folder of YAML) is a decoy.
 */
import { basename, dirname, join, relative } from 'node:path';
import { isSkippedFolder } from './find-manage-py.js';
import { isPackageInit } from './python-modules.js';
import type { SourceCache } from './source-cache.js';

const DEFINES_INSTALLED_APPS = /^INSTALLED_APPS\s*(?::[^=\n]*)?=(?!=)/m;

/** Names that base settings modules go by, best first. */
const BASE_NAMES = ['base', 'common', 'core', 'default', 'defaults', 'shared', 'settings', 'main'];

export function definesInstalledApps(cache: SourceCache, file: string): boolean {
  const text = cache.read(file);
  return text.ok && DEFINES_INSTALLED_APPS.test(text.text);
}

/**
 * The best file defining INSTALLED_APPS among `files`: base-like names first, then the
 * one the others star-import the most, then by path.
 */
export function pickBaseSettings(cache: SourceCache, files: string[]): string | null {
  const defining = files.filter((f) => definesInstalledApps(cache, f));
  if (defining.length === 0) return null;
  const score = (file: string): number => {
    const stem = isPackageInit(file) ? 'settings' : basename(file, '.py');
    const index = BASE_NAMES.indexOf(stem);
    return index < 0 ? BASE_NAMES.length : index;
  };
  const importedBy = (file: string): number => {
    const stem = basename(file, '.py');
    return files.filter((other) => {
      const text = cache.read(other);
      return other !== file && text.ok && new RegExp(`^\\s*from\\s+\\S*\\.?${stem}\\s+import\\s+\\*`, 'm').test(text.text);
    }).length;
  };
  return [...defining].sort((a, b) => score(a) - score(b) || importedBy(b) - importedBy(a) || (a < b ? -1 : 1))[0]!;
}

/** The .py files of a settings package (the folder of `loadedFile` when it is a package). */
export function settingsPackageFiles(cache: SourceCache, loadedFile: string): string[] {
  const dir = dirname(loadedFile);
  if (!isPackageInit(loadedFile) && !cache.isFile(join(dir, '__init__.py'))) return [loadedFile];
  return cache
    .list(dir)
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => join(dir, e.name))
    .sort();
}

export interface FoundSettings {
  module: string;
  file: string;
}

/**
 * Settings modules that define INSTALLED_APPS below the project root (a `settings.py`,
 * or a module of a `settings/` package), shallowest first. Used only when nothing names
 * DJANGO_SETTINGS_MODULE.
 */
export function searchSettingsModules(cache: SourceCache, projectRoot: string, maxDepth = 3): FoundSettings[] {
  const found: FoundSettings[] = [];
  let level = [projectRoot];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = cache.list(dir);
      if (depth > 0 && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isFile() && entry.name === 'settings.py' && definesInstalledApps(cache, path)) {
          found.push({ module: moduleName(projectRoot, path), file: path });
        } else if (entry.isDirectory() && !isSkippedFolder(entry.name)) {
          if (entry.name === 'settings' && cache.isFile(join(path, '__init__.py'))) {
            const base = pickBaseSettings(cache, settingsPackageFiles(cache, join(path, '__init__.py')));
            if (base) found.push({ module: moduleName(projectRoot, base), file: base });
          }
          next.push(path);
        }
      }
    }
    level = next.sort();
  }
  return found;
}

function moduleName(root: string, file: string): string {
  const parts = relative(root, file).replace(/\.py$/, '').split(/[\\/]/);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
}

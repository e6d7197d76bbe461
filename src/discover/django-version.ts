/**
 * The Django version the project gets: read from the virtualenv's site-packages when
 * there is one (no process started), else asked of the interpreter once with a time
 * limit, else the pin in the dependency files (lockfiles first: they are exact).
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { findSection, keyValue, sections, stringArray } from './config-text.js';
import type { DjangoInfo, PackageManagerInfo, PythonInfo } from './model.js';
import { baseRequirements } from './package-manager.js';
import { foldersUp } from './paths.js';
import type { SourceCache } from './source-cache.js';

const PROBE_TIMEOUT_MS = 3000;

/** Django's version in a virtualenv, from the dist-info folder name (or django/__init__.py's VERSION). */
export function installedDjangoVersion(cache: SourceCache, venv: string): string | null {
  for (const site of sitePackages(cache, venv)) {
    const infos = cache
      .list(site)
      .map((e) => /^django-([^-]+)\.dist-info$/i.exec(e.name)?.[1])
      .filter((v): v is string => !!v);
    if (infos.length === 1) return infos[0]!;
    const init = join(site, 'django', '__init__.py');
    if (cache.isFile(init)) {
      const fromTuple = versionFromTuple(cache.text(init) ?? '');
      if (fromTuple) return fromTuple;
    }
  }
  return null;
}

function sitePackages(cache: SourceCache, venv: string): string[] {
  const windowsSite = join(venv, 'Lib', 'site-packages');
  if (process.platform === 'win32') return cache.isDir(windowsSite) ? [windowsSite] : [];
  const out: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    for (const entry of cache.list(join(venv, lib))) {
      if (entry.name.startsWith('python') && cache.isDir(join(venv, lib, entry.name, 'site-packages'))) {
        out.push(join(venv, lib, entry.name, 'site-packages'));
      }
    }
  }
  return out.sort().reverse();
}

/** `VERSION = (5, 2, 19, "final", 0)` -> "5.2.19", the way django.get_version() prints it. */
export function versionFromTuple(text: string): string | null {
  const m = /^VERSION\s*=\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*["'](\w+)["']\s*,\s*(\d+)\s*\)/m.exec(text);
  if (!m) return null;
  const [, major, minor, micro, level, serial] = m;
  const main = micro === '0' ? `${major}.${minor}` : `${major}.${minor}.${micro}`;
  const suffix: Record<string, string> = { alpha: 'a', beta: 'b', rc: 'rc' };
  if (level === 'final') return main;
  return level! in suffix ? `${main}${suffix[level!]}${serial}` : main;
}

/**
 * Asks the interpreter (a file path, never `uv run` or `poetry run`, which may create
 * environments). Resolves to null on any failure or after the time limit.
 */
export function probeDjangoVersion(python: PythonInfo, cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const [interpreter, ...rest] = python.command;
  if (!interpreter || rest.length > 0 || !python.exists) return Promise.resolve(null);
  const code =
    "import sys; sys.path = [p for p in sys.path if p not in ('', '.')]\n" +
    'import django; print(django.get_version())';
  return new Promise((resolvePromise) => {
    execFile(
      interpreter,
      ['-B', '-c', code],
      { cwd, env: { ...env, PYTHONDONTWRITEBYTECODE: '1' }, timeout: PROBE_TIMEOUT_MS, windowsHide: true },
      (error, stdout) => {
        const version = stdout?.toString().trim() ?? '';
        resolvePromise(!error && /^\d+\.\d+/.test(version) ? version : null);
      },
    );
  });
}

export interface PinnedVersion {
  version: string;
  file: string;
}

/** The pinned version from lockfiles, else the requirement as written in the dependency files. */
export function pinnedDjangoVersion(
  cache: SourceCache,
  projectRoot: string,
  repoRoot: string,
  packageManager: PackageManagerInfo,
): PinnedVersion | null {
  const folders = foldersUp(projectRoot, repoRoot);
  if (!folders.includes(packageManager.root)) folders.push(packageManager.root);
  for (const dir of folders) {
    for (const name of ['uv.lock', 'poetry.lock']) {
      const found = fromLock(cache, join(dir, name));
      if (found) return found;
    }
    const pipfileLock = fromPipfileLock(cache, join(dir, 'Pipfile.lock'));
    if (pipfileLock) return pipfileLock;
  }
  for (const dir of folders) {
    const found =
      fromPyproject(cache, join(dir, 'pyproject.toml')) ??
      fromPipfile(cache, join(dir, 'Pipfile')) ??
      fromRequirements(cache, join(dir, 'requirements.txt'), 0) ??
      fromRequirementsFolder(cache, join(dir, 'requirements'));
    if (found) return found;
  }
  return null;
}

function textOf(cache: SourceCache, file: string): string | null {
  return cache.isFile(file) ? cache.text(file) : null;
}

function fromLock(cache: SourceCache, file: string): PinnedVersion | null {
  const text = textOf(cache, file);
  if (!text) return null;
  for (const section of sections(text)) {
    if (section.name !== '[package]') continue;
    if (keyValue(section.body, 'name')?.toLowerCase() !== 'django') continue;
    const version = keyValue(section.body, 'version');
    if (version) return { version, file };
  }
  return null;
}

function fromPipfileLock(cache: SourceCache, file: string): PinnedVersion | null {
  const text = textOf(cache, file);
  if (!text) return null;
  try {
    const lock = JSON.parse(text) as { default?: Record<string, { version?: string }> };
    const entry = Object.entries(lock.default ?? {}).find(([name]) => name.toLowerCase() === 'django')?.[1];
    return entry?.version ? { version: cleanSpec(entry.version), file } : null;
  } catch {
    return null;
  }
}

function fromPyproject(cache: SourceCache, file: string): PinnedVersion | null {
  const text = textOf(cache, file);
  if (!text) return null;
  const project = findSection(text, 'project');
  for (const requirement of (project && stringArray(project.body, 'dependencies')) ?? []) {
    const spec = djangoRequirement(requirement);
    if (spec) return { version: spec, file };
  }
  const poetry = findSection(text, 'tool.poetry.dependencies');
  const raw = poetry ? (keyValue(poetry.body, 'django') ?? keyValue(poetry.body, 'Django')) : null;
  const spec = raw ? poetrySpec(raw) : null;
  return spec ? { version: spec, file } : null;
}

function fromPipfile(cache: SourceCache, file: string): PinnedVersion | null {
  const text = textOf(cache, file);
  const packages = text ? findSection(text, 'packages') : undefined;
  const raw = packages ? (keyValue(packages.body, 'django') ?? keyValue(packages.body, 'Django')) : null;
  const spec = raw ? poetrySpec(raw) : null;
  return spec ? { version: spec, file } : null;
}

function fromRequirements(cache: SourceCache, file: string, depth: number): PinnedVersion | null {
  const text = textOf(cache, file);
  if (!text || depth > 3) return null;
  const included: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const include = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      included.push(join(dirname(file), include[1]!));
      continue;
    }
    const spec = djangoRequirement(line);
    if (spec) return { version: spec, file };
  }
  for (const other of included) {
    const found = fromRequirements(cache, other, depth + 1);
    if (found) return found;
  }
  return null;
}

function fromRequirementsFolder(cache: SourceCache, folder: string): PinnedVersion | null {
  const base = cache.isDir(folder) ? baseRequirements(cache, folder) : null;
  return base ? fromRequirements(cache, base, 0) : null;
}

/** `Django[argon2]>=4.2,<5 ; python_version>"3.8"` -> `>=4.2,<5`; `django==5.2.1` -> `5.2.1`. */
export function djangoRequirement(requirement: string): string | null {
  const m = /^\s*django\s*(?:\[[^\]]*\])?\s*((?:[<>=!~]=?|===)[^;#]*)?\s*(?:;.*)?$/i.exec(requirement);
  if (!m) return null;
  const spec = (m[1] ?? '').replace(/\s+/g, '');
  return spec ? cleanSpec(spec) : null;
}

/** Poetry / Pipfile values: `"^4.2"`, `{version = "^4.2", extras = [...]}`, `"*"`. */
function poetrySpec(raw: string): string | null {
  const inTable = /version\s*=\s*["']([^"']+)["']/.exec(raw);
  const spec = (inTable ? inTable[1]! : raw).trim().replace(/^["']|["']$/g, '');
  if (!spec || spec === '*' || spec.startsWith('{')) return null;
  return cleanSpec(spec);
}

function cleanSpec(spec: string): string {
  return /^===?\s*[\w.]+$/.test(spec) ? spec.replace(/^===?\s*/, '') : spec;
}

export function djangoInfo(version: string | null, source: DjangoInfo['source'], file?: string): DjangoInfo | null {
  if (!version) return null;
  return file ? { version, source, file } : { version, source };
}

/**
 * The oldest Django the generated code runs on. Its views use `url_has_allowed_host_and_scheme`
 * (3.0+) and the settings edits nothing newer; 4.2 is the oldest line the suite runs, so it is
 * the floor we promise (README, Requirements).
 */
export const MIN_DJANGO = '4.2';

/** Numeric release parts of a version (`4.2.30` -> [4, 2, 30]; `5.0rc1` -> [5, 0]). */
export function releaseParts(version: string): number[] {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  return m ? m[1]!.split('.').map(Number) : [];
}

/** <0, 0 or >0 as a is older than, the same release as, or newer than b (missing parts count as 0). */
export function compareReleases(a: string, b: string): number {
  const x = releaseParts(a);
  const y = releaseParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The newest Django a version or a requirement allows, when that is older than MIN_DJANGO:
 * an exact version (`3.2.25`), `==3.2.*`, `~=3.2`, or an upper bound (`<4`, `<=4.1.9`).
 * Null when the version is supported or the requirement allows a supported one.
 */
export function unsupportedDjango(version: string): string | null {
  const spec = version.replace(/\s+/g, '');
  if (/^\d+(\.\d+)*$/.test(spec)) return compareReleases(spec, MIN_DJANGO) < 0 ? spec : null;
  for (const clause of spec.split(',')) {
    const wildcard = /^==(\d+(?:\.\d+)*)\.\*$/.exec(clause);
    const exact = /^===?(\d+(?:\.\d+)*)$/.exec(clause);
    const compatible = /^~=(\d+(?:\.\d+)*)$/.exec(clause);
    const below = /^<(\d+(?:\.\d+)*)$/.exec(clause);
    const atMost = /^<=(\d+(?:\.\d+)*)$/.exec(clause);
    if (exact && compareReleases(exact[1]!, MIN_DJANGO) < 0) return exact[1]!;
    if (wildcard && compareReleases(wildcard[1]!, MIN_DJANGO) < 0 && !MIN_DJANGO.startsWith(`${wildcard[1]}.`)) return `${wildcard[1]}.*`;
    if (compatible) {
      // ~=3.2 allows 3.x from 3.2 on; ~=3.2.1 allows 3.2.x.
      const parts = releaseParts(compatible[1]!);
      const newest = parts.length > 1 ? parts.slice(0, -1) : parts;
      const floor = releaseParts(MIN_DJANGO).slice(0, newest.length);
      if (compareReleases(newest.join('.'), floor.join('.')) < 0) return `${clause}`;
    }
    if (below && compareReleases(below[1]!, MIN_DJANGO) <= 0) return clause;
    if (atMost && compareReleases(atMost[1]!, MIN_DJANGO) < 0) return clause;
  }
  return null;
}

/** One sentence for a project on a Django older than MIN_DJANGO, or null when it is supported or unknown. */
export function unsupportedDjangoMessage(django: DjangoInfo | null, display: (file: string) => string): string | null {
  if (!django) return null;
  const found = unsupportedDjango(django.version);
  if (!found) return null;
  const where = django.source === 'installed' ? 'installed' : `required${django.file ? ` in ${display(django.file)}` : ''}`;
  return `this project uses Django ${found} (${where}), and authkit-django supports Django ${MIN_DJANGO} and later: upgrade Django first; nothing was written.`;
}

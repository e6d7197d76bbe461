/**
 * Finds WorkOS's API emulator: the `workos/emulate` export of WorkOS's CLI package on
 * npm. It is about 320 MB with its dependencies, so authkit-django does not depend on
 * it; it is looked up, in order, next to authkit-django itself (a development checkout,
 * or a project that installed both), in authkit-django's own cache folder (where it
 * installs the emulator when asked, so the project gets no node_modules/), in the Django
 * project's node_modules, and in the global npm folder. When none has it, the error names
 * the command that gets it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT, UserError } from '../util/errors.js';
import { packagePath, packageRoot } from '../util/package-root.js';
import type { EmulatorSeed } from './emulator-seed.js';

export const EMULATOR_PACKAGE = 'workos';
/** The version authkit-django is tested with (its devDependency); messages recommend it. */
const FALLBACK_VERSION = '0.14.0';
/** What the emulator's package declares (engines.node); used before one is found. */
const MINIMUM_NODE = '>=20.20';

export interface EmulatorSeedUser {
  email: string;
  first_name?: string;
  last_name?: string;
  password?: string;
  email_verified?: boolean;
  /** Signs this user in as impersonated by that admin (the emulator answers it with each authentication). */
  impersonator?: { email: string; reason?: string | null };
}

export interface EmulatorInstance {
  url: string;
  port: number;
  apiKey: string;
  close(): Promise<void>;
  reset(): void;
}

export type CreateEmulator = (options: { port?: number; seed?: EmulatorSeed }) => Promise<EmulatorInstance>;

export type EmulatorSource = 'authkit-django' | 'cache' | 'project' | 'global';

export interface LoadedEmulator {
  createEmulator: CreateEmulator;
  /** The workos package's version. */
  version: string;
  /** The folder of the workos package that was loaded. */
  packageDir: string;
  source: EmulatorSource;
}

export interface EmulatorSearch {
  /** Where authkit-django is installed (default: this package). */
  ownRoot?: string;
  /** The Django project's folder: its node_modules and those above it are searched. */
  projectRoot?: string;
  /** authkit-django's cache folder; null to skip; default: emulatorCacheDir(env). */
  cacheDir?: string | null;
  /** The global node_modules folder; null to skip; default: `npm root -g`. */
  globalRoot?: string | null;
  /** The running Node's version (tests pass an old one). */
  nodeVersion?: string;
  env?: NodeJS.ProcessEnv;
}

/** The emulator cannot be used: the message says why and how to fix it. Exit code 1. */
export class EmulatorUnavailable extends UserError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.error, hint);
    this.name = 'EmulatorUnavailable';
  }
}

/** The workos version this authkit-django was tested with, read from its package.json. */
export function testedEmulatorVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    const pinned = pkg.devDependencies?.[EMULATOR_PACKAGE];
    return pinned && /^\d+\.\d+\.\d+$/.test(pinned) ? pinned : FALLBACK_VERSION;
  } catch {
    return FALLBACK_VERSION;
  }
}

/**
 * Where authkit-django installs the emulator: `$AUTHKIT_DJANGO_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/authkit-django`, else `~/.cache/authkit-django`; then `emulator/`.
 * Outside every project, so no project gets an unignored node_modules/.
 */
export function emulatorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.AUTHKIT_DJANGO_CACHE_DIR || join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'authkit-django');
  return join(base, 'emulator');
}

/** The commands that make the emulator available, for messages. */
export function installAdvice(_projectRoot: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const spec = `${EMULATOR_PACKAGE}@${testedEmulatorVersion()}`;
  const cache = emulatorCacheDir(env);
  return (
    `Get WorkOS's emulator (npm package ${spec}, about 320 MB, Node >= 20.20) into authkit-django's cache folder,\n` +
    `outside the project, by answering yes when asked at a terminal, by adding --yes, or with:\n` +
    `  npm install --prefix ${quoteForShell(cache)} --no-save --no-audit --no-fund ${spec}\n` +
    `or once for every project with:\n` +
    `  npm install --global ${spec}`
  );
}

function quoteForShell(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

interface PackageJson {
  version?: string;
  engines?: { node?: string };
  exports?: Record<string, unknown>;
}

function readPackage(dir: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

/** node_modules/workos in `start` or any folder above it (Node's own lookup order). */
function findInNodeModules(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'node_modules', EMULATOR_PACKAGE);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function npmGlobalRoot(env: NodeJS.ProcessEnv): string | null {
  const run = spawnSync('npm', ['root', '--global'], { env, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  const out = run.status === 0 ? run.stdout.trim() : '';
  if (out) return out;
  // npm not on PATH: the usual place next to this Node.
  return join(dirname(dirname(process.execPath)), 'lib', 'node_modules');
}

/** The file the `./emulate` export points to for `import`, or null when there is none. */
function emulateEntry(pkg: PackageJson): string | null {
  const target = pkg.exports?.['./emulate'];
  if (typeof target === 'string') return target;
  if (target && typeof target === 'object') {
    const conditions = target as Record<string, unknown>;
    for (const key of ['import', 'node', 'default']) {
      if (typeof conditions[key] === 'string') return conditions[key] as string;
    }
  }
  return null;
}

/** `>=20.20`-style ranges: the only kind the emulator's package has declared. */
export function satisfiesMinimum(version: string, range: string): boolean {
  const minimum = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (!minimum) return true; // a range this cannot read is left to the import to judge
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!have) return true;
  const want = [Number(minimum[1]), Number(minimum[2] ?? 0), Number(minimum[3] ?? 0)];
  const got = [Number(have[1]), Number(have[2]), Number(have[3])];
  for (let i = 0; i < 3; i++) {
    if (got[i]! !== want[i]!) return got[i]! > want[i]!;
  }
  return true;
}

interface Candidate {
  dir: string;
  source: EmulatorSource;
}

export async function loadEmulator(search: EmulatorSearch = {}): Promise<LoadedEmulator> {
  const env = search.env ?? process.env;
  const nodeVersion = search.nodeVersion ?? process.versions.node;
  const skipped: string[] = [];
  const seen = new Set<string>();

  const candidates: (() => Candidate | null)[] = [
    () => {
      const dir = findInNodeModules(search.ownRoot ?? packageRoot);
      return dir ? { dir, source: 'authkit-django' } : null;
    },
    () => {
      const cache = search.cacheDir === undefined ? emulatorCacheDir(env) : search.cacheDir;
      if (!cache) return null;
      const dir = join(cache, 'node_modules', EMULATOR_PACKAGE);
      return existsSync(join(dir, 'package.json')) ? { dir, source: 'cache' } : null;
    },
    () => {
      if (!search.projectRoot) return null;
      const dir = findInNodeModules(search.projectRoot);
      return dir ? { dir, source: 'project' } : null;
    },
    () => {
      const root = search.globalRoot === undefined ? npmGlobalRoot(env) : search.globalRoot;
      if (!root) return null;
      const dir = join(root, EMULATOR_PACKAGE);
      return existsSync(join(dir, 'package.json')) ? { dir, source: 'global' } : null;
    },
  ];

  for (const next of candidates) {
    const candidate = next();
    if (!candidate || seen.has(candidate.dir)) continue;
    seen.add(candidate.dir);
    const pkg = readPackage(candidate.dir);
    const entry = pkg ? emulateEntry(pkg) : null;
    if (!pkg || !entry) {
      skipped.push(`${candidate.dir} (workos ${pkg?.version ?? '?'}) has no emulator export`);
      continue;
    }
    const required = pkg.engines?.node;
    if (required && !satisfiesMinimum(nodeVersion, required)) {
      throw new EmulatorUnavailable(
        `WorkOS's emulator (workos ${pkg.version ?? '?'} at ${candidate.dir}) needs Node ${required.trim()}; this is Node ${nodeVersion} (${process.execPath}).`,
        'Install a newer Node (20.20 or later, or 22), then run the command again.',
      );
    }
    let module: { createEmulator?: unknown };
    try {
      module = (await import(pathToFileURL(join(candidate.dir, entry)).href)) as { createEmulator?: unknown };
    } catch (error) {
      skipped.push(`${candidate.dir} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    if (typeof module.createEmulator !== 'function') {
      skipped.push(`${candidate.dir} does not export createEmulator`);
      continue;
    }
    return {
      createEmulator: module.createEmulator as CreateEmulator,
      version: pkg.version ?? 'unknown',
      packageDir: candidate.dir,
      source: candidate.source,
    };
  }

  const looked = ['next to authkit-django', "in authkit-django's cache folder", ...(search.projectRoot ? ['in the project\'s node_modules'] : []), 'in the global npm folder'];
  const notes = skipped.length > 0 ? `\nFound but not usable:\n${skipped.map((s) => `  ${s}`).join('\n')}` : '';
  const oldNode = satisfiesMinimum(nodeVersion, MINIMUM_NODE) ? '' : ` It also needs Node ${MINIMUM_NODE}; this is Node ${nodeVersion}: upgrade Node first.`;
  throw new EmulatorUnavailable(
    `WorkOS's emulator is not installed: no npm package "${EMULATOR_PACKAGE}" with the "${EMULATOR_PACKAGE}/emulate" export was found ${looked.join(', ')}.${oldNode}${notes}`,
    installAdvice(search.projectRoot, env),
  );
}

/**
 * Which .env file gets the WorkOS keys, and how the settings read the environment.
 *
 * A secret never goes into a file git tracks, and the file we make the settings load must
 * hold nothing but our keys when the settings did not load it before (loading a .env with
 * DEBUG or SECRET_KEY in it would change those settings). In either case the keys go into
 * `.env.workos` beside it, untracked, ignored, and loaded on its own.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readConfig, type ConfigReading, type EnvLoader } from '../discover/config-library.js';
import { DEDICATED_ENV } from '../discover/env-file.js';
export { DEDICATED_ENV };
import type { PlanContext } from './context.js';
import { parseDotenv } from './dotenv-file.js';
import { gitTracks } from './gitignore.js';

const OURS = new Set(['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'DJANGO_SETTINGS_MODULE']);

const readings = new WeakMap<object, ConfigReading>();
const targets = new WeakMap<object, { file: string; why: string | null }>();

/** The configuration library and .env loaders of the settings chain (as planned so far). */
export function configReading(ctx: PlanContext): ConfigReading {
  const known = readings.get(ctx.workspace);
  if (known) return known;
  const files = ctx.model.settingsFiles
    .map((file) => ({ file, text: ctx.workspace.read(file) }))
    .filter((f): f is { file: string; text: string } => f.text !== null);
  const reading = readConfig(
    files,
    (file) => ctx.model.settingsIncludedBy[file] ?? file,
    ctx.model.projectRoot,
    (path) => ctx.workspace.read(path) !== null || existsSync(path),
  );
  readings.set(ctx.workspace, reading);
  return reading;
}

/** The project's own .env loaders, read from the settings as they were before our edits. */
function originalLoaders(ctx: PlanContext): EnvLoader[] {
  return readConfig(
    ctx.model.settingsFiles.map((f) => ({ file: f, text: ctx.workspace.originalOf(f) ?? '' })),
    (f) => ctx.model.settingsIncludedBy[f] ?? f,
    ctx.model.projectRoot,
    existsSync,
  ).loaders;
}

/** The file the keys go into, and why it is not the project's .env (null when it is). */
export function envTarget(ctx: PlanContext): { file: string; why: string | null } {
  const known = targets.get(ctx.workspace);
  if (known) return known;
  const file = ctx.model.env.file;
  const dedicated = join(dirname(file), DEDICATED_ENV);
  let result: { file: string; why: string | null } = { file, why: null };
  // Read without the planned edits: whether the project itself loaded the .env before.
  const own = originalLoaders(ctx).filter((l) => l.reads === file);
  const loaded = own.some((l) => l.unconditional);
  const gate = loaded ? null : (own.find((l) => !l.unconditional) ?? null);
  if (ctx.model.isGitRepo && ctx.model.env.exists && gitTracks(ctx.model.repoRoot, file)) {
    result = { file: dedicated, why: `${ctx.display(file)} is tracked by git, and a secret must not be committed` };
  } else if (gate) {
    // The project reads its .env only when a flag says so (production leaves it off): an
    // unconditional load of that .env would change what production reads. A file of our
    // keys alone, loaded always, changes nothing else.
    result = { file: dedicated, why: `the settings read ${ctx.display(file)} only under a condition (${ctx.display(gate.file)}:${gate.line})` };
  } else if (ctx.model.env.exists) {
    const text = ctx.workspace.originalOf(file) ?? '';
    const foreign = [...parseDotenv(text).keys()].filter((key) => !OURS.has(key));
    if (foreign.length > 0 && !loaded) {
      result = {
        file: dedicated,
        why: `the settings do not load ${ctx.display(file)}, and loading it would also load ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}`,
      };
    }
  }
  targets.set(ctx.workspace, result);
  return result;
}

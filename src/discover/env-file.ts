/**
 * The project's .env: the one it already has (next to manage.py, else in a folder above
 * it up to the repository root), or where one would be created (next to manage.py).
 * Only key names and the shape of the WorkOS values are kept; values never leave here,
 * except DJANGO_SETTINGS_MODULE, which names a module and is no secret.
 */
import { dirname, join } from 'node:path';
import type { EnvFileInfo } from './model.js';
import type { SourceCache } from './source-cache.js';
import { isInside } from './paths.js';

export interface EnvFileReading {
  info: EnvFileInfo;
  /** DJANGO_SETTINGS_MODULE from the file, when it sets one. */
  settingsModule: string | null;
  settingsModuleLine: number | null;
  /** The file that sets it: the project's .env, never .env.workos. */
  settingsModuleFile: string | null;
}

/**
 * Where init puts the keys when the project's .env is tracked by git, or holds settings the
 * project never loaded (see integrate/env-target.ts): beside that .env, untracked.
 */
export const DEDICATED_ENV = '.env.workos';

export function readEnvFile(cache: SourceCache, projectRoot: string, repoRoot: string): EnvFileReading {
  const projectEnv = findEnvFile(cache, projectRoot, repoRoot);
  // Once init has made .env.workos, the keys live there: every reader of credentials (init's
  // prompts, verify, doctor, the flow) looks there, while DJANGO_SETTINGS_MODULE stays the .env's.
  const dedicated = join(dirname(projectEnv ?? join(projectRoot, '.env')), DEDICATED_ENV);
  const file = cache.isFile(dedicated) ? dedicated : projectEnv;
  const info: EnvFileInfo = {
    file: file ?? join(projectRoot, '.env'),
    exists: file !== null,
    hasApiKey: false,
    hasClientId: false,
    apiKeyPrefixOk: false,
    clientIdPrefixOk: false,
  };
  const reading: EnvFileReading = { info, settingsModule: null, settingsModuleLine: null, settingsModuleFile: null };
  for (const entry of parseEnvEntries((file && cache.text(file)) ?? '')) {
    if (entry.key === 'WORKOS_API_KEY' && entry.value !== '') {
      info.hasApiKey = true;
      info.apiKeyPrefixOk = entry.value.startsWith('sk_');
    } else if (entry.key === 'WORKOS_CLIENT_ID' && entry.value !== '') {
      info.hasClientId = true;
      info.clientIdPrefixOk = entry.value.startsWith('client_');
    }
  }
  for (const entry of parseEnvEntries((projectEnv && cache.text(projectEnv)) ?? '')) {
    if (entry.key === 'DJANGO_SETTINGS_MODULE' && entry.value !== '') {
      reading.settingsModule = entry.value;
      reading.settingsModuleLine = entry.line;
      reading.settingsModuleFile = projectEnv;
    }
  }
  return reading;
}

function findEnvFile(cache: SourceCache, projectRoot: string, repoRoot: string): string | null {
  let dir = projectRoot;
  for (;;) {
    const candidate = join(dir, '.env');
    if (cache.isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (dir === repoRoot || parent === dir || !isInside(parent, repoRoot)) return null;
    dir = parent;
  }
}

export interface EnvEntry {
  key: string;
  value: string;
  line: number;
}

/** `KEY=value` lines as python-dotenv reads them: `export`, quotes and trailing comments allowed. */
export function parseEnvEntries(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) return;
    let value = m[2]!;
    const quoted = /^(["'])(.*?)\1/.exec(value);
    value = quoted ? quoted[2]! : value.replace(/\s+#.*$/, '').trim();
    out.push({ key: m[1]!, value, line: index + 1 });
  });
  return out;
}

/**
 * INSTALLED_APPS, MIDDLEWARE and whether sessions are on, from the settings chain's
 * final values. Entries that cannot be read statically become problems with their line.
 */
import type { Problem } from './model.js';
import { isSessionMiddleware } from './session-middleware.js';
import type { SettingsChain } from './settings-chain.js';
import type { SourceCache } from './source-cache.js';

export interface AppsInfo {
  installedApps: string[];
  middleware: string[];
  sessions: { app: boolean; middleware: boolean };
}

const SESSIONS_APPS = new Set(['django.contrib.sessions', 'django.contrib.sessions.apps.SessionsConfig']);

export function readApps(cache: SourceCache, chain: SettingsChain, roots: string[]): AppsInfo {
  const installedApps = stringList(cache, chain, 'INSTALLED_APPS');
  const middleware = stringList(cache, chain, 'MIDDLEWARE');
  return {
    installedApps,
    middleware,
    sessions: {
      app: installedApps.some((app) => SESSIONS_APPS.has(app)),
      middleware: middleware.some((entry) => isSessionMiddleware(cache, entry, roots)),
    },
  };
}

/** The readable entries of a list setting; each unreadable part becomes a problem. */
export function stringList(cache: SourceCache, chain: SettingsChain, name: string): string[] {
  const binding = chain.namespace.get(name);
  const code = name.toLowerCase().replace(/_/g, '-');
  if (!binding) {
    // Without INSTALLED_APPS there is no settings file to edit; a missing MIDDLEWARE is just empty.
    if (name === 'INSTALLED_APPS') {
      cache.report({ code: `${code}-missing`, message: `the settings do not define ${name}`, file: chain.loadedFile });
    }
    return [];
  }
  const value = binding.value;
  if (value.kind === 'seq') {
    for (const part of value.unknown) cache.report(dynamicProblem(code, name, part));
    return value.items;
  }
  const parts = value.kind === 'unknown' && value.unknown.length > 0 ? value.unknown : [{ file: binding.file, line: binding.line, text: '' }];
  for (const part of parts) cache.report(dynamicProblem(code, name, part));
  return [];
}

function dynamicProblem(code: string, name: string, part: { file: string; line: number; text: string }): Problem {
  const what = part.text ? `(\`${part.text}\`)` : '';
  return {
    code: `${code}-dynamic`,
    message: `part of ${name} is computed ${what}; authkit-django lists only the entries it can read`.replace(/\s+;/, ';'),
    file: part.file,
    line: part.line,
  };
}

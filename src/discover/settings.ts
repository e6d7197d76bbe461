/**
 * From "which settings module" to "which file to edit": resolves the module to a file,
 * follows its chain, and when the chain does not reach INSTALLED_APPS statically, falls
 * back to the settings package's base module or a search, saying so in `problems`.
 */
import { basename, dirname, join } from 'node:path';
import { isPackageInit, resolveModule } from './python-modules.js';
import { followSettings, type Place, type SettingsChain } from './settings-chain.js';
import { pickBaseSettings, searchSettingsModules, settingsPackageFiles } from './settings-locate.js';
import { findSettingsModule, type SettingsModuleInputs } from './settings-module.js';
import type { SourceCache } from './source-cache.js';

export interface SettingsResolution {
  module: string | null;
  source: string | null;
  chain: SettingsChain | null;
  /** The file whose assignment gives INSTALLED_APPS its value. */
  settingsFile: string | null;
  /** Folder holding the settings module (its parent for a settings package). */
  projectPackage: string | null;
}

/** Settings whose defining place the model reports. */
export const PLACED_SETTINGS = [
  'INSTALLED_APPS',
  'MIDDLEWARE',
  'ROOT_URLCONF',
  'TEMPLATES',
  'AUTH_USER_MODEL',
  'AUTHENTICATION_BACKENDS',
];

/**
 * Every setting discovery reads of the chain (its namespace and where each was defined):
 * the chain is evaluated for these and what they are computed from, nothing else.
 */
export const READ_SETTINGS = [...PLACED_SETTINGS, 'WORKOS_API_KEY', 'WORKOS_CLIENT_ID'];

export function resolveSettings(cache: SourceCache, inputs: SettingsModuleInputs, roots: string[]): SettingsResolution {
  const choice = findSettingsModule(cache, inputs);
  let { module, source } = choice;
  let loaded = module ? resolveModule(cache, module, roots) : null;
  if (module && !loaded) {
    const sourceFile = source === inputs.managePy ? inputs.managePy : null;
    cache.report({
      code: 'settings-module-missing',
      message: `DJANGO_SETTINGS_MODULE is "${module}" (from ${source === '--settings' ? '--settings' : basename(source ?? '')}), but there is no such module in the project`,
      ...(sourceFile ? { file: sourceFile, line: lineMentioning(cache, sourceFile, module) } : {}),
    });
  }
  if (!loaded) {
    const found = searchSettingsModules(cache, inputs.projectRoot);
    const first = found[0];
    if (!first) {
      cache.report({
        code: 'settings-not-found',
        message: 'no settings module found: nothing names DJANGO_SETTINGS_MODULE and no settings.py defines INSTALLED_APPS',
        file: inputs.managePy,
      });
      return { module, source, chain: null, settingsFile: null, projectPackage: null };
    }
    cache.report({
      code: 'settings-module-guessed',
      message: `${module ? `"${module}" cannot be found` : 'nothing names DJANGO_SETTINGS_MODULE'}; using ${first.module}, the settings module found below manage.py's folder (choose with --settings)`,
      file: inputs.managePy,
    });
    module = first.module;
    source = 'search';
    loaded = first.file;
  }
  let chain = followSettings(cache, loaded, roots, READ_SETTINGS);
  if (!chain.namespace.has('INSTALLED_APPS')) {
    const base = pickBaseSettings(
      cache,
      settingsPackageFiles(cache, loaded).filter((f) => f !== loaded),
    );
    if (base) {
      cache.report({
        code: 'settings-chain-incomplete',
        message: `${module} does not define INSTALLED_APPS in a way authkit-django can follow; using ${basename(base)} of the same package, which does`,
        file: loaded,
      });
      const fallback = followSettings(cache, base, roots, READ_SETTINGS);
      chain = { ...fallback, loadedFile: loaded, files: [loaded, ...fallback.files.filter((f) => f !== loaded)] };
    }
  }
  const definedAt = lastPlace(chain.definitions.get('INSTALLED_APPS'));
  return {
    module,
    source,
    chain,
    settingsFile: definedAt?.file ?? null,
    projectPackage: settingsFolder(cache, loaded),
  };
}

function lastPlace(places: Place[] | undefined): Place | undefined {
  return places?.[places.length - 1];
}

/** Where each placed setting was last given a value. */
export function settingPlaces(chain: SettingsChain | null): Record<string, Place> {
  const out: Record<string, Place> = {};
  if (!chain) return out;
  for (const name of PLACED_SETTINGS) {
    const place = lastPlace(chain.definitions.get(name));
    if (place) out[name] = place;
  }
  return out;
}

/**
 * The folder holding the settings module: `mysite/` for mysite/settings.py, the project
 * root for a flat settings.py, and `proj/` for a settings package (proj/settings/...).
 */
function settingsFolder(cache: SourceCache, loaded: string): string {
  const dir = isPackageInit(loaded) ? dirname(dirname(loaded)) : dirname(loaded);
  if (!isPackageInit(loaded) && basename(dir).toLowerCase() === 'settings' && cache.isFile(join(dir, '__init__.py'))) {
    return dirname(dir);
  }
  return dir;
}

function lineMentioning(cache: SourceCache, file: string, needle: string): number | undefined {
  const text = cache.read(file);
  if (!text.ok) return undefined;
  const at = text.text.indexOf(needle);
  return at < 0 ? undefined : text.text.slice(0, at).split('\n').length;
}

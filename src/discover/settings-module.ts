/**
 * Which settings module Django loads by default: `--settings`, else manage.py's
 * `os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`, else the other places
 * projects name it (.env, pytest configuration, wsgi.py / asgi.py).
 */
import { join } from 'node:path';
import { lineOf, type Node, type Tree } from '../python/parser.js';
import { findCalls, keywordArgument, positionalArguments, stringLiteralValue } from '../python/locate.js';
import { branchForOtherCommands, onlyForTestCommand } from './test-command.js';
import { findSection, keyValue } from './config-text.js';
import { isSkippedFolder } from './find-manage-py.js';
import { foldersUp } from './paths.js';
import { short } from './snippet.js';
import type { SourceCache } from './source-cache.js';

export interface SettingsModuleChoice {
  module: string | null;
  /** `--settings`, or the file that names it (absolute: manage.py, .env, pyproject.toml, pytest.ini, wsgi.py...). */
  source: string | null;
}

export interface SettingsModuleInputs {
  managePy: string;
  projectRoot: string;
  repoRoot: string;
  override?: string | undefined;
  envFile: EnvFileModule;
}

export function findSettingsModule(cache: SourceCache, inputs: SettingsModuleInputs): SettingsModuleChoice {
  if (inputs.override) return { module: inputs.override, source: '--settings' };
  const fromManage = settingsModuleInPython(cache, inputs.managePy, inputs.envFile);
  if (fromManage) return fromManage;
  if (inputs.envFile.module) return { module: inputs.envFile.module, source: inputs.envFile.file };
  for (const dir of foldersUp(inputs.projectRoot, inputs.repoRoot)) {
    const fromConfig = settingsModuleInConfig(cache, dir);
    if (fromConfig) return { module: fromConfig.module, source: fromConfig.file };
  }
  for (const file of wsgiAndAsgiFiles(cache, inputs.projectRoot)) {
    const found = settingsModuleInPython(cache, file, inputs.envFile);
    if (found) return found;
  }
  return { module: null, source: null };
}

/**
 * The value given to `os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)` (or assigned to
 * `os.environ["DJANGO_SETTINGS_MODULE"]`): a literal, or a read of the environment
 * (`config("DJANGO_SETTINGS_MODULE")`, `os.environ.get(..., "default")`) resolved through
 * the project's .env, else its literal default. One that runs only for `manage.py test` names
 * the test runner's settings and is passed over. Anything else computed becomes a problem
 * with its line; when several values are set (per environment), the first is Django's
 * default and the others are reported.
 */
export function settingsModuleInPython(cache: SourceCache, file: string, envFile: EnvFileModule = { file: '', module: null }): SettingsModuleChoice | null {
  const tree = cache.tree(file);
  if (!tree) return null;
  const found: { value: Resolved | null; node: Node }[] = [];
  for (const call of findCalls(tree, (callee) => /(^|\.)environ\.setdefault$/.test(callee), ['setdefault'])) {
    const [key, value] = positionalArguments(call);
    if (stringLiteralValue(key) !== 'DJANGO_SETTINGS_MODULE') continue;
    found.push({ value: resolveValue(value, tree, envFile), node: call });
  }
  for (const assignment of environAssignments(tree)) found.push({ value: resolveValue(assignment.value, tree, envFile), node: assignment.node });
  found.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const used = found.filter((f) => !onlyForTestCommand(f.node, tree));
  const chosen = used.find((f) => f.value !== null);
  for (const f of used) {
    if (f.value === null) {
      cache.report({
        code: 'settings-module-computed',
        message: `DJANGO_SETTINGS_MODULE is computed here (${short(f.node.text)}); authkit-django cannot tell its value without running it`,
        file,
        line: lineOf(f.node),
      });
    } else if (chosen && f !== chosen && f.value.module !== chosen.value!.module) {
      cache.report({
        code: 'settings-module-alternatives',
        message: `DJANGO_SETTINGS_MODULE may also be "${f.value.module}" here; using "${chosen.value!.module}", the first one (choose with --settings)`,
        file,
        line: lineOf(f.node),
      });
    }
  }
  if (!chosen) return null;
  return { module: chosen.value!.module, source: chosen.value!.fromEnvFile ? envFile.file : file };
}

/** The .env's DJANGO_SETTINGS_MODULE (discover/env-file.ts), for values that read the environment. */
export interface EnvFileModule {
  file: string;
  module: string | null;
}

interface Resolved {
  module: string;
  fromEnvFile: boolean;
}

/** Functions that read one environment variable: decouple's config, django-environ / environs' env, os.environ.get, os.getenv. */
const ENV_READERS = /^(?:(?:\w+\.)*config|env(?:\.str)?|(?:os\.)?environ\.get|(?:os\.)?getenv)$/;
const DEFAULT_AS_SECOND = /^(?:(?:os\.)?environ\.get|(?:os\.)?getenv)$/;

/** A settings module name from a value: a literal, the non-test branch of a conditional, or a read of the environment. */
function resolveValue(value: Node | null | undefined, tree: Tree, envFile: EnvFileModule): Resolved | null {
  if (!value) return null;
  const literal = stringLiteralValue(value);
  if (literal !== null) return { module: literal, fromEnvFile: false };
  if (value.type === 'conditional_expression') {
    const other = branchForOtherCommands(value, tree);
    return other ? resolveValue(other, tree, envFile) : null;
  }
  // `os.environ["DJANGO_SETTINGS_MODULE"]`: only the environment (the .env) can give it.
  if (value.type === 'subscript' && /(^|\.)environ$/.test(value.childForFieldName('value')?.text ?? '')) {
    const key = stringLiteralValue(value.childForFieldName('subscript'));
    return key === 'DJANGO_SETTINGS_MODULE' && envFile.module ? { module: envFile.module, fromEnvFile: true } : null;
  }
  if (value.type !== 'call') return null;
  const callee = value.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
  if (!ENV_READERS.test(callee)) return null;
  const [key, second] = positionalArguments(value);
  if (stringLiteralValue(key) === 'DJANGO_SETTINGS_MODULE' && envFile.module) return { module: envFile.module, fromEnvFile: true };
  const fallback = keywordArgument(value, 'default') ?? (DEFAULT_AS_SECOND.test(callee) ? second : null);
  const given = stringLiteralValue(fallback);
  return given !== null ? { module: given, fromEnvFile: false } : null;
}

function environAssignments(tree: Tree): { value: Node | null; node: Node }[] {
  const out: { value: Node | null; node: Node }[] = [];
  for (const assignment of tree.rootNode.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    if (left?.type !== 'subscript') continue;
    if (!/(^|\.)environ$/.test(left.childForFieldName('value')?.text ?? '')) continue;
    if (stringLiteralValue(left.childForFieldName('subscript')) !== 'DJANGO_SETTINGS_MODULE') continue;
    out.push({ value: assignment!.childForFieldName('right'), node: assignment! });
  }
  return out;
}

/** pytest-django's setting in pyproject.toml, pytest.ini, setup.cfg or tox.ini of one folder. */
function settingsModuleInConfig(cache: SourceCache, dir: string): { module: string; file: string } | null {
  const places: [string, string][] = [
    ['pyproject.toml', 'tool.pytest.ini_options'],
    ['pytest.ini', 'pytest'],
    ['setup.cfg', 'tool:pytest'],
    ['tox.ini', 'pytest'],
  ];
  for (const [name, sectionName] of places) {
    const file = join(dir, name);
    if (!cache.isFile(file)) continue;
    const text = cache.text(file);
    if (text === null) continue;
    const section = findSection(text, sectionName);
    const value = section ? keyValue(section.body, 'DJANGO_SETTINGS_MODULE') : null;
    if (value) return { module: value, file };
  }
  return null;
}

/** wsgi.py and asgi.py in the project root and the packages directly below it. */
function wsgiAndAsgiFiles(cache: SourceCache, projectRoot: string): string[] {
  const dirs = [projectRoot];
  for (const entry of cache.list(projectRoot)) {
    if (entry.isDirectory() && !isSkippedFolder(entry.name)) dirs.push(join(projectRoot, entry.name));
  }
  const out: string[] = [];
  for (const dir of dirs.sort()) {
    for (const name of ['wsgi.py', 'asgi.py']) {
      if (cache.isFile(join(dir, name))) out.push(join(dir, name));
    }
  }
  return out;
}

/**
 * The settings module Django itself loads when the project runs: `--settings` first, then
 * an exported DJANGO_SETTINGS_MODULE (manage.py's `setdefault` never overrides it), then
 * the one discovery found. Discovery's choice still decides which file gets edited (a
 * `development` module that star-imports `base` leaves `base` the file to change).
 */
export function runtimeSettingsModule(
  model: { settingsModule: string | null; settingsModuleSource?: string | null },
  env: NodeJS.ProcessEnv,
): string | null {
  if (model.settingsModuleSource === '--settings') return model.settingsModule;
  const exported = env.DJANGO_SETTINGS_MODULE?.trim();
  return exported || model.settingsModule;
}

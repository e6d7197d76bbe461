/**
 * How the settings get their configuration from the environment: the library they use
 * (django-environ, python-decouple, environs, or python-dotenv's load_dotenv) and every
 * call that loads a .env file, with whether it runs every time the settings load.
 * Read-only and static: the project's Python is never imported here.
 */
import { dirname, join } from 'node:path';
import { assignmentsAmong, findCalls, findImports, keywordArgument, lastName, moduleChildrenMentioning, positionalArguments } from '../python/locate.js';
import { lineOf, parsePython, type Node, type Tree } from '../python/parser.js';
import { evaluatePath, pathScope, type PathScope } from '../integrate/path-values.js';
import { onlyTestsExistenceOf } from './exists-guard.js';
import { readUtf8IfExists } from '../util/files.js';

export type ConfigLibraryName = 'django-environ' | 'python-decouple' | 'environs' | 'python-dotenv';

export interface ConfigLibrary {
  name: Exclude<ConfigLibraryName, 'python-dotenv'>;
  file: string;
  /** 1-based line of the statement that makes the reader (`env = environ.Env(...)`, the import for decouple). */
  line: number;
  /** The callable that reads one variable: `env` (django-environ / environs), `config` (decouple). */
  reader: string;
}

export interface EnvLoader {
  library: ConfigLibraryName;
  file: string;
  line: number;
  /** At module level outside any if / for / while / except / function (an `if` that only tests the loaded file exists allowed): runs on every load. */
  unconditional: boolean;
  /** The file it reads (absolute) when static reading can tell; null otherwise. */
  reads: string | null;
  /** The call as written, for messages. */
  call: string;
}

export interface ConfigReading {
  library: ConfigLibrary | null;
  loaders: EnvLoader[];
}

export interface SettingsText {
  file: string;
  text: string;
}

/** What a settings file sees as `__file__` (the including file under django-split-settings). */
export type DunderFile = (file: string) => string;

const CONDITIONAL_PARENTS = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'except_clause',
  'function_definition',
  'class_definition',
  'lambda',
  'conditional_expression',
  'boolean_operator',
]);

/**
 * True when `node` runs whenever the module runs (a try body and a with body do). An `if`
 * for which `passes(ifStatement)` holds does not count against it when `node` is in its own
 * block (a guard that only tests the loaded file exists: see exists-guard.ts).
 */
export function runsUnconditionally(node: Node, passes: (ifStatement: Node) => boolean = () => false): boolean {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'if_statement' && child.id === current.childForFieldName('consequence')?.id && passes(current)) continue;
    if (CONDITIONAL_PARENTS.has(current.type)) return false;
  }
  return true;
}

/** The path argument a loader is given (`dotenv_path=`, `env_file=`, `path=`, or the first positional). */
function loadedArgument(call: Node, keyword: string): Node | null {
  return keywordArgument(call, keyword) ?? positionalArguments(call)[0] ?? null;
}

/** Names an import binds for a module's attribute: `from environ import Env as E` -> E for Env. */
function boundNames(tree: Tree, module: string, name: string): string[] {
  const out: string[] = [];
  for (const imp of findImports(tree)) {
    if (imp.from === module) for (const n of imp.names) if (n.name === name) out.push(n.alias ?? n.name);
  }
  return out;
}

/** `import environ` (or `import environ as e`): the names the module itself is bound to. */
function moduleAliases(tree: Tree, module: string): string[] {
  const out: string[] = [];
  for (const imp of findImports(tree)) {
    if (imp.from === null) for (const n of imp.names) if (n.name === module) out.push(n.alias ?? n.name);
  }
  return out;
}

function calleeText(call: Node): string {
  return call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
}

/** The module-level name assigned a call of one of `callees` (`env = environ.Env(DEBUG=...)`). */
function instanceOf(tree: Tree, callees: string[]): { name: string; statement: Node } | null {
  // Such a statement mentions the callee's last name (`Env` of `environ.Env`): only those are read.
  for (const a of assignmentsAmong(moduleChildrenMentioning(tree, callees.map(lastName)))) {
    if (a.conditional || a.kind !== 'assign' || a.value?.type !== 'call') continue;
    if (callees.includes(calleeText(a.value))) return { name: a.name, statement: a.statement };
  }
  return null;
}

/**
 * Readers the settings import from a module of the project (`from config.env import env`,
 * where config/env.py says `env = environ.Env()`): the same django-environ or environs
 * instance, under the name the settings use. Followed one module deep; the module is
 * found from manage.py's folder (absolute) or the settings file's (relative). A module of
 * the settings chain itself is read in its own turn, not through the import.
 */
function importedReaders(tree: Tree, file: string, relativeTo: string, chain: ReadonlySet<string>): { name: string; statement: Node; library: 'django-environ' | 'environs' }[] {
  const out: { name: string; statement: Node; library: 'django-environ' | 'environs' }[] = [];
  for (const imp of findImports(tree)) {
    if (imp.conditional || !imp.from || imp.from === '__future__' || imp.star) continue;
    const dots = /^\.*/.exec(imp.from)![0].length;
    let base = dots > 0 ? dirname(file) : relativeTo;
    for (let i = 1; i < dots; i++) base = dirname(base);
    const parts = imp.from.slice(dots).split('.').filter(Boolean);
    const candidates = [join(base, ...parts) + '.py', join(base, ...parts, '__init__.py')];
    if (candidates.some((c) => chain.has(c))) continue;
    const source = candidates.map(readUtf8IfExists).find((t): t is string => t !== null);
    if (!source || !/\benviron|\bEnv\b/.test(source)) continue;
    const other = parsePython(source);
    for (const library of ['django-environ', 'environs'] as const) {
      const module = library === 'django-environ' ? 'environ' : 'environs';
      const classes = [...moduleAliases(other, module).map((m) => `${m}.Env`), ...boundNames(other, module, 'Env')];
      const instance = classes.length ? instanceOf(other, classes) : null;
      const named = instance && imp.names.find((n) => n.name === instance.name);
      if (named) out.push({ name: named.alias ?? named.name, statement: imp.node, library });
    }
  }
  return out;
}

function pathArgument(call: Node, keyword: string, scope: PathScope): { given: boolean; path: string | null } {
  const arg = loadedArgument(call, keyword);
  if (!arg) return { given: false, path: null };
  return { given: true, path: evaluatePath(arg, scope)?.path ?? null };
}

/** Whether a loader call runs on every load, a guard testing only that its own file exists allowed. */
function loaderRuns(call: Node, keyword: string, scope: PathScope): { unconditional: boolean; guarded: boolean } {
  const plain = runsUnconditionally(call);
  if (plain) return { unconditional: true, guarded: false };
  const arg = loadedArgument(call, keyword);
  const guarded = runsUnconditionally(call, (ifStatement) => onlyTestsExistenceOf(ifStatement, arg, scope));
  return { unconditional: guarded, guarded };
}

/**
 * Reads the settings chain. `exists` answers for files on disk (decouple and python-dotenv
 * search upward for their file); `relativeTo` is manage.py's folder.
 */
export function readConfig(files: SettingsText[], dunderFile: DunderFile, relativeTo: string, exists: (path: string) => boolean): ConfigReading {
  let library: ConfigLibrary | null = null;
  const loaders: EnvLoader[] = [];
  // A reader imported from another settings module of the chain is found where it is made.
  const chain = new Set(files.map((f) => f.file));
  for (const { file, text } of files) {
    const tree = parsePython(text);
    const dunder = dunderFile(file);
    const here = dirname(dunder);
    const scope = pathScope(tree, dunder, relativeTo);

    // django-environ: env = environ.Env(...); environ.Env.read_env(...) / env.read_env(...).
    const environModule = moduleAliases(tree, 'environ');
    const environClass = [...environModule.map((m) => `${m}.Env`), ...boundNames(tree, 'environ', 'Env')];
    // environs: env = Env() from environs; env.read_env(...).
    const environsClass = [...moduleAliases(tree, 'environs').map((m) => `${m}.Env`), ...boundNames(tree, 'environs', 'Env')];
    const imported = importedReaders(tree, file, relativeTo, chain);
    const environInstance = (environClass.length ? instanceOf(tree, environClass) : null) ?? imported.find((r) => r.library === 'django-environ') ?? null;
    const environsInstance = (environsClass.length ? instanceOf(tree, environsClass) : null) ?? imported.find((r) => r.library === 'environs') ?? null;
    if (!library && environInstance) library = { name: 'django-environ', file, line: lineOf(environInstance.statement), reader: environInstance.name };
    if (!library && environsInstance) library = { name: 'environs', file, line: lineOf(environsInstance.statement), reader: environsInstance.name };

    const readEnvCallees = new Set([...environClass.map((c) => `${c}.read_env`), ...(environInstance ? [`${environInstance.name}.read_env`] : [])]);
    for (const call of findCalls(tree, (t) => readEnvCallees.has(t), [...readEnvCallees].map(lastName))) {
      const arg = pathArgument(call, 'env_file', scope);
      loaders.push({
        library: 'django-environ',
        file,
        line: lineOf(call),
        unconditional: loaderRuns(call, 'env_file', scope).unconditional,
        reads: arg.given ? arg.path : join(here, '.env'),
        call: call.text,
      });
    }
    if (environsInstance) {
      for (const call of findCalls(tree, `${environsInstance.name}.read_env`)) {
        const arg = pathArgument(call, 'path', scope);
        const runs = loaderRuns(call, 'path', scope);
        // read_env(path) searches upward from a missing path, unless a guard made sure it is there.
        const searched = (path: string) => (runs.guarded ? path : searchUp(dirname(path), [baseName(path)], exists) ?? path);
        loaders.push({
          library: 'environs',
          file,
          line: lineOf(call),
          unconditional: runs.unconditional,
          reads: arg.given ? (arg.path ? searched(arg.path) : null) : searchUp(here, ['.env'], exists),
          call: call.text,
        });
      }
    }

    // python-decouple: `config` (AutoConfig) reads settings.ini or .env, the first found from here upward.
    const decoupleConfig = [...boundNames(tree, 'decouple', 'config'), ...moduleAliases(tree, 'decouple').map((m) => `${m}.config`)];
    if (decoupleConfig.length > 0) {
      const imp = findImports(tree).find((i) => i.from === 'decouple' || (i.from === null && i.names.some((n) => n.name === 'decouple')));
      if (!library) library = { name: 'python-decouple', file, line: imp ? lineOf(imp.node) : 1, reader: decoupleConfig[0]! };
      loaders.push({
        library: 'python-decouple',
        file,
        line: imp ? lineOf(imp.node) : 1,
        unconditional: imp ? !imp.conditional : true,
        reads: searchUp(here, ['settings.ini', '.env'], exists),
        call: `${decoupleConfig[0]}(...)`,
      });
    }

    // python-dotenv: load_dotenv(...) (imported from dotenv, or dotenv.load_dotenv).
    const loadNames = new Set([...boundNames(tree, 'dotenv', 'load_dotenv'), ...moduleAliases(tree, 'dotenv').map((m) => `${m}.load_dotenv`)]);
    for (const call of findCalls(tree, (t) => loadNames.has(t), [...loadNames].map(lastName))) {
      const arg = pathArgument(call, 'dotenv_path', scope);
      const findDotenv = call.text.includes('find_dotenv');
      loaders.push({
        library: 'python-dotenv',
        file,
        line: lineOf(call),
        unconditional: loaderRuns(call, 'dotenv_path', scope).unconditional,
        reads: arg.given && !findDotenv ? arg.path : searchUp(here, ['.env'], exists),
        call: call.text,
      });
    }
  }
  return { library, loaders };
}

function baseName(path: string): string {
  return path.slice(dirname(path).length + 1);
}

/** The first of `names` found in `dir` or a folder above it (the order of names decides within a folder). */
function searchUp(dir: string, names: string[], exists: (path: string) => boolean): string | null {
  for (let current = dir; ; current = dirname(current)) {
    for (const name of names) if (exists(join(current, name))) return join(current, name);
    if (dirname(current) === current) return null;
  }
}

/**
 * `env-loaded`: something in the settings loads the .env file that holds the keys
 * (python-dotenv's load_dotenv, django-environ's read_env, django-dotenv's read_dotenv),
 * and it loads that file, not another path. Read from the source, without running it:
 * which file a call loads is worked out the way each library finds it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathScope, evaluatePath } from '../integrate/path-values.js';
import { findCalls, keywordArgument, positionalArguments } from '../python/locate.js';
import { lineOf, parsePython, type Node } from '../python/parser.js';
import { readUtf8IfExists } from '../util/files.js';
import type { DoctorContext } from './context.js';
import { reportedCheck } from './project-report.js';
import type { DoctorCheck } from './types.js';

const LOADER = /(^|\.)(load_dotenv|read_dotenv|read_env)$/;

export interface DotenvLoad {
  file: string;
  line: number;
  /** The call as written (shortened). */
  call: string;
  /** The file it loads; null when the path is computed in a way that cannot be read statically. */
  loads: string | null;
}

function calleeOf(call: Node): string {
  return call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
}

/** python-dotenv's find_dotenv(): the first .env from the calling file's folder upward. */
function findDotenvFrom(folder: string): string | null {
  for (let dir = folder; ; dir = dirname(dir)) {
    const candidate = join(dir, '.env');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function pathArgument(call: Node, callee: string): Node | null {
  const keyword = callee.endsWith('load_dotenv') ? 'dotenv_path' : callee.endsWith('read_env') ? 'env_file' : 'dotenv';
  return keywordArgument(call, keyword) ?? positionalArguments(call)[0] ?? null;
}

/** Which file one loader call loads. */
function loadedBy(call: Node, file: string, scope: ReturnType<typeof pathScope>, projectRoot: string): string | null {
  const callee = calleeOf(call);
  const arg = pathArgument(call, callee);
  const folder = dirname(file);
  if (!arg) {
    // load_dotenv() searches upward from the settings file; read_env() / read_dotenv() read the one beside it.
    return callee.endsWith('load_dotenv') ? findDotenvFrom(folder) ?? join(folder, '.env') : join(folder, '.env');
  }
  if (arg.type === 'call' && /(^|\.)find_dotenv$/.test(calleeOf(arg))) {
    const usecwd = keywordArgument(arg, 'usecwd')?.text === 'True';
    return findDotenvFrom(usecwd ? projectRoot : folder);
  }
  const value = evaluatePath(arg, scope);
  return value ? resolve(value.path) : null;
}

/** Every loader call in `files`, with the file each loads. */
export function dotenvLoads(files: string[], projectRoot: string): DotenvLoad[] {
  const out: DotenvLoad[] = [];
  for (const file of files) {
    const text = readUtf8IfExists(file);
    if (text === null) continue;
    const tree = parsePython(text);
    const calls = findCalls(tree, (t) => LOADER.test(t), ['load_dotenv', 'read_dotenv', 'read_env']);
    if (calls.length === 0) continue;
    const scope = pathScope(tree, file, projectRoot);
    for (const call of calls) {
      out.push({ file, line: lineOf(call), call: call.text.replace(/\s+/g, ' ').slice(0, 80), loads: loadedBy(call, file, scope, projectRoot) });
    }
  }
  return out;
}

/** manage.py, wsgi.py and asgi.py load .env for some ways of running Django, not all. */
function entryPoints(ctx: DoctorContext): string[] {
  const files = [ctx.model.managePy];
  if (ctx.model.projectPackage) files.push(join(ctx.model.projectPackage, 'wsgi.py'), join(ctx.model.projectPackage, 'asgi.py'));
  return files;
}

async function keysReachSettings(ctx: DoctorContext): Promise<boolean> {
  const [key, id] = await Promise.all([reportedCheck(ctx, 'api-key'), reportedCheck(ctx, 'client-id')]);
  return key.status === 'pass' && id.status === 'pass';
}

export const envLoadedCheck: DoctorCheck = {
  id: 'env-loaded',
  family: 'env',
  run: async (ctx) => {
    const { model } = ctx;
    if (!model.env.exists) return { status: 'skip', message: 'there is no .env file to load' };
    if (!model.settingsFile) return { status: 'skip', message: 'no settings file was found' };
    const envFile = resolve(model.env.file);
    const shownEnv = ctx.display(envFile);
    const loads = dotenvLoads(model.settingsFiles, model.projectRoot);
    const right = loads.find((l) => l.loads === envFile);
    if (right) return { status: 'pass', message: `${ctx.display(right.file)}:${right.line} loads ${shownEnv}` };

    if (loads.length > 0) {
      const unknown = loads.find((l) => l.loads === null);
      const reach = await keysReachSettings(ctx);
      if (unknown) {
        return reach
          ? { status: 'pass', message: `${ctx.display(unknown.file)}:${unknown.line} loads a computed path, and the keys reach the settings` }
          : {
              status: 'warn',
              message: `${ctx.display(unknown.file)}:${unknown.line} loads a path doctor cannot work out (${unknown.call}), and the keys do not reach the settings`,
              file: unknown.file,
              line: unknown.line,
              fix: `make sure it loads ${shownEnv}`,
            };
      }
      const first = loads[0]!;
      const what = existsSync(first.loads!) ? 'another file' : 'a file that does not exist';
      return {
        status: reach ? 'warn' : 'fail',
        message: `${ctx.display(first.file)}:${first.line} loads ${ctx.display(first.loads!)} (${what}), but the .env with the keys is ${shownEnv}`,
        file: first.file,
        line: first.line,
        fix: `point it at ${shownEnv} (for example load_dotenv(BASE_DIR / ".env") when BASE_DIR is that folder)`,
      };
    }

    const elsewhere = dotenvLoads(entryPoints(ctx), model.projectRoot).find((l) => l.loads === envFile);
    const note = elsewhere
      ? ` (${ctx.display(elsewhere.file)}:${elsewhere.line} loads it, so runserver may work, but not every way Django starts goes through that file)`
      : '';
    if (await keysReachSettings(ctx)) {
      return { status: 'pass', message: `the settings do not load ${shownEnv}, but the keys reach them from the environment${note}` };
    }
    return {
      status: 'fail',
      message: `nothing in the settings loads ${shownEnv}, so its keys never reach Django${note}`,
      file: model.settingsFile,
      fix: `add load_dotenv(...) for ${shownEnv} after the settings' imports`,
      repair: 'load-dotenv',
    };
  },
};
